// One simulated world per directory, shared by every kopsdeck process: the
// first process starts the simulator and records its address in
// endpoint.json; later ones (a `get` while the console is open) connect to it.
// Two processes that start at the same moment do not make two simulators: the
// simulator's world lock lets one start, and the other connects to it.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { writeFileAtomic } from '../engine/fs/atomic-write.js';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const DEFAULT_SIM_SPEED = 10;

export interface SimulatorConnection {
  url: string;
  speed: number;
  kubeconfigPath: string;
  /** The world's access token (src/sim/access-token.ts): every request presents it. */
  token: string;
  /**
   * The simulator's own time (its clock runs `speed` times faster than the wall clock
   * and resumes a saved world where it stopped), read at a wall-clock instant: the
   * clock creation timestamps and ages are told by.
   */
  time?: SimulatorTime;
  /** What the user should know about the simulator's start, each a sentence (only for the process that started it). */
  notices?: string[];
  /** Stops the simulator if this process started it (saving its world); otherwise does nothing. */
  release(): Promise<void>;
}

export interface SimulatorTime {
  /** The simulator's epoch ms... */
  simMs: number;
  /** ...at this wall-clock epoch ms. */
  wallMs: number;
}

interface EndpointRecord {
  url: string;
  speed: number;
  kubeconfigPath: string;
  token: string;
  pid: number;
}

/** How long to wait for a simulator that another process is starting to answer. */
const STARTING_WAIT_MS = 10_000;

export async function connectOrStartSimulator(options: { dir: string; speed?: number; port?: number }): Promise<SimulatorConnection> {
  const running = await findRunningSimulator(options.dir);
  if (running) return { ...running, release: async () => {} };
  try {
    return await startRecordedSimulator(options);
  } catch (error) {
    if ((error as Error).name !== 'SimulatorBusyError') throw error;
    // Another process holds the world: it is starting, or it runs without having answered yet.
    const deadline = Date.now() + STARTING_WAIT_MS;
    while (Date.now() < deadline) {
      const started = await findRunningSimulator(options.dir);
      if (started) return { ...started, release: async () => {} };
      await sleep(100);
    }
    throw new Error(`${(error as Error).message}, but it did not answer within ${STARTING_WAIT_MS / 1000} s; stop that process, or use another KOPSDECK_SIM_DIR`);
  }
}

/** The simulator another kopsdeck process serves from `dir`, if it still answers. */
export async function findRunningSimulator(dir: string): Promise<Omit<SimulatorConnection, 'release'> | null> {
  const running = readRecord(join(dir, 'endpoint.json'));
  const health = running ? await readHealth(running.url, running.token) : null;
  if (!running || !health) return null;
  return { url: running.url, speed: health.speed ?? running.speed, kubeconfigPath: running.kubeconfigPath, token: running.token, time: health.time };
}

/** Starts the simulator in this process and records its address for other processes. */
export async function startRecordedSimulator(options: {
  dir: string;
  speed?: number;
  port?: number;
  seed?: number;
  nodes?: number;
  podsPerNode?: number;
}): Promise<SimulatorConnection> {
  const recordPath = join(options.dir, 'endpoint.json');
  mkdirSync(options.dir, { recursive: true, mode: 0o700 });
  // Imported here so that a session on real AWS never loads the simulator.
  const { startSimulator } = await import('../sim/simulator.js');
  const speed = options.speed ?? DEFAULT_SIM_SPEED;
  const simulator = await startSimulator({ ...options, speed, port: options.port ?? 0 });
  const record: EndpointRecord = { url: simulator.url, speed, kubeconfigPath: simulator.kubeconfigPath, token: simulator.token, pid: process.pid };
  writeFileAtomic(recordPath, JSON.stringify(record, null, 2) + '\n');
  let released = false;
  // Its time is read as any client reads it (over HTTP): a restored world resumes at its saved time, not now.
  const time = (await readHealth(simulator.url, simulator.token))?.time;
  return {
    url: simulator.url,
    speed,
    kubeconfigPath: simulator.kubeconfigPath,
    token: simulator.token,
    time,
    notices: simulator.notices,
    release: async () => {
      if (released) return;
      released = true;
      if (readRecord(recordPath)?.pid === process.pid) rmSync(recordPath, { force: true });
      await simulator.stop();
    },
  };
}

function readRecord(path: string): EndpointRecord | null {
  try {
    const record = JSON.parse(readFileSync(path, 'utf8')) as EndpointRecord;
    return typeof record.url === 'string' && typeof record.kubeconfigPath === 'string' && typeof record.token === 'string' ? record : null;
  } catch {
    return null;
  }
}

/** GET /sim/health: null when the simulator does not answer; else its speed and its time, read halfway through the request. */
async function readHealth(url: string, token: string): Promise<{ speed?: number; time?: SimulatorTime } | null> {
  try {
    const sent = Date.now();
    const response = await fetch(`${url}/sim/health`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(1000) });
    const received = Date.now();
    if (!response.ok) return null;
    const body = (await response.json().catch(() => ({}))) as { speed?: unknown; now?: unknown };
    const simMs = typeof body.now === 'string' ? Date.parse(body.now) : NaN;
    return {
      speed: typeof body.speed === 'number' && body.speed > 0 ? body.speed : undefined,
      time: Number.isFinite(simMs) ? { simMs, wallMs: (sent + received) / 2 } : undefined,
    };
  } catch {
    return null;
  }
}
