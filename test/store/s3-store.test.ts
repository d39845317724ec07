// The S3 store through the real AWS SDK v3 client, over loopback HTTP, against
// a minimal S3 stand-in defined here (path-style GET/PUT/DELETE, ListObjectsV2
// with small pages, If-None-Match / If-Match preconditions answered with 412
// as S3 does). It proves the store's requests and error mapping on the wire;
// test/cli/s3-state-store.test.ts runs the same store against the simulator's S3.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { S3Client } from '@aws-sdk/client-s3';
import { buildClusterSpec } from '../../src/engine/spec/index.js';
import { ClusterStore } from '../../src/engine/store/cluster-store.js';
import { ConflictError } from '../../src/engine/store/object-store.js';
import { S3ObjectStore } from '../../src/engine/store/s3-store.js';

interface Seen {
  method: string;
  key: string;
  ifMatch?: string;
  ifNoneMatch?: string;
}

const PAGE_SIZE = 2;

function xmlError(res: ServerResponse, status: number, code: string): void {
  res.writeHead(status, { 'content-type': 'application/xml' });
  res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${code}</Message></Error>`);
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

async function startS3StandIn() {
  const objects = new Map<string, { body: string; etag: string }>();
  const seen: Seen[] = [];
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const [, bucket, ...rest] = url.pathname.split('/');
    const key = decodeURIComponent(rest.join('/'));
    const ifMatch = req.headers['if-match'] as string | undefined;
    const ifNoneMatch = req.headers['if-none-match'] as string | undefined;
    seen.push({ method: req.method ?? '', key, ifMatch, ifNoneMatch });
    if (bucket !== 'state-bucket') return xmlError(res, 404, 'NoSuchBucket');
    const current = objects.get(key);
    if (req.method === 'GET' && url.searchParams.get('list-type') === '2') {
      const prefix = url.searchParams.get('prefix') ?? '';
      const all = [...objects.keys()].filter((k) => k.startsWith(prefix)).sort();
      const start = Number(url.searchParams.get('continuation-token') ?? '0');
      const page = all.slice(start, start + PAGE_SIZE);
      const truncated = start + PAGE_SIZE < all.length;
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.end(
        `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>${bucket}</Name><Prefix>${escapeXml(prefix)}</Prefix>` +
          `<KeyCount>${page.length}</KeyCount><IsTruncated>${truncated}</IsTruncated>` +
          (truncated ? `<NextContinuationToken>${start + PAGE_SIZE}</NextContinuationToken>` : '') +
          page.map((k) => `<Contents><Key>${escapeXml(k)}</Key><ETag>${objects.get(k)!.etag}</ETag></Contents>`).join('') +
          `</ListBucketResult>`,
      );
      return;
    }
    if (ifMatch !== undefined && !current) return xmlError(res, 404, 'NoSuchKey');
    if (ifMatch !== undefined && current && ifMatch !== current.etag) return xmlError(res, 412, 'PreconditionFailed');
    if (req.method === 'GET') {
      if (!current) return xmlError(res, 404, 'NoSuchKey');
      res.writeHead(200, { etag: current.etag, 'content-type': 'application/yaml' });
      res.end(current.body);
    } else if (req.method === 'PUT') {
      if (ifNoneMatch === '*' && current) return xmlError(res, 412, 'PreconditionFailed');
      const body = Buffer.concat(chunks).toString('utf8');
      const etag = `"${createHash('md5').update(body).digest('hex')}"`;
      objects.set(key, { body, etag });
      res.writeHead(200, { etag });
      res.end();
    } else if (req.method === 'DELETE') {
      objects.delete(key);
      res.writeHead(204);
      res.end();
    } else xmlError(res, 405, 'MethodNotAllowed');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const client = new S3Client({
    region: 'us-east-1',
    endpoint: `http://127.0.0.1:${port}`,
    forcePathStyle: true,
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'not-a-secret' },
    maxAttempts: 1,
  });
  const close = async () => {
    client.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { objects, seen, client, close };
}

