// How auto scaling groups, their instances, tags and activities look on the
// wire (awsQuery: PascalCase elements, lists of <member>).
import { isoTime } from '../query-protocol.js';
import type { XmlValue } from '../xml.js';
import type { AwsWorld } from '../world/aws-world.js';
import type { AutoScalingGroup, Instance, ScalingActivity } from '../world/types.js';
import { mixedInstancesXml } from './autoscaling-mixed-instances.js';
import { warmPoolConfigXml } from './autoscaling-warm-pool.js';
import { warmMembers } from '../world/warm-pool.js';

const LIFECYCLE: Record<Instance['state'], string> = {
  pending: 'Pending',
  running: 'InService',
  stopped: 'Standby',
  'shutting-down': 'Terminating',
  terminated: 'Terminated',
};

export function groupXml(world: AwsWorld, group: AutoScalingGroup): { [key: string]: XmlValue } {
  const zones = [...new Set(group.subnetIds.map((id) => world.state.subnets[id]?.zone).filter(Boolean))] as string[];
  return {
    AutoScalingGroupName: group.name,
    AutoScalingGroupARN: group.arn,
    // A group with a MixedInstancesPolicy has no top-level LaunchTemplate, as on AWS.
    LaunchTemplate: group.mixedInstances
      ? undefined
      : { LaunchTemplateId: group.launchTemplate.id, LaunchTemplateName: group.launchTemplate.name, Version: group.launchTemplate.version },
    MixedInstancesPolicy: group.mixedInstances ? mixedInstancesXml(group.launchTemplate, group.mixedInstances) : undefined,
    MinSize: group.minSize,
    MaxSize: group.maxSize,
    DesiredCapacity: group.desiredCapacity,
    DefaultCooldown: 300,
    AvailabilityZones: zones,
    LoadBalancerNames: group.loadBalancerNames ?? [],
    TargetGroupARNs: group.targetGroupArns ?? [],
    HealthCheckType: 'EC2',
    HealthCheckGracePeriod: 0,
    Instances: world.scaling.listedMembers(group).map((i) => ({
      InstanceId: i.id,
      InstanceType: i.instanceType,
      AvailabilityZone: i.zone,
      LifecycleState: LIFECYCLE[i.state],
      HealthStatus: i.state === 'shutting-down' ? 'Unhealthy' : 'Healthy',
      LaunchTemplate: i.launchTemplate ? { LaunchTemplateId: i.launchTemplate.id, LaunchTemplateName: i.launchTemplate.name, Version: i.launchTemplate.version } : undefined,
      ProtectedFromScaleIn: false,
    })),
    CreatedTime: isoTime(group.createdAt),
    SuspendedProcesses: [],
    VPCZoneIdentifier: group.subnetIds.join(','),
    EnabledMetrics: [],
    Status: group.deleting ? 'Delete in progress' : undefined,
    Tags: group.tags.map((t) => tagXml(group, t)),
    TerminationPolicies: ['Default'],
    NewInstancesProtectedFromScaleIn: false,
    ServiceLinkedRoleARN: 'arn:aws:iam::123456789012:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling',
    CapacityRebalance: false,
    WarmPoolConfiguration: warmPoolConfigXml(group),
    WarmPoolSize: group.warmPool ? warmMembers(world, group).length : undefined,
  };
}

export function tagXml(group: AutoScalingGroup, tag: AutoScalingGroup['tags'][number]): { [key: string]: XmlValue } {
  return { ResourceId: group.name, ResourceType: 'auto-scaling-group', Key: tag.key, Value: tag.value, PropagateAtLaunch: tag.propagateAtLaunch };
}

export function activityXml(group: AutoScalingGroup, activity: ScalingActivity): { [key: string]: XmlValue } {
  return {
    ActivityId: activity.id,
    AutoScalingGroupName: group.name,
    AutoScalingGroupARN: group.arn,
    Description: activity.description,
    Cause: activity.cause,
    StartTime: isoTime(activity.startTime),
    EndTime: activity.endTime === undefined ? undefined : isoTime(activity.endTime),
    StatusCode: activity.status,
    StatusMessage: activity.statusMessage,
    Progress: activity.status === 'InProgress' ? 0 : 100,
  };
}
