// Internet gateways, route tables, routes and subnet associations.
import { AwsError } from '../aws-error.js';
import type { Params } from '../query-params.js';
import { ec2Tags } from '../query-protocol.js';
import type { AwsWorld } from '../world/aws-world.js';
import type { Fields } from '../world/filters.js';
import { ACCOUNT_ID } from '../world/regions.js';
import type { InternetGateway, RouteTable } from '../world/types.js';
import { describePage, ec2ResultReturn, findIn, inRegion, tagSpecTags, type Ec2Handler } from './ec2-common.js';

function gatewayXml(gateway: InternetGateway) {
  return {
    internetGatewayId: gateway.id,
    ownerId: ACCOUNT_ID,
    attachmentSet: gateway.attachedVpcIds.map((vpcId) => ({ vpcId, state: 'available' })),
    tagSet: ec2Tags(gateway.tags),
  };
}

function routeTableXml(table: RouteTable) {
  return {
    routeTableId: table.id,
    vpcId: table.vpcId,
    ownerId: ACCOUNT_ID,
    routeSet: table.routes.map((r) => ({
      destinationCidrBlock: r.destination,
      gatewayId: r.gatewayId,
      instanceId: r.instanceId,
      natGatewayId: r.natGatewayId,
      state: 'active',
      origin: r.origin,
    })),
    associationSet: table.associations.map((a) => ({
      main: a.main,
      routeTableAssociationId: a.id,
      routeTableId: table.id,
      subnetId: a.subnetId,
      associationState: { state: 'associated' },
    })),
    propagatingVgwSet: [],
    tagSet: ec2Tags(table.tags),
  };
}

const readGateway: Fields<InternetGateway> = {
  'internet-gateway-id': (gateway) => [gateway.id],
  'attachment.vpc-id': (gateway) => gateway.attachedVpcIds,
  'attachment.state': (gateway) => gateway.attachedVpcIds.length ? ['available'] : [],
  'owner-id': () => [ACCOUNT_ID],
};

const readRouteTable: Fields<RouteTable> = {
  'route-table-id': (table) => [table.id],
  'vpc-id': (table) => [table.vpcId],
  'association.subnet-id': (table) => table.associations.flatMap((a) => (a.subnetId ? [a.subnetId] : [])),
  'association.route-table-association-id': (table) => table.associations.map((a) => a.id),
  'association.main': (table) => table.associations.some((a) => a.main) ? ['true'] : ['false'],
  'route.destination-cidr-block': (table) => table.routes.map((r) => r.destination),
  'route.gateway-id': (table) => table.routes.flatMap((r) => (r.gatewayId ? [r.gatewayId] : [])),
  'route.nat-gateway-id': (table) => table.routes.flatMap((r) => (r.natGatewayId ? [r.natGatewayId] : [])),
};

export const createInternetGateway: Ec2Handler = ({ params, region, world }) => {
  const gateway: InternetGateway = { id: world.newId('igw'), region, attachedVpcIds: [], tags: tagSpecTags(params, 'internet-gateway') };
  world.state.internetGateways[gateway.id] = gateway;
  world.changed();
  return { internetGateway: gatewayXml(gateway) };
};

export const attachInternetGateway: Ec2Handler = ({ params, region, world }) => {
  const gateway = findIn(world.state.internetGateways, params.required('InternetGatewayId'), region, 'InvalidInternetGatewayID.NotFound', 'internetGateway');
  const vpc = findIn(world.state.vpcs, params.required('VpcId'), region, 'InvalidVpcID.NotFound', 'vpc');
  if (gateway.attachedVpcIds.length > 0) throw new AwsError('Resource.AlreadyAssociated', `resource ${gateway.id} is already attached to network ${gateway.attachedVpcIds[0]}`);
  gateway.attachedVpcIds = [vpc.id];
  world.changed();
  return ec2ResultReturn();
};