test('S3 store: create, read, paginated list, conditional writes mapped to ConflictError', async (t) => {
  const s3 = await startS3StandIn();
  t.after(s3.close);
  const store = new S3ObjectStore(s3.client, 'state-bucket', '/team/kops/');
  assert.equal(store.url, 's3://state-bucket/team/kops');
  assert.equal(await store.get('a.example.com/config'), null);

  const v1 = await store.put('a.example.com/config', 'one\n', { ifVersion: null });
  assert.match(v1, /^"[0-9a-f]{32}"$/);
  assert.deepEqual(s3.seen.at(-1), { method: 'PUT', key: 'team/kops/a.example.com/config', ifMatch: undefined, ifNoneMatch: '*' });
  assert.deepEqual(await store.get('a.example.com/config'), { body: 'one\n', version: v1 });

  await assert.rejects(store.put('a.example.com/config', 'dup\n', { ifVersion: null }), (e: unknown) => e instanceof ConflictError && /already exists in s3:\/\/state-bucket\/team\/kops/.test(e.message));
  const v2 = await store.put('a.example.com/config', 'two\n', { ifVersion: v1 });
  assert.equal(s3.seen.at(-1)?.ifMatch, v1);
  await assert.rejects(store.put('a.example.com/config', 'stale\n', { ifVersion: v1 }), (e: unknown) => e instanceof ConflictError && /changed by someone else since you read it/.test(e.message));
  assert.equal(s3.objects.get('team/kops/a.example.com/config')?.body, 'two\n');
  await assert.rejects(store.put('gone.example.com/config', 'x', { ifVersion: v2 }), /deleted by someone else/);

  for (const ig of ['a', 'b', 'c', 'd', 'e']) await store.put(`a.example.com/instancegroup/${ig}`, ig);
  s3.objects.set('elsewhere/x', { body: '', etag: '"0"' });
  assert.deepEqual(await store.list('a.example.com/instancegroup/'), ['a', 'b', 'c', 'd', 'e'].map((ig) => `a.example.com/instancegroup/${ig}`));
  const listCalls = s3.seen.filter((s) => s.method === 'GET' && s.key === '').length;
  assert.equal(listCalls, 3, 'five keys in pages of two take three list calls');

  await assert.rejects(store.delete('a.example.com/config', { ifVersion: v1 }), ConflictError);
  await store.delete('a.example.com/config', { ifVersion: v2 });
  await store.delete('a.example.com/config');
  assert.equal(await store.get('a.example.com/config'), null);
});

test('ClusterStore works the same on S3', async (t) => {
  const s3 = await startS3StandIn();
  t.after(s3.close);
  const store = new ClusterStore(new S3ObjectStore(s3.client, 'state-bucket'));
  const { cluster, instanceGroups } = buildClusterSpec({ name: 'demo.example.com', zones: ['eu-west-1a'], topology: 'public' });
  await store.createCluster(cluster, instanceGroups);
  assert.deepEqual(await store.listClusters(), ['demo.example.com']);
  const read = (await store.getCluster('demo.example.com'))!;
  assert.deepEqual(read.value, cluster);
  assert.deepEqual((await store.listInstanceGroups('demo.example.com')).map((g) => g.value.metadata.name), ['control-plane-eu-west-1a', 'nodes-eu-west-1a']);
  const edited = structuredClone(read.value);
  edited.spec.kubernetesVersion = '1.33.2';
  await store.updateCluster(edited, read.version);
  // Versions are content hashes (ETags), so the stale write must differ to be a lost edit.
  await assert.rejects(store.updateCluster(read.value, read.version), /cluster demo\.example\.com was changed by someone else/);
  await assert.rejects(store.createCluster(cluster, []), /already exists/);
  await store.deleteCluster('demo.example.com');
  assert.equal(s3.objects.size, 0);
});

test("region(): HeadBucket's answer, else the x-amz-bucket-region S3 names in a refusal; an error naming none is thrown", async () => {
  const storeAnswering = (send: () => Promise<unknown>) => new S3ObjectStore({ send } as unknown as S3Client, 'state-bucket', 'clusters');
  assert.equal(await storeAnswering(async () => ({ BucketRegion: 'eu-west-3' })).region(), 'eu-west-3');
  const refusal = Object.assign(new Error('Forbidden'), { name: 'Forbidden', $metadata: { httpStatusCode: 403 }, $response: { headers: { 'x-amz-bucket-region': 'us-east-1' } } });
  assert.equal(await storeAnswering(async () => Promise.reject(refusal)).region(), 'us-east-1');
  const silent = Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
  await assert.rejects(storeAnswering(async () => Promise.reject(silent)).region(), /socket hang up/);
});
