// Reading a cluster's secrets without ever handing their values to a caller
// that prints: `get secrets` gets names, types and expiries; only the admin
// kubeconfig loads the CA to sign with. Rotating the bootstrap token replaces
// it with a conditional write.
import type { ObjectStore } from '../store/object-store.js';
import { ConflictError } from '../store/object-store.js';
import { DEFAULT_TOKEN_TTL_MS, generateBootstrapToken, parseBootstrapToken, serialiseBootstrapToken } from './bootstrap-token.js';
import { caCertHash, certificateExpiry, type CertificateAuthority } from './certificates.js';
import { importKeyPair } from './keys.js';
import { listSecretObjects } from './ensure-secrets.js';
import { SECRETS, objectsOf, secretEntry, secretKey, type SecretName, type SecretType } from './layout.js';

export interface SecretSummary {
  name: SecretName;
  type: SecretType;
  /** RFC 3339; null for a key pair, which does not expire. */
  expires: string | null;
  expired: boolean;
}

/** The complete secrets of a cluster, in SECRETS order; values never leave this function. */
export async function listSecrets(store: ObjectStore, cluster: string, now = new Date()): Promise<SecretSummary[]> {
  const present = new Set(await listSecretObjects(store, cluster));
  const complete = SECRETS.filter((entry) => objectsOf(entry).every((path) => present.has(path)));
  return Promise.all(
    complete.map(async (entry) => {
      const expires = await expiryOf(store, cluster, entry.name);
      return { name: entry.name, type: entry.type, expires: expires?.toISOString() ?? null, expired: expires !== null && expires <= now };
    }),
  );
}

async function expiryOf(store: ObjectStore, cluster: string, name: SecretName): Promise<Date | null> {
  const entry = secretEntry(name);
  if (entry.type === 'KeyPair') return null;
  const key = secretKey(cluster, entry.type === 'BootstrapToken' ? entry.privatePath : entry.publicPath!);
  const body = (await store.get(key))?.body;
  if (body === undefined) return null;
  if (entry.type === 'BootstrapToken') return new Date(parseBootstrapToken(body, `${store.url}/${key}`).expires);
  return certificateExpiry(body);
}

/** `sha256:<hex>` of the cluster CA's public key (what machines verify the CA by); undefined while the store has no CA. */
export async function readCaCertHash(store: ObjectStore, cluster: string): Promise<string | undefined> {
  const cert = await store.get(secretKey(cluster, secretEntry('ca').publicPath!));
  return cert ? caCertHash(cert.body) : undefined;
}

/** The Kubernetes CA, to sign client certificates with; null when the store has none. */
export async function loadClusterCa(store: ObjectStore, cluster: string): Promise<CertificateAuthority | null> {
  const entry = secretEntry('ca');
  const [cert, key] = await Promise.all([store.get(secretKey(cluster, entry.publicPath!)), store.get(secretKey(cluster, entry.privatePath))]);
  if (!cert || !key) return null;
  return { certPem: cert.body, keys: await importKeyPair(key.body) };
}

/** Writes a new bootstrap token over the old one (or the first one); returns when it expires. */
export async function rotateBootstrapToken(store: ObjectStore, cluster: string, options: { now?: Date; ttlMs?: number } = {}): Promise<{ expires: string; replaced: boolean }> {
  const key = secretKey(cluster, secretEntry('bootstrap-token').privatePath);
  const current = await store.get(key);
  const token = generateBootstrapToken(options.now ?? new Date(), options.ttlMs ?? DEFAULT_TOKEN_TTL_MS);
  try {
    await store.put(key, serialiseBootstrapToken(token), { ifVersion: current?.version ?? null, sensitive: true });
  } catch (error) {
    if (error instanceof ConflictError) throw new ConflictError(key, `the bootstrap token of ${cluster} was changed by another process meanwhile; yours was not written. Run the command again if you still want a new one`);
    throw error;
  }
  return { expires: token.expires, replaced: current !== null };
}
