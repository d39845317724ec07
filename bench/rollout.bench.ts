// Rolling 100 worker nodes with maxSurge 10 on the simulator, through the real
// SDK and Kubernetes clients. Prints:
//   - simulated time taken against the floor: waves x (boot + drain + validation),
//     boot from the simulator's delays, drain measured, validation the least
//     time N consecutive passes take; and against the floor plus kops' fixed
//     waits (post-drain delay, interval between waves);
//   - kopsdeck's own overhead per step: wall ms of the steps that are only API
//     calls (confirm, detach, cordon, terminate), journal writes (count, wall ms
//     each), AWS calls per wave, and per wave the phases (surge wait, drains,
//     join, validation, interval) in simulated seconds, each against its floor
//     (the wave's slowest replacement boot and slowest drain, kops' validation),
//     and every call into the world (cloud, Kubernetes, validator) counted and timed.
// ROLLOUT_BENCH_FIXED_WAITS=none runs with kops' fixed waits (post-drain delay,
// interval between waves) at 0, as --post-drain-delay 0s --node-interval 0s
// would, so the run is comparable with the floor itself.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { scaledClock } from '../src/engine/clock.js';
import { createAwsClients } from '../src/engine/cloud/aws/clients.js';
import { createKubeClient } from '../src/engine/kube/client.js';
import type { KubeList, KubeNode } from '../src/engine/kube/types.js';
import { applyCluster } from '../src/engine/reconcile/cluster.js';
import { connectRollout } from '../src/engine/rollout/connect.js';
import { startRollout } from '../src/engine/rollout/run-rollout.js';
import type { RolloutDeps } from '../src/engine/rollout/deps.js';
import { DEFAULT_TIMINGS, type RolloutEvent } from '../src/engine/rollout/types.js';
import { upgradeCluster } from '../src/engine/rollout/upgrade.js';
import { buildClusterSpec } from '../src/engine/spec/defaults.js';
import { openStateStore } from '../src/engine/store/open-store.js';
import type { ObjectStore } from '../src/engine/store/object-store.js';
import { BOOT_DELAY_MS } from '../src/sim/aws/world/instance-lifecycle.js';
import { BOOT_TO_REGISTER_MS, REGISTER_TO_READY_MS } from '../src/sim/kube/node-lifecycle.js';
import { startSimulator } from '../src/sim/simulator.js';
import { simAdminFetch } from '../src/sim/admin-client.js';
import { simulatorCredentials } from '../src/startup/cloud-session.js';

