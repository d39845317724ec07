// Rolling 100 worker nodes with maxSurge 10 on the simulator, through the real
// SDK and Kubernetes clients. Prints:
//   - simulated time taken against the floor: waves x (boot + drain + validation),
//     boot from the simulator's delays, drain measured, validation the least
//     time N consecutive passes take; and against the floor plus kops' fixed
//     waits (post-drain delay, interval between waves);
//   - kopsdeck's own overhead per step: wall ms of the steps that are only API
//     calls (confirm, detach, cordon, terminate), and the time per wave that is
//     neither a wait for the world nor a fixed wait.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { scaledClock } from '../src/engine/clock.js';
import { createAwsClients } from '../src/engine/cloud/aws/clients.js';
import { createKubeClient } from '../src/engine/kube/client.js';
import type { KubeList, KubeNode } from '../src/engine/kube/types.js';
import { applyCluster } from '../src/engine/reconcile/cluster.js';
import { connectRollout } from '../src/engine/rollout/connect.js';
import { startRollout } from '../src/engine/rollout/run-rollout.js';
import { DEFAULT_TIMINGS, type RolloutEvent } from '../src/engine/rollout/types.js';
import { upgradeCluster } from '../src/engine/rollout/upgrade.js';
import { buildClusterSpec } from '../src/engine/spec/defaults.js';
import { openStateStore } from '../src/engine/store/open-store.js';
import { BOOT_DELAY_MS } from '../src/sim/aws/world/instance-lifecycle.js';
import { BOOT_TO_REGISTER_MS, REGISTER_TO_READY_MS } from '../src/sim/kube/node-lifecycle.js';
import { startSimulator } from '../src/sim/simulator.js';

const SPEED = 50;
const WORKERS = 100;
const SURGE = 10;
const NAME = 'bench-roll.k8s.local';
const IMAGE = '099720109477/ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20250305';

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kopsdeck-rollout-bench-'));
  process.env.KOPSDECK_HOME = dir;
  const sim = await startSimulator({ speed: SPEED, seed: 3, dir: join(dir, 'sim'), port: 0 });
  const clients = createAwsClients({ endpoint: sim.url, region: sim.env.AWS_REGION, credentials: { accessKeyId: 'SIMULATED', secretAccessKey: 'SIMULATED' } });
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
    const wallStarted = Date.now();
    const run = startRollout(connected.deps, { cluster: NAME, roles: ['Node'] });
    run.subscribe((e) => events.push(e));
    const result = await run.done;
    const wallMs = Date.now() - wallStarted;
    await connected.close();
    if (result.status !== 'finished') throw new Error(`rollout ${result.status}: ${result.reason}`);
    report(events, result.durationMs, wallMs);
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
  const fixed = waves * DEFAULT_TIMINGS.postDrainDelayMs + (waves - 1) * DEFAULT_TIMINGS.nodeIntervalMs;
  const s = (ms: number) => `${(ms / 1000).toFixed(1)}s`;
  console.log(`rolling ${WORKERS} workers, maxSurge ${SURGE}: ${waves} waves, ${steps.length} steps, simulator speed ${SPEED}x`);
  console.log(`  simulated time taken        ${s(simulatedMs)}  (wall ${s(wallMs)})`);
  console.log(`  floor waves x (boot ${s(boot)} + drain ${s(drain)} + validation ${s(validation)}) = ${s(floor)}; taken is ${pct(simulatedMs, floor)} of it`);
  console.log(`  floor + fixed waits (post-drain ${s(DEFAULT_TIMINGS.postDrainDelayMs)}, interval ${s(DEFAULT_TIMINGS.nodeIntervalMs)}) = ${s(floor + fixed)}; taken is ${pct(simulatedMs, floor + fixed)} of it`);
  console.log('  mean simulated duration per step:');
  for (const step of ['confirm', 'detach', 'cordon', 'drain', 'post-drain', 'terminate', 'join', 'validate']) {
    console.log(`    ${step.padEnd(11)} ${s(mean(step)).padStart(7)}   (${(mean(step) / SPEED).toFixed(1)} wall ms)`);
  }
  const apiSteps = ['confirm', 'detach', 'cordon', 'terminate'].map((step) => mean(step) / SPEED);
  console.log(`  kopsdeck overhead per API-only step: ${(apiSteps.reduce((a, b) => a + b, 0) / apiSteps.length).toFixed(1)} wall ms on average`);
  console.log(`  time per wave beyond floor and fixed waits: ${s(Math.max(0, simulatedMs - floor - fixed) / waves)} simulated`);
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
