// Creating, updating and deleting auto scaling groups. The capacity itself is
// kept by the world's AsgController; these only validate and record intent.
import { warmMembers } from '../world/warm-pool.js';
import { AwsError } from '../aws-error.js';
import type { Params } from '../query-params.js';
import { ACCOUNT_ID } from '../world/regions.js';
import type { AutoScalingGroup } from '../world/types.js';
import { groupNamed, type AsgContext } from './autoscaling-context.js';
import { loadBalancersOfNewGroup } from './autoscaling-load-balancers.js';
import { mergeMixedInstances, readMixedInstances } from './autoscaling-mixed-instances.js';

function launchTemplateRef(ctx: AsgContext, spec: Params): AutoScalingGroup['launchTemplate'] {
  const ref = { id: spec.str('LaunchTemplateId'), name: spec.str('LaunchTemplateName') };
  if (!ref.id && !ref.name) throw new AwsError('ValidationError', 'Valid requests must contain either LaunchTemplateId or LaunchTemplateName.');
  const template = ctx.world.scaling.resolveTemplate(ctx.region, ref);
  if (!template) {
    const what = ref.id ? `ID ${ref.id}` : `name ${ref.name}`;
    throw new AwsError('ValidationError', `You must use a valid fully-formed launch template. The specified launch template, with template ${what}, does not exist.`);
  }
  const version = spec.str('Version') ?? '$Default';
  if (!ctx.world.scaling.resolveVersion(template, version)) {
    throw new AwsError('ValidationError', `You must use a valid fully-formed launch template. The specified launch template version ${version} does not exist.`);
  }
  return { id: template.id, name: template.name, version };
}

const NO_TEMPLATE = 'Valid requests must contain either LaunchTemplate, LaunchConfigurationName, InstanceId or MixedInstancesPolicy parameter.';

/**
 * What a request says new instances launch from: a LaunchTemplate, or a
 * MixedInstancesPolicy (its template, else the group's current one, and its
 * overrides). Undefined when it says neither (an update that keeps them).
 */
function launchSpecOf(ctx: AsgContext, current?: AutoScalingGroup): Pick<AutoScalingGroup, 'launchTemplate' | 'mixedInstances'> | undefined {
  const plain = ctx.params.object('LaunchTemplate');
  const mixed = readMixedInstances(ctx.params);
  if (plain && mixed) throw new AwsError('ValidationError', 'A request may specify LaunchTemplate or MixedInstancesPolicy, not both.');
  if (plain) return { launchTemplate: launchTemplateRef(ctx, plain), mixedInstances: undefined };
  if (!mixed) return undefined;
  if (!mixed.template && !current) {
    throw new AwsError('ValidationError', 'MixedInstancesPolicy.LaunchTemplate.LaunchTemplateSpecification is required when creating a group.');
  }
  const launchTemplate = mixed.template ? launchTemplateRef(ctx, mixed.template) : current!.launchTemplate;
  return { launchTemplate, mixedInstances: mergeMixedInstances(mixed, current?.mixedInstances) };
}

function subnetIdsOf(ctx: AsgContext, zoneIdentifier: string): string[] {
  const ids = zoneIdentifier.split(',').map((s) => s.trim()).filter(Boolean);
  for (const id of ids) {
    const subnet = ctx.world.state.subnets[id];
    if (!subnet || subnet.region !== ctx.region) throw new AwsError('ValidationError', `The subnet ID '${id}' does not exist`);
  }
  return ids;
}

function checkSizes(min: number, max: number, desired: number): void {
  if (min > max) throw new AwsError('ValidationError', `Max bound, ${max}, must be greater than or equal to min bound, ${min}`);
  if (desired < min || desired > max) {
    throw new AwsError('ValidationError', `Desired capacity:${desired} must be between the specified min size:${min} and max size:${max}`);
  }
}

