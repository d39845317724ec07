// A list's items are parsed as its bytes arrive (engine/kube/list-stream.ts):
// wherever the chunks are cut, the items and the envelope are exactly what
// JSON.parse of the whole answer gives, and an answer cut short is an error.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ListItemStream } from '../../src/engine/kube/list-stream.js';
import { createKubeClient, KubeApiError } from '../../src/engine/kube/client.js';
import { FakeKubeApi } from './fake-kube-api.js';

/** Feeds `text` cut at `cuts` (byte offsets) and returns what the stream gave. */
function streamed(text: string, cuts: number[], dropFields?: readonly string[]): { items: unknown[]; envelope: unknown } {
  const bytes = Buffer.from(text);
  const items: unknown[] = [];
  const stream = new ListItemStream<unknown>((item) => items.push(item), { dropFields });
  let from = 0;
  for (const cut of [...new Set(cuts)].sort((a, b) => a - b).filter((c) => c > 0 && c < bytes.length)) {
    stream.write(bytes.subarray(from, cut));
    from = cut;
  }
  stream.write(bytes.subarray(from));
  return { items, envelope: stream.end() };
}

function expected(text: string, dropFields: readonly string[] = []): { items: unknown[]; envelope: unknown } {
  const whole = JSON.parse(text) as { items: unknown[] };
  const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
  for (const item of whole.items) {
    for (const [parent, field] of dropFields.map((path) => path.split('.'))) {
      // A dropped field's object or array reads as null; a scalar there is kept.
      const holder = isObject(item) && Object.hasOwn(item, parent) ? item[parent] : undefined;
      if (isObject(holder) && Object.hasOwn(holder, field) && typeof holder[field] === 'object' && holder[field] !== null) holder[field] = null;
    }
  }
  return { items: whole.items, envelope: { ...whole, items: [] } };
}

// Strings that trip a naive scanner: quotes, backslashes, brackets, "items", multi-byte characters.
const awkward = fc.oneof(
  fc.string(),
  fc.constantFrom('"', '\\', '\\"', '\\\\', '{', '}', '[', ']', 'items', '"items":[', 'é', '日本', '🙂', '', 'images', 'managedFields', 'status', 'metadata'),
);
const value = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, awkward, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null), fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(awkward, tie('value'), { maxKeys: 4 })),
})).value;
const item = fc.dictionary(awkward, value, { maxKeys: 5 });

test('items and envelope equal JSON.parse of the whole list, however the bytes are cut', () => {
  fc.assert(
    fc.property(fc.array(item, { maxLength: 8 }), fc.dictionary(awkward, value, { maxKeys: 3 }), fc.boolean(), fc.array(fc.nat(4000), { maxLength: 12 }), (items, extra, metadataLast, cuts) => {
      const head = { kind: 'NodeList', apiVersion: 'v1', ...extra };
      delete (head as Record<string, unknown>).items;
      const metadata = { resourceVersion: '42', continue: 'eyJ2Ijoi"}]' };
      const list = metadataLast ? { ...head, items, metadata } : { ...head, metadata, items };
      const text = JSON.stringify(list, null, cuts.length % 2 === 0 ? undefined : 1);
      assert.deepEqual(streamed(text, cuts.map((c) => c % (Buffer.byteLength(text) + 1))), expected(text));
    }),
    { numRuns: 400 },
  );
});

const DROPS = ['metadata.managedFields', 'status.images'];
/** `{ ...others, field: value }` in either order, the value often a container. */
const memberWith = (field: string) =>
  fc
    .tuple(fc.dictionary(awkward, value, { maxKeys: 3 }), fc.oneof(fc.array(value, { maxLength: 3 }), fc.dictionary(awkward, value, { maxKeys: 3 }), value), fc.boolean())
    .map(([others, dropped, first]) => (first ? { [field]: dropped, ...others } : { ...others, [field]: dropped }));
const itemWithDroppable = fc
  .tuple(item, fc.oneof(memberWith('managedFields'), memberWith('images'), value), fc.oneof(memberWith('images'), memberWith('managedFields'), value), fc.boolean())
  .map(([others, metadata, status, first]) => (first ? { metadata, status, ...others } : { ...others, status, metadata }));

