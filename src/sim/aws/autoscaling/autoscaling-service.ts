// AutoScaling over awsQuery: groups, capacity, instances, tags, activities.
import { AwsError } from '../aws-error.js';
import type { AwsRequest, AwsService } from '../aws-service.js';
import type { Params } from '../query-params.js';
import { queryAction, queryParams, sendAwsQuery, sendAwsQueryError } from '../query-protocol.js';
import { filterResources, pageOf, type Fields } from '../world/filters.js';
import type { AsgTag, AutoScalingGroup, Instance } from '../world/types.js';
import { activityXml, groupXml, tagXml } from './autoscaling-xml.js';
import { groupNamed, type AsgContext } from './autoscaling-context.js';
import { createGroup, deleteGroup, updateGroup } from './autoscaling-groups.js';
import * as balancers from './autoscaling-load-balancers.js';
import { deleteWarmPool, describeWarmPool, putWarmPool } from './autoscaling-warm-pool.js';

type Result = Parameters<typeof sendAwsQuery>[2];
type Handler = (ctx: AsgContext) => Result;

function memberOf(ctx: AsgContext, instanceId: string): { group: AutoScalingGroup; instance: Instance } {
  const instance = ctx.world.state.instances[instanceId];
  const group = instance?.asgName ? ctx.world.findAsg(ctx.region, instance.asgName) : undefined;
  if (!instance || !group || instance.region !== ctx.region || instance.state === 'terminated') {
    throw new AwsError('ValidationError', `Instance Id not found - No managed instance found for instance ID: ${instanceId}`);
  }
  return { group, instance };
}

const filtersOf = (params: Params) => params.objects('Filters').map((f) => ({ name: f.required('Name'), values: f.strings('Values') }));

function asgTagsAsMap(group: AutoScalingGroup): Record<string, string> {
  return Object.fromEntries(group.tags.map((t) => [t.key, t.value]));
}

const describeGroups: Handler = (ctx) => {
  const names = ctx.params.strings('AutoScalingGroupNames');
  const filters = filtersOf(ctx.params);
  const groups = Object.values(ctx.world.state.autoScalingGroups)
    .filter((g) => g.region === ctx.region && (names.length === 0 || names.includes(g.name)))
    .map((g) => ({ group: g, tags: asgTagsAsMap(g) }))
    .sort((a, b) => a.group.name.localeCompare(b.group.name));
  const matching = filterResources(groups, filters, {});
  const { page, nextToken } = pageOf(matching, ctx.params.int('MaxRecords'), ctx.params.str('NextToken'), 100);
  return { AutoScalingGroups: page.map((row) => groupXml(ctx.world, row.group)), NextToken: nextToken };
};

const setDesiredCapacity: Handler = (ctx) => {
  const group = groupNamed(ctx, ctx.params.required('AutoScalingGroupName'));
  const desired = ctx.params.int('DesiredCapacity') ?? 0;
  if (desired > group.maxSize) throw new AwsError('ValidationError', `New SetDesiredCapacity value ${desired} is above max value ${group.maxSize} for the AutoScalingGroup.`);
  if (desired < group.minSize) throw new AwsError('ValidationError', `New SetDesiredCapacity value ${desired} is below min value ${group.minSize} for the AutoScalingGroup.`);
  group.desiredCapacity = desired;
  ctx.world.scaling.reconcileSoon(ctx.region, group.name);
  ctx.world.changed();
  return null;
};

const terminateInstance: Handler = (ctx) => {
  const { group, instance } = memberOf(ctx, ctx.params.required('InstanceId'));
  const decrement = ctx.params.bool('ShouldDecrementDesiredCapacity');
  if (decrement === undefined) throw new AwsError('ValidationError', 'ShouldDecrementDesiredCapacity is required');
  if (decrement) {
    if (group.desiredCapacity - 1 < group.minSize) {
      throw new AwsError(
        'ValidationError',
        `Currently, desiredCapacity is ${group.desiredCapacity} and minSize is ${group.minSize}. Terminating instance without replacement will violate group's min size constraint. Either set shouldDecrementDesiredCapacity flag to false or lower group's min size.`,
      );
    }
    group.desiredCapacity -= 1;
  }
  ctx.world.instances.terminate(instance, 'User initiated: terminated through auto scaling');
  const cause = decrement
    ? `At ${new Date(ctx.world.now()).toISOString()} instance ${instance.id} was taken out of service in response to a user request, shrinking the capacity from ${group.desiredCapacity + 1} to ${group.desiredCapacity}.`
    : `At ${new Date(ctx.world.now()).toISOString()} instance ${instance.id} was taken out of service in response to a user request.`;
  ctx.world.scaling.recordActivity(group, { description: `Terminating EC2 instance: ${instance.id}`, cause, status: 'InProgress' });
  ctx.world.changed();
  return { Activity: activityXml(group, group.activities[0]) };
};

