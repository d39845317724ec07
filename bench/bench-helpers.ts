// Shared by the benchmarks: the simulator in its own process, and the figures
// they print. (Not a benchmark itself: the runner only runs *.bench.ts.)
import { readFileSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface SimulatorProcess {
  url: string;
  /** The simulator's directory: KOPSDECK_SIM_DIR for a kopsdeck process that should use it. */
  dir: string;
  kubeconfigPath: string;
  /** The world's token, read from the file the simulator names (it never prints the token). */
  token: string;
  /** The file the token is in, for a process that should read it itself. */
  tokenFile: string;
  stop(): Promise<void>;
}

/**
 * `kopsdeck sim --nodes N` in its own process, so that neither the client being
 * measured nor its CPU figures share a process with the simulator.
 */
export async function startSimulatorProcess(dir: string, nodes: number, podsPerNode: number): Promise<SimulatorProcess> {
  const args = ['--import', 'tsx', 'src/cli.tsx', 'sim', '--nodes', String(nodes), '--pods-per-node', String(podsPerNode), '--speed', '1', '--seed', '1', '--dir', dir];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, KOPSDECK_HOME: dir } });
  const values: Record<string, string> = {};
  for await (const line of createInterface({ input: child.stdout! })) {
    const [key, ...rest] = line.split('=');
    values[key] = rest.join('=');
    if (values.AWS_ENDPOINT_URL && values.KUBECONFIG && values.SIM_TOKEN_FILE) break;
  }
  if (!values.AWS_ENDPOINT_URL || !values.KUBECONFIG || !values.SIM_TOKEN_FILE) throw new Error('the simulator exited before printing its endpoints');
  return {
    url: values.AWS_ENDPOINT_URL,
    dir,
    kubeconfigPath: values.KUBECONFIG,
    token: readFileSync(values.SIM_TOKEN_FILE, 'utf8').trim(),
    tokenFile: values.SIM_TOKEN_FILE,
    stop: () => new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}

/** The p-th percentile (nearest rank below); NaN for no values. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export function median(values: number[]): number {
  return percentile(values, 50);
}

/**
 * Median ms of `node -e 0` as a whole process: how fast this host starts Node
 * at the moment, printed next to start-up figures so runs on hosts of
 * different speeds can be compared.
 */
export function nodeStartMs(runs = 7): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    spawnSync(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    times.push(performance.now() - started);
  }
  return median(times);
}