test('dropped fields read as null and everything else as JSON.parse reads it, however the bytes are cut', () => {
  fc.assert(
    fc.property(fc.array(itemWithDroppable, { maxLength: 6 }), fc.array(fc.nat(4000), { maxLength: 12 }), (items, cuts) => {
      // The envelope may hold the same names: only items' fields are dropped.
      const text = JSON.stringify({ kind: 'NodeList', metadata: { managedFields: [1], images: {} }, status: { images: [2] }, items }, null, cuts.length % 2 === 0 ? undefined : 1);
      assert.deepEqual(streamed(text, cuts.map((c) => c % (Buffer.byteLength(text) + 1)), DROPS), expected(text, DROPS));
    }),
    { numRuns: 400 },
  );
});

test('a node with an image list and managed fields: every one-byte cut drops both, and keeps the rest', () => {
  const node = {
    metadata: { name: 'ip-10-0-0-1', managedFields: [{ manager: 'kubelet', fieldsV1: { 'f:status': { 'f:conditions': { 'k:{"type":"Ready"}': {} } } } }], labels: { images: '[x]' } },
    spec: { images: ['kept: spec is not status'] },
    status: { images: [{ names: ['registry.k8s.io/pause:3.10 "é"'], sizeBytes: 1 }], conditions: [{ type: 'Ready', status: 'True' }] },
  };
  const text = JSON.stringify({ kind: 'NodeList', metadata: {}, items: [node, { metadata: { name: 'b' }, status: ['images', ['kept: status is an array here']] }] });
  const want = expected(text, DROPS);
  const first = want.items[0] as typeof node;
  assert.equal(first.metadata.managedFields, null);
  assert.equal(first.status.images, null);
  assert.deepEqual(first.spec.images, node.spec.images);
  for (let cut = 1; cut < Buffer.byteLength(text); cut++) assert.deepEqual(streamed(text, [cut], DROPS), want, `cut at byte ${cut}`);
  assert.throws(() => new ListItemStream(() => {}, { dropFields: ['status'] }), /parent\.field/);
});

test('every one-byte cut of a list with escapes and multi-byte text gives the same items', () => {
  const text = JSON.stringify({
    kind: 'PodList',
    metadata: { resourceVersion: '7' },
    items: [{ metadata: { name: 'a', annotations: { note: 'say "hi" \\ [items] {x} é 🙂' } } }, { metadata: { name: 'b' }, items: [{ nested: true }] }, {}],
  });
  for (let cut = 1; cut < Buffer.byteLength(text); cut++) assert.deepEqual(streamed(text, [cut]), expected(text), `cut at byte ${cut}`);
  assert.deepEqual(streamed(text, Array.from({ length: Buffer.byteLength(text) }, (_, i) => i)), expected(text), 'one byte at a time');
});

test('an answer cut short, or that is not a list object, is an error', () => {
  const text = JSON.stringify({ kind: 'NodeList', metadata: {}, items: [{ a: 1 }, { b: 2 }] });
  assert.throws(() => streamed(text.slice(0, -3), []), SyntaxError);
  assert.throws(() => streamed(text.slice(0, 20), []), SyntaxError);
  assert.throws(() => streamed('[1, 2]', []), SyntaxError);
});

test('the client lists through the stream, plain and gzip-compressed, and reads a refused list as an API error', async () => {
  const api = await new FakeKubeApi().start();
  const client = await createKubeClient({ cluster: 'fake', kubeconfigPath: api.writeKubeconfig() });
  try {
    for (let i = 0; i < 300; i++) api.put({ metadata: { name: `node-${String(i).padStart(3, '0')}`, labels: { note: 'é "quoted" \\' } } });
    const whole = await client.request<{ items: unknown[]; metadata: unknown }>('GET', '/api/v1/nodes');
    for (const gzip of [false, true]) {
      api.gzip = gzip;
      const items: unknown[] = [];
      const envelope = await client.requestList('/api/v1/nodes', (node) => items.push(node));
      assert.deepEqual(items, whole.items, gzip ? 'compressed' : 'plain');
      assert.deepEqual(envelope.metadata, whole.metadata);
    }
    api.failNext = 1;
    await assert.rejects(client.requestList('/api/v1/nodes', () => assert.fail('no item of a refused list')), (error: unknown) => error instanceof KubeApiError && error.status === 500);
  } finally {
    client.close();
    await api.stop();
  }
});
