// Making a cluster's secrets once. Every object is written create-only (S3's
// If-None-Match: *, the file store's locked existence check), so two processes
// racing can never leave two CAs: for each secret the private object is the
// claim. Whoever writes the key first wins; the loser reads the winner's key
// and derives the certificate (or public key) from it, racing again only on an
// object that both derive from the same key. A run that stopped between the
// key and its certificate is finished by the next one the same way.
import type { ObjectStore } from '../store/object-store.js';
import { ConflictError } from '../store/object-store.js';
import { generateBootstrapToken, serialiseBootstrapToken } from './bootstrap-token.js';
import { createCaCertificate } from './certificates.js';
import { generateKeyPair, importKeyPair, keysMatch, privateKeyPem, publicKeyPemOf } from './keys.js';
import { SECRETS, objectsOf, secretKey, type SecretEntry, type SecretName } from './layout.js';

export interface SecretsPlan {
  cluster: string;
  /** Secrets with at least one object missing: what ensureSecrets will generate (or finish). */
  missing: SecretName[];
}

export interface EnsureSecretsResult {
  /** Secrets this call wrote (all or part of). */
  generated: SecretName[];
  /** Secrets that were complete already, or that another process wrote first. */
  existing: SecretName[];
}

/** Reads only the listing: nothing is generated or written. */
export async function planSecrets(store: ObjectStore, cluster: string): Promise<SecretsPlan> {
  const present = new Set(await listSecretObjects(store, cluster));
  const missing = SECRETS.filter((entry) => objectsOf(entry).some((path) => !present.has(path))).map((entry) => entry.name);
  return { cluster, missing };
}

/** The paths (relative to <cluster>/) of the objects under pki/ and secrets/. */
export async function listSecretObjects(store: ObjectStore, cluster: string): Promise<string[]> {
  const keys = (await Promise.all([store.list(`${cluster}/pki/`), store.list(`${cluster}/secrets/`)])).flat();
  return keys.map((key) => key.slice(cluster.length + 1));
}

export async function ensureSecrets(store: ObjectStore, cluster: string, options: { now?: Date } = {}): Promise<EnsureSecretsResult> {
  const now = options.now ?? new Date();
  const outcomes = await Promise.all(SECRETS.map(async (entry) => ({ name: entry.name, created: await ensureEntry(store, cluster, entry, now) })));
  return {
    generated: outcomes.filter((o) => o.created).map((o) => o.name),
    existing: outcomes.filter((o) => !o.created).map((o) => o.name),
  };
}

async function ensureEntry(store: ObjectStore, cluster: string, entry: SecretEntry, now: Date): Promise<boolean> {
  const privateKey = secretKey(cluster, entry.privatePath);
  if (entry.type === 'BootstrapToken') {
    return (await createOnce(store, privateKey, async () => serialiseBootstrapToken(generateBootstrapToken(now)), true)).created;
  }
  const key = await createOnce(store, privateKey, async () => privateKeyPem((await generateKeyPair()).privateKey), true);
  const publicKey = secretKey(cluster, entry.publicPath!);
  const derive =
    entry.type === 'CertificateAuthority'
      ? async () => createCaCertificate(await importKeyPair(key.body), entry.commonName!, now)
      : async () => publicKeyPemOf(key.body);
  const pub = await createOnce(store, publicKey, derive, false);
  if (!keysMatch(key.body, pub.body)) {
    throw new Error(`${store.url}/${publicKey} does not belong to the key ${privateKey} beside it: something other than kopsdeck changed one of them. Restore both from a backup`);
  }
  return key.created || pub.created;
}

/** The object's body: the stored one, else `make()`'s written create-only, else (lost the race) the winner's. */
async function createOnce(store: ObjectStore, key: string, make: () => Promise<string>, sensitive: boolean): Promise<{ body: string; created: boolean }> {
  const existing = await store.get(key);
  if (existing) return { body: existing.body, created: false };
  const body = await make();
  try {
    await store.put(key, body, { ifVersion: null, sensitive });
    return { body, created: true };
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    const winner = await store.get(key);
    if (!winner) throw new Error(`${store.url}/${key} was written by another process and deleted again; run the command again`);
    return { body: winner.body, created: false };
  }
}
