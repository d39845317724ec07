// Route tables: one public table (default route to the internet gateway) for
// Public and Utility subnets, and one private table per zone for Private
// subnets (default route to the zone's NAT gateway).
import {
  AssociateRouteTableCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  ReplaceRouteCommand,
  ReplaceRouteTableAssociationCommand,
  type RouteTable,
} from '@aws-sdk/client-ec2';
import { clusterTags, type TagMap } from '../../cloud/aws/tags.js';
import { compareFields, compareTags, idOrPending, requireId, taskKey, type ReconcileContext, type Task } from '../task.js';
import { applyTagChanges, nameTagIs, tagSpecification, tagsOf } from './ec2-tags.js';
import { internetGatewayKey } from './internet-gateway.js';
import { natGatewayKey } from './nat-gateway.js';
import { vpcKey } from './vpc.js';
import { terraformLabel } from '../../terraform/types.js';

export interface RouteTableDesired {
  vpcId: string;
  tags: TagMap;
}

/** Public: `<cluster>`; private: `private-<zone>.<cluster>` (kops' names). */
export const routeTableName = (cluster: string, privateZone?: string): string =>
  privateZone ? `private-${privateZone}.${cluster}` : cluster;
export const routeTableKey = (cluster: string, privateZone?: string): string => taskKey('RouteTable', routeTableName(cluster, privateZone));

export function routeTableTask(cluster: string, privateZone?: string): Task<RouteTableDesired, RouteTable> {
  const name = routeTableName(cluster, privateZone);
  return {
    key: routeTableKey(cluster, privateZone),
    kind: 'RouteTable',
    name,
    dependencies: [vpcKey(cluster)],
    desired: (ctx) => {
      const tags = clusterTags(cluster, privateZone ? `private-${privateZone}` : cluster);
      tags['kubernetes.io/kops/role'] = privateZone ? `private-${privateZone}` : 'public';
      return { vpcId: idOrPending(ctx, vpcKey(cluster)), tags };
    },
    find: (ctx) => ctx.snapshot.routeTables.find(nameTagIs(name)) ?? null,
    idOf: (rt) => rt.RouteTableId!,
    diff: (desired, actual) => [...compareFields([['VPC', desired.vpcId, actual.VpcId]]), ...compareTags(desired.tags, tagsOf(actual))],
    describe: (d) => ({ VPC: d.vpcId }),
    async apply(ctx, change) {
      if (!change.actual) {
        const out = await ctx.clients.ec2.send(
          new CreateRouteTableCommand({ VpcId: requireId(ctx, vpcKey(cluster)), TagSpecifications: tagSpecification('route-table', change.desired.tags) }),
        );
        return out.RouteTable!.RouteTableId!;
      }
      if (change.changes.some((c) => c.field === 'VPC')) throw new Error(`RouteTable/${name} belongs to another VPC; delete it and re-run`);
      await applyTagChanges(ctx, change.actual.RouteTableId!, change.desired.tags, change.changes);
      return change.actual.RouteTableId!;
    },
    terraform: (t, d) => [
      {
        type: 'aws_route_table',
        name,
        body: { tags: d.tags, vpc_id: t.ref(vpcKey(cluster), 'id') },
        outputs: [{ name: privateZone ? `route_table_private-${privateZone}_id` : 'route_table_public_id', value: t.ref(routeTableKey(cluster, privateZone), 'id') }],
      },
    ],
  };
}

function tableOf(ctx: ReconcileContext, tableKey: string): RouteTable | undefined {
  const id = ctx.ids.get(tableKey);
  return id ? ctx.snapshot.routeTables.find((rt) => rt.RouteTableId === id) : undefined;
}

export interface RouteDesired {
  routeTableId: string;
  cidr: string;
  gatewayId: string;
}

interface FoundRoute {
  routeTableId: string;
  cidr: string;
  gatewayId?: string;
}

/** The public table's default route through the internet gateway. */
export function internetRouteTask(cluster: string): Task<RouteDesired, FoundRoute> {
  const cidr = '0.0.0.0/0';
  const tableKey = routeTableKey(cluster);
  return {
    key: taskKey('Route', cidr),
    kind: 'Route',
    name: cidr,
    dependencies: [tableKey, internetGatewayKey(cluster)],
    desired: (ctx) => ({ routeTableId: idOrPending(ctx, tableKey), cidr, gatewayId: idOrPending(ctx, internetGatewayKey(cluster)) }),
    find: (ctx) => {
      const table = tableOf(ctx, tableKey);
      const route = table?.Routes?.find((r) => r.DestinationCidrBlock === cidr);
      return table && route ? { routeTableId: table.RouteTableId!, cidr, gatewayId: route.GatewayId } : null;
    },
    idOf: (r) => `${r.routeTableId}:${r.cidr}`,
    diff: (desired, actual) => compareFields([['InternetGateway', desired.gatewayId, actual.gatewayId]]),
    describe: (d) => ({ RouteTable: d.routeTableId, CIDR: d.cidr, InternetGateway: d.gatewayId }),
    async apply(ctx, change) {
      const input = { RouteTableId: requireId(ctx, tableKey), DestinationCidrBlock: cidr, GatewayId: requireId(ctx, internetGatewayKey(cluster)) };
      if (change.actual) await ctx.clients.ec2.send(new ReplaceRouteCommand(input));
      else await ctx.clients.ec2.send(new CreateRouteCommand(input));
      return `${input.RouteTableId}:${cidr}`;
    },
    terraform: (t) => [
      {
        type: 'aws_route',
        name: cidr,
        label: routeLabel(cidr),
        body: { destination_cidr_block: cidr, gateway_id: t.ref(internetGatewayKey(cluster), 'id'), route_table_id: t.ref(tableKey, 'id') },
      },
    ],
  };
}

