// A group's MixedInstancesPolicy: a launch template specification, instance
// type overrides in priority order, and an instances distribution. The
// template is kept as the group's launchTemplate (new instances launch from it,
// as from a plain LaunchTemplate); the rest is kept here and echoed back by
// DescribeAutoScalingGroups in AWS's shape. The simulator has no Spot market:
// every instance is on demand, of the first override's type (AWS's default
// "prioritized" strategy when that type has capacity).
import { AwsError } from '../aws-error.js';
import type { Params } from '../query-params.js';
import type { XmlValue } from '../xml.js';
import type { AutoScalingGroup, MixedInstances } from '../world/types.js';

type TemplateRef = AutoScalingGroup['launchTemplate'];

/** AWS's defaults for what an InstancesDistribution leaves out. */
const DEFAULT_DISTRIBUTION: MixedInstances['distribution'] = {
  onDemandAllocationStrategy: 'prioritized',
  onDemandBaseCapacity: 0,
  onDemandPercentageAboveBaseCapacity: 100,
  spotAllocationStrategy: 'lowest-price',
  spotInstancePools: 2,
};

export interface MixedInstancesRequest {
  /** The policy's LaunchTemplateSpecification; absent on an update that keeps the group's template. */
  template?: Params;
  /** Absent on an update that keeps the group's overrides. */
  overrides?: MixedInstances['overrides'];
  distribution?: Params;
}

/** Reads `MixedInstancesPolicy.*` from a Create/UpdateAutoScalingGroup request; undefined when absent. */
export function readMixedInstances(params: Params): MixedInstancesRequest | undefined {
  const policy = params.object('MixedInstancesPolicy');
  if (!policy) return undefined;
  const launchTemplate = policy.object('LaunchTemplate');
  const named = launchTemplate !== undefined && launchTemplate.raw.Overrides !== undefined;
  return {
    template: launchTemplate?.object('LaunchTemplateSpecification'),
    overrides: named ? launchTemplate.objects('Overrides').map(readOverride) : undefined,
    distribution: policy.object('InstancesDistribution'),
  };
}

function readOverride(override: Params): MixedInstances['overrides'][number] {
  const instanceType = override.str('InstanceType');
  if (!instanceType) throw new AwsError('ValidationError', 'Each launch template override must specify an InstanceType (InstanceRequirements are not supported by the simulator).');
  const weightedCapacity = override.str('WeightedCapacity');
  return weightedCapacity === undefined ? { instanceType } : { instanceType, weightedCapacity };
}

/** The policy after a request: what it names replaces, what it leaves out is kept (from `current`, else AWS's defaults). */
export function mergeMixedInstances(request: MixedInstancesRequest, current: MixedInstances | undefined): MixedInstances {
  const base = current?.distribution ?? DEFAULT_DISTRIBUTION;
  const given = request.distribution;
  const distribution: MixedInstances['distribution'] = {
    onDemandAllocationStrategy: given?.str('OnDemandAllocationStrategy') ?? base.onDemandAllocationStrategy,
    onDemandBaseCapacity: given?.int('OnDemandBaseCapacity') ?? base.onDemandBaseCapacity,
    onDemandPercentageAboveBaseCapacity: given?.int('OnDemandPercentageAboveBaseCapacity') ?? base.onDemandPercentageAboveBaseCapacity,
    spotAllocationStrategy: given?.str('SpotAllocationStrategy') ?? base.spotAllocationStrategy,
    spotInstancePools: given?.int('SpotInstancePools') ?? base.spotInstancePools,
    spotMaxPrice: given?.str('SpotMaxPrice') ?? base.spotMaxPrice,
  };
  return { overrides: request.overrides ?? current?.overrides ?? [], distribution };
}

export function mixedInstancesXml(template: TemplateRef, mixed: MixedInstances): { [key: string]: XmlValue } {
  const d = mixed.distribution;
  return {
    LaunchTemplate: {
      LaunchTemplateSpecification: { LaunchTemplateId: template.id, LaunchTemplateName: template.name, Version: template.version },
      Overrides: mixed.overrides.map((o) => ({ InstanceType: o.instanceType, WeightedCapacity: o.weightedCapacity })),
    },
    InstancesDistribution: {
      OnDemandAllocationStrategy: d.onDemandAllocationStrategy,
      OnDemandBaseCapacity: d.onDemandBaseCapacity,
      OnDemandPercentageAboveBaseCapacity: d.onDemandPercentageAboveBaseCapacity,
      SpotAllocationStrategy: d.spotAllocationStrategy,
      SpotInstancePools: d.spotInstancePools,
      SpotMaxPrice: d.spotMaxPrice,
    },
  };
}
