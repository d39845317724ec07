// VPCs and subnets. A new VPC gets its main route table and its default
// security group, as on AWS; deleting a VPC still in use is a DependencyViolation.
import { AwsError } from '../aws-error.js';
import { ec2Tags } from '../query-protocol.js';
import type { Fields } from '../world/filters.js';
import { ACCOUNT_ID, zoneIdOf, zonesOf } from '../world/regions.js';
import type { Subnet, Vpc } from '../world/types.js';
import { holdsNatGateway } from './ec2-nat-gateways.js';
import { cidrRange, cidrsOverlap, cidrWithin, describePage, ec2ResultReturn, findIn, tagSpecTags, validateCidr, type Ec2Handler } from './ec2-common.js';

function vpcXml(vpc: Vpc) {
  return {
    vpcId: vpc.id,
    ownerId: ACCOUNT_ID,
    state: 'available',
    cidrBlock: vpc.cidr,
    cidrBlockAssociationSet: [{ cidrBlock: vpc.cidr, associationId: `vpc-cidr-assoc-${vpc.id.slice(4)}`, cidrBlockState: { state: 'associated' } }],
    dhcpOptionsId: 'dopt-00000000000000001',
    instanceTenancy: 'default',
    isDefault: false,
    tagSet: ec2Tags(vpc.tags),
  };
}

function subnetXml(subnet: Subnet) {
  const [start, end] = cidrRange(subnet.cidr);
  return {
    subnetId: subnet.id,
    subnetArn: `arn:aws:ec2:${subnet.region}:${ACCOUNT_ID}:subnet/${subnet.id}`,
    state: 'available',
    vpcId: subnet.vpcId,
    cidrBlock: subnet.cidr,
    availableIpAddressCount: Math.max(0, end - start + 1 - 5 - subnet.allocated),
    availabilityZone: subnet.zone,
    availabilityZoneId: zoneIdOf(subnet.zone),
    defaultForAz: false,
    mapPublicIpOnLaunch: false,
    ownerId: ACCOUNT_ID,
    tagSet: ec2Tags(subnet.tags),
  };
}

const readVpc: Fields<Vpc> = {
  'vpc-id': (vpc) => [vpc.id],
  cidr: (vpc) => [vpc.cidr],
  'cidr-block': (vpc) => [vpc.cidr],
  'cidr-block-association.cidr-block': (vpc) => [vpc.cidr],
  state: () => ['available'],
  'is-default': () => ['false'],
  'owner-id': () => [ACCOUNT_ID],
};

const readSubnet: Fields<Subnet> = {
  'subnet-id': (subnet) => [subnet.id],
  'vpc-id': (subnet) => [subnet.vpcId],
  'availability-zone': (subnet) => [subnet.zone],
  'availability-zone-id': (subnet) => [zoneIdOf(subnet.zone)],
  'cidr-block': (subnet) => [subnet.cidr],
  cidr: (subnet) => [subnet.cidr],
  cidrBlock: (subnet) => [subnet.cidr],
  state: () => ['available'],
  'default-for-az': () => ['false'],
};

export const createVpc: Ec2Handler = ({ params, region, world }) => {
  const cidr = validateCidr(params.str('CidrBlock'));
  const vpc: Vpc = { id: world.newId('vpc'), region, cidr, enableDnsHostnames: false, enableDnsSupport: true, tags: tagSpecTags(params, 'vpc') };
  world.state.vpcs[vpc.id] = vpc;
  const mainTable = world.newId('rtb');
  world.state.routeTables[mainTable] = {
    id: mainTable,
    region,
    vpcId: vpc.id,
    routes: [{ destination: cidr, gatewayId: 'local', origin: 'CreateRouteTable' }],
    associations: [{ id: world.newId('rtbassoc'), main: true }],
    tags: {},
  };
  const defaultGroup = world.newId('sg');
  world.state.securityGroups[defaultGroup] = {
    id: defaultGroup,
    region,
    vpcId: vpc.id,
    name: 'default',
    description: 'default VPC security group',
    rules: [{ id: world.newId('sgr'), egress: true, protocol: '-1', cidr: '0.0.0.0/0' }],
    tags: {},
  };
  world.changed();
  return { vpc: vpcXml(vpc) };
};

export const describeVpcs: Ec2Handler = (ctx) => {
  const { page, nextToken } = describePage(ctx, ctx.world.state.vpcs, { idParam: 'VpcId', notFound: 'InvalidVpcID.NotFound', kind: 'vpc' }, readVpc);
  return { vpcSet: page.map(vpcXml), nextToken };
};

