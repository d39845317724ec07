// Reconcile benchmarks against the simulator, through the real SDK clients.
// 1. AWS calls to plan an existing cluster of 10 instance groups and 1,000
//    instances (from /sim/stats; target 25 or fewer).
// 2. Wall time to create a 3-zone HA cluster's infrastructure, in parallel,
//    against the sum of its tasks' durations and a one-by-one run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator } from '../src/sim/simulator.js';
import { createAwsClients } from '../src/engine/cloud/aws/clients.js';
import { AwsCloudProvider } from '../src/engine/cloud/aws/aws-provider.js';
import { buildClusterSpec } from '../src/engine/spec/defaults.js';
import type { ClusterBundle, InstanceGroup } from '../src/engine/spec/types.js';
import { scaledClock } from '../src/engine/clock.js';
import { applyCluster, planCluster } from '../src/engine/reconcile/cluster.js';
import { summarizePlan } from '../src/engine/reconcile/render-plan.js';

const IMAGE = '099720109477/ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20250305';
const ZONES = ['us-east-1a', 'us-east-1b', 'us-east-1c'];

async function withSimulator<T>(speed: number, run: (env: { url: string; clients: ReturnType<typeof createAwsClients> }) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'kopsdeck-bench-'));
  const sim = await startSimulator({ speed, seed: 1, dir, port: 0 });
  for (const key of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION']) process.env[key] = sim.env[key];
  const clients = createAwsClients({ endpoint: sim.env.AWS_ENDPOINT_URL, region: sim.env.AWS_REGION });
  try {
    return await run({ url: sim.url, clients });
  } finally {
    clients.destroy();
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** 3 control-plane groups and 7 node groups, 1,000 instances in all. */
function largeCluster(name: string): ClusterBundle {
  const bundle = buildClusterSpec({ name, zones: ZONES, topology: 'public', controlPlaneCount: 3, nodeCount: 3, image: IMAGE, kubernetesVersion: '1.31.4', dnsZone: 'example.com' });
  const template = bundle.instanceGroups.find((ig) => ig.spec.role === 'Node')!;
  const nodes: InstanceGroup[] = Array.from({ length: 7 }, (_, i) => {
    const size = Math.floor(997 / 7) + (i < 997 % 7 ? 1 : 0);
    const ig = structuredClone(template);
    ig.metadata.name = `nodes-${i + 1}`;
    ig.spec.subnets = [ZONES[i % 3]];
    ig.spec.minSize = size;
    ig.spec.maxSize = size;
    return ig;
  });
  return { cluster: bundle.cluster, instanceGroups: [...bundle.instanceGroups.filter((ig) => ig.spec.role !== 'Node'), ...nodes] };
}

async function stats(url: string): Promise<{ awsCallsTotal: number; awsCalls: Record<string, number> }> {
  return (await fetch(`${url}/sim/stats`)).json() as Promise<{ awsCallsTotal: number; awsCalls: Record<string, number> }>;
}

async function planCallsAtScale(): Promise<void> {
  await withSimulator(200, async ({ url, clients }) => {
    const clock = scaledClock(200);
    const { cluster, instanceGroups } = largeCluster('scale.example.com');
    const created = await applyCluster({ cluster, instanceGroups, clients, clock });
    if (!created.ok) throw new Error(`create failed: ${created.failed.map((f) => f.error.message).join('; ')}`);
    const provider = new AwsCloudProvider(clients);
    const deadline = Date.now() + 120_000;
    let count = 0;
    while (Date.now() < deadline) {
      count = (await provider.listInstanceGroups(cluster.metadata.name)).reduce((n, g) => n + g.instances.length, 0);
      if (count >= 1000) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    await fetch(`${url}/sim/stats/reset`, { method: 'POST' });
    const started = performance.now();
    const planned = await planCluster({ cluster, instanceGroups, clients, clock });
    const wall = performance.now() - started;
    const after = await stats(url);
    console.log(`plan of a cluster with ${instanceGroups.length} instance groups and ${count} instances:`);
    console.log(`  AWS calls: ${after.awsCallsTotal} (target <= 25) in ${wall.toFixed(0)} ms; plan: ${summarizePlan(planned.plan)}`);
    console.log(`  by action: ${Object.entries(after.awsCalls).map(([k, v]) => `${k}=${v}`).join(' ')}`);
  });
}

async function createTimings(concurrency: number): Promise<{ wall: number; sum: number; tasks: number }> {
  return withSimulator(50, async ({ clients }) => {
    const { cluster, instanceGroups } = buildClusterSpec({ name: 'ha.example.com', zones: ZONES, topology: 'public', controlPlaneCount: 3, nodeCount: 3, image: IMAGE, kubernetesVersion: '1.31.4', dnsZone: 'example.com' });
    const planned = await planCluster({ cluster, instanceGroups, clients, clock: scaledClock(50) });
    let sum = 0;
    let tasks = 0;
    const started = performance.now();
    const result = await applyCluster({
      cluster,
      instanceGroups,
      clients,
      planned,
      concurrency,
      onEvent: (e) => {
        if (e.type === 'task-done') {
          sum += e.durationMs;
          tasks += 1;
        }
      },
    });
    const wall = performance.now() - started;
    if (!result.ok) throw new Error(`create failed: ${result.failed.map((f) => f.error.message).join('; ')}`);
    return { wall, sum, tasks };
  });
}

await planCallsAtScale();
const parallel = await createTimings(8);
const serial = await createTimings(1);
console.log(`create a 3-zone HA cluster's infrastructure (${parallel.tasks} tasks):`);
console.log(`  parallel apply wall time: ${parallel.wall.toFixed(0)} ms; sum of its task durations: ${parallel.sum.toFixed(0)} ms`);
console.log(`  one-by-one apply wall time: ${serial.wall.toFixed(0)} ms (sum ${serial.sum.toFixed(0)} ms)`);
console.log(`  speed-up: ${(serial.wall / parallel.wall).toFixed(2)}x against one by one, ${(parallel.sum / parallel.wall).toFixed(2)}x against the summed durations`);
