// The world saved as one JSON file in the simulator's directory: written on a
// debounce after changes, before the answer to any request that writes (see
// answerAfterSave), and at stop; read back at start. Writes go to a
// temporary file first and are renamed, so a crash never leaves half a world.
// A world file that cannot be read is never silently replaced: it is kept
// aside under another name and the simulator says so.
import { readFileSync, renameSync } from 'node:fs';
import { writeFileAtomic } from '../engine/fs/atomic-write.js';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { Persistent } from './contracts.js';

export const WORLD_FILE = 'world.json';
const FORMAT_VERSION = 1;

export interface SavedWorld {
  version: number;
  /** Simulated epoch ms when saved: time resumes from here. */
  savedAt: number;
  parts: Record<string, unknown>;
}

export class WorldPersistence {
  private timer: NodeJS.Timeout | undefined;
  /** A save blocks the event loop for as long as it takes; big worlds are saved less often. */
  private lastSaveMs = 0;

  constructor(
    private readonly dir: string,
    private readonly parts: Record<string, Persistent>,
    private readonly now: () => number,
    private readonly debounceMs = 500,
  ) {}

  get path(): string {
    return join(this.dir, WORLD_FILE);
  }

  /**
   * The saved world; null when there is none. A file that cannot be used
   * (damaged, or from another format) is renamed to world.json.damaged-<time>
   * and `notice` says so: the simulator then starts with an empty world.
   */
  static read(dir: string, now = new Date()): { saved: SavedWorld | null; notice?: string } {
    const path = join(dir, WORLD_FILE);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { saved: null };
      throw error;
    }
    const problem = problemOf(text);
    if (!problem.saved) {
      const aside = `${path}.damaged-${now.toISOString().replace(/[:.]/g, '-')}`;
      renameSync(path, aside);
      return { saved: null, notice: `The simulator's world file ${path} could not be read (${problem.reason}); it was kept as ${aside}, and the simulator starts with an empty world.` };
    }
    return { saved: problem.saved };
  }

  restore(saved: SavedWorld): void {
    for (const [name, part] of Object.entries(this.parts)) {
      if (saved.parts[name] !== undefined) part.restore(saved.parts[name]);
    }
  }

  /** Call after any change; the save happens once things settle (at most ~5% of the time spent saving). */
  scheduleSave(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.saveNow();
    }, Math.max(this.debounceMs, this.lastSaveMs * 20));
    this.timer.unref();
  }

  saveNow(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const started = Date.now();
    const world: SavedWorld = { version: FORMAT_VERSION, savedAt: this.now(), parts: {} };
    for (const [name, part] of Object.entries(this.parts)) world.parts[name] = part.snapshot();
    writeFileAtomic(this.path, JSON.stringify(world));
    this.lastSaveMs = Date.now() - started;
  }

  /** Saves now if a change is waiting for its debounced save. */
  flushPending(): void {
    if (this.timer) this.saveNow();
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

function problemOf(text: string): { saved: SavedWorld; reason?: undefined } | { saved?: undefined; reason: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { reason: text.trim() === '' ? 'it is empty' : `it is not complete JSON: ${(error as Error).message}` };
  }
  const saved = parsed as Partial<SavedWorld> | null;
  if (!saved || typeof saved !== 'object' || typeof saved.parts !== 'object' || saved.parts === null) return { reason: 'it holds no world' };
  if (saved.version !== FORMAT_VERSION) return { reason: `it is format ${String(saved.version)}, and this simulator reads format ${FORMAT_VERSION}` };
  return { saved: saved as SavedWorld };
}

/**
 * Holds a write's answer until the world is saved, as a real cloud answers a
 * write only once it is durable. Without it, a simulator killed (it may run
 * inside the console) forgets writes it had confirmed, such as a terminated
 * instance a rollout journaled: on restart the instance runs again, which
 * AWS and Kubernetes never do. Node writes the status line through
 * writeHead (also for a bare end()), so the save comes first.
 */
export function answerAfterSave(res: ServerResponse, save: () => void): void {
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
  res.writeHead = ((...args: unknown[]) => {
    try {
      save();
    } catch {
      // Not durable, so not answered: the client sees the connection fail, as when a server dies mid-request (the write may or may not have happened).
      res.destroy();
      return res;
    }
    return writeHead(...args);
  }) as ServerResponse['writeHead'];
}
