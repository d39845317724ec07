import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applySetting, buildClusterSpec, parseInstanceGroup } from '../../src/engine/spec/index.js';
import { ClusterStore, NotFoundError, StoredSpecError } from '../../src/engine/store/cluster-store.js';
import { FileObjectStore } from '../../src/engine/store/file-store.js';
import { ConflictError } from '../../src/engine/store/object-store.js';

const NAME = 'demo.example.com';
const bundle = () =>
  buildClusterSpec({ name: NAME, zones: ['us-east-1a', 'us-east-1b', 'us-east-1c'], controlPlaneCount: 3, topology: 'public' });

async function freshStore(t: { after: (fn: () => Promise<void>) => void }) {
  const dir = await mkdtemp(join(tmpdir(), 'kopsdeck-clusters-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return { dir, store: new ClusterStore(new FileObjectStore(dir)) };
}

test('a created cluster is stored in the kops layout and reads back whole', async (t) => {
  const { dir, store } = await freshStore(t);
  const { cluster, instanceGroups } = bundle();
  await store.createCluster(cluster, instanceGroups);
  assert.deepEqual(await readdir(join(dir, NAME)), ['config', 'instancegroup']);
  assert.deepEqual((await readdir(join(dir, NAME, 'instancegroup'))).sort(), instanceGroups.map((ig) => ig.metadata.name).sort());
  const onDisk = await readFile(join(dir, NAME, 'instancegroup', 'nodes-us-east-1b'), 'utf8');
  assert.match(onDisk, /^apiVersion: kops\.k8s\.io\/v1alpha2\nkind: InstanceGroup\n/);
  const parsed = parseInstanceGroup(onDisk);
  assert.ok(parsed.ok);

  assert.deepEqual(await store.listClusters(), [NAME]);
  const got = await store.getCluster(NAME);
  assert.deepEqual(got?.value, cluster);
  const groups = await store.listInstanceGroups(NAME);
  assert.deepEqual(groups.map((g) => g.value.metadata.name), [
    'control-plane-us-east-1a',
    'control-plane-us-east-1b',
    'control-plane-us-east-1c',
    'nodes-us-east-1a',
    'nodes-us-east-1b',
    'nodes-us-east-1c',
  ]);
  assert.equal(await store.getCluster('other.example.com'), null);
  assert.equal(store.url, 'file://' + dir);
});

test('creating a cluster that exists is refused and changes nothing', async (t) => {
  const { store } = await freshStore(t);
  const { cluster, instanceGroups } = bundle();
  await store.createCluster(cluster, instanceGroups);
  const before = await store.getCluster(NAME);
  const other = structuredClone(cluster);
  other.spec.kubernetesVersion = '1.31.9';
  await assert.rejects(store.createCluster(other, []), (e: unknown) => e instanceof ConflictError && /cluster demo\.example\.com already exists/.test(e.message));
  assert.deepEqual(await store.getCluster(NAME), before);
});

test('an edit based on an old read is refused with a sentence saying so; the newer edit stays', async (t) => {
  const { store } = await freshStore(t);
  const { cluster, instanceGroups } = bundle();
  await store.createCluster(cluster, instanceGroups);
  const aliceRead = (await store.getCluster(NAME))!;
  const bobRead = (await store.getCluster(NAME))!;
  const alice = applySetting(aliceRead.value, 'spec.kubernetesVersion=1.33.2');
  assert.ok(alice.ok);
  const aliceVersion = await store.updateCluster(alice.value, aliceRead.version);
  const bob = applySetting(bobRead.value, 'spec.sshAccess=10.0.0.0/8');
  assert.ok(bob.ok);
  await assert.rejects(store.updateCluster(bob.value, bobRead.version), (e: unknown) => {
    assert.ok(e instanceof ConflictError);
    assert.equal(
      e.message,
      'cluster demo.example.com was changed by someone else since you read it; your edit was not saved. Open it again and reapply your change',
    );
    return true;
  });
  const now = (await store.getCluster(NAME))!;
  assert.equal(now.version, aliceVersion);
  assert.equal(now.value.spec.kubernetesVersion, '1.33.2');
  assert.deepEqual(now.value.spec.sshAccess, ['0.0.0.0/0', '::/0']);
});

test('instance groups: create, conditional update, conflict, delete', async (t) => {
  const { store } = await freshStore(t);
  const { cluster, instanceGroups } = bundle();
  await store.createCluster(cluster, instanceGroups);
  const extra = structuredClone(instanceGroups[3]);
  extra.metadata.name = 'spot-us-east-1a';
  const v1 = await store.putInstanceGroup(NAME, extra, null);
  await assert.rejects(store.putInstanceGroup(NAME, extra, null), /instance group spot-us-east-1a already exists in cluster demo\.example\.com/);
  const read = (await store.getInstanceGroup(NAME, 'spot-us-east-1a'))!;
  assert.equal(read.version, v1);
  read.value.spec.maxSize = 4;
  const v2 = await store.putInstanceGroup(NAME, read.value, v1);
  await assert.rejects(store.putInstanceGroup(NAME, extra, v1), /changed by someone else since you read it; your edit was not saved/);
  assert.equal((await store.getInstanceGroup(NAME, 'spot-us-east-1a'))?.version, v2);
  await assert.rejects(store.putInstanceGroup('nope.example.com', extra, null), NotFoundError);
  await store.deleteInstanceGroup(NAME, 'spot-us-east-1a');
  assert.equal(await store.getInstanceGroup(NAME, 'spot-us-east-1a'), null);
  assert.equal((await store.listInstanceGroups(NAME)).length, instanceGroups.length);
});

test("deleting a cluster removes its config, groups, any other objects under it and kopsdeck's own objects about it", async (t) => {
  const { dir, store } = await freshStore(t);
  const { cluster, instanceGroups } = bundle();
  await store.createCluster(cluster, instanceGroups);
  await store.objects.put(`${NAME}/rollout/journal`, '{}');
  await store.objects.put(`kopsdeck/${NAME}/rollout/journal`, '{}');
  const keep = bundle();
  keep.cluster.metadata.name = 'keep.example.com';
  await store.createCluster(keep.cluster, []);
  await store.objects.put('kopsdeck/keep.example.com/rollout/journal', '{}');
  await store.deleteCluster(NAME);
  assert.deepEqual(await store.listClusters(), ['keep.example.com']);
  assert.deepEqual(await store.objects.list(`${NAME}/`), []);
  assert.deepEqual(await store.objects.list('kopsdeck/'), ['kopsdeck/keep.example.com/rollout/journal'], "only the other cluster's journal is left");
  assert.deepEqual((await readdir(dir)).sort(), ['keep.example.com', 'kopsdeck']);
});

test('a stored spec that no longer parses is reported with where it lives', async (t) => {
  const { dir, store } = await freshStore(t);
  const { cluster, instanceGroups } = bundle();
  await store.createCluster(cluster, instanceGroups);
  await writeFile(join(dir, NAME, 'config'), 'apiVersion: kops.k8s.io/v1alpha2\nkind: Cluster\nmetadata: {name: demo.example.com}\nspec: [\n');
  await assert.rejects(store.getCluster(NAME), (e: unknown) => e instanceof StoredSpecError && e.message.includes(`${NAME}/config is not a valid spec: YAML syntax error`));
});

test('names that are not DNS names are refused before touching the store', async (t) => {
  const { store } = await freshStore(t);
  await assert.rejects(store.getCluster('../etc'), /cluster name "\.\.\/etc" has an empty part between dots/);
  await assert.rejects(store.getCluster('a/b.example.com'), /not a DNS name/);
  await assert.rejects(store.getInstanceGroup(NAME, '../x'), /may only hold/);
});

test('a resource larger than reading accepts is refused before anything is written', async (t) => {
  const { dir, store } = await freshStore(t);
  const { cluster, instanceGroups } = bundle();
  const huge = { ...cluster, metadata: { ...cluster.metadata, annotations: { note: 'x'.repeat(4 * 1024 * 1024) } } };
  await assert.rejects(store.createCluster(huge, instanceGroups), /Cluster demo\.example\.com would be \d+ characters of YAML; kopsdeck reads at most 4194304, so it was not written/);
  assert.deepEqual(await readdir(dir), []);
  await store.createCluster(cluster, instanceGroups);
  const got = await store.getCluster(NAME);
  await assert.rejects(store.updateCluster(huge, got!.version), /so it was not written/);
  assert.deepEqual((await store.getCluster(NAME))?.value, cluster, 'the stored cluster is unchanged');
});
