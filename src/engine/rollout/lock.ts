// One rollout per cluster at a time: a lock object at
// `kopsdeck/<cluster>/rollout/lock` (state-keys.ts) taken with a create-only
// write, kept alive by a heartbeat, released at the end. A lock whose holder
// was a process of this process table that no longer exists (killed, crashed)
// is taken over at once, and the caller is told; "this process table" is
// process-space.ts's identity, not the host name, which containers share. A
// lock whose heartbeat stopped but whose holder we cannot see die (another
// host, a closed laptop, or a live process that stopped beating) is stale;
// breaking it needs an explicit confirmation, because a holder that is only
// slow would then be acting next to us.
import { hostname, userInfo } from 'node:os';
import { mayStillRun, processSpaceId } from '../process-space.js';
import { ConflictError, type ObjectStore, type ObjectVersion } from '../store/object-store.js';
import { getWithLegacy, legacyLockKey, lockKey } from './state-keys.js';

export { lockKey };

/**
 * The holder a lock names, as a console watching from elsewhere shows it:
 * user@host and which front end runs the rollout (the console or the CLI).
 */
export function lockHolderName(frontEnd: 'console' | 'CLI'): string {
  try {
    return `${userInfo().username}@${hostname()} (${frontEnd})`;
  } catch {
    // userInfo throws for a uid with no passwd entry (common in containers): the host alone still tells people apart.
    return `${hostname()} (${frontEnd})`;
  }
}

/** Wall ms after which a lock whose heartbeat has not moved is stale. */
export const DEFAULT_STALE_AFTER_MS = 5 * 60_000;
const HEARTBEAT_EVERY_MS = 30_000;

export interface LockBody {
  holder: string;
  runId: string;
  pid: number;
  host: string;
  /** The holder's process table (process-space.ts); absent in locks of older versions, whose holders are never presumed gone. */
  space?: string;
  acquiredAt: number;
  /** Wall-clock epoch ms (locks are about processes, not simulated time). */
  heartbeatAt: number;
  /** Set when the stored object is not a lock (truncated, edited): why. Such a lock is stale. */
  damaged?: string;
}

/**
 * The stored lock, checked: a damaged object (a crash mid-write on a store
 * without atomic writes, a hand edit) reads as a stale lock that says so,
 * which --break-stale-lock takes over, instead of a JSON error that blocks
 * every rollout.
 */
export function parseLockBody(text: string): LockBody {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return damagedLock('not valid JSON');
  }
  const v = value as Partial<LockBody> | null;
  const ok = v !== null && typeof v === 'object' && typeof v.holder === 'string' && typeof v.runId === 'string' && Number.isInteger(v.pid) && typeof v.host === 'string' && Number.isFinite(v.acquiredAt) && Number.isFinite(v.heartbeatAt);
  return ok ? (v as LockBody) : damagedLock('not a rollout lock: a field is missing or of the wrong type');
}

const damagedLock = (why: string): LockBody => ({ holder: 'unknown', runId: '', pid: 0, host: 'unknown', acquiredAt: 0, heartbeatAt: 0, damaged: why });

export class RolloutLockedError extends Error {
  constructor(
    readonly cluster: string,
    readonly lock: LockBody,
    readonly stale: boolean,
  ) {
    const age = Math.round((Date.now() - lock.heartbeatAt) / 1000);
    super(
      lock.damaged
        ? `the rollout lock of ${cluster} is damaged (${lock.damaged}); if no rollout of ${cluster} is running, take it over`
        : stale
        ? `a rollout of ${cluster} by ${lock.holder} (pid ${lock.pid} on ${lock.host}) stopped answering ${age}s ago; confirm breaking its stale lock to take over`
        : `a rollout of ${cluster} is already running: ${lock.holder} (pid ${lock.pid} on ${lock.host}), last heartbeat ${age}s ago`,
    );
    this.name = 'RolloutLockedError';
  }
}

export interface AcquireOptions {
  holder: string;
  runId: string;
  /** Take over a stale lock (never a live one). */
  breakStaleLock?: boolean;
  staleAfterMs?: number;
  /** Called if the lock is lost while held (someone broke it). */
  onLost?: (error: Error) => void;
  /** Called when the lock of a holder that is gone (dead process, this host) is taken over without asking. */
  onTakeOver?: (previous: LockBody, reason: string) => void;
  now?: () => number;
}

