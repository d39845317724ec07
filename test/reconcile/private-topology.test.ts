// A private-topology cluster against the simulator: one Elastic IP and one NAT
// gateway per zone in the zone's utility subnet, a default route from each
// private table through its zone's gateway, a clean second plan, and a delete
// that leaves nothing tagged.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { DescribeAddressesCommand, DescribeNatGatewaysCommand, DescribeRouteTablesCommand, DescribeSubnetsCommand, type Tag } from '@aws-sdk/client-ec2';
import { applyCluster, planCluster } from '../../src/engine/reconcile/cluster.js';
import { deleteCluster, planDelete } from '../../src/engine/reconcile/delete.js';
import { buildClusterTasks, ReconcileSpecError } from '../../src/engine/reconcile/model.js';
import { countByKind, hasChanges } from '../../src/engine/reconcile/plan.js';
import { renderPlan } from '../../src/engine/reconcile/render-plan.js';
import type { ClusterBundle } from '../../src/engine/spec/types.js';
import { clusterFixture, startHarness, type Harness } from '../helpers/sim-reconcile.js';

const NAME = 'private.k8s.local';
const ZONES = ['us-east-1a', 'us-east-1b', 'us-east-1c'];
const ownerFilter = [{ Name: 'tag:KubernetesCluster', Values: [NAME] }];
const ownedTags = (name: string) => ({ KubernetesCluster: NAME, [`kubernetes.io/cluster/${NAME}`]: 'owned', Name: name });
const tagsOf = (list?: Tag[]) => Object.fromEntries((list ?? []).map((t) => [t.Key, t.Value]));

let h: Harness;
let bundle: ClusterBundle;

before(async () => {
  h = await startHarness({ speed: 100 });
  bundle = clusterFixture({ name: NAME, topology: 'private', zones: ZONES, controlPlaneCount: 1, nodeCount: 1 });
});
after(async () => h?.close());

const plan = () => planCluster({ cluster: bundle.cluster, instanceGroups: bundle.instanceGroups, clients: h.clients, clock: h.clock });

test('a private zone without a utility subnet is refused before any AWS call', () => {
  const { cluster, instanceGroups } = clusterFixture({ name: 'nat.k8s.local', topology: 'private', controlPlaneCount: 1, nodeCount: 1 });
  cluster.spec.subnets = cluster.spec.subnets.filter((s) => s.name !== 'utility-us-east-1b');
  assert.throws(
    () => buildClusterTasks(cluster, instanceGroups),
    (error: unknown) => error instanceof ReconcileSpecError && /zone us-east-1b has a Private subnet but no Utility subnet/.test(error.message),
  );
});

test('the plan lists an Elastic IP, a NAT gateway and a default route for every private zone', async () => {
  const planned = await plan();
  const counts = countByKind(planned.plan.creates.map((p) => p.task));
  assert.equal(counts.ElasticIP, 3);
  assert.equal(counts.NatGateway, 3);
  assert.equal(counts.RouteTable, 4);
  // The public table's route to the internet gateway, and one per private table.
  assert.equal(counts.Route, 4);
  const keys = planned.plan.creates.map((p) => p.task.key);
  for (const zone of ZONES) {
    assert.ok(keys.includes(`ElasticIP/${zone}.${NAME}`), `ElasticIP for ${zone}`);
    assert.ok(keys.includes(`NatGateway/${zone}.${NAME}`), `NatGateway for ${zone}`);
    assert.ok(keys.includes(`Route/private-${zone}-0.0.0.0/0`), `route for ${zone}`);
  }
  const rendered = renderPlan(planned.plan);
  assert.match(rendered, new RegExp(`NatGateway/us-east-1a\\.private\\.k8s\\.local\\n(    .*\\n)*    Subnet +<Subnet/utility-us-east-1a\\.${NAME.replace(/\./g, '\\.')}>`));
  assert.match(rendered, /Route\/private-us-east-1b-0\.0\.0\.0\/0\n( {4}.*\n)* {4}NatGateway +<NatGateway\/us-east-1b\.private\.k8s\.local>/);
});

