// One simulator per world directory: the simulator holds `simulator.lock`,
// made with O_EXCL, for as long as it runs. A second simulator on the same
// directory would serve a copy of the world and overwrite the first one's
// saves when it stops, losing clusters; it is refused instead, and its caller
// connects to the one that runs.
//
// A lock whose process is gone (killed, crashed) is taken over: the taker
// first makes `simulator.lock.break` with O_EXCL, so two takers cannot both
// win, then checks again that the holder is gone before replacing the lock.
import { readFileSync, statSync, unlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { mayStillRun, processSpaceId } from '../engine/process-space.js';
import { createFileExclusive } from '../engine/fs/atomic-write.js';
import { join } from 'node:path';

export const WORLD_LOCK_FILE = 'simulator.lock';
/** A lock with no readable body younger than this is being written by a starting simulator. */
const UNWRITTEN_GRACE_MS = 2_000;

interface LockBody {
  pid: number;
  host: string;
  /** The holder's process table (engine/process-space.ts): only there does its pid mean anything. */
  space: string;
  startedAt: string;
}

export class SimulatorBusyError extends Error {
  constructor(
    readonly dir: string,
    readonly holder: string,
  ) {
    super(`another simulator (${holder}) serves the world in ${dir}`);
    this.name = 'SimulatorBusyError';
  }
}

export interface WorldLock {
  release(): void;
}

export function takeWorldLock(dir: string): WorldLock {
  const path = join(dir, WORLD_LOCK_FILE);
  if (!tryCreate(path)) {
    const holder = readBody(path);
    if (holder && mayStillRun(holder)) throw new SimulatorBusyError(dir, describe(holder));
    if (!holder && ageMs(path) < UNWRITTEN_GRACE_MS) throw new SimulatorBusyError(dir, 'a simulator that is starting');
    takeOver(path, dir);
  }
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      // Only our own lock: a taker may have replaced it if this process was thought dead.
      const current = readBody(path);
      if (current?.pid === process.pid && current.space === processSpaceId()) unlinkSync(path);
    },
  };
}

/** Makes the lock file with this process's body; false when it exists. */
function tryCreate(path: string): boolean {
  const body: LockBody = { pid: process.pid, host: hostname(), space: processSpaceId(), startedAt: new Date().toISOString() };
  return createFileExclusive(path, JSON.stringify(body) + '\n');
}

function takeOver(path: string, dir: string): void {
  const breaker = `${path}.break`;
  if (!tryCreate(breaker)) {
    const other = readBody(breaker);
    // A taker that died inside its takeover leaves its .break behind: it is gone, so clear it and let the caller retry.
    if (other && !mayStillRun(other)) unlinkSync(breaker);
    throw new SimulatorBusyError(dir, other ? `${describe(other)}, taking over a stale lock` : 'another process taking over a stale lock');
  }
  try {
    const holder = readBody(path);
    if (holder && mayStillRun(holder)) throw new SimulatorBusyError(dir, describe(holder));
    if (!holder && ageMs(path) < UNWRITTEN_GRACE_MS) throw new SimulatorBusyError(dir, 'a simulator that is starting');
    try {
      unlinkSync(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (!tryCreate(path)) throw new SimulatorBusyError(dir, 'another process that started at the same moment');
  } finally {
    unlinkSync(breaker);
  }
}

/** How old the file is; Infinity when it is gone. */
function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return Infinity;
  }
}

function readBody(path: string): LockBody | null {
  try {
    const body = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockBody>;
    if (typeof body.pid !== 'number' || typeof body.host !== 'string' || typeof body.space !== 'string') return null;
    return { pid: body.pid, host: body.host, space: body.space, startedAt: String(body.startedAt ?? '') };
  } catch {
    // Missing, or damaged (a crash between create and write): nobody holds it.
    return null;
  }
}

function describe(holder: LockBody): string {
  return `process ${holder.pid} on ${holder.host}${holder.startedAt ? `, since ${holder.startedAt}` : ''}`;
}
