// The rollout's api.<cluster> refresh touches only a record kopsdeck keeps: a
// DNS-API cluster kopsdeck made. Behind an API load balancer, or once the state
// store shows kops made the cluster, it leaves the record alone.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ChangeResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import { pathToFileURL } from 'node:url';
import { applyCluster } from '../../src/engine/reconcile/cluster.js';
import { findHostedZone, findInstances, listRecordsNamed } from '../../src/engine/cloud/aws/discovery.js';
import { apiRecordRefresher } from '../../src/engine/rollout/api-record.js';
import { openStateStore } from '../../src/engine/store/open-store.js';
import type { ClusterStore } from '../../src/engine/store/cluster-store.js';
import type { Cluster } from '../../src/engine/spec/types.js';
import { clusterFixture, startHarness, waitFor, type Harness } from '../helpers/sim-reconcile.js';

const NAME = 'dnsapi.example.com';
let h: Harness;
let store: ClusterStore;
const bundle = clusterFixture({ name: NAME, zones: ['us-east-1a'], controlPlaneCount: 1, nodeCount: 1, dnsZone: 'example.com' });

before(async () => {
  h = await startHarness({ speed: 100 });
  store = openStateStore(pathToFileURL(join(process.env.KOPSDECK_HOME!, 'state')).href);
  await store.createCluster(bundle.cluster, bundle.instanceGroups);
  const created = await applyCluster({ ...bundle, clients: h.clients, clock: h.clock });
  assert.equal(created.ok, true, created.failed.map((f) => f.error.message).join('\n'));
  await waitFor('a running control-plane instance', async () => (await findInstances(h.clients, NAME, { controlPlaneOnly: true, states: ['running'] })).length > 0);
});
after(async () => h?.close());

async function apiRecord(): Promise<string[]> {
  const zone = await findHostedZone(h.clients, 'example.com', false);
  const records = await listRecordsNamed(h.clients, zone!.Id!, [`api.${NAME}`]);
  return (records.find((r) => r.Type === 'A')?.ResourceRecords ?? []).map((r) => r.Value ?? '').sort();
}

const refresher = (cluster: Cluster) =>
  apiRecordRefresher({ clients: h.clients, clock: h.clock, load: async () => ({ cluster, instanceGroups: bundle.instanceGroups }), store: store.objects });

test('behind an API load balancer the record is not kopsdeck’s: nothing is refreshed', async () => {
  const before = await apiRecord();
  const withLoadBalancer: Cluster = { ...bundle.cluster, spec: { ...bundle.cluster.spec, api: { loadBalancer: { type: 'Public', class: 'Network' } } } };
  assert.equal(await refresher(withLoadBalancer)(), undefined);
  assert.deepEqual(await apiRecord(), before);
});

test("kopsdeck's own DNS-API cluster: the record follows the running control plane", async () => {
  const [instance] = await findInstances(h.clients, NAME, { controlPlaneOnly: true, states: ['running'] });
  const address = instance.PublicIpAddress ?? instance.PrivateIpAddress!;
  const outcome = await refresher(bundle.cluster)();
  assert.deepEqual(outcome?.values, [address]);
  assert.deepEqual(await apiRecord(), [address]);
});

test("once the state store shows kops' own objects, the record is left to kops' dns-controller", async () => {
  await store.objects.put(`${NAME}/kops-version.txt`, '1.36.2');
  // Something else (dns-controller) points the record elsewhere; the refresh must not undo it.
  const zone = await findHostedZone(h.clients, 'example.com', false);
  await h.clients.route53.send(
    new ChangeResourceRecordSetsCommand({
      HostedZoneId: zone!.Id!,
      ChangeBatch: { Changes: [{ Action: 'UPSERT', ResourceRecordSet: { Name: `api.${NAME}`, Type: 'A', TTL: 60, ResourceRecords: [{ Value: '198.51.100.7' }] } }] },
    }),
  );
  assert.equal(await refresher(bundle.cluster)(), undefined);
  assert.deepEqual(await apiRecord(), ['198.51.100.7']);
});

test('a kops spec kopsdeck could not build itself (a shared VPC) is left alone too, not refused: the rollout goes on', async () => {
  // The store still holds kops-version.txt (the test above). kops' shared-VPC clusters name their VPC.
  const sharedVpc: Cluster = { ...bundle.cluster, spec: { ...bundle.cluster.spec, networkID: 'vpc-0a1b2c3d4e5f60718' } };
  assert.equal(await refresher(sharedVpc)(), undefined);
});
