// The simulated API server keeps each stored object's JSON and builds LISTs
// (and Table rows) from it. These tests prove that cache never serves an
// object older than the store holds: after every kind of write (merge,
// strategic and JSON patches, PUT, status subresource, create, graceful
// delete, eviction, removal, the world's own updates) a LIST is byte for byte
// what serialising the current objects gives; watch events and
// resourceVersions are what they were; Tables and paging are unchanged.
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { ApiStore } from '../../src/sim/kube/api-store.js';
import type { ClusterWorld } from '../../src/sim/kube/cluster-world.js';
import { listObjects, parseFilter } from '../../src/sim/kube/list-watch.js';
import { findResource } from '../../src/sim/kube/resources.js';
import { tableOf, tableWriter, type IncludeObject } from '../../src/sim/kube/tables.js';
import { keyOf, type KubeObject } from '../../src/sim/kube/types.js';
import { simInstance, startKubeHarness, waitFor, type KubeHarness } from '../helpers/sim-kube.js';

interface Captured {
  status: number;
  headers: Record<string, unknown>;
  body: string;
}

/** Runs a LIST against the world in-process, capturing the response it writes. */
async function captureList(world: ClusterWorld, resource: string, query = '', accept?: string): Promise<Captured> {
  const def = findResource(resource === 'poddisruptionbudgets' ? 'policy' : '', resource === 'poddisruptionbudgets' ? 'v1' : 'v1', resource)!;
  const chunks: Buffer[] = [];
  const captured: Captured = { status: 0, headers: {}, body: '' };
  const res = {
    destroyed: false,
    writeHead(status: number, headers: Record<string, unknown>) {
      captured.status = status;
      captured.headers = headers;
      return res;
    },
    write(chunk: Buffer | string) {
      chunks.push(Buffer.from(chunk));
      return true;
    },
    end(chunk?: Buffer | string) {
      if (chunk !== undefined) chunks.push(Buffer.from(chunk));
    },
    on() {},
    off() {},
  };
  const params = new URLSearchParams(query);
  await listObjects(world, def, parseFilter(undefined, params), params, accept, res as unknown as ServerResponse);
  captured.body = Buffer.concat(chunks).toString('utf8');
  return captured;
}

function currentObjects(world: ClusterWorld, resource: string): KubeObject[] {
  return [...world.store.values(resource)].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
}

/** The LIST body the current objects give when serialised afresh. */
function freshList(world: ClusterWorld, resource: string, kind: string): string {
  const items = currentObjects(world, resource).map((obj) => JSON.stringify(obj));
  return `{"kind":"${kind}List","apiVersion":"v1","metadata":{"resourceVersion":"${world.store.resourceVersion}"},"items":[${items.join(',')}]}`;
}

/** A LIST (served from the cache) equals a fresh serialisation of the store, and says its own length. */
async function assertListFresh(world: ClusterWorld, resource: string, kind: string, why: string): Promise<KubeObject[]> {
  const expected = freshList(world, resource, kind);
  const got = await captureList(world, resource);
  assert.equal(got.status, 200);
  assert.equal(got.body, expected, `LIST ${resource} after ${why} serves what the store holds`);
  assert.equal(got.headers['Content-Length'], Buffer.byteLength(got.body));
  return (JSON.parse(got.body) as { items: KubeObject[] }).items;
}

