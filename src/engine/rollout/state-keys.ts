// Where a rollout keeps its journal and lock in the state store: under
// `kopsdeck/<cluster>/rollout/`, outside the cluster's own folder.
//
// Why not `<cluster>/rollout/`, where earlier versions kept them: `kops delete
// cluster` (DeleteAllClusterState in kops' vfsclientset) deletes the cloud
// resources first and then refuses to delete a cluster folder holding a file
// it does not know, leaving a half-deleted cluster. `kopsdeck` holds no dot,
// so it is never a cluster's name (clusterNameProblem), and no key under it
// ends in `/config`, so neither kops nor kopsdeck lists it as a cluster.
import { kopsdeckStatePrefix } from '../store/cluster-store.js';
import { ConflictError, type ObjectStore, type StoredObject } from '../store/object-store.js';

export const rolloutStatePrefix = (cluster: string): string => `${kopsdeckStatePrefix(cluster)}rollout/`;
export const journalKey = (cluster: string): string => `${rolloutStatePrefix(cluster)}journal`;
export const lockKey = (cluster: string): string => `${rolloutStatePrefix(cluster)}lock`;

/** Where versions before this one kept them (read and moved, never written). */
export const legacyJournalKey = (cluster: string): string => `${cluster}/rollout/journal`;
export const legacyLockKey = (cluster: string): string => `${cluster}/rollout/lock`;

/** The stored object at `key`, or at `legacy` when there is none at `key`; with the key it was read at. */
export async function getWithLegacy(objects: ObjectStore, key: string, legacy: string): Promise<{ key: string; stored: StoredObject } | null> {
  const stored = await objects.get(key);
  if (stored) return { key, stored };
  const old = await objects.get(legacy);
  return old ? { key: legacy, stored: old } : null;
}

/**
 * Moves a journal written by an earlier version to its place now, so the
 * cluster's folder holds only what kops knows. Safe against a concurrent
 * mover: the copy is create-only and the delete is conditional on the
 * version that was copied.
 */
export async function moveLegacyJournal(objects: ObjectStore, cluster: string): Promise<void> {
  const old = await objects.get(legacyJournalKey(cluster));
  if (!old) return;
  try {
    await objects.put(journalKey(cluster), old.body, { ifVersion: null });
  } catch (error) {
    // A journal is already in its new place (another mover, or a newer run): that one is the journal.
    if (!(error instanceof ConflictError)) throw error;
  }
  await objects.delete(legacyJournalKey(cluster), { ifVersion: old.version }).catch((error: unknown) => {
    if (!(error instanceof ConflictError)) throw error;
  });
}
