// SSH public keys for the cluster's EC2 key pair, handled as kops handles them:
// the key pair is named `kubernetes.<cluster>-<fingerprint>` where the
// fingerprint is the MD5 of the key's wire-format blob in colon-separated hex
// (kops pkg/model/names.go SSHKeyName, pkg/pki ComputeOpenSSHKeyFingerprint),
// and the key itself is the cluster's `admin` SSH credential in the state
// store, at `<cluster>/pki/ssh/public/admin/<fingerprint without colons>`
// (kops upup/pkg/fi/vfs_castore.go AddSSHPublicKey). A key is checked before
// anything is written: a missing, unreadable or private file is refused.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';

/** EC2 imports only these (ImportKeyPair: RSA and ED25519). */
export const IMPORTABLE_KEY_TYPES = ['ssh-rsa', 'ssh-ed25519'] as const;

export interface SshPublicKey {
  type: string;
  /** The key as it is stored and imported: `<type> <base64>[ <comment>]`. */
  text: string;
  /** MD5 of the decoded blob, `aa:bb:...` (OpenSSH's legacy fingerprint, kops' key pair suffix). */
  fingerprint: string;
}

/** A key file or text that cannot become an EC2 key pair; the message says why and what to do. */
export class SshKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SshKeyError';
  }
}

const MAX_KEY_FILE_BYTES = 16 * 1024;

export function looksPrivate(text: string): boolean {
  return /PRIVATE KEY/.test(text) || text.startsWith('PuTTY-User-Key-File');
}

/** Parses one `authorized_keys`-style line; `source` names it in messages. */
export function parseSshPublicKey(content: string, source = 'the key'): SshPublicKey {
  const text = content.trim();
  if (looksPrivate(text)) throw new SshKeyError(`${source} is a private key; give the public one (usually the same path ending in .pub)`);
  const lines = text.split('\n').filter((line) => line.trim() && !line.trim().startsWith('#'));
  if (lines.length !== 1) throw new SshKeyError(`${source} must hold exactly one SSH public key line, not ${lines.length}`);
  const [type, data, ...comment] = lines[0].trim().split(/\s+/);
  if (!data) throw new SshKeyError(`${source} does not look like an SSH public key (it should start with ssh-ed25519 or ssh-rsa)`);
  if (!(IMPORTABLE_KEY_TYPES as readonly string[]).includes(type)) {
    const what = /^(ssh-|ecdsa-|sk-)/.test(type) ? `a ${type} key` : 'not an SSH public key';
    throw new SshKeyError(`${source} is ${what}; EC2 key pairs can only be ssh-ed25519 or ssh-rsa keys`);
  }
  const blob = Buffer.from(data, 'base64');
  if (blob.toString('base64').replace(/=+$/, '') !== data.replace(/=+$/, '') || blobType(blob) !== type) {
    throw new SshKeyError(`${source} is damaged: its ${type} key data does not decode`);
  }
  return { type, text: [type, data, ...comment].join(' '), fingerprint: colonHex(createHash('md5').update(blob).digest()) };
}

/** The type named inside the blob (a length-prefixed string), which must match the line's. */
function blobType(blob: Buffer): string | undefined {
  if (blob.length < 4) return undefined;
  const length = blob.readUInt32BE(0);
  return blob.length >= 4 + length ? blob.subarray(4, 4 + length).toString('latin1') : undefined;
}

const colonHex = (bytes: Buffer): string => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(':');

/** Reads and checks a public key file; every refusal is an SshKeyError naming the path. */
export function readSshPublicKeyFile(path: string, shownAs = path): SshPublicKey {
  let content: string;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new SshKeyError(`${shownAs} is not a file; give the path of a public key such as ~/.ssh/id_ed25519.pub`);
    if (stat.size > MAX_KEY_FILE_BYTES) throw new SshKeyError(`${shownAs} is ${stat.size} bytes, too large to be an SSH public key`);
    content = readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof SshKeyError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new SshKeyError(`${shownAs} does not exist; give the path of a public key such as ~/.ssh/id_ed25519.pub, or leave it empty`);
    throw new SshKeyError(`${shownAs} cannot be read (${code ?? (error as Error).message})`);
  }
  return parseSshPublicKey(content, shownAs);
}

/** kops' key pair name: `kubernetes.<cluster>-<fingerprint>`. */
export const keyPairName = (cluster: string, key: SshPublicKey): string => `kubernetes.${cluster}-${key.fingerprint}`;

/** Where the cluster's `admin` SSH public keys live in the state store (kops' layout). */
export const sshAdminKeysPrefix = (cluster: string): string => `${cluster}/pki/ssh/public/admin/`;

export const sshPublicKeyStoreKey = (cluster: string, key: SshPublicKey): string => `${sshAdminKeysPrefix(cluster)}${key.fingerprint.replace(/:/g, '')}`;
