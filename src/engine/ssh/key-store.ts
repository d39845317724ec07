// The cluster's `admin` SSH public keys in the state store, where kops keeps
// them (`<cluster>/pki/ssh/public/admin/<fingerprint>`), so a cluster made by
// either tool finds its key in the same place. A public key is no secret, but
// it lives under pki/, which only the control plane may read.
import type { ObjectStore } from '../store/object-store.js';
import { parseSshPublicKey, sshAdminKeysPrefix, sshPublicKeyStoreKey, type SshPublicKey } from './public-key.js';

/** Writes the key (the same key always writes the same bytes to the same name). */
export async function storeSshPublicKey(store: ObjectStore, cluster: string, key: SshPublicKey): Promise<string> {
  const name = sshPublicKeyStoreKey(cluster, key);
  await store.put(name, `${key.text}\n`);
  return name;
}

/** Every admin key of the cluster, in key order; a damaged one is an error naming it. */
export async function readSshPublicKeys(store: ObjectStore, cluster: string): Promise<SshPublicKey[]> {
  const names = await store.list(sshAdminKeysPrefix(cluster));
  const keys: SshPublicKey[] = [];
  for (const name of names) {
    const found = await store.get(name);
    if (found) keys.push(parseSshPublicKey(found.body, `${store.url}/${name}`));
  }
  return keys;
}
