// A rehearsal: the source cluster's shape, read with GET requests only, is
// built again in a private world (a simulator that start-up code provides),
// and the planned rolling update runs there with the same engine and
// settings, every drain confirmed. Durations are on the rehearsal's clock,
// i.e. simulated time, which stands for real time.
import type { AwsClients } from '../cloud/aws/clients.js';
import { readInstanceGroups } from '../cloud/aws/instance-groups.js';
import type { Clock } from '../clock.js';
import { createKubeClient, type KubeClient } from '../kube/client.js';
import type { KubeList, KubeNode } from '../kube/types.js';
import { isNodeReady } from '../kube/node-readiness.js';
import { connectRollout, type ConnectedRollout } from '../rollout/connect.js';
import { planRollout, startRollout, type RolloutOptions } from '../rollout/run-rollout.js';
import type { RolloutPlan } from '../rollout/types.js';
import type { Cluster, InstanceGroup } from '../spec/types.js';
import type { ClusterStore } from '../store/cluster-store.js';
import { EventLog, PodSampler } from './observe.js';
import { joinTimes, readClusterShape } from './read-shape.js';
import { mapNodes, replicateWorkloads } from './replicate.js';
import { rehearsalNotes } from './notes.js';
import type { ClusterShape, JoinTimes, RehearsalReport } from './types.js';

export interface RehearsalWorld {
  clients: AwsClients;
  clock: Clock;
  store: ClusterStore;
  kubeconfigPath: string;
  speed: number;
  stop(): Promise<void>;
}

/**
 * `desired`: cloud group name -> desired capacity, as the source's groups have
 * it; `joinTimes`: how long the source's machines took to join, for the
 * private world's machines to take as long.
 */
export type OpenRehearsalWorld = (input: { cluster: Cluster; instanceGroups: InstanceGroup[]; desired: Map<string, number>; joinTimes: JoinTimes }) => Promise<RehearsalWorld>;

export interface RehearsalInput {
  cluster: string;
  /** The source cluster, read only. */
  source: { kube: KubeClient; clients: Pick<AwsClients, 'autoscaling' | 'ec2'>; store: ClusterStore };
  /** The source's plan (what a rolling update would replace there). */
  plan: RolloutPlan;
  /** The rolling update's settings, as the command would pass them. */
  options: Pick<RolloutOptions, 'timings' | 'failOnDrainError' | 'failOnValidateError'>;
  openWorld: OpenRehearsalWorld;
  /** Progress lines, for a person waiting. */
  progress?: (line: string) => void;
  /** Wall ms the rehearsal may take in all. */
  timeoutMs?: number;
}

export async function readSource(input: Pick<RehearsalInput, 'cluster' | 'source'>): Promise<{ shape: ClusterShape; cluster: Cluster; instanceGroups: InstanceGroup[] }> {
  const found = await input.source.store.getCluster(input.cluster);
  if (!found) throw new Error(`cluster ${input.cluster} was not found in ${input.source.store.url}`);
  const instanceGroups = (await input.source.store.listInstanceGroups(input.cluster)).map((g) => g.value);
  const cloudGroups = await readInstanceGroups(input.source.clients, input.cluster, { ec2Details: true });
  const shape = await readClusterShape(input.source.kube, input.cluster, cloudGroups);
  return { shape, cluster: structuredClone(found.value), instanceGroups: structuredClone(instanceGroups) };
}