export interface HeldLock {
  body: LockBody;
  release(): Promise<void>;
}

/** Stale when the heartbeat is old, or the holder is a process of this process table that no longer exists. */
export function isStale(lock: LockBody, now: number, staleAfterMs = DEFAULT_STALE_AFTER_MS): boolean {
  if (now - lock.heartbeatAt > staleAfterMs) return true;
  return holderIsGone(lock);
}

/**
 * The holder was a process of this process table and it no longer exists:
 * nobody can be acting under this lock. A holder in another table (another
 * machine, or a container with the same host name) cannot be seen from here.
 */
export function holderIsGone(lock: LockBody): boolean {
  return !mayStillRun(lock);
}

export async function acquireLock(objects: ObjectStore, cluster: string, options: AcquireOptions): Promise<HeldLock> {
  const held = await acquireCurrentLock(objects, cluster, options);
  try {
    await retireLegacyLock(objects, cluster, options);
  } catch (error) {
    await held.release();
    throw error;
  }
  return held;
}

/**
 * A lock where an earlier version kept it: a run of that version may still
 * hold it, so the same rules apply as to a lock in the new place (a live one
 * refuses, a stale one needs the confirmation). One that nobody holds any
 * more is deleted, as it would block `kops delete cluster`.
 */
async function retireLegacyLock(objects: ObjectStore, cluster: string, options: AcquireOptions): Promise<void> {
  const existing = await objects.get(legacyLockKey(cluster));
  if (!existing) return;
  const takeOver = mayTakeOver(cluster, parseLockBody(existing.body), options);
  await objects.delete(legacyLockKey(cluster), { ifVersion: existing.version });
  takeOver();
}

/**
 * Refuses a lock held by someone else (RolloutLockedError) unless its holder
 * is gone, or it is stale and breaking it was confirmed. Returns what to do
 * once it is taken over: tell the caller when the holder was gone.
 */
function mayTakeOver(cluster: string, held: LockBody, options: AcquireOptions): () => void {
  const gone = holderIsGone(held);
  const stale = gone || isStale(held, (options.now ?? Date.now)(), options.staleAfterMs);
  if (!gone && (!stale || !options.breakStaleLock)) throw new RolloutLockedError(cluster, held, stale);
  return () => {
    if (gone) options.onTakeOver?.(held, `process ${held.pid} on ${held.host} (${held.holder}) that held it no longer exists`);
  };
}

async function acquireCurrentLock(objects: ObjectStore, cluster: string, options: AcquireOptions): Promise<HeldLock> {
  const now = options.now ?? Date.now;
  const key = lockKey(cluster);
  const body: LockBody = { holder: options.holder, runId: options.runId, pid: process.pid, host: hostname(), space: processSpaceId(), acquiredAt: now(), heartbeatAt: now() };
  let version: ObjectVersion;
  try {
    version = await objects.put(key, JSON.stringify(body), { ifVersion: null });
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    const existing = await objects.get(key);
    if (!existing) return acquireCurrentLock(objects, cluster, options);
    const takeOver = mayTakeOver(cluster, parseLockBody(existing.body), options);
    // Conditional on the version we judged: if someone else took it meanwhile, we lose.
    version = await objects.put(key, JSON.stringify(body), { ifVersion: existing.version });
    takeOver();
  }
  let released = false;
  const beat = async () => {
    if (released) return;
    try {
      version = await objects.put(key, JSON.stringify({ ...body, heartbeatAt: now() }), { ifVersion: version });
    } catch (error) {
      if (released) return;
      released = true;
      clearInterval(timer);
      options.onLost?.(error instanceof ConflictError ? new Error(`the rollout lock of ${cluster} was taken by another process; stopping`) : (error as Error));
    }
  };
  const timer = setInterval(() => void beat(), HEARTBEAT_EVERY_MS);
  timer.unref();
  return {
    body,
    async release() {
      if (released) return;
      released = true;
      clearInterval(timer);
      await objects.delete(key, { ifVersion: version }).catch(() => undefined);
    },
  };
}

/** The lock, or one held by a run of an earlier version where that version kept it. */
export async function readLock(objects: ObjectStore, cluster: string): Promise<LockBody | null> {
  const found = await getWithLegacy(objects, lockKey(cluster), legacyLockKey(cluster));
  return found ? parseLockBody(found.stored.body) : null;
}