const SPEED = Number(process.env.ROLLOUT_BENCH_SPEED) || 50;
const NO_FIXED_WAITS = process.env.ROLLOUT_BENCH_FIXED_WAITS === 'none';
const TIMINGS = NO_FIXED_WAITS ? { postDrainDelayMs: 0, nodeIntervalMs: 0 } : {};
const WORKERS = 100;
const SURGE = 10;
const NAME = 'bench-roll.k8s.local';
const IMAGE = '099720109477/ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20250305';

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kopsdeck-rollout-bench-'));
  process.env.KOPSDECK_HOME = dir;
  const sim = await startSimulator({ speed: SPEED, seed: 3, dir: join(dir, 'sim'), port: 0 });
  const clients = createAwsClients({ endpoint: sim.url, region: sim.env.AWS_REGION, credentials: simulatorCredentials(sim.token) });
  const clock = scaledClock(SPEED);
  const store = openStateStore(pathToFileURL(join(dir, 'state')).href);
  try {
    const bundle = buildClusterSpec({ name: NAME, zones: ['us-east-1a'], topology: 'public', controlPlaneCount: 1, nodeCount: WORKERS, image: IMAGE, kubernetesVersion: '1.31.9' });
    for (const ig of bundle.instanceGroups) if (ig.spec.role === 'Node') ig.spec.rollingUpdate = { maxSurge: SURGE };
    await store.createCluster(bundle.cluster, bundle.instanceGroups);
    const update = async () => {
      const cluster = (await store.getCluster(NAME))!.value;
      const groups = (await store.listInstanceGroups(NAME)).map((g) => g.value);
      const result = await applyCluster({ cluster, instanceGroups: groups, clients, clock });
      if (!result.ok) throw new Error(result.failed.map((f) => f.error.message).join('; '));
    };
    await update();
    await waitForNodes(sim.kubeconfigPath, WORKERS + 1);
    await upgradeCluster(store, NAME, '1.32.5');
    await update();

    const connected = await connectRollout({ cluster: NAME, store, clients, clock, kubeconfigPath: sim.kubeconfigPath });
    const events: RolloutEvent[] = [];
    const stamps: number[] = [];
    const wallStarted = Date.now();
    const journalWrites = timeJournalWrites(store.objects);
    const seams = timeSeams(connected.deps);
    await simAdminFetch(sim, '/sim/stats/reset', { method: 'POST' });
    const run = startRollout(connected.deps, { cluster: NAME, roles: ['Node'], timings: TIMINGS });
    run.subscribe((e) => {
      events.push(e);
      stamps.push(clock.now());
    });
    const result = await run.done;
    const wallMs = Date.now() - wallStarted;
    await connected.close();
    if (result.status !== 'finished') throw new Error(`rollout ${result.status}: ${result.reason}`);
    const stats = (await (await simAdminFetch(sim, '/sim/stats')).json()) as { awsCalls: Record<string, number>; awsCallsTotal: number };
    const boots = await replacementBoots(clients, sim.kubeconfigPath);
    report(events, result.durationMs, wallMs);
    phases(events, stamps, boots);
    const waves = events.filter((e) => e.type === 'wave-started').length;
    console.log(`  journal writes: ${journalWrites.count} (${(journalWrites.count / waves).toFixed(1)} per wave), ${(journalWrites.ms / journalWrites.count).toFixed(1)} wall ms each = ${((journalWrites.ms * SPEED) / waves / 1000).toFixed(1)}s simulated per wave if none overlapped`);
    seamTable(seams, waves);
    const top = Object.entries(stats.awsCalls).sort((a, b) => b[1] - a[1]).slice(0, 6).map(([k, v]) => `${k} ${v}`).join(', ');
    console.log(`  AWS calls: ${stats.awsCallsTotal} (${(stats.awsCallsTotal / waves).toFixed(1)} per wave): ${top}`);
    console.log(`  machine load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(' ')} on ${cpus().length} cores`);
  } finally {
    clients.destroy();
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function report(events: RolloutEvent[], simulatedMs: number, wallMs: number): void {
  const waves = events.filter((e) => e.type === 'wave-started').length;
  const steps = events.filter((e): e is Extract<RolloutEvent, { type: 'step-finished' }> => e.type === 'step-finished');
  const mean = (step: string) => {
    const d = steps.filter((s) => s.step === step).map((s) => s.durationMs);
    return d.length ? d.reduce((a, b) => a + b, 0) / d.length : 0;
  };
  const boot = BOOT_DELAY_MS + BOOT_TO_REGISTER_MS + REGISTER_TO_READY_MS;
  const drain = mean('drain');
  const validation = (DEFAULT_TIMINGS.validateCount - 1) * DEFAULT_TIMINGS.validateIntervalMs;
  const floor = waves * (boot + drain + validation);
  const postDrain = NO_FIXED_WAITS ? 0 : DEFAULT_TIMINGS.postDrainDelayMs;
  const interval = NO_FIXED_WAITS ? 0 : DEFAULT_TIMINGS.nodeIntervalMs;
  const fixed = waves * postDrain + (waves - 1) * interval;
  const s = (ms: number) => `${(ms / 1000).toFixed(1)}s`;
  console.log(`rolling ${WORKERS} workers, maxSurge ${SURGE}: ${waves} waves, ${steps.length} steps, simulator speed ${SPEED}x, ${NO_FIXED_WAITS ? 'fixed waits at 0' : "kops' fixed waits"}`);
  console.log(`  simulated time taken        ${s(simulatedMs)}  (wall ${s(wallMs)})`);
  console.log(`  floor waves x (boot ${s(boot)} + drain ${s(drain)} + validation ${s(validation)}) = ${s(floor)}; taken is ${pct(simulatedMs, floor)} of it`);
  // A wave drains its instances together: its drain takes as long as its slowest one.
  const starts = events.map((e, i) => (e.type === 'wave-started' ? i : -1)).filter((i) => i >= 0);
  const slowest = starts.map((start, n) =>
    Math.max(0, ...events.slice(start, starts[n + 1] ?? events.length).flatMap((e) => (e.type === 'step-finished' && e.step === 'drain' ? [e.durationMs] : []))),
  );
  const waveDrain = slowest.reduce((a, b) => a + b, 0) / Math.max(1, slowest.length);
  const floorSlowest = waves * (boot + waveDrain + validation);
  console.log(`  floor with each wave's slowest drain (${s(waveDrain)} on average) = ${s(floorSlowest)}; taken is ${pct(simulatedMs, floorSlowest)} of it`);
  console.log(`  floor + fixed waits (post-drain ${s(postDrain)}, interval ${s(interval)}) = ${s(floor + fixed)}; taken is ${pct(simulatedMs, floor + fixed)} of it`);
  console.log('  mean simulated duration per step:');
  for (const step of ['confirm', 'detach', 'cordon', 'drain', 'post-drain', 'terminate', 'join', 'validate']) {
    console.log(`    ${step.padEnd(11)} ${s(mean(step)).padStart(7)}   (${(mean(step) / SPEED).toFixed(1)} wall ms)`);
  }
  const apiSteps = ['confirm', 'detach', 'cordon', 'terminate'].map((step) => mean(step) / SPEED);
  console.log(`  kopsdeck overhead per API-only step: ${(apiSteps.reduce((a, b) => a + b, 0) / apiSteps.length).toFixed(1)} wall ms on average`);
  console.log(`  time per wave beyond floor and fixed waits: ${s(Math.max(0, simulatedMs - floor - fixed) / waves)} simulated`);
}

/** Mean simulated seconds per wave spent in each phase, from the events' arrival times. */
function phases(events: RolloutEvent[], stamps: number[], boots: number[]): void {
  const sums = new Map<string, number>();
  const waves = events.map((e, i) => (e.type === 'wave-started' ? i : -1)).filter((i) => i >= 0);
  const firstWave = waves[0];
  const add = (name: string, ms: number) => sums.set(name, (sums.get(name) ?? 0) + ms);
  for (const [n, start] of waves.entries()) {
    const end = waves[n + 1] ?? events.length - 1;
    const at = (pred: (e: RolloutEvent) => boolean, last = false) => {
      const idx = last ? findLastIndex(events, pred, start, end) : events.findIndex((e, i) => i >= start && i <= end && pred(e));
      return idx >= 0 ? stamps[idx] : NaN;
    };
    const step = (s: string, kind: 'step-started' | 'step-finished') => (e: RolloutEvent) => e.type === kind && e.step === s;
    const t0 = stamps[start];
    const detached = at(step('detach', 'step-finished'), true);
    const cordon = at(step('cordon', 'step-started'));
    const terminated = at(step('terminate', 'step-finished'), true);
    const joined = at(step('join', 'step-finished'), true);
    const validated = at(step('validate', 'step-finished'), true);
    add('confirm + detach', detached - t0);
    add('surge wait (replacements boot, join, Ready)', cordon - detached);
    add('cordon, drain, post-drain, terminate', terminated - cordon);
    add('join (group whole again)', joined - terminated);
    add('validate', validated - joined);
    add('interval + next wave start', stamps[end] - validated);
  }
  const n = waves.length;
  const slowestDrain = waves.map((start, i) => Math.max(0, ...events.slice(start, waves[i + 1] ?? events.length).flatMap((e) => (e.type === 'step-finished' && e.step === 'drain' ? [e.durationMs] : []))));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  // What no rollout could do faster, per phase: the wave's slowest replacement
  // (launch to Ready, in the simulator) and slowest drain, kops' validation
  // (N passes, interval apart); the API-only phases need no simulated time.
  const inherent = new Map<string, number>([
    ['surge wait (replacements boot, join, Ready)', mean(boots)],
    ['cordon, drain, post-drain, terminate', mean(slowestDrain)],
    ['validate', (DEFAULT_TIMINGS.validateCount - 1) * DEFAULT_TIMINGS.validateIntervalMs],
  ]);
  console.log(`  per wave, mean simulated seconds (before the first wave: ${((stamps[firstWave] - stamps[0]) / 1000).toFixed(1)}s, the group's opening validation):`);
  console.log(`    ${'phase'.padEnd(44)} ${'taken'.padStart(6)}  ${'floor'.padStart(6)}  ${'beyond'.padStart(6)}`);
  let beyond = 0;
  let floor = 0;
  for (const [name, ms] of sums) {
    const taken = ms / n / 1000;
    const least = (inherent.get(name) ?? 0) / 1000;
    beyond += taken - least;
    floor += least;
    console.log(`    ${name.padEnd(44)} ${taken.toFixed(1).padStart(6)}  ${least.toFixed(1).padStart(6)}  ${(taken - least).toFixed(1).padStart(6)}`);
  }
  console.log(`    ${'wave total'.padEnd(44)} ${(floor + beyond).toFixed(1).padStart(6)}  ${floor.toFixed(1).padStart(6)}  ${beyond.toFixed(1).padStart(6)}`);
  console.log(`  floor from the measured slowest boot and drain of each wave: ${(floor * n).toFixed(1)}s; taken is ${(((floor + beyond) / floor) * 100).toFixed(1)}% of it`);
  console.log(`  "beyond" is kopsdeck's overhead plus what the simulator adds (launch delay after a detach, watch latency); run at two speeds: what grows with the speed is wall time`);
}

/**
 * Per wave (replacements in launch order, SURGE at a time): the slowest
 * replacement's launch-to-Ready time in simulated ms, from the simulator's own
 * stamps (EC2 LaunchTime; the node's Ready transition, to the second).
 */
async function replacementBoots(clients: ReturnType<typeof createAwsClients>, kubeconfigPath: string): Promise<number[]> {
  const kube = await createKubeClient({ cluster: NAME, kubeconfigPath });
  try {
    const nodes = (await kube.request<KubeList<KubeNode>>('GET', '/api/v1/nodes')).items;
    const readyAt = new Map(
      nodes.flatMap((node) => {
        const id = node.spec?.providerID?.split('/').pop();
        const ready = node.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'True');
        return id && ready?.lastTransitionTime ? [[id, Date.parse(ready.lastTransitionTime)] as const] : [];
      }),
    );
    const out = await clients.ec2.send(new DescribeInstancesCommand({ InstanceIds: [...readyAt.keys()] }));
    const launches = (out.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => ({ id: i.InstanceId!, at: i.LaunchTime!.getTime() })).sort((a, b) => a.at - b.at)
      // The control plane was not rolled: the workers' replacements are the last launched.
      .slice(-WORKERS);
    const boots: number[] = [];
    for (let i = 0; i < launches.length; i += SURGE) boots.push(Math.max(...launches.slice(i, i + SURGE).map((l) => readyAt.get(l.id)! - l.at)));
    return boots;
  } finally {
    kube.close();
  }
}