test('apply creates tagged NAT gateways in the utility subnets and routes each private table through its zone', async () => {
  const result = await applyCluster({ cluster: bundle.cluster, instanceGroups: bundle.instanceGroups, clients: h.clients, clock: h.clock });
  assert.equal(result.ok, true, result.failed.map((f) => `${f.key}: ${f.error.message}`).join('\n'));
  const order = (key: string) => result.done.indexOf(key);
  assert.ok(order(`NatGateway/us-east-1a.${NAME}`) > order(`ElasticIP/us-east-1a.${NAME}`));
  assert.ok(order('Route/private-us-east-1a-0.0.0.0/0') > order(`NatGateway/us-east-1a.${NAME}`));

  const subnets = (await h.clients.ec2.send(new DescribeSubnetsCommand({ Filters: ownerFilter }))).Subnets ?? [];
  const subnetId = (name: string) => subnets.find((s) => tagsOf(s.Tags).Name === `${name}.${NAME}`)!.SubnetId!;
  const addresses = (await h.clients.ec2.send(new DescribeAddressesCommand({ Filters: ownerFilter }))).Addresses ?? [];
  assert.equal(addresses.length, 3);
  const gateways = (await h.clients.ec2.send(new DescribeNatGatewaysCommand({ Filter: ownerFilter }))).NatGateways ?? [];
  assert.equal(gateways.length, 3);
  const tables = (await h.clients.ec2.send(new DescribeRouteTablesCommand({ Filters: ownerFilter }))).RouteTables ?? [];
  for (const zone of ZONES) {
    const address = addresses.find((a) => tagsOf(a.Tags).Name === `${zone}.${NAME}`);
    assert.ok(address, `Elastic IP for ${zone}`);
    assert.deepEqual(tagsOf(address.Tags), ownedTags(`${zone}.${NAME}`));
    const gateway = gateways.find((g) => tagsOf(g.Tags).Name === `${zone}.${NAME}`);
    assert.ok(gateway, `NAT gateway for ${zone}`);
    assert.deepEqual(tagsOf(gateway.Tags), ownedTags(`${zone}.${NAME}`));
    assert.equal(gateway.State, 'available');
    assert.equal(gateway.SubnetId, subnetId(`utility-${zone}`));
    assert.equal(gateway.NatGatewayAddresses?.[0]?.AllocationId, address.AllocationId);
    const privateTable = tables.find((t) => tagsOf(t.Tags).Name === `private-${zone}.${NAME}`)!;
    assert.equal(privateTable.Routes?.find((r) => r.DestinationCidrBlock === '0.0.0.0/0')?.NatGatewayId, gateway.NatGatewayId);
    assert.deepEqual(privateTable.Associations?.map((a) => a.SubnetId), [subnetId(zone)]);
  }
  const publicTable = tables.find((t) => tagsOf(t.Tags).Name === NAME)!;
  assert.match(publicTable.Routes?.find((r) => r.DestinationCidrBlock === '0.0.0.0/0')?.GatewayId ?? '', /^igw-/);
});

test('a second plan reports no changes', async () => {
  const second = await plan();
  assert.equal(hasChanges(second.plan), false, renderPlan(second.plan));
  assert.equal(second.plan.unchanged.filter((p) => p.task.kind === 'NatGateway').length, 3);
});

test('delete removes the NAT gateways before the subnets, releases the addresses, and leaves nothing tagged', async () => {
  const deletePlan = await planDelete({ clusterName: NAME, clients: h.clients });
  const byType = (type: string) => deletePlan.resources.filter((r) => r.type === type).map((r) => r.name).sort();
  assert.deepEqual(byType('nat-gateway'), ZONES.map((z) => `${z}.${NAME}`));
  assert.deepEqual(byType('elastic-ip'), ZONES.map((z) => `${z}.${NAME}`));
  const result = await deleteCluster(deletePlan, { clients: h.clients, clock: h.clock, pollIntervalMs: 2_000 });
  assert.equal(result.ok, true, result.failed.map((f) => `${f.key}: ${f.error.message}`).join('\n'));
  for (const zone of ZONES) {
    const natDone = result.done.indexOf(`nat-gateway/${zone}.${NAME}`);
    assert.ok(natDone >= 0 && natDone < result.done.indexOf(`subnet/utility-${zone}.${NAME}`));
    assert.ok(natDone < result.done.indexOf(`elastic-ip/${zone}.${NAME}`));
  }
  assert.equal(result.done.at(-1), `vpc/${NAME}`);
  assert.deepEqual((await planDelete({ clusterName: NAME, clients: h.clients })).resources, []);
  assert.equal(((await h.clients.ec2.send(new DescribeAddressesCommand({ Filters: ownerFilter }))).Addresses ?? []).length, 0);
  const gateways = (await h.clients.ec2.send(new DescribeNatGatewaysCommand({ Filter: ownerFilter }))).NatGateways ?? [];
  // Deleted gateways stay visible for a while, as on AWS.
  assert.deepEqual(gateways.map((g) => g.State), ['deleted', 'deleted', 'deleted']);
});