export const detachInternetGateway: Ec2Handler = ({ params, region, world }) => {
  const gateway = findIn(world.state.internetGateways, params.required('InternetGatewayId'), region, 'InvalidInternetGatewayID.NotFound', 'internetGateway');
  const vpcId = params.required('VpcId');
  if (!gateway.attachedVpcIds.includes(vpcId)) throw new AwsError('Gateway.NotAttached', `resource ${gateway.id} is not attached to network ${vpcId}`);
  gateway.attachedVpcIds = gateway.attachedVpcIds.filter((id) => id !== vpcId);
  world.changed();
  return ec2ResultReturn();
};

export const describeInternetGateways: Ec2Handler = (ctx) => {
  const lookup = { idParam: 'InternetGatewayId', notFound: 'InvalidInternetGatewayID.NotFound', kind: 'internetGateway' };
  const { page, nextToken } = describePage(ctx, ctx.world.state.internetGateways, lookup, readGateway);
  return { internetGatewaySet: page.map(gatewayXml), nextToken };
};

export const deleteInternetGateway: Ec2Handler = ({ params, region, world }) => {
  const gateway = findIn(world.state.internetGateways, params.required('InternetGatewayId'), region, 'InvalidInternetGatewayID.NotFound', 'internetGateway');
  if (gateway.attachedVpcIds.length > 0) throw new AwsError('DependencyViolation', `The internetGateway '${gateway.id}' has dependencies and cannot be deleted.`);
  delete world.state.internetGateways[gateway.id];
  world.changed();
  return ec2ResultReturn();
};

export const createRouteTable: Ec2Handler = ({ params, region, world }) => {
  const vpc = findIn(world.state.vpcs, params.required('VpcId'), region, 'InvalidVpcID.NotFound', 'vpc');
  const table: RouteTable = {
    id: world.newId('rtb'),
    region,
    vpcId: vpc.id,
    routes: [{ destination: vpc.cidr, gatewayId: 'local', origin: 'CreateRouteTable' }],
    associations: [],
    tags: tagSpecTags(params, 'route-table'),
  };
  world.state.routeTables[table.id] = table;
  world.changed();
  return { routeTable: routeTableXml(table) };
};

export const describeRouteTables: Ec2Handler = (ctx) => {
  const lookup = { idParam: 'RouteTableId', notFound: 'InvalidRouteTableID.NotFound', kind: 'routeTable' };
  const { page, nextToken } = describePage(ctx, ctx.world.state.routeTables, lookup, readRouteTable);
  return { routeTableSet: page.map(routeTableXml), nextToken };
};

export const deleteRouteTable: Ec2Handler = ({ params, region, world }) => {
  const table = findIn(world.state.routeTables, params.required('RouteTableId'), region, 'InvalidRouteTableID.NotFound', 'routeTable');
  if (table.associations.length > 0) throw new AwsError('DependencyViolation', `The routeTable '${table.id}' has dependencies and cannot be deleted.`);
  delete world.state.routeTables[table.id];
  world.changed();
  return ec2ResultReturn();
};

export const createRoute: Ec2Handler = ({ params, region, world }) => {
  const table = findIn(world.state.routeTables, params.required('RouteTableId'), region, 'InvalidRouteTableID.NotFound', 'routeTable');
  const destination = params.required('DestinationCidrBlock');
  if (table.routes.some((r) => r.destination === destination)) {
    throw new AwsError('RouteAlreadyExists', `The route identified by ${destination} already exists.`);
  }
  table.routes.push({ destination, ...routeTarget(params, region, world, table), origin: 'CreateRoute' });
  world.changed();
  return ec2ResultReturn();
};