async function send(url: string, method: string, body: unknown, contentType = 'application/json'): Promise<{ status: number; obj: KubeObject }> {
  const response = await fetch(url, { method, headers: { 'Content-Type': contentType }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: response.status, obj: (await response.json()) as KubeObject };
}

function settled(world: ClusterWorld): Promise<number> {
  // The world reacts to changes on the next turn; wait until a turn passes without one.
  let last = -1;
  return waitFor('the world to settle', async () => {
    await new Promise((resolve) => setTimeout(resolve, 30));
    const rv = world.store.resourceVersion;
    if (rv === last) return rv;
    last = rv;
    return undefined;
  });
}

describe('LIST from cached JSON', () => {
  const cluster = 'cache.example.com';
  let h: KubeHarness;
  let world: ClusterWorld;
  let base: string;
  before(async () => {
    h = await startKubeHarness({ speed: 1 });
    h.kube.seedLargeCluster(cluster, Array.from({ length: 6 }, () => simInstance(cluster)), 4);
    world = h.kube.world(cluster)!;
    base = h.serverUrl(cluster);
    await settled(world);
  });
  after(async () => {
    await h.close();
  });

  it('serves every kind of write at once, byte for byte what the store holds', async () => {
    const nodeNames = currentObjects(world, 'nodes').map((n) => n.metadata.name);
    const worker = nodeNames[2];
    const writes: { why: string; resource: 'nodes' | 'pods'; run: () => Promise<{ status: number; obj: KubeObject }>; check: (item: KubeObject | undefined) => void }[] = [
      {
        why: 'a merge patch',
        resource: 'nodes',
        run: () => send(`${base}/api/v1/nodes/${worker}`, 'PATCH', { spec: { unschedulable: true } }, 'application/merge-patch+json'),
        check: (node) => assert.equal(node?.spec?.unschedulable, true),
      },
      {
        why: 'a strategic merge patch',
        resource: 'nodes',
        run: () => send(`${base}/api/v1/nodes/${worker}`, 'PATCH', { metadata: { labels: { team: 'blue' } } }, 'application/strategic-merge-patch+json'),
        check: (node) => assert.equal(node?.metadata.labels?.team, 'blue'),
      },
      {
        why: 'a JSON patch',
        resource: 'nodes',
        run: () => send(`${base}/api/v1/nodes/${worker}`, 'PATCH', [{ op: 'replace', path: '/spec/unschedulable', value: false }], 'application/json-patch+json'),
        check: (node) => assert.equal(node?.spec?.unschedulable, false),
      },
      {
        why: 'a PUT',
        resource: 'nodes',
        run: async () => {
          const current = world.store.get('nodes', worker)!;
          const next = structuredClone(current);
          next.metadata.annotations = { ...next.metadata.annotations, 'example.com/put': 'yes' };
          return send(`${base}/api/v1/nodes/${worker}`, 'PUT', next);
        },
        check: (node) => assert.equal(node?.metadata.annotations?.['example.com/put'], 'yes'),
      },
      {
        why: 'a status update',
        resource: 'nodes',
        run: () => send(`${base}/api/v1/nodes/${worker}/status`, 'PATCH', { status: { phase: 'Running' } }, 'application/merge-patch+json'),
        check: (node) => assert.equal(node?.status?.phase, 'Running'),
      },
      {
        why: 'a create',
        resource: 'pods',
        run: () => send(`${base}/api/v1/namespaces/default/pods`, 'POST', { metadata: { name: 'made-here' }, spec: { containers: [{ name: 'c', image: 'pause' }] } }),
        check: (pod) => assert.equal(pod?.metadata.name, 'made-here'),
      },
      {
        why: 'a graceful delete',
        resource: 'pods',
        run: () => send(`${base}/api/v1/namespaces/default/pods/made-here?gracePeriodSeconds=3600`, 'DELETE', undefined),
        check: (pod) => assert.ok(pod?.metadata.deletionTimestamp, 'a pod being deleted carries its deletionTimestamp'),
      },
      {
        why: 'an immediate delete',
        resource: 'pods',
        run: () => send(`${base}/api/v1/namespaces/default/pods/made-here?gracePeriodSeconds=0`, 'DELETE', undefined),
        check: (pod) => assert.equal(pod, undefined),
      },
      {
        why: 'an eviction',
        resource: 'pods',
        run: async () => {
          const victim = currentObjects(world, 'pods').find((p) => p.metadata.namespace === 'load' && !p.metadata.deletionTimestamp)!;
          const result = await send(`${base}/api/v1/namespaces/load/pods/${victim.metadata.name}/eviction`, 'POST', {
            apiVersion: 'policy/v1',
            kind: 'Eviction',
            metadata: { name: victim.metadata.name, namespace: 'load' },
          });
          assert.ok(result.status === 200 || result.status === 201, `eviction allowed (${result.status})`);
          return { status: result.status, obj: world.store.get('pods', keyOf(victim)) ?? victim };
        },
        check: (pod) => assert.ok(pod === undefined || pod.metadata.deletionTimestamp, 'an evicted pod is going or gone'),
      },
      {
        why: 'a node removed',
        resource: 'nodes',
        run: () => send(`${base}/api/v1/nodes/${nodeNames[4]}`, 'DELETE', undefined),
        check: (node) => assert.equal(node, undefined),
      },
    ];
    for (const write of writes) {
      // Fill the cache first, so a stale entry would show.
      await assertListFresh(world, write.resource, write.resource === 'nodes' ? 'Node' : 'Pod', `before ${write.why}`);
      const { status, obj } = await write.run();
      assert.ok(status < 300, `${write.why} succeeded (${status})`);
      const items = await assertListFresh(world, write.resource, write.resource === 'nodes' ? 'Node' : 'Pod', write.why);
      const listed = items.find((item) => keyOf(item) === keyOf(obj));
      write.check(listed);
      if (listed) assert.ok(Number(listed.metadata.resourceVersion) >= Number(obj.metadata.resourceVersion));
      // And through the server, the same object a GET returns.
      if (listed) {
        const path = write.resource === 'nodes' ? `nodes/${listed.metadata.name}` : `namespaces/${listed.metadata.namespace}/pods/${listed.metadata.name}`;
        const got = (await (await fetch(`${base}/api/v1/${path}`)).json()) as KubeObject;
        assert.ok(Number(got.metadata.resourceVersion) >= Number(listed.metadata.resourceVersion));
      }
    }
  });

  it('serves the world\'s own updates (a node going NotReady) at once', async () => {
    await assertListFresh(world, 'nodes', 'Node', 'warming');
    const record = currentObjects(world, 'nodes').find((n) => n.metadata.labels?.['node-role.kubernetes.io/node'] !== undefined)!;
    const instanceId = /i-[0-9a-f]+$/.exec(record.spec.providerID as string)![0];
    h.kube.instanceTerminated(instanceId);
    const items = await assertListFresh(world, 'nodes', 'Node', 'an instance terminated');
    const node = items.find((n) => n.metadata.name === record.metadata.name);
    assert.equal(node?.status?.conditions?.find((c: { type: string }) => c.type === 'Ready')?.status, 'Unknown');
  });

  it('sends watch events with the resourceVersions the LIST then shows', async () => {
    const name = currentObjects(world, 'nodes').at(-1)!.metadata.name;
    const startRv = world.store.resourceVersion;
    const controller = new AbortController();
    const response = await fetch(`${base}/api/v1/nodes?watch=true&resourceVersion=${startRv}`, { signal: controller.signal });
    const reader = response.body!.getReader();
    try {
      const patched = await send(`${base}/api/v1/nodes/${name}`, 'PATCH', { metadata: { labels: { watched: 'yes' } } }, 'application/merge-patch+json');
      const stored = world.store.eventsAfter(startRv)!.filter((e) => e.resource === 'nodes' && e.holder.obj.metadata.name === name);
      assert.deepEqual(
        stored.map((e) => [e.type, String(e.rv)]),
        [['MODIFIED', patched.obj.metadata.resourceVersion]],
        'one write, one event at its new resourceVersion',
      );
      let text = '';
      const event = await waitFor('the MODIFIED event', async () => {
        const { value } = await reader.read();
        text += Buffer.from(value ?? new Uint8Array()).toString('utf8');
        const line = text.split('\n').find((l) => l.includes('"watched"'));
        return line ? (JSON.parse(line) as { type: string; object: KubeObject }) : undefined;
      });
      assert.equal(event.type, 'MODIFIED');
      assert.deepEqual(event.object, patched.obj);
      const listed = (await assertListFresh(world, 'nodes', 'Node', 'a watched patch')).find((n) => n.metadata.name === name)!;
      assert.equal(listed.metadata.resourceVersion, patched.obj.metadata.resourceVersion);
    } finally {
      controller.abort();
      await reader.cancel().catch(() => undefined);
    }
  });

  it('gives a Content-Length that counts UTF-8 bytes, across objects larger than a write batch', async () => {
    const name = currentObjects(world, 'nodes')[0].metadata.name;
    const big = 'x'.repeat(1_500_000);
    const patched = await send(
      `${base}/api/v1/nodes/${name}`,
      'PATCH',
      { metadata: { annotations: { 'example.com/city': 'Zürich ✓ 日本', 'example.com/big': big } } },
      'application/merge-patch+json',
    );
    assert.equal(patched.status, 200);
    await assertListFresh(world, 'nodes', 'Node', 'a patch with non-ASCII text and a large annotation');
    const response = await fetch(`${base}/api/v1/nodes`);
    const bytes = Buffer.from(await response.arrayBuffer());
    assert.equal(Number(response.headers.get('content-length')), bytes.length);
    const node = (JSON.parse(bytes.toString('utf8')) as { items: KubeObject[] }).items.find((n) => n.metadata.name === name)!;
    assert.equal(node.metadata.annotations?.['example.com/city'], 'Zürich ✓ 日本');
    assert.equal(node.metadata.annotations?.['example.com/big'], big);
  });

  it('writes Table rows byte for byte as serialising the whole Table would', async () => {
    const now = Date.UTC(2026, 0, 2);
    for (const resource of ['nodes', 'pods']) {
      for (const include of ['None', 'Metadata', 'Object'] as IncludeObject[]) {
        const holders = currentObjects(world, resource).map((obj) => world.store.holder(resource, keyOf(obj))!);
        const listMeta = { resourceVersion: '7', continue: 'abc', remainingItemCount: 3 };
        const writer = tableWriter(resource, listMeta, now, include);
        const rows = holders.map(writer.row);
        for (const row of rows) assert.equal(row.bytes, Buffer.byteLength(row.text));
        const expected = JSON.stringify(tableOf(resource, holders.map((h) => h.obj), listMeta, now, include));
        assert.equal(writer.head + rows.map((r) => r.text).join(',') + writer.tail, expected, `${resource} includeObject=${include}`);
      }
    }
    const table = await captureList(world, 'pods', 'limit=3', 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json');
    const parsed = JSON.parse(table.body) as { kind: string; rows: unknown[]; metadata: { continue?: string } };
    assert.equal(parsed.kind, 'Table');
    assert.equal(parsed.rows.length, 3);
    assert.ok(parsed.metadata.continue);
    assert.equal(table.headers['Content-Length'], Buffer.byteLength(table.body));
  });

  it('pages from an index: every object that stays is listed once, in order, while others come and go', async () => {
    const made = (name: string) => world.create('pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'paging' }, spec: { containers: [] } });
    for (let i = 0; i < 30; i++) made(`p-${String(i).padStart(2, '0')}`);
    const stays = new Set(currentObjects(world, 'pods').map(keyOf));
    const seen: string[] = [];
    let token = '';
    let page = 0;
    do {
      const got = await captureList(world, 'pods', `limit=7${token ? `&continue=${token}` : ''}`);
      const body = JSON.parse(got.body) as { items: KubeObject[]; metadata: { continue?: string; remainingItemCount?: number } };
      seen.push(...body.items.map(keyOf));
      token = body.metadata.continue ?? '';
      if (token) {
        const last = seen.at(-1)!;
        const after = [...world.store.values('pods')].map(keyOf).filter((k) => k > last).length;
        assert.equal(body.metadata.remainingItemCount, after, 'remainingItemCount counts what is left after this page');
      }
      // Changes between pages: one already listed and one still ahead go; new ones come on both sides.
      page++;
      const behind = seen[Math.floor(seen.length / 2)];
      const ahead = currentObjects(world, 'pods').map(keyOf).find((k) => k > seen.at(-1)! && k.startsWith('paging/'));
      for (const key of [behind, ahead]) {
        if (key && world.store.get('pods', key)) {
          world.store.remove('pods', key);
          stays.delete(key);
        }
      }
      made(`a-new-${page}`);
      made(`zz-new-${page}`);
    } while (token);
    assert.deepEqual(seen, [...seen].sort(), 'pages come in key order');
    assert.equal(new Set(seen).size, seen.length, 'nothing listed twice');
    for (const key of stays) assert.ok(seen.includes(key), `${key} was there throughout and is listed`);
  });
});

describe('ApiStore sorted keys', () => {
  it('match a fresh sort after any sequence of adds, removes and reads', () => {
    const command = fc.oneof(
      fc.record({ op: fc.constant('put' as const), key: fc.integer({ min: 0, max: 40 }) }),
      fc.record({ op: fc.constant('remove' as const), key: fc.integer({ min: 0, max: 40 }) }),
      fc.record({ op: fc.constant('read' as const), key: fc.constant(0) }),
    );
    fc.assert(
      fc.property(fc.array(command, { maxLength: 200 }), (commands) => {
        const store = new ApiStore();
        const model = new Set<string>();
        const snapshots: { keys: string[]; copy: string[] }[] = [];
        for (const { op, key } of commands) {
          const name = `k-${key}`;
          if (op === 'put') {
            store.put('things', { apiVersion: 'v1', kind: 'Thing', metadata: { name } });
            model.add(name);
          } else if (op === 'remove') {
            store.remove('things', name);
            model.delete(name);
          } else {
            const keys = store.sortedKeys('things');
            assert.deepEqual(keys, [...model].sort());
            snapshots.push({ keys, copy: [...keys] });
          }
        }
        assert.deepEqual(store.sortedKeys('things'), [...model].sort());
        for (const snapshot of snapshots) assert.deepEqual(snapshot.keys, snapshot.copy, 'an array handed out never changes');
      }),
    );
  });

  it('stamps one resourceVersion per write and replaces the cached JSON with it', () => {
    const store = new ApiStore();
    store.put('things', { apiVersion: 'v1', kind: 'Thing', metadata: { name: 'a' }, spec: { n: 1 } });
    const first = store.holder('things', 'a')!;
    const text = JSON.stringify(first.obj);
    assert.equal(store.update('things', 'a', (draft) => void (draft.spec.n = 2))?.metadata.resourceVersion, '2');
    const second = store.holder('things', 'a')!;
    assert.notEqual(second, first, 'a write makes a new holder, so nothing cached for the old version is reused');
    assert.equal(JSON.stringify(first.obj), text, 'the old version is left as it was');
    assert.equal(second.json, undefined);
    assert.equal(store.eventsAfter(1)?.map((e) => `${e.type}@${e.rv}`).join(), 'MODIFIED@2');
  });
});
