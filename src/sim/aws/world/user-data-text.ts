// An instance's user-data as text, as cloud-init reads it: EC2 holds it base64
// encoded, and cloud-init decompresses gzipped user-data (kopsdeck's is).
import { gunzipSync } from 'node:zlib';

export function userDataText(base64: string | undefined): string {
  if (!base64) return '';
  const bytes = Buffer.from(base64, 'base64');
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes.toString('utf8');
  try {
    return gunzipSync(bytes).toString('utf8');
  } catch {
    // Damaged gzip: cloud-init would find no user-data it can read.
    return '';
  }
}
