// A group's warm pool (PutWarmPool): instances launched from the group's
// template beside it, booted once and kept stopped (or running), outside its
// capacity and its DescribeAutoScalingGroups list. When the group grows, it
// takes warm instances into service before it launches new ones; the pool is
// then refilled. Its size is MaxGroupPreparedCapacity (else MaxSize) minus
// the group's desired capacity, never below the pool's MinSize, as on AWS.
// A warm instance keeps the template version it was launched with: after a
// new version, the pool holds old instances until someone replaces them.
import type { AwsWorld } from './aws-world.js';
import type { AutoScalingGroup, Instance } from './types.js';

/** The warm pool's instances, still there (terminating ones are on their way out and do not count). */
export function warmMembers(world: AwsWorld, group: AutoScalingGroup, includeLeaving = false): Instance[] {
  return Object.values(world.state.instances).filter(
    (i) =>
      i.warmPool && i.asgName === group.name && i.region === group.region && i.state !== 'terminated' && (includeLeaving || i.state !== 'shutting-down'),
  );
}

export function warmPoolTarget(group: AutoScalingGroup): number {
  if (!group.warmPool) return 0;
  const prepared = group.warmPool.maxGroupPreparedCapacity ?? group.maxSize;
  return Math.max(group.warmPool.minSize, prepared - group.desiredCapacity, 0);
}

/** Up to `count` warm instances, ready ones first, taken into the group's service. */
export function takeFromWarmPool(world: AwsWorld, group: AutoScalingGroup, count: number): Instance[] {
  const readiness = (i: Instance) => (i.state === 'running' ? 0 : i.state === 'stopped' ? 1 : 2);
  const taken = warmMembers(world, group)
    .sort((a, b) => readiness(a) - readiness(b) || a.launchTime - b.launchTime)
    .slice(0, count);
  for (const instance of taken) world.instances.takeFromWarmPool(instance);
  return taken;
}