/** Points an existing route (one we created) at a new target. */
export const replaceRoute: Ec2Handler = ({ params, region, world }) => {
  const table = findIn(world.state.routeTables, params.required('RouteTableId'), region, 'InvalidRouteTableID.NotFound', 'routeTable');
  const destination = params.required('DestinationCidrBlock');
  const index = table.routes.findIndex((r) => r.destination === destination && r.origin === 'CreateRoute');
  if (index < 0) throw new AwsError('InvalidParameterValue', `There is no route defined for '${destination}' in the route table. Use CreateRoute instead.`);
  table.routes[index] = { destination, ...routeTarget(params, region, world, table), origin: 'CreateRoute' };
  world.changed();
  return ec2ResultReturn();
};

/** Exactly one target, and it must exist: an internet gateway, a NAT gateway in the table's VPC, or an instance. */
function routeTarget(params: Params, region: string, world: AwsWorld, table: RouteTable) {
  const gatewayId = params.str('GatewayId');
  const natGatewayId = params.str('NatGatewayId');
  const instanceId = params.str('InstanceId');
  const targets = [gatewayId, natGatewayId, instanceId].filter(Boolean).length;
  if (targets === 0) throw new AwsError('InvalidParameterCombination', 'No route target specified');
  if (targets > 1) throw new AwsError('InvalidParameterCombination', 'More than one target specified');
  if (gatewayId) findIn(world.state.internetGateways, gatewayId, region, 'InvalidGatewayID.NotFound', 'gateway');
  if (natGatewayId) {
    const gateway = world.state.natGateways[natGatewayId];
    if (!gateway || gateway.region !== region || !world.natGateways.live(gateway)) {
      throw new AwsError('InvalidNatGatewayID.NotFound', `The natGateway ID '${natGatewayId}' does not exist`);
    }
    if (gateway.vpcId !== table.vpcId) throw new AwsError('InvalidParameterValue', `NAT gateway ${natGatewayId} and route table ${table.id} belong to different networks`);
  }
  return { gatewayId, natGatewayId, instanceId };
}

export const deleteRoute: Ec2Handler = ({ params, region, world }) => {
  const table = findIn(world.state.routeTables, params.required('RouteTableId'), region, 'InvalidRouteTableID.NotFound', 'routeTable');
  const destination = params.required('DestinationCidrBlock');
  const index = table.routes.findIndex((r) => r.destination === destination && r.origin === 'CreateRoute');
  if (index < 0) throw new AwsError('InvalidRoute.NotFound', `No route with destination-cidr-block ${destination} in route table ${table.id}`);
  table.routes.splice(index, 1);
  world.changed();
  return ec2ResultReturn();
};

export const associateRouteTable: Ec2Handler = ({ params, region, world }) => {
  const table = findIn(world.state.routeTables, params.required('RouteTableId'), region, 'InvalidRouteTableID.NotFound', 'routeTable');
  const subnet = findIn(world.state.subnets, params.required('SubnetId'), region, 'InvalidSubnetID.NotFound', 'subnet');
  if (subnet.vpcId !== table.vpcId) throw new AwsError('InvalidParameterValue', `Route table ${table.id} and subnet ${subnet.id} belong to different networks`);
  const existing = Object.values(world.state.routeTables).find((t) => t.associations.some((a) => a.subnetId === subnet.id));
  if (existing) throw new AwsError('Resource.AlreadyAssociated', `the specified association for route table ${existing.id} conflicts with an existing association`);
  const association = { id: world.newId('rtbassoc'), subnetId: subnet.id, main: false };
  table.associations.push(association);
  world.changed();
  return { associationId: association.id, associationState: { state: 'associated' } };
};

export const disassociateRouteTable: Ec2Handler = ({ params, region, world }) => {
  const id = params.required('AssociationId');
  const table = inRegion(world.state.routeTables, region).find((t) => t.associations.some((a) => a.id === id && !a.main));
  if (!table) throw new AwsError('InvalidAssociationID.NotFound', `The association ID '${id}' does not exist`);
  table.associations = table.associations.filter((a) => a.id !== id);
  world.changed();
  return ec2ResultReturn();
};