const detachInstances: Handler = (ctx) => {
  const group = groupNamed(ctx, ctx.params.required('AutoScalingGroupName'));
  const decrement = ctx.params.bool('ShouldDecrementDesiredCapacity');
  if (decrement === undefined) throw new AwsError('ValidationError', 'ShouldDecrementDesiredCapacity is required');
  const ids = ctx.params.strings('InstanceIds');
  const instances = ids.map((id) => {
    const found = memberOf(ctx, id);
    if (found.group !== group) throw new AwsError('ValidationError', `The instance ${id} is not part of Auto Scaling group ${group.name}.`);
    return found.instance;
  });
  if (decrement && group.desiredCapacity - instances.length < group.minSize) {
    throw new AwsError('ValidationError', `Detaching ${instances.length} instance(s) with decrement would violate the group's min size ${group.minSize}.`);
  }
  for (const instance of instances) {
    // Leaving the group takes it out of the group's load balancers (it drains), as on AWS.
    ctx.world.loadBalancing.instanceLeaving(instance);
    instance.asgName = undefined;
    delete instance.tags['aws:autoscaling:groupName'];
    if (decrement) group.desiredCapacity -= 1;
    ctx.world.scaling.recordActivity(group, {
      description: `Detaching EC2 instance: ${instance.id}`,
      cause: `At ${new Date(ctx.world.now()).toISOString()} instance ${instance.id} was detached in response to a user request.`,
      status: 'Successful',
    });
  }
  ctx.world.scaling.reconcileSoon(ctx.region, group.name);
  ctx.world.changed();
  return { Activities: group.activities.slice(0, instances.length).map((a) => activityXml(group, a)) };
};

function readTagRequests(params: Params): (AsgTag & { resourceId: string })[] {
  return params.objects('Tags').map((t) => ({
    resourceId: t.required('ResourceId'),
    key: t.required('Key'),
    value: t.str('Value') ?? '',
    propagateAtLaunch: t.bool('PropagateAtLaunch') ?? false,
  }));
}

const createOrUpdateTags: Handler = (ctx) => {
  for (const tag of readTagRequests(ctx.params)) {
    const group = groupNamed(ctx, tag.resourceId);
    const existing = group.tags.find((t) => t.key === tag.key);
    if (existing) Object.assign(existing, { value: tag.value, propagateAtLaunch: tag.propagateAtLaunch });
    else group.tags.push({ key: tag.key, value: tag.value, propagateAtLaunch: tag.propagateAtLaunch });
    if (tag.key === 'KubernetesCluster') ctx.world.deps.kube.clusterSeen(tag.value);
  }
  ctx.world.changed();
  return null;
};

const deleteTags: Handler = (ctx) => {
  for (const tag of readTagRequests(ctx.params)) {
    const group = groupNamed(ctx, tag.resourceId);
    group.tags = group.tags.filter((t) => t.key !== tag.key);
  }
  ctx.world.changed();
  return null;
};

const describeTags: Handler = (ctx) => {
  const rows = Object.values(ctx.world.state.autoScalingGroups)
    .filter((g) => g.region === ctx.region)
    .flatMap((group) => group.tags.map((tag) => ({ group, tag, tags: {} })));
  const read: Fields<(typeof rows)[number]> = {
  'auto-scaling-group': (row) => [row.group.name],
  key: (row) => [row.tag.key],
  value: (row) => [row.tag.value],
  'propagate-at-launch': (row) => [String(row.tag.propagateAtLaunch)],
};
  const filters = filtersOf(ctx.params);
  const matching = filterResources(rows, filters, read);
  const { page, nextToken } = pageOf(matching, ctx.params.int('MaxRecords'), ctx.params.str('NextToken'), 100);
  return { Tags: page.map((row) => tagXml(row.group, row.tag)), NextToken: nextToken };
};

const describeScalingActivities: Handler = (ctx) => {
  const name = ctx.params.str('AutoScalingGroupName');
  const groups = name ? [groupNamed(ctx, name)] : Object.values(ctx.world.state.autoScalingGroups).filter((g) => g.region === ctx.region);
  const rows = groups.flatMap((group) => group.activities.map((activity) => ({ group, activity })));
  const { page, nextToken } = pageOf(rows, ctx.params.int('MaxRecords'), ctx.params.str('NextToken'), 100);
  return { Activities: page.map((r) => activityXml(r.group, r.activity)), NextToken: nextToken };
};

const ACTIONS: Record<string, Handler> = {
  CreateAutoScalingGroup: createGroup,
  UpdateAutoScalingGroup: updateGroup,
  DeleteAutoScalingGroup: deleteGroup,
  DescribeAutoScalingGroups: describeGroups,
  SetDesiredCapacity: setDesiredCapacity,
  TerminateInstanceInAutoScalingGroup: terminateInstance,
  DetachInstances: detachInstances,
  CreateOrUpdateTags: createOrUpdateTags,
  DeleteTags: deleteTags,
  DescribeTags: describeTags,
  DescribeScalingActivities: describeScalingActivities,
  AttachLoadBalancerTargetGroups: balancers.attachLoadBalancerTargetGroups,
  DetachLoadBalancerTargetGroups: balancers.detachLoadBalancerTargetGroups,
  DescribeLoadBalancerTargetGroups: balancers.describeLoadBalancerTargetGroups,
  AttachLoadBalancers: balancers.attachLoadBalancers,
  DetachLoadBalancers: balancers.detachLoadBalancers,
  DescribeLoadBalancers: balancers.describeLoadBalancers,
  PutWarmPool: putWarmPool,
  DescribeWarmPool: describeWarmPool,
  DeleteWarmPool: deleteWarmPool,
};

export class AutoScalingService implements AwsService {
  readonly name = 'autoscaling';
  readonly throttleError = { code: 'Throttling', status: 400 };

  action(request: AwsRequest): string {
    return queryAction(request);
  }

  handle(request: AwsRequest, action: string): void {
    const handler = ACTIONS[action];
    if (!handler) throw new AwsError('InvalidAction', `Could not find operation ${action} for version 2011-01-01`);
    const result = handler({ params: queryParams(request), region: request.region, world: request.world });
    sendAwsQuery(request, action, result);
  }

  sendError(request: AwsRequest, error: AwsError): void {
    sendAwsQueryError(request, error);
  }
}
