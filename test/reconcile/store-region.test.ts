// A state store whose bucket is in another region than the cluster (a kops
// bucket in us-east-1 for clusters everywhere is common): kopsdeck asks S3 for
// the bucket's region, and the machines' user-data names it, so that they
// address the bucket there and sign for it. With the bucket in the cluster's
// own region nothing is added.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createAwsClients, type AwsClients } from '../../src/engine/cloud/aws/clients.js';
import { decodeUserData, readBootstrapValues } from '../../src/engine/bootstrap/user-data.js';
import { planCluster } from '../../src/engine/reconcile/cluster.js';
import { S3ObjectStore } from '../../src/engine/store/s3-store.js';
import { clusterFixture, startHarness, type Harness } from '../helpers/sim-reconcile.js';

let h: Harness;
let westClients: AwsClients;
before(async () => {
  h = await startHarness({ speed: 100 });
  westClients = createAwsClients({ endpoint: h.sim.url, region: 'us-west-2' });
  await westClients.s3.send(new CreateBucketCommand({ Bucket: 'west-state', CreateBucketConfiguration: { LocationConstraint: 'us-west-2' } }));
  await h.clients.s3.send(new CreateBucketCommand({ Bucket: 'east-state' }));
});
after(async () => {
  westClients?.destroy();
  await h?.close();
});

/** STORE_REGION of each launch template's user-data in a plan of a us-east-1 cluster with its store in `bucket`. */
async function storeRegions(bucket: string): Promise<(string | undefined)[]> {
  const store = new S3ObjectStore(h.clients.s3, bucket, 'clusters');
  const { cluster, instanceGroups } = clusterFixture({ name: `${bucket}.k8s.local`, zones: ['us-east-1a'], controlPlaneCount: 1, nodeCount: 1 });
  const planned = await planCluster({ cluster, instanceGroups, clients: h.clients, clock: h.clock, store });
  const templates = planned.plan.creates.filter((p) => p.task.kind === 'LaunchTemplate');
  assert.ok(templates.length >= 2);
  return templates.map((template) => {
    const desired = template.desired as { userData: string | { render: (host: string) => string } };
    const userData = typeof desired.userData === 'string' ? desired.userData : desired.userData.render('api.example');
    const values = readBootstrapValues(decodeUserData(userData))!;
    assert.equal(values.CONFIG_BASE, `s3://${bucket}/clusters/${bucket}.k8s.local`);
    return values.STORE_REGION;
  });
}

test("the store's bucket region, read from S3, is in every machine's user-data when it is not the cluster's", async () => {
  assert.equal(await new S3ObjectStore(h.clients.s3, 'west-state', 'clusters').region!(), 'us-west-2', 'asked from us-east-1');
  const regions = await storeRegions('west-state');
  assert.deepEqual(new Set(regions), new Set(['us-west-2']));
});

test("a bucket in the cluster's own region adds nothing to the user-data", async () => {
  const regions = await storeRegions('east-state');
  assert.deepEqual(new Set(regions), new Set([undefined]));
});

test("S3 redirects a request signed for another region than the bucket's, naming its region; kopsdeck's client follows it", async () => {
  const strict = new S3Client({ endpoint: h.sim.url, region: 'us-east-1', forcePathStyle: true, followRegionRedirects: false });
  try {
    await assert.rejects(strict.send(new PutObjectCommand({ Bucket: 'west-state', Key: 'probe', Body: 'x' })), (error: unknown) => {
      const e = error as { $metadata?: { httpStatusCode?: number }; $response?: { headers?: Record<string, string> } };
      assert.equal(e.$metadata?.httpStatusCode, 301);
      assert.equal(e.$response?.headers?.['x-amz-bucket-region'], 'us-west-2');
      return true;
    });
  } finally {
    strict.destroy();
  }
  const store = new S3ObjectStore(h.clients.s3, 'west-state', 'clusters');
  await store.put('probe', 'written from us-east-1');
  assert.equal((await store.get('probe'))?.body, 'written from us-east-1');
});
