// `kopsdeck sim`: serves the simulated AWS and Kubernetes on 127.0.0.1 until
// interrupted, printing what a client needs. Other kopsdeck processes using the
// same directory (the console, `get`, `validate`) connect to it.
import { defaultSimulatorDir } from '../engine/paths.js';
import { findRunningSimulator, startRecordedSimulator } from '../startup/simulator-connection.js';
import { CliError } from './cli-error.js';
import type { CommandContext } from './command-context.js';

export interface SimFlags {
  port?: string;
  speed?: string;
  seed?: string;
  dir?: string;
  nodes?: string;
  podsPerNode?: string;
}

export async function serveSimulator(ctx: CommandContext, flags: SimFlags, untilStopped: () => Promise<void>): Promise<void> {
  const dir = flags.dir ?? (ctx.io.env.KOPSDECK_SIM_DIR || defaultSimulatorDir(ctx.io.env));
  const running = await findRunningSimulator(dir);
  if (running) {
    throw new CliError(`A simulator already serves ${dir} at ${running.url}; stop it first or choose another --dir.`);
  }
  const simulator = await startRecordedSimulator({
    dir,
    port: number('--port', flags.port, 0, 65535),
    speed: number('--speed', flags.speed, 0.001, 10_000),
    seed: number('--seed', flags.seed, 0, Number.MAX_SAFE_INTEGER),
    nodes: number('--nodes', flags.nodes, 1, 100_000),
    podsPerNode: number('--pods-per-node', flags.podsPerNode, 0, 1_000),
  });
  ctx.print(`AWS_ENDPOINT_URL=${simulator.url}`);
  ctx.print(`KUBECONFIG=${simulator.kubeconfigPath}`);
  try {
    await untilStopped();
  } finally {
    await simulator.release();
  }
}

function number(flag: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < min || parsed > max) {
    throw new CliError(`${flag} must be a number from ${min} to ${max}, not "${value}".`);
  }
  return parsed;
}

/** Resolves on SIGINT or SIGTERM. */
export function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