function findLastIndex<T>(items: T[], pred: (t: T) => boolean, from: number, to: number): number {
  for (let i = to; i >= from; i--) if (pred(items[i])) return i;
  return -1;
}

type SeamTimes = Map<string, { count: number; ms: number }>;

/** Wraps every call the rollout makes into the world (cloud, Kubernetes, validator) to count it and time it in wall ms. */
function timeSeams(deps: RolloutDeps): SeamTimes {
  const times: SeamTimes = new Map();
  const timed = <A extends unknown[], R>(name: string, fn: (...args: A) => Promise<R>) => async (...args: A): Promise<R> => {
    const started = performance.now();
    try {
      return await fn(...args);
    } finally {
      const t = times.get(name) ?? { count: 0, ms: 0 };
      t.count += 1;
      t.ms += performance.now() - started;
      times.set(name, t);
    }
  };
  const wrapAll = (prefix: string, target: object, skip: string[] = []) => {
    const record = target as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const value = record[key];
      if (typeof value === 'function' && !skip.includes(key)) record[key] = timed(`${prefix}.${key}`, (value as (...a: unknown[]) => Promise<unknown>).bind(target));
    }
  };
  wrapAll('cloud', deps.cloud);
  // drain is mostly waiting for pods (grace periods, budgets): timed for completeness, not overhead.
  if (deps.kube) wrapAll('kube', deps.kube, ['onNodesChanged']);
  if (deps.validate) deps.validate = timed('validate (one attempt)', deps.validate);
  return times;
}

