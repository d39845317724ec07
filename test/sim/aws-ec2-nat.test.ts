// Elastic IPs, NAT gateways and routes through them, via the real SDK client
// against the simulator: shapes parse, filters and pagination work, timed
// state transitions happen, and what is in use cannot be removed.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as ec2 from '@aws-sdk/client-ec2';
import { rejection, startFixture, waitFor, type SimFixture } from '../helpers/sim-aws.js';

const CLUSTER = 'nat.example.com';
const tagged = (resourceType: ec2.ResourceType, name: string): ec2.TagSpecification[] => [
  { ResourceType: resourceType, Tags: [{ Key: 'KubernetesCluster', Value: CLUSTER }, { Key: 'Name', Value: name }] },
];

describe('simulated EC2 NAT gateways and Elastic IPs', () => {
  let f: SimFixture;
  before(async () => {
    f = await startFixture();
  });
  after(() => f.close());

  const natState = async (id: string) =>
    (await f.ec2.send(new ec2.DescribeNatGatewaysCommand({ NatGatewayIds: [id] }))).NatGateways?.[0]?.State;

  it('allocates, describes (by tag, tag-key, id) and releases an Elastic IP', async () => {
    const allocated = await f.ec2.send(new ec2.AllocateAddressCommand({ Domain: 'vpc', TagSpecifications: tagged('elastic-ip', 'a.nat') }));
    assert.match(allocated.AllocationId!, /^eipalloc-[0-9a-f]{17}$/);
    assert.match(allocated.PublicIp!, /^\d+\.\d+\.\d+\.\d+$/);
    assert.equal(allocated.Domain, 'vpc');
    const other = await f.ec2.send(new ec2.AllocateAddressCommand({ Domain: 'vpc' }));
    assert.notEqual(other.PublicIp, allocated.PublicIp);
    const byTag = await f.ec2.send(new ec2.DescribeAddressesCommand({ Filters: [{ Name: 'tag:KubernetesCluster', Values: [CLUSTER] }] }));
    assert.deepEqual(byTag.Addresses?.map((a) => [a.AllocationId, a.PublicIp, a.Domain]), [[allocated.AllocationId, allocated.PublicIp, 'vpc']]);
    assert.deepEqual(Object.fromEntries(byTag.Addresses![0].Tags!.map((t) => [t.Key, t.Value])), { KubernetesCluster: CLUSTER, Name: 'a.nat' });
    const byKey = await f.ec2.send(new ec2.DescribeAddressesCommand({ Filters: [{ Name: 'tag-key', Values: ['Name'] }] }));
    assert.deepEqual(byKey.Addresses?.map((a) => a.AllocationId), [allocated.AllocationId]);
    const byId = await f.ec2.send(new ec2.DescribeAddressesCommand({ AllocationIds: [other.AllocationId!] }));
    assert.deepEqual(byId.Addresses?.map((a) => a.PublicIp), [other.PublicIp]);
    await f.ec2.send(new ec2.ReleaseAddressCommand({ AllocationId: other.AllocationId }));
    const gone = await rejection(() => f.ec2.send(new ec2.DescribeAddressesCommand({ AllocationIds: [other.AllocationId!] })));
    assert.equal(gone.name, 'InvalidAllocationID.NotFound');
    await f.ec2.send(new ec2.ReleaseAddressCommand({ AllocationId: allocated.AllocationId }));
  });

  it('runs a NAT gateway from pending to available, routes through it, and guards its subnet and address until deleted', async () => {
    const vpcId = (await f.ec2.send(new ec2.CreateVpcCommand({ CidrBlock: '10.9.0.0/16' }))).Vpc!.VpcId!;
    const subnetId = (await f.ec2.send(new ec2.CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.9.0.0/22', AvailabilityZone: 'us-east-1a' }))).Subnet!.SubnetId!;
    const address = await f.ec2.send(new ec2.AllocateAddressCommand({ Domain: 'vpc' }));
    const created = await f.ec2.send(
      new ec2.CreateNatGatewayCommand({ SubnetId: subnetId, AllocationId: address.AllocationId, TagSpecifications: tagged('natgateway', 'us-east-1a.nat') }),
    );
    const nat = created.NatGateway!;
    assert.match(nat.NatGatewayId!, /^nat-[0-9a-f]{17}$/);
    assert.equal(nat.State, 'pending');
    assert.equal(nat.SubnetId, subnetId);
    assert.equal(nat.VpcId, vpcId);
    assert.ok(nat.CreateTime instanceof Date);
    assert.deepEqual(nat.NatGatewayAddresses?.map((a) => [a.AllocationId, a.PublicIp]), [[address.AllocationId, address.PublicIp]]);
    assert.match(nat.NatGatewayAddresses![0].PrivateIp!, /^10\.9\.[0-3]\.\d+$/);
    await waitFor('the NAT gateway to become available', async () => (await natState(nat.NatGatewayId!)) === 'available');

    for (const [name, values] of [['tag:KubernetesCluster', [CLUSTER]], ['vpc-id', [vpcId]], ['subnet-id', [subnetId]], ['state', ['available']]] as const) {
      const found = await f.ec2.send(new ec2.DescribeNatGatewaysCommand({ Filter: [{ Name: name, Values: [...values] }] }));
      assert.deepEqual(found.NatGateways?.map((g) => g.NatGatewayId), [nat.NatGatewayId], name);
    }
    const none = await f.ec2.send(new ec2.DescribeNatGatewaysCommand({ Filter: [{ Name: 'state', Values: ['deleted'] }] }));
    assert.equal(none.NatGateways?.length, 0);
    const badFilter = await rejection(() => f.ec2.send(new ec2.DescribeNatGatewaysCommand({ Filter: [{ Name: 'bogus', Values: ['x'] }] })));
    assert.equal(badFilter.name, 'InvalidParameterValue');

    const inUse = await rejection(() => f.ec2.send(new ec2.ReleaseAddressCommand({ AllocationId: address.AllocationId })));
    assert.equal(inUse.name, 'InvalidIPAddress.InUse');
    const again = await rejection(() => f.ec2.send(new ec2.CreateNatGatewayCommand({ SubnetId: subnetId, AllocationId: address.AllocationId })));
    assert.equal(again.name, 'Resource.AlreadyAssociated');

    const tableId = (await f.ec2.send(new ec2.CreateRouteTableCommand({ VpcId: vpcId }))).RouteTable!.RouteTableId!;
    await f.ec2.send(new ec2.CreateRouteCommand({ RouteTableId: tableId, DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: nat.NatGatewayId }));
    const viaNat = await f.ec2.send(new ec2.DescribeRouteTablesCommand({ Filters: [{ Name: 'route.nat-gateway-id', Values: [nat.NatGatewayId!] }] }));
    assert.deepEqual(viaNat.RouteTables?.map((t) => t.RouteTableId), [tableId]);
    assert.equal(viaNat.RouteTables![0].Routes?.find((r) => r.DestinationCidrBlock === '0.0.0.0/0')?.NatGatewayId, nat.NatGatewayId);
    const unknownNat = await rejection(() =>
      f.ec2.send(new ec2.CreateRouteCommand({ RouteTableId: tableId, DestinationCidrBlock: '10.10.0.0/16', NatGatewayId: 'nat-00000000000000000' })),
    );
    assert.equal(unknownNat.name, 'InvalidNatGatewayID.NotFound');
    await f.ec2.send(new ec2.DeleteRouteCommand({ RouteTableId: tableId, DestinationCidrBlock: '0.0.0.0/0' }));

    const subnetBusy = await rejection(() => f.ec2.send(new ec2.DeleteSubnetCommand({ SubnetId: subnetId })));
    assert.equal(subnetBusy.name, 'DependencyViolation');
    const deleted = await f.ec2.send(new ec2.DeleteNatGatewayCommand({ NatGatewayId: nat.NatGatewayId }));
    assert.equal(deleted.NatGatewayId, nat.NatGatewayId);
    assert.equal(await natState(nat.NatGatewayId!), 'deleting');
    await waitFor('the NAT gateway to be deleted', async () => (await natState(nat.NatGatewayId!)) === 'deleted');
    // Deleted gateways stay visible for a while, as on AWS, and free their subnet and address.
    await f.ec2.send(new ec2.ReleaseAddressCommand({ AllocationId: address.AllocationId }));
    await f.ec2.send(new ec2.DeleteSubnetCommand({ SubnetId: subnetId }));
    await f.ec2.send(new ec2.DeleteRouteTableCommand({ RouteTableId: tableId }));
    await f.ec2.send(new ec2.DeleteVpcCommand({ VpcId: vpcId }));
    const missing = await rejection(() => f.ec2.send(new ec2.DeleteNatGatewayCommand({ NatGatewayId: 'nat-00000000000000000' })));
    assert.equal(missing.name, 'NatGatewayNotFound');
  });

  it('pages DescribeNatGateways with MaxResults and NextToken', async () => {
    const vpcId = (await f.ec2.send(new ec2.CreateVpcCommand({ CidrBlock: '10.8.0.0/16' }))).Vpc!.VpcId!;
    const subnetId = (await f.ec2.send(new ec2.CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.8.0.0/22', AvailabilityZone: 'us-east-1b' }))).Subnet!.SubnetId!;
    const ids: string[] = [];
    for (let i = 0; i < 7; i += 1) {
      const allocationId = (await f.ec2.send(new ec2.AllocateAddressCommand({ Domain: 'vpc' }))).AllocationId!;
      ids.push((await f.ec2.send(new ec2.CreateNatGatewayCommand({ SubnetId: subnetId, AllocationId: allocationId }))).NatGateway!.NatGatewayId!);
    }
    const seen: string[] = [];
    let pages = 0;
    for await (const page of ec2.paginateDescribeNatGateways({ client: f.ec2, pageSize: 5 }, { Filter: [{ Name: 'vpc-id', Values: [vpcId] }] })) {
      pages += 1;
      seen.push(...(page.NatGateways ?? []).map((g) => g.NatGatewayId!));
    }
    assert.equal(pages, 2);
    assert.deepEqual(seen.sort(), [...ids].sort());
  });
});