export async function rehearse(input: RehearsalInput): Promise<RehearsalReport> {
  const say = input.progress ?? (() => undefined);
  const wallStart = Date.now();
  say(`Reading the shape of ${input.cluster} (read-only)...`);
  const { shape, cluster, instanceGroups } = await readSource(input);
  const desired = new Map(shape.groups.map((g) => [g.groupName, g.desiredCapacity]));
  say('Building it in a private simulator...');
  const world = await input.openWorld({ cluster, instanceGroups, desired, joinTimes: shape.joinTimes });
  try {
    const kube = await createKubeClient({ cluster: input.cluster, kubeconfigPath: world.kubeconfigPath });
    try {
      const wanted = [...desired.values()].reduce((a, b) => a + b, 0);
      const nodes = await waitForNodes(kube, world.clock, wanted, input.timeoutMs ?? 120_000);
      say(`Placing ${shape.workloads.length} workload(s) and ${shape.pdbs.length} PodDisruptionBudget(s)...`);
      const connected = await connectRollout({ cluster: input.cluster, store: world.store, clients: world.clients, clock: world.clock, kubeconfigPath: world.kubeconfigPath });
      try {
        const own = await planRollout(connected.deps, rehearsalRequest(input));
        const nodeMap = mapNodes(shape, nodes, input.plan, own);
        await replicateWorkloads({ kube, clock: world.clock, shape, nodeMap });
        await world.clock.sleep(10_000);
        say(`Rehearsing the rolling update of ${input.plan.order.join(', ')} at ${world.speed}x...`);
        const report = await runRehearsedRollout(input, world, connected, kube, shape, nodeMap);
        return { ...report, wallMs: Date.now() - wallStart };
      } finally {
        await connected.close();
      }
    } finally {
      kube.close();
    }
  } finally {
    await world.stop();
  }
}

/** Every instance of the planned groups: the rehearsal's machines are new, so "out of date" is forced. */
function rehearsalRequest(input: RehearsalInput): RolloutOptions {
  return { cluster: input.cluster, force: true, instanceGroups: input.plan.order, ...input.options, breakStaleLock: true };
}

async function runRehearsedRollout(
  input: RehearsalInput,
  world: RehearsalWorld,
  connected: ConnectedRollout,
  kube: KubeClient,
  shape: ClusterShape,
  nodeMap: Map<string, string>,
): Promise<RehearsalReport> {
  const log = new EventLog(world.clock);
  const sampler = new PodSampler(kube, log, shape.workloads, world.clock);
  try {
    const run = startRollout(connected.deps, rehearsalRequest(input));
    run.subscribe((event) => log.record(event));
    const result = await run.done;
    const observed = await sampler.stop();
    const rehearsalNodes = (await kube.request<KubeList<KubeNode>>('GET', '/api/v1/nodes')).items;
    const simulated = joinTimes(rehearsalNodes, await readInstanceGroups(world.clients, input.cluster, { ec2Details: true }));
    const byRehearsalNode = new Map([...nodeMap].map(([source, target]) => [target, source]));
    return {
      cluster: input.cluster,
      status: result.status,
      ...(result.reason ? { reason: result.reason } : {}),
      speed: world.speed,
      wallMs: 0,
      totalMs: log.finished?.durationMs ?? log.at(),
      groups: log.groups,
      waves: log.waves,
      blockedDrains: log.blocked.map(({ rehearsalNode, ...b }) => ({ ...b, node: byRehearsalNode.get(rehearsalNode) ?? rehearsalNode })),
      stranded: observed.stranded,
      availability: observed.availability,
      joinTimes: shape.joinTimes,
      simulatedJoinMs: sumDefined(simulated.launchToRegisterMs, simulated.registerToReadyMs),
      notes: rehearsalNotes(shape, input.plan, nodeMap),
    };
  } finally {
    await sampler.stop().catch(() => undefined);
  }
}

function sumDefined(a?: number, b?: number): number | undefined {
  return a === undefined || b === undefined ? undefined : a + b;
}

async function waitForNodes(kube: KubeClient, clock: Clock, count: number, timeoutMs: number): Promise<KubeNode[]> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const nodes = await kube.request<KubeList<KubeNode>>('GET', '/api/v1/nodes').then((l) => l.items, () => [] as KubeNode[]);
    if (nodes.length >= count && nodes.filter(isNodeReady).length >= count) return nodes;
    await clock.sleep(2_000);
  }
  throw new Error(`the rehearsal cluster did not reach ${count} Ready nodes in time`);
}
