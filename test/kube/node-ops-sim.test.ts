// Informers, cordon and drain against the simulator, through the real clients.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { describeNodePods } from '../../src/engine/kube/node-pods.js';
import { cordon, cordonForRollout, CORDONED_BY_ROLLOUT, drain, DrainTimeoutError, uncordon, type DrainProgress } from '../../src/engine/kube/node-ops.js';
import type { KubeNode, KubePod, KubeList } from '../../src/engine/kube/types.js';
import { startLiveCluster, type LiveCluster } from '../../src/engine/live-model/live-cluster.js';
import { startSimCluster, until, type SimCluster } from '../helpers/sim-cluster.js';

let cluster: SimCluster;
let live: LiveCluster;

before(async () => {
  cluster = await startSimCluster({ name: 'ops.k8s.local', workers: 3, speed: 50 });
  live = startLiveCluster({ cluster: cluster.name, kube: cluster.kube, cloud: cluster.inventory, clock: cluster.clock, cloudIntervalMs: 5_000 });
  await live.synced;
});

after(async () => {
  await live?.stop();
  await cluster?.stop();
});

const workerNames = () => live.model.snapshot().nodes.filter((r) => r.role === 'node').map((r) => r.name);

test('a node added by raising desired capacity reaches the model without being asked', async () => {
  const notified: number[] = [];
  const unsubscribe = live.model.subscribe((snap) => notified.push(snap.counts.nodes));
  await cluster.setDesired(cluster.nodesIg, 4);
  await until('a fifth node, Ready, in its instance group', () => {
    const snap = live.model.snapshot();
    return snap.counts.nodes === 5 && snap.counts.nodesReady === 5 && snap.nodes.every((r) => r.instanceGroup !== '') ? true : undefined;
  }, 20_000);
  unsubscribe();
  assert.ok(notified.includes(5), 'a subscriber heard of it');
  const ig = live.model.snapshot().instanceGroups.find((g) => g.name === cluster.nodesIg)!;
  assert.equal(ig.target, 4);
});

test('cordon and uncordon show in the node spec, and in the model', async () => {
  const name = workerNames()[0];
  await cordon(cluster.kube, name);
  let node = await cluster.kube.request<KubeNode>('GET', `/api/v1/nodes/${name}`);
  assert.equal(node.spec?.unschedulable, true);
  await until('the row cordoned', () => (live.model.snapshot().nodes.find((r) => r.name === name)?.status === 'Ready,SchedulingDisabled' ? true : undefined));
  await uncordon(cluster.kube, name);
  node = await cluster.kube.request<KubeNode>('GET', `/api/v1/nodes/${name}`);
  assert.notEqual(node.spec?.unschedulable, true);
});

test("a rollout's cordon is marked as its own: found again by a resumed run of it, never mistaken for someone else's", async () => {
  const [mine, theirs] = workerNames();
  const read = (name: string) => cluster.kube.request<KubeNode>('GET', `/api/v1/nodes/${name}`);
  assert.equal(await cordonForRollout(cluster.kube, mine, 'rollout-1'), true, 'schedulable: cordoned now, by this rollout');
  assert.equal((await read(mine)).metadata.annotations?.[CORDONED_BY_ROLLOUT], 'rollout-1');
  assert.equal(await cordonForRollout(cluster.kube, mine, 'rollout-1'), true, 'a resumed run of the same rollout: its own cordon');
  assert.equal(await cordonForRollout(cluster.kube, mine, 'rollout-2'), false, 'another rollout: not its cordon');
  await cordon(cluster.kube, theirs);
  assert.equal(await cordonForRollout(cluster.kube, theirs, 'rollout-1'), false, 'cordoned by someone else');
  await uncordon(cluster.kube, mine);
  await uncordon(cluster.kube, theirs);
  const after = await read(mine);
  assert.notEqual(after.spec?.unschedulable, true);
  assert.equal(after.metadata.annotations?.[CORDONED_BY_ROLLOUT], undefined, 'uncordoning forgets the mark');
});

