// The simulator's nodes carry what a kubelet reports, their image lists
// included (sim/kube/node-object.ts), and the live cluster lists them without
// parsing what its caches drop (kube/list-stream.ts dropFields): the raw items
// it is handed have no image list, and the nodes are still all there.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { KubeClient } from '../../src/engine/kube/client.js';
import type { KubeNode } from '../../src/engine/kube/types.js';
import { startLiveCluster } from '../../src/engine/live-model/live-cluster.js';
import { startSimCluster, type SimCluster } from '../helpers/sim-cluster.js';

let cluster: SimCluster;
before(async () => {
  cluster = await startSimCluster({ name: 'drops.k8s.local', workers: 2, speed: 50 });
});
after(async () => cluster?.stop());

type RawNode = KubeNode & { status?: { images?: unknown } };

/** The client, keeping every item its lists hand over, before any transform. */
function keepingListItems(kube: KubeClient, items: Map<string, unknown[]>): KubeClient {
  return new Proxy(kube, {
    get(target, key, receiver) {
      if (key !== 'requestList') return Reflect.get(target, key, receiver) as unknown;
      return (path: string, onItem: (item: unknown) => void, opts: object) => {
        const kept = items.get(path.split('?')[0]) ?? [];
        items.set(path.split('?')[0], kept);
        return target.requestList(path, (item) => (kept.push(structuredClone(item)), onItem(item)), opts);
      };
    },
  });
}

test("a node's image list is on the wire, and the live cluster's node list leaves it unparsed", async () => {
  const { items: wire } = await cluster.kube.request<{ items: RawNode[] }>('GET', '/api/v1/nodes');
  assert.ok(wire.length >= 3);
  for (const node of wire) {
    const images = node.status?.images as { names: string[]; sizeBytes: number }[];
    assert.ok(Array.isArray(images) && images.length > 0, `${node.metadata.name} reports the images it holds`);
    assert.ok(images.some((image) => image.names.includes('registry.k8s.io/pause:3.10')), 'the pause image among them');
    assert.ok(images.every((image) => image.names[0].includes('@sha256:') && image.sizeBytes > 0), 'each by digest and tag, with its size');
  }

  const listed = new Map<string, unknown[]>();
  const live = startLiveCluster({ cluster: cluster.name, kube: keepingListItems(cluster.kube, listed), clock: cluster.clock });
  try {
    await live.synced;
    const raw = (listed.get('/api/v1/nodes') ?? []) as RawNode[];
    assert.deepEqual(raw.map((node) => node.metadata.name).sort(), wire.map((node) => node.metadata.name).sort(), 'every node was listed');
    for (const node of raw) assert.equal(node.status?.images, null, `${node.metadata.name}'s image list was not parsed`);
    assert.ok(raw.every((node) => Array.isArray(node.status?.conditions)), 'the rest of each node was');
    assert.equal(live.model.snapshot().nodes.length, wire.length);
    assert.ok((listed.get('/api/v1/pods') ?? []).length > 0, 'pods were listed through the same stream');
  } finally {
    await live.stop();
  }
});
