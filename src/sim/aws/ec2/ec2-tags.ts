// CreateTags / DeleteTags / DescribeTags across every taggable resource kind,
// found by id prefix as EC2 does.
import { AwsError } from '../aws-error.js';
import { filterResources, pageOf, type Fields } from '../world/filters.js';
import type { AwsWorldState, Tags } from '../world/types.js';
import { ec2ResultReturn, filtersOf, type Ec2Context, type Ec2Handler } from './ec2-common.js';

interface TaggableKind {
  prefix: string;
  resourceType: string;
  table: keyof AwsWorldState;
  notFound: string;
}

const KINDS: TaggableKind[] = [
  { prefix: 'vpc-', resourceType: 'vpc', table: 'vpcs', notFound: 'InvalidVpcID.NotFound' },
  { prefix: 'subnet-', resourceType: 'subnet', table: 'subnets', notFound: 'InvalidSubnetID.NotFound' },
  { prefix: 'igw-', resourceType: 'internet-gateway', table: 'internetGateways', notFound: 'InvalidInternetGatewayID.NotFound' },
  { prefix: 'rtb-', resourceType: 'route-table', table: 'routeTables', notFound: 'InvalidRouteTableID.NotFound' },
  { prefix: 'eipalloc-', resourceType: 'elastic-ip', table: 'addresses', notFound: 'InvalidAllocationID.NotFound' },
  { prefix: 'nat-', resourceType: 'natgateway', table: 'natGateways', notFound: 'NatGatewayNotFound' },
  { prefix: 'sg-', resourceType: 'security-group', table: 'securityGroups', notFound: 'InvalidGroup.NotFound' },
  { prefix: 'lt-', resourceType: 'launch-template', table: 'launchTemplates', notFound: 'InvalidLaunchTemplateId.NotFound' },
  { prefix: 'i-', resourceType: 'instance', table: 'instances', notFound: 'InvalidInstanceID.NotFound' },
  { prefix: 'key-', resourceType: 'key-pair', table: 'keyPairs', notFound: 'InvalidKeyPair.NotFound' },
  { prefix: 'vol-', resourceType: 'volume', table: 'volumes', notFound: 'InvalidVolume.NotFound' },
];

type Taggable = { id: string; region: string; tags: Tags };

function resourceOf(ctx: Ec2Context, id: string): Taggable {
  const kind = KINDS.find((k) => id.startsWith(k.prefix));
  if (!kind) throw new AwsError('InvalidID', `The ID '${id}' is not valid`);
  const table = ctx.world.state[kind.table] as unknown as Record<string, Taggable>;
  const found = table[id];
  if (!found || found.region !== ctx.region) throw new AwsError(kind.notFound, `The ${kind.resourceType} ID '${id}' does not exist`);
  return found;
}

export const createTags: Ec2Handler = (ctx) => {
  const ids = ctx.params.strings('ResourceId');
  if (ids.length === 0) throw new AwsError('MissingParameter', 'The request must contain the parameter resourceIdSet');
  const tags = ctx.params.objects('Tag').map((t) => ({ key: t.required('Key'), value: t.str('Value') ?? '' }));
  for (const { key } of tags) {
    if (key.toLowerCase().startsWith('aws:')) throw new AwsError('InvalidParameterValue', `Tag keys starting with 'aws:' are reserved for internal use`);
  }
  const resources = ids.map((id) => resourceOf(ctx, id));
  for (const resource of resources) for (const { key, value } of tags) resource.tags[key] = value;
  ctx.world.changed();
  return ec2ResultReturn();
};

export const deleteTags: Ec2Handler = (ctx) => {
  const resources = ctx.params.strings('ResourceId').map((id) => resourceOf(ctx, id));
  const tags = ctx.params.objects('Tag').map((t) => ({ key: t.required('Key'), value: t.str('Value') }));
  for (const resource of resources) {
    if (tags.length === 0) {
      for (const key of Object.keys(resource.tags)) if (!key.startsWith('aws:')) delete resource.tags[key];
      continue;
    }
    for (const { key, value } of tags) {
      if (value === undefined || resource.tags[key] === value) delete resource.tags[key];
    }
  }
  ctx.world.changed();
  return ec2ResultReturn();
};

export const describeTags: Ec2Handler = (ctx) => {
  const rows: { resourceId: string; resourceType: string; key: string; value: string; tags: Tags }[] = [];
  for (const kind of KINDS) {
    const table = ctx.world.state[kind.table] as unknown as Record<string, Taggable>;
    for (const resource of Object.values(table)) {
      if (resource.region !== ctx.region) continue;
      for (const [key, value] of Object.entries(resource.tags)) {
        rows.push({ resourceId: resource.id, resourceType: kind.resourceType, key, value, tags: resource.tags });
      }
    }
  }
  const read: Fields<(typeof rows)[number]> = {
  'resource-id': (row) => [row.resourceId],
  'resource-type': (row) => [row.resourceType],
  key: (row) => [row.key],
  value: (row) => [row.value],
};
  const filters = filtersOf(ctx.params);
  const matching = filterResources(rows, filters, read);
  const { page, nextToken } = pageOf(matching, ctx.params.int('MaxResults'), ctx.params.str('NextToken'));
  return {
    tagSet: page.map(({ resourceId, resourceType, key, value }) => ({ resourceId, resourceType, key, value })),
    nextToken,
  };
};
