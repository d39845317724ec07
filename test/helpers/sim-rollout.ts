// A cluster made by the reconcile engine on the simulator (3 control-plane
// nodes, 6 workers, gossip DNS), with a file state store, the real AWS and
// Kubernetes clients, and rollout deps wired as the command wires them.
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { scaledClock, type Clock } from '../../src/engine/clock.js';
import { createAwsClients, type AwsClients } from '../../src/engine/cloud/aws/clients.js';
import type { KubeClient } from '../../src/engine/kube/client.js';
import type { KubeList, KubeNode, KubePod } from '../../src/engine/kube/types.js';
import { applyCluster } from '../../src/engine/reconcile/cluster.js';
import { connectRollout, type ConnectedRollout } from '../../src/engine/rollout/connect.js';
import { buildClusterSpec } from '../../src/engine/spec/defaults.js';
import type { ClusterStore } from '../../src/engine/store/cluster-store.js';
import { openStateStore } from '../../src/engine/store/open-store.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/simulator.js';
import { simAdminFetch } from '../../src/sim/admin-client.js';
import { simulatorCredentials } from '../../src/startup/cloud-session.js';
import type { Services } from '../../src/sessions/services.js';
import { consoleServices } from './console-services.js';
import { simConsoleAccess } from './sim-console.js';
import { until } from './wait.js';
import { connectKube, listNodes, waitForReadyNodes } from './sim-cluster.js';

export const SIM_IMAGE = '099720109477/ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20250305';

export interface RolloutHarness {
  name: string;
  sim: RunningSimulator;
  store: ClusterStore;
  clients: AwsClients;
  clock: Clock;
  kube: KubeClient;
  /** `update cluster --yes` for the stored spec. */
  update(): Promise<void>;
  connect(): Promise<ConnectedRollout>;
  nodes(): Promise<KubeNode[]>;
  waitForReadyNodes(count: number, timeoutMs?: number): Promise<KubeNode[]>;
  /** Waits until no instance is still booting: every pending or running one has registered its node. */
  waitForBootsDone(timeoutMs?: number): Promise<void>;
  /**
   * Until every worker runs demo pods: workers that joined late find the
   * demo pods on the early ones (as a real scheduler would leave them), so a
   * pod of the busiest worker is deleted and its ReplicaSet's replacement is
   * spread onto the empty worker.
   */
  spreadDemoPods(timeoutMs?: number): Promise<void>;
  stats(): Promise<{ pdbViolations: unknown[] }>;
  faults(patch: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

export interface RolloutHarnessOptions {
  speed: number;
  name?: string;
  version?: string;
  /** Defaults: 3 zones, 3 control-plane nodes, 6 workers. */
  zones?: string[];
  controlPlaneCount?: number;
  nodeCount?: number;
  /** A Route 53 zone for api.<cluster> (without one the API sits behind a load balancer, as kops 1.36 makes it). */
  dnsZone?: string;
}

export async function startRolloutHarness(options: RolloutHarnessOptions): Promise<RolloutHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'kopsdeck-rollout-'));
  process.env.KOPSDECK_HOME = dir;
  const name = options.name ?? 'roll.k8s.local';
  const sim = await startSimulator({ speed: options.speed, seed: 11, dir: join(dir, 'sim'), port: 0 });
  const clients = createAwsClients({ endpoint: sim.url, region: sim.env.AWS_REGION, credentials: simulatorCredentials(sim.token) });
  const clock = scaledClock(options.speed);
  const store = openStateStore(pathToFileURL(join(dir, 'state')).href);
  const bundle = buildClusterSpec({
    name,
    zones: options.zones ?? ['us-east-1a', 'us-east-1b', 'us-east-1c'],
    topology: 'public',
    controlPlaneCount: options.controlPlaneCount ?? 3,
    nodeCount: options.nodeCount ?? 6,
    image: SIM_IMAGE,
    kubernetesVersion: options.version ?? '1.31.9',
    dnsZone: options.dnsZone,
    // With a DNS zone, kops' layout (api.<cluster> on the control-plane machines), which the rollout's record refresh serves.
    apiDns: true,
  });
  await store.createCluster(bundle.cluster, bundle.instanceGroups);
  const update = async () => {
    const cluster = (await store.getCluster(name))!.value;
    const groups = (await store.listInstanceGroups(name)).map((g) => g.value);
    const result = await applyCluster({ cluster, instanceGroups: groups, clients, clock, store: store.objects });
    if (!result.ok) throw new Error(`update cluster failed: ${result.failed.map((f) => f.error.message).join('; ')}`);
  };
  await update();
  const kube = await connectKube(name, sim.kubeconfigPath, 20_000);
  const nodes = () => listNodes(kube);
  const harness: RolloutHarness = {
    name,
    sim,
    store,
    clients,
    clock,
    kube,
    update,
    connect: () => connectRollout({ cluster: name, store, clients, clock, kubeconfigPath: sim.kubeconfigPath }),
    nodes,
    waitForReadyNodes: (count, timeoutMs = 30_000) => waitForReadyNodes(kube, count, timeoutMs),
    waitForBootsDone: (timeoutMs = 30_000) =>
      until('every instance booted and registered', async () => {
        const page = await clients.ec2.send(
          new DescribeInstancesCommand({ Filters: [{ Name: 'tag:KubernetesCluster', Values: [name] }, { Name: 'instance-state-name', Values: ['pending', 'running'] }] }),
        );
        const ids = (page.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId ?? '');
        const registered = new Set((await nodes()).map((n) => n.spec?.providerID?.split('/').pop()));
        return ids.length > 0 && ids.every((id) => registered.has(id)) ? true : undefined;
      }, timeoutMs).then(() => undefined),
    spreadDemoPods: (timeoutMs = 30_000) =>
      until('demo pods on every worker', async () => {
        const workers = (await nodes()).filter((n) => n.metadata.labels?.['node-role.kubernetes.io/node'] !== undefined).map((n) => n.metadata.name);
        const pods = (await kube.request<KubeList<KubePod>>('GET', '/api/v1/namespaces/demo/pods')).items.filter((p) => !p.metadata.deletionTimestamp);
        const ready = pods.every((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
        const on = (node: string) => pods.filter((p) => p.spec?.nodeName === node);
        if (ready && workers.every((w) => on(w).length > 0)) return true;
        if (ready && workers.some((w) => on(w).length === 0)) {
          const busiest = [...workers].sort((a, b) => on(b).length - on(a).length)[0];
          const victim = on(busiest)[0];
          await kube.request('DELETE', `/api/v1/namespaces/demo/pods/${victim.metadata.name}`);
        }
        return undefined;
      }, timeoutMs).then(() => undefined),
    stats: async () => (await (await simAdminFetch(sim, '/sim/stats')).json()) as { pdbViolations: unknown[] },
    faults: async (patch) => {
      const res = await simAdminFetch(sim, '/sim/faults', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(patch) });
      if (!res.ok) throw new Error(`PUT /sim/faults: ${res.status}`);
    },
    async close() {
      kube.close();
      clients.destroy();
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await harness.waitForReadyNodes((options.controlPlaneCount ?? 3) + (options.nodeCount ?? 6));
  return harness;
}

export { until } from './wait.js';

/** The console's services for a harness's cluster: its store, and its simulator as the cloud (on the harness's clock). */
export function consoleServicesFor(h: RolloutHarness): Services {
  return consoleServices(h.store, { access: simConsoleAccess(h.sim, h.clock) });
}
