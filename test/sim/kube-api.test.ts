// The simulated Kubernetes API through @kubernetes/client-node: nodes follow
// instances, patches, evictions against PodDisruptionBudgets, selectors,
// paging, watches and their 410 Gone, health, faults, and restarts.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CoreV1Api, PatchStrategy, PolicyV1Api, Watch, setHeaderOptions, type V1Node, type V1Pod } from '@kubernetes/client-node';
import { KubeSide } from '../../src/sim/kube/kube-side.js';
import { simInstance, startKubeHarness, testRandom, waitFor, type KubeHarness } from '../helpers/sim-kube.js';

const isReady = (node: V1Node) => node.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
const podReady = (pod: V1Pod) => pod.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True' && !pod.metadata?.deletionTimestamp;

async function readyCluster(h: KubeHarness, cluster: string, workers: number): Promise<CoreV1Api> {
  h.kube.clusterSeen(cluster);
  h.kube.instanceRunning(simInstance(cluster, { role: 'ControlPlane' }));
  for (let i = 0; i < workers; i++) h.kube.instanceRunning(simInstance(cluster));
  const core = h.kubeConfig(cluster).makeApiClient(CoreV1Api);
  await waitFor('every node Ready', async () => {
    const nodes = await core.listNode();
    return nodes.items.length === workers + 1 && nodes.items.every(isReady);
  });
  await waitFor('every demo pod Ready', async () => {
    const pods = await core.listNamespacedPod({ namespace: 'demo' });
    return pods.items.length === 9 && pods.items.every(podReady);
  });
  return core;
}

async function httpGet(url: string): Promise<{ status: number; text: string }> {
  const response = await fetch(url);
  return { status: response.status, text: await response.text() };
}

