// Elastic IPs (AllocateAddress, DescribeAddresses, ReleaseAddress) and NAT
// gateways (CreateNatGateway, DescribeNatGateways, DeleteNatGateway). A
// gateway holds its address until it is deleted; only then can it be released.
import { AwsError } from '../aws-error.js';
import { ec2Tags, isoTime } from '../query-protocol.js';
import type { AwsWorld } from '../world/aws-world.js';
import { filterResources, type Fields } from '../world/filters.js';
import type { ElasticAddress, NatGateway } from '../world/types.js';
import { describePage, ec2ResultReturn, filtersOf, findIn, inRegion, requireAll, tagSpecTags, type Ec2Handler } from './ec2-common.js';

function addressXml(address: ElasticAddress) {
  return {
    publicIp: address.publicIp,
    allocationId: address.id,
    domain: 'vpc',
    associationId: address.associationId,
    publicIpv4Pool: 'amazon',
    networkBorderGroup: address.region,
    tagSet: ec2Tags(address.tags),
  };
}

function natGatewayXml(gateway: NatGateway, world: AwsWorld) {
  const address = world.state.addresses[gateway.allocationId];
  const holding = gateway.state !== 'deleted';
  return {
    createTime: isoTime(gateway.createdAt),
    deleteTime: gateway.deletedAt !== undefined ? isoTime(gateway.deletedAt) : undefined,
    natGatewayAddressSet: [
      {
        allocationId: gateway.allocationId,
        publicIp: gateway.publicIp,
        privateIp: gateway.privateIp,
        associationId: holding ? address?.associationId : undefined,
        isPrimary: true,
        status: holding ? 'succeeded' : 'disassociated',
      },
    ],
    natGatewayId: gateway.id,
    state: gateway.state,
    subnetId: gateway.subnetId,
    vpcId: gateway.vpcId,
    connectivityType: 'public',
    tagSet: ec2Tags(gateway.tags),
  };
}

const readAddress: Fields<ElasticAddress> = {
  'allocation-id': (address) => [address.id],
  'association-id': (address) => (address.associationId ? [address.associationId] : []),
  domain: () => ['vpc'],
  'public-ip': (address) => [address.publicIp],
  'network-border-group': (address) => [address.region],
};

const readNatGateway: Fields<NatGateway> = {
  'nat-gateway-id': (gateway) => [gateway.id],
  state: (gateway) => [gateway.state],
  'subnet-id': (gateway) => [gateway.subnetId],
  'vpc-id': (gateway) => [gateway.vpcId],
};

export const allocateAddress: Ec2Handler = ({ params, region, world }) => {
  const domain = params.str('Domain') ?? 'vpc';
  if (domain !== 'vpc') throw new AwsError('InvalidParameterValue', `Value (${domain}) for parameter domain is invalid. Only 'vpc' is supported.`);
  const address: ElasticAddress = { id: world.newId('eipalloc'), region, publicIp: newPublicIp(world), tags: tagSpecTags(params, 'elastic-ip') };
  world.state.addresses[address.id] = address;
  world.changed();
  return { publicIp: address.publicIp, allocationId: address.id, domain: 'vpc', publicIpv4Pool: 'amazon', networkBorderGroup: region };
};

/** DescribeAddresses is not paginated on AWS: every match in one answer. */
export const describeAddresses: Ec2Handler = ({ params, region, world }) => {
  const ids = params.strings('AllocationId');
  requireAll(world.state.addresses, ids, region, 'InvalidAllocationID.NotFound', 'allocation');
  const publicIps = params.strings('PublicIp');
  const candidates = inRegion(world.state.addresses, region).filter(
    (a) => (ids.length === 0 || ids.includes(a.id)) && (publicIps.length === 0 || publicIps.includes(a.publicIp)),
  );
  return { addressesSet: filterResources(candidates, filtersOf(params), readAddress).map(addressXml) };
};

export const releaseAddress: Ec2Handler = ({ params, region, world }) => {
  const address = findIn(world.state.addresses, params.required('AllocationId'), region, 'InvalidAllocationID.NotFound', 'allocation');
  if (address.natGatewayId) throw new AwsError('InvalidIPAddress.InUse', `Address ${address.publicIp} is in use by ${address.natGatewayId}.`);
  delete world.state.addresses[address.id];
  world.changed();
  return ec2ResultReturn();
};

export const createNatGateway: Ec2Handler = ({ params, region, world }) => {
  const subnet = findIn(world.state.subnets, params.required('SubnetId'), region, 'InvalidSubnetID.NotFound', 'subnet');
  const allocationId = params.str('AllocationId');
  if (!allocationId) throw new AwsError('MissingParameter', 'A public NAT gateway requires the parameter AllocationId');
  const address = findIn(world.state.addresses, allocationId, region, 'InvalidAllocationID.NotFound', 'allocation');
  if (address.natGatewayId) throw new AwsError('Resource.AlreadyAssociated', `Elastic IP address [${address.id}] is already associated`);
  const gateway = world.natGateways.create(region, subnet, address, tagSpecTags(params, 'natgateway'));
  return { clientToken: params.str('ClientToken'), natGateway: natGatewayXml(gateway, world) };
};

export const describeNatGateways: Ec2Handler = (ctx) => {
  const visible = ctx.world.natGateways.visible(ctx.region);
  const lookup = { idParam: 'NatGatewayId', notFound: 'NatGatewayNotFound', kind: 'natGateway' };
  const { page, nextToken } = describePage(ctx, visible, lookup, readNatGateway);
  return { natGatewaySet: page.map((g) => natGatewayXml(g, ctx.world)), nextToken };
};

export const deleteNatGateway: Ec2Handler = ({ params, region, world }) => {
  const id = params.required('NatGatewayId');
  const gateway = findIn(world.natGateways.visible(region), id, region, 'NatGatewayNotFound', 'natGateway');
  if (gateway.state === 'deleted') throw new AwsError('NatGatewayNotFound', `NAT gateway ${id} was not found`);
  world.natGateways.delete(gateway);
  return { natGatewayId: gateway.id };
};

/** A subnet or VPC with a NAT gateway that is not deleted cannot go. */
export function holdsNatGateway(world: AwsWorld, where: { subnetId?: string; vpcId?: string }): boolean {
  return Object.values(world.state.natGateways).some(
    (g) => world.natGateways.live(g) && (where.subnetId === undefined || g.subnetId === where.subnetId) && (where.vpcId === undefined || g.vpcId === where.vpcId),
  );
}

function newPublicIp(world: AwsWorld): string {
  const taken = new Set(Object.values(world.state.addresses).map((a) => a.publicIp));
  for (;;) {
    const octets = [3 + Math.floor(world.deps.random.next() * 50), ...[0, 0, 0].map(() => 1 + Math.floor(world.deps.random.next() * 253))];
    const ip = octets.join('.');
    if (!taken.has(ip)) return ip;
  }
}
