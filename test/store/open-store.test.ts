import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { FileObjectStore } from '../../src/engine/store/file-store.js';
import { S3ObjectStore } from '../../src/engine/store/s3-store.js';
import {
  StateStoreUrlError,
  openObjectStore,
  openStateStore,
  resolveStateStoreUrl,
} from '../../src/engine/store/open-store.js';

test('--state beats KOPS_STATE_STORE, which beats the local default under KOPSDECK_HOME', () => {
  const env = { KOPSDECK_HOME: '/tmp/kd-home', KOPS_STATE_STORE: 's3://team-state/kops' };
  assert.equal(resolveStateStoreUrl('file:///srv/state', env), 'file:///srv/state');
  assert.equal(resolveStateStoreUrl(undefined, env), 's3://team-state/kops');
  assert.equal(resolveStateStoreUrl('', { KOPSDECK_HOME: '/tmp/kd-home' }), 'file:///tmp/kd-home/state');
  assert.equal(resolveStateStoreUrl('/srv/plain-path', {}), 'file:///srv/plain-path');
});

test('opening a file:// store creates nothing; its first write makes the directory', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'kopsdeck-open-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const url = 'file://' + join(dir, 'nested', 'state');
  const store = openStateStore(url);
  assert.ok(store.objects instanceof FileObjectStore);
  assert.equal(store.url, url);
  assert.deepEqual(await store.listClusters(), []);
  await assert.rejects(stat(join(dir, 'nested')), { code: 'ENOENT' });
  await store.objects.put('a.example.com/config', 'x\n');
  assert.ok((await stat(join(dir, 'nested', 'state'))).isDirectory());
  assert.equal((await stat(join(dir, 'nested', 'state'))).mode & 0o777, 0o700);
  assert.deepEqual(await store.objects.list(''), ['a.example.com/config']);
});

test("a store opened with missingDirectory 'error' fails reads on a missing directory, saying so, and still writes", async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'kopsdeck-open-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const url = 'file://' + join(dir, 'typo');
  const store = openStateStore(url, { missingDirectory: 'error' });
  const missing = { name: 'MissingStateStoreError', message: `no state store at ${url} (the directory does not exist)` };
  await assert.rejects(store.listClusters(), missing);
  await assert.rejects(store.getCluster('a.example.com'), missing);
  await assert.rejects(store.objects.delete('a.example.com/config'), missing);
  await assert.rejects(stat(join(dir, 'typo')), { code: 'ENOENT' });
  await store.objects.put('a.example.com/config', 'x\n');
  assert.deepEqual(await store.objects.list(''), ['a.example.com/config']);
});

test('an s3:// URL opens an S3 store on the given client, bucket and prefix', () => {
  const client = new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
  t_equalS3(openObjectStore('s3://team-state/clusters/prod/', { s3Client: client }), 's3://team-state/clusters/prod', 'team-state');
  t_equalS3(openObjectStore('s3://team-state', { s3Client: client }), 's3://team-state', 'team-state');
  client.destroy();
});

function t_equalS3(store: unknown, url: string, bucket: string) {
  assert.ok(store instanceof S3ObjectStore);
  assert.equal(store.url, url);
  assert.equal(store.bucket, bucket);
}

test('unknown schemes and bad buckets give a clear error', () => {
  assert.throws(
    () => openStateStore('gs://bucket/x'),
    (e: unknown) => e instanceof StateStoreUrlError && /the "gs" scheme is not supported; use s3:\/\/bucket\/prefix or file:\/\/\/path/.test(e.message),
  );
  assert.throws(() => openStateStore('relative/dir'), /it has no scheme/);
  assert.throws(() => openStateStore('s3://'), /does not name a valid S3 bucket/);
  assert.throws(() => openStateStore('s3://Bad_Bucket/x'), /does not name a valid S3 bucket/);
});
