// Warm pools over awsQuery: PutWarmPool, DescribeWarmPool, DeleteWarmPool,
// with AWS's lifecycle names for warm instances (Warmed:Pending,
// Warmed:Stopped, Warmed:Running, Warmed:Terminating).
import { AwsError } from '../aws-error.js';
import { pageOf } from '../world/filters.js';
import type { AutoScalingGroup, Instance, WarmPoolConfig } from '../world/types.js';
import { warmMembers } from '../world/warm-pool.js';
import type { XmlValue } from '../xml.js';
import { groupNamed, type AsgContext } from './autoscaling-context.js';

const POOL_STATES: WarmPoolConfig['poolState'][] = ['Stopped', 'Running', 'Hibernated'];

const WARMED: Record<Instance['state'], string> = {
  pending: 'Warmed:Pending',
  running: 'Warmed:Running',
  stopped: 'Warmed:Stopped',
  'shutting-down': 'Warmed:Terminating',
  terminated: 'Warmed:Terminated',
};

export function warmPoolConfigXml(group: AutoScalingGroup): { [key: string]: XmlValue } | undefined {
  const pool = group.warmPool;
  if (!pool) return undefined;
  return { MinSize: pool.minSize, MaxGroupPreparedCapacity: pool.maxGroupPreparedCapacity, PoolState: pool.poolState };
}

export function putWarmPool(ctx: AsgContext): null {
  const group = groupNamed(ctx, ctx.params.required('AutoScalingGroupName'));
  const poolState = (ctx.params.str('PoolState') ?? 'Stopped') as WarmPoolConfig['poolState'];
  if (!POOL_STATES.includes(poolState)) throw new AwsError('ValidationError', `1 validation error detected: Value '${poolState}' at 'poolState' failed to satisfy constraint: Member must satisfy enum value set: [Hibernated, Running, Stopped]`);
  const minSize = ctx.params.int('MinSize') ?? 0;
  const maxGroupPreparedCapacity = ctx.params.int('MaxGroupPreparedCapacity');
  if (minSize < 0) throw new AwsError('ValidationError', 'MinSize must be at least 0.');
  group.warmPool = { minSize, poolState, ...(maxGroupPreparedCapacity !== undefined && maxGroupPreparedCapacity >= 0 ? { maxGroupPreparedCapacity } : {}) };
  ctx.world.scaling.reconcileSoon(ctx.region, group.name);
  ctx.world.changed();
  return null;
}

export function describeWarmPool(ctx: AsgContext) {
  const group = groupNamed(ctx, ctx.params.required('AutoScalingGroupName'));
  const instances = warmMembers(ctx.world, group, true).sort((a, b) => a.launchTime - b.launchTime);
  const { page, nextToken } = pageOf(instances, ctx.params.int('MaxRecords'), ctx.params.str('NextToken'), 50);
  return {
    WarmPoolConfiguration: warmPoolConfigXml(group),
    Instances: page.map((i) => ({
      InstanceId: i.id,
      InstanceType: i.instanceType,
      AvailabilityZone: i.zone,
      LifecycleState: WARMED[i.state],
      HealthStatus: 'Healthy',
      LaunchTemplate: i.launchTemplate ? { LaunchTemplateId: i.launchTemplate.id, LaunchTemplateName: i.launchTemplate.name, Version: i.launchTemplate.version } : undefined,
      ProtectedFromScaleIn: false,
    })),
    NextToken: nextToken,
  };
}

export function deleteWarmPool(ctx: AsgContext): null {
  const group = groupNamed(ctx, ctx.params.required('AutoScalingGroupName'));
  if (!group.warmPool) throw new AwsError('ResourceContention', `No warm pool found for Auto Scaling group ${group.name}.`);
  const warm = warmMembers(ctx.world, group);
  if (warm.length > 0 && !ctx.params.bool('ForceDelete')) {
    throw new AwsError('ResourceInUse', 'You cannot delete a warm pool while there are instances in it; use ForceDelete.');
  }
  group.warmPool = undefined;
  for (const instance of warm) ctx.world.instances.terminate(instance, 'Service initiated: warm pool deleted');
  ctx.world.changed();
  return null;
}
