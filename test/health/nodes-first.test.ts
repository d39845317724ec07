// A live cluster that lists nodes first (the console's sessions) starts pods
// and the cloud only once the nodes are in and `restAfter` has resolved (the
// console: its next frame), so the frame showing the nodes is not held up by
// 150,000 pods arriving.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { KubeClient } from '../../src/engine/kube/client.js';
import { startLiveCluster } from '../../src/engine/live-model/live-cluster.js';
import type { CloudInventory } from '../../src/engine/live-model/types.js';
import { startSimCluster, type SimCluster } from '../helpers/sim-cluster.js';

let cluster: SimCluster;
before(async () => {
  cluster = await startSimCluster({ name: 'first.k8s.local', workers: 2, speed: 50 });
});
after(async () => cluster?.stop());

/** The client, recording the path of every request and watch it is asked for. */
function recording(kube: KubeClient, paths: string[]): KubeClient {
  return new Proxy(kube, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const path = args.find((a): a is string => typeof a === 'string' && a.startsWith('/'));
        if (path) paths.push(path);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

test('with nodesFirst, pods and the cloud wait for the nodes and then for restAfter', async () => {
  const paths: string[] = [];
  let cloudCalls = 0;
  const cloud: CloudInventory = { listInstanceGroups: (name, signal) => (cloudCalls++, cluster.inventory.listInstanceGroups(name, signal)) };
  let releaseRest!: () => void;
  const gate = new Promise<void>((resolve) => (releaseRest = resolve));
  let gateAsked = false;
  const live = startLiveCluster({
    cluster: cluster.name,
    kube: recording(cluster.kube, paths),
    cloud,
    clock: cluster.clock,
    nodesFirst: true,
    restAfter: () => ((gateAsked = true), gate),
  });
  try {
    await live.nodes.synced;
    await new Promise((resolve) => setImmediate(resolve));
    assert.ok(gateAsked, 'restAfter is asked once the nodes are listed');
    assert.ok(live.model.snapshot().nodes.length >= 3, 'the nodes are in');
    assert.ok(!paths.some((p) => p.startsWith('/api/v1/pods')), `no pod request before the gate opens: ${paths.join(', ')}`);
    assert.equal(cloudCalls, 0, 'no cloud call before the gate opens');

    releaseRest();
    await live.synced;
    assert.ok(paths.some((p) => p.startsWith('/api/v1/pods')), 'pods are listed after it');
    assert.ok(cloudCalls >= 1, 'the cloud is read after it');
    assert.ok(live.model.snapshot().counts.pods > 0);
  } finally {
    await live.stop();
  }
});
