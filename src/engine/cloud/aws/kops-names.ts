// Names kops gives what it creates, computed as kops computes them: an ELB or
// target group name is at most 32 characters and always ends with a 6-letter
// hash (FNV-1a 32 of the untruncated name, in base32 "extended hex",
// lower-case), e.g. api-minimal-example-com-gecgf7 for the API load balancer of
// minimal.example.com (kubernetes/kops: awsup.GetResourceName32, pkg/truncate).
// The engine names its own API load balancer this way; the simulator seeds
// kops-laid-out clusters with the same names.

const BASE32_HEX = '0123456789ABCDEFGHIJKLMNOPQRSTUV';

/** FNV-1a, 32 bits, of the UTF-8 bytes. */
function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** RFC 4648 base32 with the extended-hex alphabet, padded, of the 4 big-endian bytes. */
function base32Hex(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32_HEX[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32_HEX[(value << (5 - bits)) & 31];
  while (out.length % 8 !== 0) out += '=';
  return out;
}

export function hashString(text: string, length: number): string {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(fnv1a32(text));
  return base32Hex(bytes).toLowerCase().slice(0, length);
}

/** `<prefix>-<cluster with dots as dashes>`, cut to leave room for `-<hash>`, at most 32 characters. */
export function resourceName32(cluster: string, prefix: string): string {
  const full = `${prefix}-${cluster.replace(/\./g, '-')}`;
  const hash = hashString(full, 6);
  return `${full.slice(0, 32 - hash.length - 1)}-${hash}`;
}