export const deleteVpc: Ec2Handler = ({ params, region, world }) => {
  const vpc = findIn(world.state.vpcs, params.required('VpcId'), region, 'InvalidVpcID.NotFound', 'vpc');
  const { state } = world;
  const inUse =
    Object.values(state.subnets).some((s) => s.vpcId === vpc.id) ||
    holdsNatGateway(world, { vpcId: vpc.id }) ||
    Object.values(state.internetGateways).some((g) => g.attachedVpcIds.includes(vpc.id)) ||
    Object.values(state.routeTables).some((t) => t.vpcId === vpc.id && !t.associations.some((a) => a.main)) ||
    Object.values(state.securityGroups).some((g) => g.vpcId === vpc.id && g.name !== 'default') ||
    Object.values(state.instances).some((i) => i.vpcId === vpc.id && i.state !== 'terminated');
  if (inUse) throw new AwsError('DependencyViolation', `The vpc '${vpc.id}' has dependencies and cannot be deleted.`);
  for (const table of Object.values(state.routeTables)) if (table.vpcId === vpc.id) delete state.routeTables[table.id];
  for (const group of Object.values(state.securityGroups)) if (group.vpcId === vpc.id) delete state.securityGroups[group.id];
  delete state.vpcs[vpc.id];
  world.changed();
  return ec2ResultReturn();
};

export const modifyVpcAttribute: Ec2Handler = ({ params, region, world }) => {
  const vpc = findIn(world.state.vpcs, params.required('VpcId'), region, 'InvalidVpcID.NotFound', 'vpc');
  const hostnames = params.object('EnableDnsHostnames')?.bool('Value');
  const support = params.object('EnableDnsSupport')?.bool('Value');
  if (hostnames === undefined && support === undefined) {
    throw new AwsError('InvalidParameterCombination', 'Exactly one attribute must be specified');
  }
  if (hostnames !== undefined) vpc.enableDnsHostnames = hostnames;
  if (support !== undefined) vpc.enableDnsSupport = support;
  world.changed();
  return ec2ResultReturn();
};

export const describeVpcAttribute: Ec2Handler = ({ params, region, world }) => {
  const vpc = findIn(world.state.vpcs, params.required('VpcId'), region, 'InvalidVpcID.NotFound', 'vpc');
  const attribute = params.required('Attribute');
  if (attribute === 'enableDnsHostnames') return { vpcId: vpc.id, enableDnsHostnames: { value: vpc.enableDnsHostnames } };
  if (attribute === 'enableDnsSupport') return { vpcId: vpc.id, enableDnsSupport: { value: vpc.enableDnsSupport } };
  throw new AwsError('InvalidParameterValue', `Value (${attribute}) for parameter attribute is invalid.`);
};

export const createSubnet: Ec2Handler = ({ params, region, world }) => {
  const vpc = findIn(world.state.vpcs, params.required('VpcId'), region, 'InvalidVpcID.NotFound', 'vpc');
  const cidr = validateCidr(params.str('CidrBlock'));
  const zones = zonesOf(region);
  const zone = params.str('AvailabilityZone') ?? zones[0];
  if (!zones.includes(zone)) {
    throw new AwsError(
      'InvalidParameterValue',
      `Value (${zone}) for parameter availabilityZone is invalid. Subnets can currently only be created in the following availability zones: ${zones.join(', ')}.`,
    );
  }
  if (!cidrWithin(cidr, vpc.cidr)) throw new AwsError('InvalidSubnet.Range', `The CIDR '${cidr}' is invalid.`);
  const clash = Object.values(world.state.subnets).find((s) => s.vpcId === vpc.id && cidrsOverlap(s.cidr, cidr));
  if (clash) throw new AwsError('InvalidSubnet.Conflict', `The CIDR '${cidr}' conflicts with another subnet`);
  const subnet: Subnet = { id: world.newId('subnet'), region, vpcId: vpc.id, cidr, zone, allocated: 0, tags: tagSpecTags(params, 'subnet') };
  world.state.subnets[subnet.id] = subnet;
  world.changed();
  return { subnet: subnetXml(subnet) };
};

export const describeSubnets: Ec2Handler = (ctx) => {
  const { page, nextToken } = describePage(ctx, ctx.world.state.subnets, { idParam: 'SubnetId', notFound: 'InvalidSubnetID.NotFound', kind: 'subnet' }, readSubnet);
  return { subnetSet: page.map(subnetXml), nextToken };
};

export const deleteSubnet: Ec2Handler = ({ params, region, world }) => {
  const subnet = findIn(world.state.subnets, params.required('SubnetId'), region, 'InvalidSubnetID.NotFound', 'subnet');
  const running = Object.values(world.state.instances).some((i) => i.subnetId === subnet.id && i.state !== 'terminated');
  if (running || holdsNatGateway(world, { subnetId: subnet.id })) {
    throw new AwsError('DependencyViolation', `The subnet '${subnet.id}' has dependencies and cannot be deleted.`);
  }
  for (const table of Object.values(world.state.routeTables)) {
    table.associations = table.associations.filter((a) => a.subnetId !== subnet.id);
  }
  delete world.state.subnets[subnet.id];
  world.changed();
  return ec2ResultReturn();
};
