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
 * The journal to use when both places hold one (a newer and an older version
 * both ran rollouts of the cluster): the one written last, so an unfinished
 * run of either is never forgotten.
 */
export async function readJournalObject(objects: ObjectStore, cluster: string): Promise<{ key: string; stored: StoredObject } | null> {
  const [now, old] = await Promise.all([objects.get(journalKey(cluster)), objects.get(legacyJournalKey(cluster))]);
  if (now && old && updatedAt(old.body) > updatedAt(now.body)) return { key: legacyJournalKey(cluster), stored: old };
  if (now) return { key: journalKey(cluster), stored: now };
  return old ? { key: legacyJournalKey(cluster), stored: old } : null;
}

/** A journal's updatedAt; -1 for one that cannot be read (it loses to any readable one). */
function updatedAt(body: string): number {
  try {
    const value = (JSON.parse(body) as { updatedAt?: unknown }).updatedAt;
    return typeof value === 'number' ? value : -1;
  } catch {
    return -1;
  }
}

/**
 * Moves a journal written by an earlier version to its place now, so the
 * cluster's folder holds only what kops knows; when both places hold one, the
 * one written last is kept. Safe against a concurrent mover: every write is
 * conditional on the version read, and the delete on the version moved.
 */
export async function moveLegacyJournal(objects: ObjectStore, cluster: string): Promise<void> {
  const old = await objects.get(legacyJournalKey(cluster));
  if (!old) return;
  const chosen = await readJournalObject(objects, cluster);
  if (chosen?.key === legacyJournalKey(cluster)) {
    const now = await objects.get(journalKey(cluster));
    try {
      await objects.put(journalKey(cluster), old.body, { ifVersion: now ? now.version : null });
    } catch (error) {
      // Someone wrote the journal meanwhile (another mover, or a run): theirs stands, and the old one stays for the next look.
      if (error instanceof ConflictError) return;
      throw error;
    }
  }
  await objects.delete(legacyJournalKey(cluster), { ifVersion: old.version }).catch((error: unknown) => {
    if (!(error instanceof ConflictError)) throw error;
  });
}
