// The Kubernetes client accepts gzip for the requests whose whole answer it
// reads (lists above all), as kubectl does, and reads a compressed answer, a
// compressed error included, as it reads a plain one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createKubeClient, KubeApiError } from '../../src/engine/kube/client.js';
import type { KubeList, KubeNode } from '../../src/engine/kube/types.js';
import { FakeKubeApi } from './fake-kube-api.js';

test('a gzip-compressed list and a gzip-compressed error read as plain ones', async () => {
  const api = await new FakeKubeApi().start();
  const client = await createKubeClient({ cluster: 'fake', kubeconfigPath: api.writeKubeconfig() });
  try {
    for (let i = 0; i < 300; i++) api.put({ metadata: { name: `node-${String(i).padStart(3, '0')}`, labels: { zone: `z${i % 3}` } } });
    const plain = await client.request<KubeList<KubeNode>>('GET', '/api/v1/nodes');
    assert.equal(api.gzipped, 0);

    api.gzip = true;
    const compressed = await client.request<KubeList<KubeNode>>('GET', '/api/v1/nodes');
    assert.equal(api.gzipped, 1, 'the client asked for gzip and the answer came compressed');
    assert.equal(compressed.items.length, 300);
    assert.deepEqual(compressed, plain);

    api.failNext = 1;
    await assert.rejects(client.request('GET', '/api/v1/nodes'), (error: unknown) => {
      assert.ok(error instanceof KubeApiError);
      assert.equal(error.status, 500);
      assert.equal(error.reason, 'InternalError');
      assert.match(error.message, /InternalError \(fake\)/);
      return true;
    });
    assert.equal(api.gzipped, 2, 'the error came compressed too');
  } finally {
    client.close();
    await api.stop();
  }
});
