// The rollout's scheduled-for-update taint against the simulated API: a
// patch of the whole (atomic) list that keeps a node's other taints, even one
// added meanwhile, idempotent, skipped on a
// cordoned node; and the simulated scheduler avoiding PreferNoSchedule nodes
// while another will do, as the real TaintToleration score does.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createKubeClient, type KubeClient } from '../../src/engine/kube/client.js';
import { SCHEDULED_FOR_UPDATE_TAINT, taintScheduledForUpdate } from '../../src/engine/kube/node-taints.js';
import { setUnschedulable } from '../../src/engine/kube/node-ops.js';
import type { KubeList, KubeNode, KubeObject } from '../../src/engine/kube/types.js';
import { simInstance, startKubeHarness, waitFor, type KubeHarness } from '../helpers/sim-kube.js';

const CLUSTER = 'taints.example.com';
let h: KubeHarness;
let client: KubeClient;
const workers: string[] = [];
let controlPlane: string;

before(async () => {
  h = await startKubeHarness({ speed: 100 });
  h.kube.clusterSeen(CLUSTER);
  const cp = simInstance(CLUSTER, { role: 'ControlPlane' });
  h.kube.instanceRunning(cp);
  controlPlane = cp.privateDnsName;
  for (let i = 0; i < 4; i++) {
    const worker = simInstance(CLUSTER);
    h.kube.instanceRunning(worker);
    workers.push(worker.privateDnsName);
  }
  client = await createKubeClient({ cluster: CLUSTER, kubeconfigPath: h.kubeconfigFile(CLUSTER) });
  await waitFor('every node Ready', async () => {
    const nodes = await client.request<KubeList<KubeNode>>('GET', '/api/v1/nodes');
    return nodes.items.length === 5 && nodes.items.every((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
  });
});
after(() => h.close());

const taintsOf = async (name: string) => (await client.request<KubeNode>('GET', `/api/v1/nodes/${name}`)).spec?.taints ?? [];

test('the taint is added beside the node\'s own taints, once', async () => {
  assert.deepEqual((await taintsOf(controlPlane)).map((t) => t.key), ['node-role.kubernetes.io/control-plane']);
  assert.equal(await taintScheduledForUpdate(client, controlPlane), true);
  assert.deepEqual(
    (await taintsOf(controlPlane)).map((t) => `${t.key}:${t.effect}`).sort(),
    [`${SCHEDULED_FOR_UPDATE_TAINT}:PreferNoSchedule`, 'node-role.kubernetes.io/control-plane:NoSchedule'],
  );
  assert.equal(await taintScheduledForUpdate(client, controlPlane), false, 'already tainted');
  assert.equal((await taintsOf(controlPlane)).length, 2);
});

test('a taint someone adds between the read and the patch is kept: the patch is refused (409) and made again', async () => {
  const node = workers[2];
  let interfered = false;
  // The client kopsdeck uses, except that right after its first read of the node another
  // writer adds a taint of its own (whole list, as any writer must), so kopsdeck's read is stale.
  const racing = {
    request: async (method: string, path: string, opts?: unknown) => {
      const answer = await client.request(method, path, opts as never);
      if (method === 'GET' && !interfered) {
        interfered = true;
        const current = await client.request<KubeNode>('GET', path);
        const taints = [...(current.spec?.taints ?? []), { key: 'example.com/other-writer', effect: 'NoSchedule' }];
        await client.request('PATCH', path, { body: { spec: { taints } }, contentType: 'application/strategic-merge-patch+json' });
      }
      return answer;
    },
  } as unknown as KubeClient;
  assert.equal(await taintScheduledForUpdate(racing, node), true);
  assert.ok(interfered);
  assert.deepEqual((await taintsOf(node)).map((t) => t.key).sort(), ['example.com/other-writer', SCHEDULED_FOR_UPDATE_TAINT]);
  // The node as it was, for the tests below.
  await client.request('PATCH', `/api/v1/nodes/${node}`, { body: { spec: { taints: [] } }, contentType: 'application/strategic-merge-patch+json' });
});

test('a cordoned node and a node that is gone are left alone', async () => {
  await setUnschedulable(client, workers[3], true);
  assert.equal(await taintScheduledForUpdate(client, workers[3]), false);
  assert.deepEqual(await taintsOf(workers[3]), []);
  assert.equal(await taintScheduledForUpdate(client, 'ip-10-9-9-9.ec2.internal'), false);
});

test('new pods avoid tainted nodes while an untainted one will take them', async () => {
  for (const name of workers.slice(0, 2)) assert.equal(await taintScheduledForUpdate(client, name), true);
  const names = Array.from({ length: 6 }, (_, i) => `probe-${i}`);
  for (const name of names) {
    await client.request('POST', '/api/v1/namespaces/default/pods', { body: { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } });
  }
  const placed = await waitFor('probe pods scheduled', async () => {
    const pods = await client.request<KubeList<KubeObject & { spec?: { nodeName?: string } }>>('GET', '/api/v1/namespaces/default/pods');
    const probes = pods.items.filter((p) => names.includes(p.metadata.name));
    return probes.length === names.length && probes.every((p) => p.spec?.nodeName) ? probes.map((p) => p.spec!.nodeName!) : undefined;
  });
  // Worker 3 is cordoned, workers 0 and 1 tainted: worker 2 is the only node the scheduler prefers.
  assert.deepEqual([...new Set(placed)], [workers[2]]);
});