/** kops labels routes `route-<name>`: route-0-0-0-0--0, route-private-<zone>-0-0-0-0--0. */
const routeLabel = (name: string): string => terraformLabel(`route-${name}`);

export interface NatRouteDesired {
  routeTableId: string;
  cidr: string;
  natGatewayId: string;
}

interface FoundNatRoute {
  routeTableId: string;
  cidr: string;
  natGatewayId?: string;
}

/** A private zone table's default route through that zone's NAT gateway (kops: `private-<zone>-0.0.0.0/0`). */
export function natRouteTask(cluster: string, zone: string): Task<NatRouteDesired, FoundNatRoute> {
  const cidr = '0.0.0.0/0';
  const tableKey = routeTableKey(cluster, zone);
  const gatewayKey = natGatewayKey(cluster, zone);
  const name = `private-${zone}-${cidr}`;
  return {
    key: taskKey('Route', name),
    kind: 'Route',
    name,
    dependencies: [tableKey, gatewayKey],
    desired: (ctx) => ({ routeTableId: idOrPending(ctx, tableKey), cidr, natGatewayId: idOrPending(ctx, gatewayKey) }),
    find: (ctx) => {
      const table = tableOf(ctx, tableKey);
      const route = table?.Routes?.find((r) => r.DestinationCidrBlock === cidr);
      return table && route ? { routeTableId: table.RouteTableId!, cidr, natGatewayId: route.NatGatewayId } : null;
    },
    idOf: (r) => `${r.routeTableId}:${r.cidr}`,
    diff: (desired, actual) => compareFields([['NatGateway', desired.natGatewayId, actual.natGatewayId]]),
    describe: (d) => ({ RouteTable: d.routeTableId, CIDR: d.cidr, NatGateway: d.natGatewayId }),
    async apply(ctx, change) {
      const input = { RouteTableId: requireId(ctx, tableKey), DestinationCidrBlock: cidr, NatGatewayId: requireId(ctx, gatewayKey) };
      if (change.actual) await ctx.clients.ec2.send(new ReplaceRouteCommand(input));
      else await ctx.clients.ec2.send(new CreateRouteCommand(input));
      return `${input.RouteTableId}:${cidr}`;
    },
    terraform: (t) => [
      {
        type: 'aws_route',
        name,
        label: routeLabel(name),
        body: { destination_cidr_block: cidr, nat_gateway_id: t.ref(gatewayKey, 'id'), route_table_id: t.ref(tableKey, 'id') },
      },
    ],
  };
}

export interface AssociationDesired {
  routeTableId: string;
  subnetId: string;
}

interface FoundAssociation {
  associationId: string;
  routeTableId: string;
}

export function routeTableAssociationTask(cluster: string, subnetName: string, subnetKey: string, tableKey: string): Task<AssociationDesired, FoundAssociation> {
  return {
    key: taskKey('RouteTableAssociation', subnetName),
    kind: 'RouteTableAssociation',
    name: subnetName,
    dependencies: [subnetKey, tableKey],
    desired: (ctx) => ({ routeTableId: idOrPending(ctx, tableKey), subnetId: idOrPending(ctx, subnetKey) }),
    find: (ctx) => {
      const subnetId = ctx.ids.get(subnetKey);
      if (!subnetId) return null;
      for (const table of ctx.snapshot.routeTables) {
        const association = table.Associations?.find((a) => a.SubnetId === subnetId);
        if (association?.RouteTableAssociationId) return { associationId: association.RouteTableAssociationId, routeTableId: table.RouteTableId! };
      }
      return null;
    },
    idOf: (a) => a.associationId,
    diff: (desired, actual) => compareFields([['RouteTable', desired.routeTableId, actual.routeTableId]]),
    describe: (d) => ({ RouteTable: d.routeTableId, Subnet: d.subnetId }),
    async apply(ctx, change) {
      const routeTableId = requireId(ctx, tableKey);
      if (change.actual) {
        const out = await ctx.clients.ec2.send(new ReplaceRouteTableAssociationCommand({ AssociationId: change.actual.associationId, RouteTableId: routeTableId }));
        return out.NewAssociationId ?? change.actual.associationId;
      }
      const out = await ctx.clients.ec2.send(new AssociateRouteTableCommand({ RouteTableId: routeTableId, SubnetId: requireId(ctx, subnetKey) }));
      return out.AssociationId!;
    },
    terraform: (t) => [{ type: 'aws_route_table_association', name: subnetName, body: { route_table_id: t.ref(tableKey, 'id'), subnet_id: t.ref(subnetKey, 'id') } }],
  };
}
