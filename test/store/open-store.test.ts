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

test('a file:// store is created on open and works', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'kopsdeck-open-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const url = 'file://' + join(dir, 'nested', 'state');
  const store = openStateStore(url);
  assert.ok((await stat(join(dir, 'nested', 'state'))).isDirectory());
  assert.ok(store.objects instanceof FileObjectStore);
  assert.equal(store.url, url);
  assert.deepEqual(await store.listClusters(), []);
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