function seamTable(times: SeamTimes, waves: number): void {
  console.log(`  calls into the world (wall ms; x${SPEED} = simulated ms when on the critical path):`);
  for (const [name, t] of [...times.entries()].sort((a, b) => b[1].ms - a[1].ms)) {
    console.log(`    ${name.padEnd(26)} ${String(t.count).padStart(5)} calls  ${(t.ms / t.count).toFixed(1).padStart(7)} ms each  ${(t.count / waves).toFixed(1).padStart(5)} per wave`);
  }
}

/** Counts and times (wall ms) the rollout journal's writes. */
function timeJournalWrites(objects: ObjectStore): { count: number; ms: number } {
  const totals = { count: 0, ms: 0 };
  const put = objects.put.bind(objects);
  objects.put = async (key, body, condition) => {
    if (!key.endsWith('/rollout/journal')) return put(key, body, condition);
    const started = performance.now();
    try {
      return await put(key, body, condition);
    } finally {
      totals.count += 1;
      totals.ms += performance.now() - started;
    }
  };
  return totals;
}

function pct(value: number, of: number): string {
  return `${((value / of) * 100).toFixed(1)}%`;
}

async function waitForNodes(kubeconfigPath: string, count: number): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const kube = await createKubeClient({ cluster: NAME, kubeconfigPath }).catch(() => undefined);
    const nodes = kube ? (await kube.request<KubeList<KubeNode>>('GET', '/api/v1/nodes').catch(() => ({ items: [] as KubeNode[] }))).items : [];
    kube?.close();
    if (nodes.filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length === count) return;
    if (Date.now() > deadline) throw new Error(`the ${count} nodes were not Ready within 120 s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
