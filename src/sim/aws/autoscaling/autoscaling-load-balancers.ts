// The load balancers of an auto scaling group: target groups (ELBv2) and
// classic load balancers, given at creation or attached and detached later.
// As on AWS, attaching registers the group's in-service instances, detaching
// deregisters them (they drain), and members register as they go InService
// (see world/load-balancing.ts).
import { AwsError } from '../aws-error.js';
import type { Params } from '../query-params.js';
import type { XmlValue } from '../xml.js';
import type { AutoScalingGroup } from '../world/types.js';
import { groupNamed, type AsgContext } from './autoscaling-context.js';

type Handler = (ctx: AsgContext) => { [key: string]: XmlValue } | null;

function targetGroupArnsOf(ctx: AsgContext, params: Params): string[] {
  const arns = [...new Set(params.strings('TargetGroupARNs'))];
  const known = ctx.world.loadBalancing.state.targetGroups;
  if (arns.some((arn) => known[arn]?.region !== ctx.region)) {
    throw new AwsError('ValidationError', 'Provided Target Groups may not be valid. Please ensure they exist and try again.');
  }
  return arns;
}

function loadBalancerNamesOf(ctx: AsgContext, params: Params): string[] {
  const names = [...new Set(params.strings('LoadBalancerNames'))];
  const balancing = ctx.world.loadBalancing;
  if (names.some((name) => !balancing.state.classic[balancing.classicKey(ctx.region, name)])) {
    throw new AwsError('ValidationError', 'Provided Load Balancers may not be valid. Please ensure they exist and try again.');
  }
  return names;
}

/** For CreateAutoScalingGroup: the target groups and classic load balancers asked for, each checked to exist. */
export function loadBalancersOfNewGroup(ctx: AsgContext): Pick<AutoScalingGroup, 'targetGroupArns' | 'loadBalancerNames'> {
  return { targetGroupArns: targetGroupArnsOf(ctx, ctx.params), loadBalancerNames: loadBalancerNamesOf(ctx, ctx.params) };
}

const members = (ctx: AsgContext, group: AutoScalingGroup) => ctx.world.scaling.listedMembers(group);

export const attachLoadBalancerTargetGroups: Handler = (ctx) => {
  const group = groupNamed(ctx, ctx.params.required('AutoScalingGroupName'));
  const arns = targetGroupArnsOf(ctx, ctx.params);
  if (arns.length === 0) throw new AwsError('ValidationError', 'TargetGroupARNs is required');
  const added = arns.filter((arn) => !(group.targetGroupArns ?? []).includes(arn));
  group.targetGroupArns = [...(group.targetGroupArns ?? []), ...added];
  ctx.world.loadBalancing.registerMembers(group, members(ctx, group), added, []);
  ctx.world.changed();
  return null;
};

export const detachLoadBalancerTargetGroups: Handler = (ctx) => {
  const group = groupNamed(ctx, ctx.params.required('AutoScalingGroupName'));
  const arns = ctx.params.strings('TargetGroupARNs');
  if (arns.length === 0) throw new AwsError('ValidationError', 'TargetGroupARNs is required');
  if (arns.some((arn) => !(group.targetGroupArns ?? []).includes(arn))) {
    throw new AwsError('ValidationError', `Trying to remove Target Groups that are not part of the group ${group.name}`);
  }
  group.targetGroupArns = (group.targetGroupArns ?? []).filter((arn) => !arns.includes(arn));
  ctx.world.loadBalancing.deregisterMembers(group, members(ctx, group), arns, []);
  ctx.world.changed();
  return null;
};

export const attachLoadBalancers: Handler = (ctx) => {
  const group = groupNamed(ctx, ctx.params.required('AutoScalingGroupName'));
  const names = loadBalancerNamesOf(ctx, ctx.params);
  if (names.length === 0) throw new AwsError('ValidationError', 'LoadBalancerNames is required');
  const added = names.filter((name) => !(group.loadBalancerNames ?? []).includes(name));
  group.loadBalancerNames = [...(group.loadBalancerNames ?? []), ...added];
  ctx.world.loadBalancing.registerMembers(group, members(ctx, group), [], added);
  ctx.world.changed();
  return null;
};

export const detachLoadBalancers: Handler = (ctx) => {
  const group = groupNamed(ctx, ctx.params.required('AutoScalingGroupName'));
  const names = ctx.params.strings('LoadBalancerNames');
  if (names.length === 0) throw new AwsError('ValidationError', 'LoadBalancerNames is required');
  if (names.some((name) => !(group.loadBalancerNames ?? []).includes(name))) {
    throw new AwsError('ValidationError', `Trying to remove Load Balancers that are not part of the group ${group.name}`);
  }
  group.loadBalancerNames = (group.loadBalancerNames ?? []).filter((name) => !names.includes(name));
  ctx.world.loadBalancing.deregisterMembers(group, members(ctx, group), [], names);
  ctx.world.changed();
  return null;
};

/** Added once attached; InService once one of the group's instances passes the health checks. */
export const describeLoadBalancerTargetGroups: Handler = (ctx) => {
  const group = groupNamed(ctx, ctx.params.required('AutoScalingGroupName'));
  const balancing = ctx.world.loadBalancing;
  const ids = new Set(members(ctx, group).map((i) => i.id));
  const rows = (group.targetGroupArns ?? []).map((arn) => {
    const target = balancing.state.targetGroups[arn];
    const healthy = target && balancing.targetsOf(target).some((t) => ids.has(t.instanceId) && balancing.targetHealth(target, t).state === 'healthy');
    return { LoadBalancerTargetGroupARN: arn, State: healthy ? 'InService' : 'Added' };
  });
  return { LoadBalancerTargetGroups: rows };
};

export const describeLoadBalancers: Handler = (ctx) => {
  const group = groupNamed(ctx, ctx.params.required('AutoScalingGroupName'));
  const balancing = ctx.world.loadBalancing;
  const ids = new Set(members(ctx, group).map((i) => i.id));
  const rows = (group.loadBalancerNames ?? []).map((name) => {
    const lb = balancing.state.classic[balancing.classicKey(group.region, name)];
    const inService = lb && balancing.instancesOf(lb).some((r) => ids.has(r.instanceId) && balancing.instanceHealth(lb, r).state === 'InService');
    return { LoadBalancerName: name, State: inService ? 'InService' : 'Added' };
  });
  return { LoadBalancers: rows };
};
