import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scaledClock } from '../../src/engine/clock.js';
import { createKubeClient, KubeConfigError } from '../../src/engine/kube/client.js';
import { Informer, type InformerEvent } from '../../src/engine/kube/informer.js';
import type { KubeNode } from '../../src/engine/kube/types.js';
import { FakeKubeApi } from './fake-kube-api.js';
import { until as poll } from '../helpers/wait.js';

const node = (name: string, extra: Record<string, unknown> = {}) => ({ metadata: { name, ...extra } });

const until = (what: string, check: () => boolean, timeoutMs = 5000) => poll(what, check, timeoutMs, 5);

async function withInformer(fn: (api: FakeKubeApi, informer: Informer<KubeNode>, events: InformerEvent<KubeNode>[]) => Promise<void>, pageSize = 0) {
  const api = await new FakeKubeApi().start();
  const client = await createKubeClient({ cluster: 'fake', kubeconfigPath: api.writeKubeconfig() });
  // Backoff runs on a fast clock: the test waits on conditions, not on time.
  const informer = new Informer<KubeNode>({ client, path: '/api/v1/nodes', clock: scaledClock(1000), pageSize, backoff: { initialMs: 100, maxMs: 1000 } });
  const events: InformerEvent<KubeNode>[] = [];
  informer.subscribe((e) => events.push(e));
  try {
    await fn(api, informer, events);
  } finally {
    await informer.stop();
    client.close();
    await api.stop();
  }
}

test('lists in pages, then follows the watch: add, update, delete', async () => {
  await withInformer(async (api, informer, events) => {
    for (const name of ['a', 'b', 'c', 'd', 'e']) api.put(node(name));
    informer.start();
    await informer.synced;
    assert.equal(informer.size, 5);
    assert.equal(api.requests.filter((r) => r.includes('limit=2')).length, 3, 'three pages of two');
    await until('the watch', () => api.openWatches === 1);
    events.length = 0;
    api.put(node('f'));
    api.put(node('a', { labels: { x: 'y' } }));
    api.remove('b');
    await until('three events', () => events.length === 3);
    assert.deepEqual(events.map((e) => [e.type, e.object.metadata.name]), [['add', 'f'], ['update', 'a'], ['delete', 'b']]);
    assert.equal(events[1].old?.metadata.labels, undefined);
    assert.deepEqual(informer.get('a')?.metadata.labels, { x: 'y' });
  }, 2);
});

for (const goneAsEvent of [false, true]) {
  test(`relists after 410 Gone (${goneAsEvent ? 'ERROR event' : 'HTTP 410'}) and reports only the differences`, async () => {
    await withInformer(async (api, informer, events) => {
      api.goneAsEvent = goneAsEvent;
      for (const name of ['a', 'b', 'c']) api.put(node(name));
      informer.start();
      await informer.synced;
      await until('the watch', () => api.openWatches === 1);
      events.length = 0;
      // Changes made while the watch is down and history is gone: only a relist can see them.
      api.compactAndDisconnect();
      api.remove('b');
      api.put(node('d'));
      api.put(node('c', { labels: { changed: 'yes' } }));
      api.compactAndDisconnect();
      await until('relist', () => informer.listCount === 2);
      assert.deepEqual(
        events.map((e) => [e.type, e.object.metadata.name]).sort(),
        [['add', 'd'], ['delete', 'b'], ['update', 'c']],
      );
      assert.deepEqual([...informer.values()].map((n) => n.metadata.name).sort(), ['a', 'c', 'd']);
    });
  });
}

test('reconnects with backoff after server errors, then resumes from its resourceVersion', async () => {
  await withInformer(async (api, informer, events) => {
    api.put(node('a'));
    api.failNext = 3;
    informer.start();
    await informer.synced;
    assert.ok(api.requests.filter((r) => !r.includes('watch')).length >= 4, 'list retried after three 500s');
    assert.equal(informer.lastError, undefined);
    await until('the watch', () => api.openWatches === 1);
    api.failNext = 2;
    // Drop the stream without compaction: the informer re-watches (through two 500s) with no relist.
    api.dropWatches();
    api.put(node('b'));
    await until('event after reconnect', () => events.some((e) => e.object.metadata.name === 'b'));
    assert.equal(informer.listCount, 1, 'no relist needed');
    assert.ok(api.requests.filter((r) => r.includes('watch=1')).length >= 4, 'watch retried');
  });
});

test('a missing context names the kubeconfig and the export command', async () => {
  const api = await new FakeKubeApi().start();
  try {
    const path = api.writeKubeconfig();
    await assert.rejects(createKubeClient({ cluster: 'prod.example.com', kubeconfigPath: path }), (error: Error) => {
      assert.ok(error instanceof KubeConfigError);
      assert.equal(error.message, `no context named prod.example.com in ${path}; run \`kopsdeck export kubeconfig prod.example.com\``);
      return true;
    });
    await assert.rejects(createKubeClient({ cluster: 'x', env: { KUBECONFIG: '/nonexistent/kubeconfig' } }), /no context named x in \/nonexistent\/kubeconfig/);
  } finally {
    await api.stop();
  }
});
