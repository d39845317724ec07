// The simulated scheduler's resource fit, node selectors and pod
// anti-affinity, seen as a client sees them: through the Kubernetes API, a
// pod that cannot go anywhere stays Pending with kube-scheduler's reasons in
// its PodScheduled condition.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createKubeClient, type KubeClient } from '../../src/engine/kube/client.js';
import type { KubeList, KubeNode, KubePod } from '../../src/engine/kube/types.js';
import { memoryBytes, milliCpu } from '../../src/sim/kube/quantity.js';
import { simInstance, startKubeHarness, waitFor, type KubeHarness } from '../helpers/sim-kube.js';

const CLUSTER = 'fit.example.com';
const NS = 'default';
let h: KubeHarness;
let client: KubeClient;
let worker = '';

before(async () => {
  h = await startKubeHarness({ speed: 100 });
  h.kube.clusterSeen(CLUSTER);
  h.kube.instanceRunning(simInstance(CLUSTER, { role: 'ControlPlane' }));
  const w = simInstance(CLUSTER);
  h.kube.instanceRunning(w);
  worker = w.privateDnsName;
  client = await createKubeClient({ cluster: CLUSTER, kubeconfigPath: h.kubeconfigFile(CLUSTER) });
  await waitFor('both nodes Ready', async () => {
    const nodes = await client.request<KubeList<KubeNode>>('GET', '/api/v1/nodes');
    return nodes.items.length === 2 && nodes.items.every((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
  });
});
after(() => h.close());

async function createPod(name: string, spec: Record<string, unknown>, labels: Record<string, string> = {}): Promise<void> {
  const body = { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: NS, labels }, spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec } };
  await client.request('POST', `/api/v1/namespaces/${NS}/pods`, { body });
}

const getPod = (name: string) => client.request<KubePod>('GET', `/api/v1/namespaces/${NS}/pods/${name}`);

type Condition = { type: string; status: string; message?: string };
const scheduledMessage = (pod: KubePod) => (pod.status?.conditions as Condition[] | undefined)?.find((c) => c.type === 'PodScheduled' && c.status === 'False')?.message;

/** The PodScheduled=False message once the scheduler has given its verdict. */
function unschedulable(name: string): Promise<string> {
  return waitFor(`${name} found unschedulable`, async () => {
    const pod = await getPod(name);
    return scheduledMessage(pod);
  });
}

const bound = (name: string) => waitFor(`${name} bound`, async () => (await getPod(name)).spec?.nodeName);

test('the worker has an allocatable below its capacity (the kubelet reserves some)', async () => {
  const node = await client.request<KubeNode & { status: { capacity: Record<string, string>; allocatable: Record<string, string> } }>('GET', `/api/v1/nodes/${worker}`);
  assert.equal(node.status.capacity.cpu, '2', 't3.medium');
  assert.equal(node.status.allocatable.cpu, '1900m');
  assert.ok(Number.parseInt(node.status.allocatable.memory) < Number.parseInt(node.status.capacity.memory));
});

test('a pod without requests schedules as before; one that asks more cpu than any node has stays Pending: Insufficient cpu', async () => {
  await createPod('plain', {});
  assert.equal(await bound('plain'), worker);
  await createPod('huge', { containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: '3', memory: '64Mi' } } }] });
  const message = await unschedulable('huge');
  assert.match(message, /^0\/2 nodes are available: 1 Insufficient cpu, 1 node\(s\) had untolerated taint \{node-role\.kubernetes\.io\/control-plane: \}\./);
  assert.match(message, /preemption: 0\/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling\.$/);
  assert.equal((await getPod('huge')).spec?.nodeName, undefined);
});

/** The worker's allocatable less what the pods bound to it request: millicores, MiB. */
async function roomOnWorker(): Promise<{ cpu: number; mib: number }> {
  const node = await client.request<KubeNode & { status: { allocatable: Record<string, string> } }>('GET', `/api/v1/nodes/${worker}`);
  const pods = (await client.request<KubeList<KubePod>>('GET', `/api/v1/pods?fieldSelector=spec.nodeName%3D${worker}`)).items;
  const requests = pods.flatMap((p) => (p.spec?.containers ?? []) as { resources?: { requests?: Record<string, string> } }[]).map((c) => c.resources?.requests ?? {});
  const cpu = milliCpu(node.status.allocatable.cpu) - requests.reduce((sum, r) => sum + (r.cpu ? milliCpu(r.cpu) : 0), 0);
  const bytes = memoryBytes(node.status.allocatable.memory) - requests.reduce((sum, r) => sum + (r.memory ? memoryBytes(r.memory) : 0), 0);
  return { cpu, mib: Math.floor(bytes / 2 ** 20) };
}

test('cpu and memory are both reported when both fall short; what is left of the node counts, not its size', async () => {
  const room = await roomOnWorker();
  // More than half of what is left: one fits, a second does not.
  const asks = { cpu: `${Math.floor(room.cpu * 0.6)}m`, memory: `${Math.floor(room.mib * 0.6)}Mi` };
  await createPod('big', { containers: [{ name: 'c', image: 'busybox', resources: { requests: asks } }] });
  assert.equal(await bound('big'), worker, 'fits alone');
  await createPod('second-big', { containers: [{ name: 'c', image: 'busybox', resources: { requests: asks } }] });
  assert.match(await unschedulable('second-big'), /: 1 Insufficient cpu, 1 Insufficient memory, 1 node\(s\) had untolerated taint/);
  await client.request('DELETE', `/api/v1/namespaces/${NS}/pods/big?gracePeriodSeconds=0`);
  assert.equal(await bound('second-big'), worker, 'scheduled once the room is freed');
});

test("a nodeSelector no node matches: node(s) didn't match Pod's node affinity/selector", async () => {
  await createPod('picky', { nodeSelector: { 'node.kubernetes.io/instance-type': 'p4d.24xlarge' } });
  assert.match(await unschedulable('picky'), /: 1 node\(s\) didn't match Pod's node affinity\/selector, 1 node\(s\) had untolerated taint/);
  await createPod('zonal', { nodeSelector: { 'topology.kubernetes.io/zone': 'us-east-1a' } });
  assert.equal(await bound('zonal'), worker);
});

test('two replicas with required hostname anti-affinity and one schedulable node: one Pending with the anti-affinity reason', async () => {
  const labels = { app: 'spread' };
  const template = {
    metadata: { labels },
    spec: {
      containers: [{ name: 'c', image: 'busybox' }],
      affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: labels }, topologyKey: 'kubernetes.io/hostname' }] } },
    },
  };
  await client.request('POST', `/apis/apps/v1/namespaces/${NS}/deployments`, {
    body: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'spread', namespace: NS }, spec: { replicas: 2, selector: { matchLabels: labels }, template } },
  });
  const [placed, stuck] = await waitFor('one replica bound, one unschedulable', async () => {
    const pods = (await client.request<KubeList<KubePod>>('GET', `/api/v1/namespaces/${NS}/pods?labelSelector=app%3Dspread`)).items;
    const on = pods.filter((p) => p.spec?.nodeName);
    const off = pods.filter((p) => p.status?.conditions?.some((c) => c.type === 'PodScheduled' && c.status === 'False'));
    return on.length === 1 && off.length === 1 ? [on[0], off[0]] : undefined;
  });
  assert.equal(placed.spec?.nodeName, worker);
  const message = scheduledMessage(stuck) ?? '';
  assert.match(message, /^0\/2 nodes are available: 1 node\(s\) didn't match pod anti-affinity rules, 1 node\(s\) had untolerated taint/);
});