export function createGroup(ctx: AsgContext): null {
  const { params, region, world } = ctx;
  const name = params.required('AutoScalingGroupName');
  if (world.findAsg(region, name)) throw new AwsError('AlreadyExists', `AutoScalingGroup by this name already exists - A group with the name ${name} already exists`);
  const launch = launchSpecOf(ctx);
  if (!launch) throw new AwsError('ValidationError', NO_TEMPLATE);
  const subnetIds = subnetIdsOf(ctx, params.str('VPCZoneIdentifier') ?? '');
  if (subnetIds.length === 0) throw new AwsError('ValidationError', 'At least one Availability Zone or VPC Subnet is required.');
  const minSize = params.int('MinSize') ?? 0;
  const maxSize = params.int('MaxSize') ?? 0;
  const desiredCapacity = params.int('DesiredCapacity') ?? minSize;
  checkSizes(minSize, maxSize, desiredCapacity);
  const loadBalancers = loadBalancersOfNewGroup(ctx);
  const group: AutoScalingGroup = {
    name,
    region,
    arn: `arn:aws:autoscaling:${region}:${ACCOUNT_ID}:autoScalingGroup:${world.deps.random.hex(8)}-${world.deps.random.hex(4)}:autoScalingGroupName/${name}`,
    ...launch,
    minSize,
    maxSize,
    desiredCapacity,
    subnetIds,
    tags: params.objects('Tags').map((t) => ({ key: t.required('Key'), value: t.str('Value') ?? '', propagateAtLaunch: t.bool('PropagateAtLaunch') ?? false })),
    createdAt: world.now(),
    deleting: false,
    activities: [],
    ...loadBalancers,
  };
  world.state.autoScalingGroups[world.asgKey(region, name)] = group;
  const cluster = group.tags.find((t) => t.key === 'KubernetesCluster')?.value;
  if (cluster) world.deps.kube.clusterSeen(cluster);
  world.scaling.reconcileSoon(region, name);
  world.changed();
  return null;
}

export function updateGroup(ctx: AsgContext): null {
  const { params, world } = ctx;
  const group = groupNamed(ctx, params.required('AutoScalingGroupName'));
  if (group.deleting) throw new AwsError('ScalingActivityInProgress', 'The Auto Scaling group is being deleted.');
  const launch = launchSpecOf(ctx, group) ?? { launchTemplate: group.launchTemplate, mixedInstances: group.mixedInstances };
  const zoneIdentifier = params.str('VPCZoneIdentifier');
  const subnetIds = zoneIdentifier !== undefined ? subnetIdsOf(ctx, zoneIdentifier) : group.subnetIds;
  const minSize = params.int('MinSize') ?? group.minSize;
  const maxSize = params.int('MaxSize') ?? group.maxSize;
  let desired = params.int('DesiredCapacity');
  if (desired === undefined) desired = Math.min(Math.max(group.desiredCapacity, minSize), maxSize);
  checkSizes(minSize, maxSize, desired);
  Object.assign(group, { ...launch, subnetIds, minSize, maxSize, desiredCapacity: desired });
  world.scaling.reconcileSoon(ctx.region, group.name);
  world.changed();
  return null;
}

export function deleteGroup(ctx: AsgContext): null {
  const { params, world } = ctx;
  const group = groupNamed(ctx, params.required('AutoScalingGroupName'));
  // ForceDelete takes the warm pool's instances too; without it, AWS refuses while either is there.
  const members = [...world.scaling.listedMembers(group), ...warmMembers(world, group)];
  if (members.length > 0 && !params.bool('ForceDelete')) {
    throw new AwsError('ResourceInUse', 'You cannot delete an AutoScalingGroup while there are instances or pending Spot instance request(s) still in the group.');
  }
  if (members.length === 0) {
    delete world.state.autoScalingGroups[world.asgKey(ctx.region, group.name)];
  } else {
    group.deleting = true;
    group.desiredCapacity = 0;
    group.minSize = 0;
    for (const instance of members) world.instances.terminate(instance, 'Service initiated: auto scaling group deleted');
  }
  world.changed();
  return null;
}