describe('simulated Kubernetes API (client-node)', () => {
  let h: KubeHarness;
  before(async () => {
    h = await startKubeHarness({ speed: 100 });
  });
  after(async () => {
    await h.close();
  });

  it('registers nodes for running instances and reports them Ready through a watch', async () => {
    const cluster = 'watch.example.com';
    h.kube.clusterSeen(cluster);
    const kc = h.kubeConfig(cluster);
    const events: { type: string; node: V1Node }[] = [];
    const controller = await new Watch(kc).watch('/api/v1/nodes', {}, (type, obj) => events.push({ type, node: obj as V1Node }), () => {});
    const controlPlane = simInstance(cluster, { role: 'ControlPlane', version: '1.31.4' });
    const worker = simInstance(cluster, { version: '1.31.4', zone: 'us-east-1b' });
    h.kube.instanceRunning(controlPlane);
    h.kube.instanceRunning(worker);
    try {
      for (const instance of [controlPlane, worker]) {
        await waitFor(`${instance.privateDnsName} Ready in the watch`, () =>
          events.some((e) => e.node.metadata?.name === instance.privateDnsName && isReady(e.node)),
        );
      }
    } finally {
      controller.abort();
    }
    const firstSeen = events.find((e) => e.node.metadata?.name === worker.privateDnsName)!;
    assert.equal(firstSeen.type, 'ADDED');
    assert.equal(isReady(firstSeen.node), false, 'a node registers NotReady first');
    const node = await kc.makeApiClient(CoreV1Api).readNode({ name: worker.privateDnsName });
    assert.equal(node.spec?.providerID, `aws:///us-east-1b/${worker.instanceId}`);
    assert.equal(node.status?.nodeInfo?.kubeletVersion, 'v1.31.4');
    const labels = node.metadata?.labels ?? {};
    assert.equal(labels['kops.k8s.io/instancegroup'], 'nodes-us-east-1a');
    assert.equal(labels['node-role.kubernetes.io/node'], '');
    assert.equal(labels['topology.kubernetes.io/zone'], 'us-east-1b');
    assert.equal(labels['topology.kubernetes.io/region'], 'us-east-1');
    assert.equal(labels['kubernetes.io/hostname'], worker.privateDnsName);
    const cp = await kc.makeApiClient(CoreV1Api).readNode({ name: controlPlane.privateDnsName });
    assert.deepEqual(cp.spec?.taints?.map((t) => `${t.key}:${t.effect}`), ['node-role.kubernetes.io/control-plane:NoSchedule']);
    const version = JSON.parse((await httpGet(`${h.serverUrl(cluster)}/version`)).text);
    assert.equal(version.gitVersion, 'v1.31.4');
  });

  it('answers /readyz 503 until a control-plane node is Ready', async () => {
    const cluster = 'ready.example.com';
    h.kube.clusterSeen(cluster);
    const worker = simInstance(cluster);
    h.kube.instanceRunning(worker);
    const core = h.kubeConfig(cluster).makeApiClient(CoreV1Api);
    await waitFor('the worker Ready', async () => (await core.listNode()).items.some(isReady));
    assert.equal((await httpGet(`${h.serverUrl(cluster)}/readyz`)).status, 503);
    assert.equal((await httpGet(`${h.serverUrl(cluster)}/livez`)).text, 'ok');
    h.kube.instanceRunning(simInstance(cluster, { role: 'ControlPlane' }));
    await waitFor('/readyz ok', async () => (await httpGet(`${h.serverUrl(cluster)}/readyz`)).status === 200);
  });

  it('cordons a node with a merge patch, and accepts strategic and JSON patches', async () => {
    const cluster = 'patch.example.com';
    const core = await readyCluster(h, cluster, 2);
    const name = (await core.listNode({ labelSelector: 'node-role.kubernetes.io/node' })).items[0].metadata!.name!;
    const merged = await core.patchNode({ name, body: { spec: { unschedulable: true } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    assert.equal(merged.spec?.unschedulable, true);
    assert.equal((await core.readNode({ name })).spec?.unschedulable, true);
    const strategic = await core.patchNode(
      { name, body: { metadata: { labels: { team: 'blue' } } } },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    assert.equal(strategic.metadata?.labels?.team, 'blue');
    assert.equal(strategic.spec?.unschedulable, true, 'a strategic patch keeps other fields');
    const json = await core.patchNode(
      { name, body: [{ op: 'replace', path: '/spec/unschedulable', value: false }] },
      setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
    );
    assert.equal(json.spec?.unschedulable, false);
    await assert.rejects(
      core.patchNode({ name: 'no-such-node', body: { spec: { unschedulable: true } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch)),
      (error: { code?: number }) => error.code === 404,
    );
  });

  it('refuses an eviction that would break a PodDisruptionBudget with 429, and allows it once the budget recovers', async () => {
    const cluster = 'evict.example.com';
    const core = await readyCluster(h, cluster, 3);
    const policy = h.kubeConfig(cluster).makeApiClient(PolicyV1Api);
    const web = (await core.listNamespacedPod({ namespace: 'demo', labelSelector: 'app=web' })).items;
    assert.equal(web.length, 6);
    const budget = await waitFor('web budget allows 2', async () => {
      const pdb = await policy.readNamespacedPodDisruptionBudget({ name: 'web', namespace: 'demo' });
      return pdb.status?.disruptionsAllowed === 2 ? pdb : undefined;
    });
    assert.equal(budget.status?.currentHealthy, 6);
    assert.equal(budget.status?.desiredHealthy, 4);
    assert.equal(budget.status?.expectedPods, 6);
    const evict = (pod: V1Pod) =>
      core.createNamespacedPodEviction({
        name: pod.metadata!.name!,
        namespace: 'demo',
        body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: pod.metadata!.name!, namespace: 'demo' } },
      });
    // With every node cordoned the replacements stay Pending, so the budget cannot recover in between.
    const setUnschedulable = async (unschedulable: boolean) => {
      for (const node of (await core.listNode()).items) {
        await core.patchNode({ name: node.metadata!.name!, body: { spec: { unschedulable } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
      }
    };
    await setUnschedulable(true);
    await evict(web[0]);
    await evict(web[1]);
    const refused = await evict(web[2]).then(
      () => undefined,
      (error: { code?: number; body?: string }) => error,
    );
    assert.equal(refused?.code, 429);
    const status = JSON.parse(refused!.body!);
    assert.equal(status.reason, 'TooManyRequests');
    assert.equal(status.message, "Cannot evict pod as it would violate the pod's disruption budget.");
    const evicted = await core.readNamespacedPod({ name: web[0].metadata!.name!, namespace: 'demo' }).catch(() => undefined);
    assert.ok(!evicted || evicted.metadata?.deletionTimestamp, 'an evicted pod is terminating or gone');
    const held = await policy.readNamespacedPodDisruptionBudget({ name: 'web', namespace: 'demo' });
    assert.equal(held.status?.disruptionsAllowed, 0);
    assert.equal(held.status?.currentHealthy, 4);
    // Replacements start once nodes accept pods again; then the budget allows the third eviction.
    await setUnschedulable(false);
    await waitFor('the third eviction allowed', () => evict(web[2]).then(() => true, (e: { code?: number }) => (e.code === 429 ? false : Promise.reject(e))));
    await waitFor('web back to 6 ready', async () => (await core.listNamespacedPod({ namespace: 'demo', labelSelector: 'app=web' })).items.filter(podReady).length === 6);
    await assert.rejects(evict({ metadata: { name: 'web-missing' } }), (error: { code?: number }) => error.code === 404);
    assert.deepEqual(h.stats.violations.filter((v) => v.cluster === cluster), [], 'evictions never break a budget');
  });

  it('lists pods by node with a field selector and by label selectors', async () => {
    const cluster = 'select.example.com';
    const core = await readyCluster(h, cluster, 2);
    const all = (await core.listPodForAllNamespaces()).items;
    const node = all.find((p) => p.metadata?.labels?.app === 'web')!.spec!.nodeName!;
    const onNode = (await core.listPodForAllNamespaces({ fieldSelector: `spec.nodeName=${node}` })).items;
    assert.ok(onNode.length > 0);
    assert.deepEqual(
      onNode.map((p) => p.metadata!.name).sort(),
      all.filter((p) => p.spec?.nodeName === node).map((p) => p.metadata!.name).sort(),
    );
    const inDemo = (await core.listPodForAllNamespaces({ labelSelector: 'app in (web,api)' })).items;
    assert.equal(inDemo.length, 9);
    const notWeb = (await core.listNamespacedPod({ namespace: 'demo', labelSelector: 'app!=web' })).items;
    assert.deepEqual([...new Set(notWeb.map((p) => p.metadata?.labels?.app))], ['api']);
    const running = (await core.listPodForAllNamespaces({ fieldSelector: 'status.phase=Running,metadata.namespace=demo' })).items;
    assert.equal(running.length, 9);
    const mirror = all.filter((p) => p.metadata?.annotations?.['kubernetes.io/config.mirror']);
    assert.deepEqual(
      mirror.map((p) => p.metadata!.labels!['k8s-app']).sort(),
      ['etcd-manager-events', 'etcd-manager-main', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler'],
    );
  });

  it('pages lists with limit and continue', async () => {
    const cluster = 'page.example.com';
    const core = await readyCluster(h, cluster, 2);
    const all = (await core.listPodForAllNamespaces()).items.map((p) => `${p.metadata!.namespace}/${p.metadata!.name}`);
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await core.listPodForAllNamespaces({ limit: 4, _continue: token });
      assert.ok(page.items.length <= 4);
      seen.push(...page.items.map((p) => `${p.metadata!.namespace}/${p.metadata!.name}`));
      token = page.metadata?._continue || undefined;
      pages++;
    } while (token);
    assert.ok(pages >= Math.ceil(all.length / 4));
    assert.deepEqual(seen, [...all].sort());
  });

  it('deletes a pod gracefully and its ReplicaSet replaces it', async () => {
    const cluster = 'delete.example.com';
    const core = await readyCluster(h, cluster, 2);
    const victim = (await core.listNamespacedPod({ namespace: 'demo', labelSelector: 'app=api' })).items[0];
    const deleted = await core.deleteNamespacedPod({ name: victim.metadata!.name!, namespace: 'demo' });
    assert.ok(deleted.metadata?.deletionTimestamp, 'a graceful delete leaves the pod terminating');
    await waitFor('the pod gone', () => core.readNamespacedPod({ name: victim.metadata!.name!, namespace: 'demo' }).then(() => false, (e: { code?: number }) => e.code === 404));
    await waitFor('3 api pods Ready again', async () => (await core.listNamespacedPod({ namespace: 'demo', labelSelector: 'app=api' })).items.filter(podReady).length === 3);
  });

  it('takes a terminated instance\'s node NotReady, removes it, and records the budget it broke', async () => {
    const cluster = 'terminate.example.com';
    const instances = [simInstance(cluster, { role: 'ControlPlane' }), simInstance(cluster)];
    h.kube.clusterSeen(cluster);
    for (const i of instances) h.kube.instanceRunning(i);
    const core = h.kubeConfig(cluster).makeApiClient(CoreV1Api);
    await waitFor('demo pods Ready', async () => (await core.listNamespacedPod({ namespace: 'demo' })).items.filter(podReady).length === 9);
    const worker = instances[1];
    h.kube.instanceTerminated(worker.instanceId);
    const node = await core.readNode({ name: worker.privateDnsName });
    assert.equal(node.status?.conditions?.find((c) => c.type === 'Ready')?.status, 'Unknown');
    assert.equal((await core.listPodForAllNamespaces({ fieldSelector: `spec.nodeName=${worker.privateDnsName}` })).items.length, 0);
    await waitFor('the node removed', () => core.readNode({ name: worker.privateDnsName }).then(() => false, (e: { code?: number }) => e.code === 404));
    const violation = await waitFor('a web budget violation', () => h.stats.violations.find((v) => v.cluster === cluster && v.pdb === 'web'));
    assert.equal(violation.namespace, 'demo');
    assert.equal(violation.desiredHealthy, 4);
    assert.ok(violation.healthy < 4);
  });

  it('answers 503 to every request during an API blackout, and to clusters it does not serve', async () => {
    const cluster = 'blackout.example.com';
    h.kube.clusterSeen(cluster);
    assert.equal((await httpGet(`${h.serverUrl(cluster)}/api/v1/nodes`)).status, 200);
    h.faults.apiBlackoutUntil = h.clock.now() + 60_000;
    try {
      assert.equal((await httpGet(`${h.serverUrl(cluster)}/api/v1/nodes`)).status, 503);
      assert.equal((await httpGet(`${h.serverUrl(cluster)}/version`)).status, 503);
    } finally {
      h.faults.apiBlackoutUntil = 0;
    }
    assert.equal((await httpGet(`${h.serverUrl('unknown.example.com')}/version`)).status, 503);
    const missing = await httpGet(`${h.serverUrl(cluster)}/api/v1/widgets`);
    assert.equal(missing.status, 404);
    assert.equal(JSON.parse(missing.text).kind, 'Status');
  });

  it('keeps a node NotReady forever when a fault says so', async () => {
    const cluster = 'faulty.example.com';
    h.kube.clusterSeen(cluster);
    h.faults.neverReadyNext = 1;
    const bad = simInstance(cluster);
    const good = simInstance(cluster);
    h.kube.instanceRunning(bad);
    h.kube.instanceRunning(good);
    const core = h.kubeConfig(cluster).makeApiClient(CoreV1Api);
    await waitFor('the good node Ready', async () => isReady(await core.readNode({ name: good.privateDnsName })));
    // Well past the registration-to-Ready delay (simulated minutes) the faulty node is still NotReady.
    const deadline = h.clock.now() + 120_000;
    await waitFor('two simulated minutes', () => h.clock.now() > deadline);
    assert.equal(isReady(await core.readNode({ name: bad.privateDnsName })), false);
    assert.equal(h.faults.neverReadyNext, 0);
  });
});

describe('watch windows and restarts', () => {
  it('sends 410 Gone to a watch from a too-old resourceVersion and to an expired continue token', async () => {
    const h = await startKubeHarness({ speed: 100, eventWindow: 20 });
    try {
      const cluster = 'gone.example.com';
      const core = await readyCluster(h, cluster, 1);
      const first = await core.listPodForAllNamespaces({ limit: 3 });
      const token = first.metadata!._continue!;
      assert.ok(token);
      const name = (await core.listNode()).items[0].metadata!.name!;
      for (let i = 0; i < 60; i++) {
        await core.patchNode({ name, body: { metadata: { labels: { flip: String(i) } } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
      }
      const events: { type: string; object: { code?: number; reason?: string } }[] = [];
      let ended = false;
      await new Watch(h.kubeConfig(cluster)).watch('/api/v1/pods', { resourceVersion: '1' }, (type, object) => events.push({ type, object }), () => {
        ended = true;
      });
      await waitFor('the watch to end', () => ended);
      assert.equal(events.length, 1);
      assert.equal(events[0].type, 'ERROR');
      assert.equal(events[0].object.code, 410);
      assert.equal(events[0].object.reason, 'Expired');
      await assert.rejects(core.listPodForAllNamespaces({ limit: 3, _continue: token }), (error: { code?: number }) => error.code === 410);
      // A watch from a recent version replays what followed it.
      const recent = await core.listNode();
      const replayed: string[] = [];
      const controller = await new Watch(h.kubeConfig(cluster)).watch('/api/v1/nodes', { resourceVersion: recent.metadata!.resourceVersion }, (type) => replayed.push(type), () => {});
      await core.patchNode({ name, body: { metadata: { labels: { flip: 'last' } } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
      await waitFor('the change in the watch', () => replayed.includes('MODIFIED'));
      controller.abort();
    } finally {
      await h.close();
    }
  });

  it('comes back from a snapshot with the same objects and a resourceVersion that keeps growing', async () => {
    const h = await startKubeHarness({ speed: 100 });
    try {
      const cluster = 'restart.example.com';
      const core = await readyCluster(h, cluster, 1);
      const before = await core.listPodForAllNamespaces();
      const saved = JSON.parse(JSON.stringify(h.kube.snapshot()));
      const restored = new KubeSide({ clock: h.clock, random: testRandom(7), faults: h.faults, stats: h.stats });
      restored.restore(saved);
      try {
        assert.deepEqual(restored.clusterNames(), h.kube.clusterNames());
        const world = restored.world(cluster)!;
        assert.deepEqual(
          [...world.store.values('pods')].map((p) => p.metadata.uid).sort(),
          before.items.map((p) => p.metadata!.uid).sort(),
        );
        assert.ok(world.store.resourceVersion >= Number(before.metadata!.resourceVersion));
        assert.equal(world.hasReadyControlPlane(), true);
      } finally {
        restored.close();
      }
    } finally {
      await h.close();
    }
  });

  it('seeds a large cluster directly: Ready nodes and their pods', async () => {
    const h = await startKubeHarness({ speed: 100 });
    try {
      const cluster = 'scale.example.com';
      const instances = Array.from({ length: 20 }, () => simInstance(cluster));
      h.kube.seedLargeCluster(cluster, instances, 10);
      assert.deepEqual(h.kube.clusterNames(), [cluster]);
      const core = h.kubeConfig(cluster).makeApiClient(CoreV1Api);
      const nodes = (await core.listNode()).items;
      assert.equal(nodes.length, 20);
      assert.ok(nodes.every(isReady));
      const pods = (await core.listPodForAllNamespaces()).items;
      const onWorker = pods.filter((p) => p.spec?.nodeName === instances[5].privateDnsName);
      assert.equal(onWorker.filter((p) => p.status?.phase === 'Running').length >= 10, true);
      assert.equal(new Set(pods.map((p) => `${p.metadata!.namespace}/${p.metadata!.name}`)).size, pods.length, 'names are unique');
      assert.equal((await httpGet(`${h.serverUrl(cluster)}/readyz`)).status, 200);
    } finally {
      await h.close();
    }
  });
});
