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
  /** What the user should know about the simulator's start, each a sentence (only for the process that started it). */
  notices?: string[];
  /** Stops the simulator if this process started it (saving its world); otherwise does nothing. */
  release(): Promise<void>;
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
  if (!running || !(await answers(running.url, running.token))) return null;
  return { url: running.url, speed: running.speed, kubeconfigPath: running.kubeconfigPath, token: running.token };
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
  return {
    url: simulator.url,
    speed,
    kubeconfigPath: simulator.kubeconfigPath,
    token: simulator.token,
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

async function answers(url: string, token: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/sim/health`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(1000) });
    return response.ok;
  } catch {
    return false;
  }
}
