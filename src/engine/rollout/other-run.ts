// Whether a rollout of this cluster is being run by another process, judged
// from what the state store holds: the lock (who, since when, last heartbeat)
// and the journal. A console seeing a live one watches it and never starts,
// resumes or breaks anything; it only takes over once that run has ended or
// stopped. Pure: the caller says how to tell a gone holder and its own lock.
import { formatDuration } from './plan.js';
import type { JournalDocument } from './journal.js';
import { DEFAULT_STALE_AFTER_MS, holderIsGone, type LockBody } from './lock.js';
import { processSpaceId } from '../process-space.js';

export type OtherRun =
  /** Nothing to watch: no other process holds the lock (or its lock was already dead when first seen: planning resumes it, as always). */
  | { kind: 'none' }
  /** Its holder is alive (this process table) or beating (another one). journal: that run's, once it has written one. */
  | { kind: 'live'; lock: LockBody; journal?: JournalDocument }
  /** It let go of its lock and its journal says how it ended (finished, aborted, failed). */
  | { kind: 'ended'; lock: LockBody; journal: JournalDocument }
  /** It stopped without ending: its holder is gone, its heartbeat is stale, or it let go of the lock mid-way. */
  | { kind: 'stopped'; lock: LockBody; journal?: JournalDocument; cause: StopCause; why: string };

/** gone: its process died (this process table); stale: no heartbeat for too long, its lock still there; released: it let go of its lock without an end; damaged: its lock is no longer readable. */
export type StopCause = 'gone' | 'stale' | 'released' | 'damaged';

export interface Sighting {
  lock: LockBody | null;
  journal: JournalDocument | null;
  /** Wall-clock epoch ms (heartbeats are wall clock). */
  now: number;
}

export interface HolderJudge {
  /** The holder is known to be gone (its process in this process table no longer exists). */
  gone(lock: LockBody): boolean;
  /** The lock is this process's own (its own run, not another process's). */
  own(lock: LockBody): boolean;
  staleAfterMs?: number;
}

/** The real judge: process-space liveness, this process's pid and table. */
export const processJudge: HolderJudge = {
  gone: holderIsGone,
  own: (lock) => lock.pid === process.pid && lock.space === processSpaceId(),
};

const ENDINGS = new Set(['finished', 'aborted', 'failed']);

/**
 * The next state from the previous one and a new look at the store. An ended
 * or stopped run stays so (to be read) until the caller starts over from
 * `{ kind: 'none' }`, unless another run takes the lock meanwhile.
 */
export function nextOtherRun(previous: OtherRun, seen: Sighting, judge: HolderJudge = processJudge): OtherRun {
  const watched = previous.kind === 'live' ? previous.lock : undefined;
  // What was last read of the watched run's journal, kept when the new look cannot tell.
  const lastJournal = previous.kind === 'live' ? previous.journal : undefined;
  const lock = seen.lock && !seen.lock.damaged && !judge.own(seen.lock) ? seen.lock : null;
  if (lock) {
    const gone = judge.gone(lock);
    const silentMs = seen.now - lock.heartbeatAt;
    const stale = silentMs > (judge.staleAfterMs ?? DEFAULT_STALE_AFTER_MS);
    if (!gone && !stale) return { kind: 'live', lock, journal: journalOfRun(seen.journal, lock.runId) };
    // Dead before we ever saw it alive: the plan says it stopped and starting resumes it, as for any crash.
    if (watched?.runId !== lock.runId) return previous.kind === 'live' ? { kind: 'none' } : previous;
    const why = gone
      ? `its process (pid ${lock.pid} on ${lock.host}) no longer exists: it crashed or was killed`
      : `its heartbeat stopped ${formatDuration(silentMs)} ago: it crashed, or its machine sleeps or lost the network`;
    return { kind: 'stopped', lock, journal: journalOfRun(seen.journal, lock.runId) ?? lastJournal, cause: gone ? 'gone' : 'stale', why };
  }
  if (!watched) return previous;
  const journal = journalOfRun(seen.journal, watched.runId);
  if (seen.lock?.damaged) return { kind: 'stopped', lock: watched, journal: journal ?? lastJournal, cause: 'damaged', why: `its lock in the state store is now damaged (${seen.lock.damaged})` };
  if (journal && ENDINGS.has(journal.status)) return { kind: 'ended', lock: watched, journal };
  if (journal) return { kind: 'stopped', lock: watched, journal, cause: 'released', why: 'it let go of its lock without recording an end (it was stopped, as a console that quits stops its run, or could not write to the state store); its journal keeps its place' };
  return { kind: 'stopped', lock: watched, cause: 'released', why: 'it let go of its lock before writing its journal: it stopped while planning (that process said why)' };
}

/** The journal if the run holding `runId` is the one writing it (a run that has only taken the lock has not opened it yet). */
export function journalOfRun(journal: JournalDocument | null, runId: string): JournalDocument | undefined {
  if (!journal) return undefined;
  return (journal.writerRunId ?? journal.runId) === runId ? journal : undefined;
}

/** "alice@laptop (CLI), pid 4242 on laptop": who holds the lock, as its holder wrote it. */
export function describeHolder(lock: LockBody): string {
  return `${lock.holder}, pid ${lock.pid} on ${lock.host}`;
}
