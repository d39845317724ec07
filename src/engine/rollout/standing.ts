// Where a cluster's rolling update stands, from its lock and journal in the
// state store, for the places that do not run one: the console's overview and
// `rolling-update cluster` without --yes. An on-call engineer opening the
// cluster after a crash, or a colleague's run, learns it there, not only once
// they press R. Pure: the caller reads the store.
import type { JournalDocument, RolloutRequest } from './journal.js';
import { unfinishedInstances } from './journal.js';
import { holderIsGone, isStale, type LockBody } from './lock.js';

export type RolloutStanding =
  | { kind: 'none' }
  /** A run holds the lock and beats: it is under way, in this or another process. */
  | { kind: 'running'; holder: string }
  /** The last run stopped before finishing (failed, aborted, crashed, quit): a run of the same request resumes it. */
  | { kind: 'unfinished'; status: string; reason?: string; halfDone: number; request?: RolloutRequest; asksBeforeDrains: boolean };

export function rolloutStanding(lock: LockBody | null, journal: JournalDocument | null, nowWallMs: number): RolloutStanding {
  const live = lock && !lock.damaged && !isStale(lock, nowWallMs);
  if (live) return { kind: 'running', holder: lock.holder };
  if (!journal || journal.status === 'finished') return { kind: 'none' };
  const status = journal.status === 'running' || journal.status === 'paused' ? stoppedHow(lock) : journal.status === 'aborted' ? 'it was aborted' : `it ${journal.status}`;
  return { kind: 'unfinished', status, reason: journal.reason, halfDone: unfinishedInstances(journal.entries).length, request: journal.request, asksBeforeDrains: journal.asksBeforeDrains ?? false };
}

/** Why a run whose journal says it is under way is not: what its lock shows. */
function stoppedHow(lock: LockBody | null): string {
  if (!lock) return 'its run let go of its lock without recording an end';
  if (lock.damaged) return 'its lock is damaged';
  return holderIsGone(lock) ? `its process (pid ${lock.pid}) is gone` : 'its heartbeat stopped';
}

/** The command that resumes it: the request it was started with, asking before each drain if it did. */
export function resumeWords(cluster: string, request: RolloutRequest | undefined, asksBeforeDrains = false): string {
  const words = ['kopsdeck', 'rolling-update', 'cluster', cluster, asksBeforeDrains ? '--interactive' : '--yes'];
  if (request?.force) words.push('--force');
  if (request?.instanceGroups.length) words.push('--instance-group', request.instanceGroups.join(','));
  if (request?.roles.length) words.push('--instance-group-roles', request.roles.join(','));
  if (request?.cloudOnly) words.push('--cloudonly');
  return words.join(' ');
}

/** One sentence for a person; undefined when there is nothing to say. `resume`: how to resume it where the sentence is shown. */
export function standingSentence(standing: RolloutStanding, resume: string): string | undefined {
  if (standing.kind === 'none') return undefined;
  if (standing.kind === 'running') return `A rolling update is running now, by ${standing.holder}.`;
  const why = standing.reason ? `: ${standing.reason}` : '';
  const half = standing.halfDone > 0 ? ` ${standing.halfDone} instance${standing.halfDone === 1 ? ' is' : 's are'} part way through (cordoned, drained or terminated, not yet replaced).` : '';
  return `The last rolling update did not finish: ${standing.status}${why}.${half} ${resume} resumes it.`;
}