test('drain evicts workload pods, leaves DaemonSet and mirror pods, reports emptyDir', async () => {
  const name = workerNames()[1];
  const before = await describeNodePods(cluster.kube, name);
  const evictable = before.filter((p) => p.disposition === 'evict').map((p) => `${p.namespace}/${p.name}`).sort();
  const daemonPods = before.filter((p) => p.disposition === 'skip-daemonset').map((p) => `${p.namespace}/${p.name}`).sort();
  assert.ok(daemonPods.length > 0, 'the node runs DaemonSet pods');
  assert.ok(evictable.length > 0, 'the node runs workload pods');
  const events: DrainProgress[] = [];
  const result = await drain(cluster.kube, name, { clock: cluster.clock, timeoutMs: 10 * 60_000, onProgress: (e) => events.push(e) });
  assert.deepEqual(result.evicted.map((p) => `${p.namespace}/${p.name}`).sort(), evictable);
  assert.deepEqual(result.emptyDir.map((p) => p.namespace + '/' + p.name).sort(), before.filter((p) => p.emptyDir && p.disposition === 'evict').map((p) => `${p.namespace}/${p.name}`).sort());
  const plan = events.find((e) => e.type === 'plan');
  assert.ok(plan && plan.type === 'plan');
  assert.deepEqual(plan.skipped.filter((s) => s.reason === 'daemonset').map((s) => `${s.pod.namespace}/${s.pod.name}`).sort(), daemonPods);
  const after = await cluster.kube.request<KubeList<KubePod>>('GET', `/api/v1/pods?fieldSelector=spec.nodeName%3D${name}`);
  const left = after.items.map((p) => `${p.metadata.namespace}/${p.metadata.name}`).sort();
  for (const pod of evictable) assert.ok(!left.includes(pod), `${pod} is gone`);
  for (const pod of daemonPods) assert.ok(left.includes(pod), `${pod} stays`);
  const node = await cluster.kube.request<KubeNode>('GET', `/api/v1/nodes/${name}`);
  assert.equal(node.spec?.unschedulable, true, 'drain cordons first');
  await uncordon(cluster.kube, name);
});

test('a budget that allows no disruption is retried every 5 s, then the drain times out naming the pods', async () => {
  // Tighten the demo/api budget so nothing may be disrupted.
  await cluster.kube.request('PATCH', '/apis/policy/v1/namespaces/demo/poddisruptionbudgets/api', {
    body: { spec: { maxUnavailable: 0 } },
    contentType: 'application/merge-patch+json',
  });
  await until('the budget to allow 0', async () => {
    const pdb = await cluster.kube.request<{ status?: { disruptionsAllowed?: number } }>('GET', '/apis/policy/v1/namespaces/demo/poddisruptionbudgets/api');
    return pdb.status?.disruptionsAllowed === 0 ? true : undefined;
  });
  const pods = await cluster.kube.request<KubeList<KubePod>>('GET', '/api/v1/namespaces/demo/pods?labelSelector=app%3Dapi');
  const target = pods.items.find((p) => p.spec?.nodeName && workerNames().includes(p.spec.nodeName))!;
  const nodeName = target.spec!.nodeName!;
  const blockedApi = (await describeNodePods(cluster.kube, nodeName)).filter((p) => p.pdb?.name === 'api' && p.disposition === 'evict');
  assert.ok(blockedApi.every((p) => p.pdb!.disruptionsAllowed === 0), 'the node-pods helper shows the budget and its allowance');
  const events: DrainProgress[] = [];
  const timeoutMs = 60_000;
  await assert.rejects(drain(cluster.kube, nodeName, { clock: cluster.clock, timeoutMs, onProgress: (e) => events.push(e) }), (error: Error) => {
    assert.ok(error instanceof DrainTimeoutError, String(error));
    assert.deepEqual(error.blocked.map((b) => `${b.pod.namespace}/${b.pod.name}`).sort(), blockedApi.map((p) => `${p.namespace}/${p.name}`).sort());
    for (const b of error.blocked) assert.equal(`${b.pdb?.namespace}/${b.pdb?.name}`, 'demo/api');
    assert.match(error.message, /drain of node .* did not finish within 1m: .*blocked by PodDisruptionBudget demo\/api, 0 disruption\(s\) allowed/);
    return true;
  });
  const blocked = events.flatMap((e) => (e.type === 'blocked' && e.pod.name === blockedApi[0].name ? [e.retryInMs] : []));
  // Each refusal waits the 5 s kubectl waits; only the waits cut short by the deadline are shorter.
  const firstClipped = blocked.findIndex((ms) => ms !== 5000);
  assert.ok(blocked.length >= 2 && firstClipped !== 0, `retried every 5 s: ${JSON.stringify(blocked)}`);
  if (firstClipped > 0) assert.ok(blocked.slice(firstClipped).every((ms) => ms < 5000), `only the last waits are clipped: ${JSON.stringify(blocked)}`);
  await cluster.kube.request('PATCH', '/apis/policy/v1/namespaces/demo/poddisruptionbudgets/api', {
    body: { spec: { maxUnavailable: 1 } },
    contentType: 'application/merge-patch+json',
  });
  await uncordon(cluster.kube, nodeName);
});
