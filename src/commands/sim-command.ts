// `kopsdeck sim`: serves the simulated AWS and Kubernetes on 127.0.0.1 until
// interrupted, printing what a client needs. Other kopsdeck processes using the
// same directory (the console, `get`, `validate`) connect to it.
import { defaultSimulatorDir } from '../engine/paths.js';
import { clusterNameProblem } from '../engine/spec/names.js';
import { DEFAULT_REGION } from '../sim/simulator.js';
import { KOPS_LAYOUTS, type KopsLayoutKind } from '../sim/seed/kops-layout.js';
import { DEFAULT_STATE_STORE, kopsClusterSeeded, seedKopsCluster } from '../sim/seed/seed-kops.js';
import { findRunningSimulator, startRecordedSimulator } from '../startup/simulator-connection.js';
import { join } from 'node:path';
import { simulatorCredentials } from '../startup/cloud-session.js';
import { TOKEN_FILE } from '../sim/access-token.js';
import { CliError } from './cli-error.js';
import type { CommandContext } from './command-context.js';

export interface SimFlags {
  port?: string;
  speed?: string;
  seed?: string;
  dir?: string;
  nodes?: string;
  podsPerNode?: string;
  /** Seed a cluster laid out as kops lays one out (see src/sim/seed). */
  kopsCluster?: string;
  kopsLayout?: string;
  kubernetesVersion?: string;
  kopsState?: string;
}

export async function serveSimulator(ctx: CommandContext, flags: SimFlags, untilStopped: () => Promise<void>): Promise<void> {
  const dir = flags.dir ?? (ctx.io.env.KOPSDECK_SIM_DIR || defaultSimulatorDir(ctx.io.env));
  const layout = kopsLayoutOf(flags);
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
  }).catch((error: Error) => {
    if (error.name === 'SimulatorBusyError') throw new CliError(`${capitalise(error.message)}; stop it first or choose another --dir.`);
    throw error;
  });
  for (const notice of simulator.notices ?? []) ctx.warn(notice);
  ctx.print(`AWS_ENDPOINT_URL=${simulator.url}`);
  ctx.print(`KUBECONFIG=${simulator.kubeconfigPath}`);
  // The token itself is never printed: clients read it from this 0600 file (the AWS access key id).
  ctx.print(`SIM_TOKEN_FILE=${join(dir, TOKEN_FILE)}`);
  try {
    if (flags.kopsCluster) await seedKops(ctx, simulator, flags.kopsCluster, layout, flags);
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

function kopsLayoutOf(flags: SimFlags): KopsLayoutKind {
  const layout = flags.kopsLayout ?? 'minimal';
  if (!(KOPS_LAYOUTS as readonly string[]).includes(layout)) throw new CliError(`--kops-layout must be one of ${KOPS_LAYOUTS.join(', ')}, not "${layout}".`);
  if (!flags.kopsCluster && (flags.kopsLayout || flags.kubernetesVersion || flags.kopsState)) {
    throw new CliError('--kops-layout, --kubernetes-version and --kops-state go with --kops-cluster NAME.');
  }
  const problem = flags.kopsCluster === undefined ? null : clusterNameProblem(flags.kopsCluster);
  if (problem) throw new CliError(`--kops-cluster: ${problem}.`);
  return layout as KopsLayoutKind;
}

/** Lays out a kops-made cluster in the simulator, once (a saved world keeps it). */
async function seedKops(ctx: CommandContext, simulator: { url: string; token: string }, cluster: string, layout: KopsLayoutKind, flags: SimFlags): Promise<void> {
  const stateStore = flags.kopsState ?? DEFAULT_STATE_STORE;
  const access = { endpoint: simulator.url, region: DEFAULT_REGION, credentials: simulatorCredentials(simulator.token), cluster, stateStore };
  if (await kopsClusterSeeded(access)) {
    ctx.print(`kops cluster ${cluster} is already in ${stateStore} (a saved world); it was not seeded again.`);
  } else {
    const seeded = await seedKopsCluster({ ...access, layout, kubernetesVersion: flags.kubernetesVersion });
    const lb = seeded.loadBalancer ? `, API load balancer ${seeded.loadBalancer.name}` : '';
    ctx.print(`Seeded kops cluster ${cluster}: layout ${layout}, Kubernetes ${seeded.layout.kubernetesVersion}, ${seeded.autoScalingGroups.length} auto scaling groups${lb}.`);
  }
  ctx.print(`KOPS_STATE_STORE=${stateStore}`);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
