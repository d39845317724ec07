// CloudProvider on AWS: auto scaling groups found by tag, their instances'
// launch template versions compared with the template's latest, and the few
// mutations the rollout needs.
import {
  DetachInstancesCommand,
  SetDesiredCapacityCommand,
  TerminateInstanceInAutoScalingGroupCommand,
  type AutoScalingGroup,
} from '@aws-sdk/client-auto-scaling';
import type { CloudInstance, CloudInstanceGroup, CloudProvider, OwnedResourceRow } from '../provider.js';
import { inBatches } from './batches.js';
import type { AwsClients } from './clients.js';
import { findAutoScalingGroups, findInstances, findLaunchTemplates } from './discovery.js';
import { TAG_INSTANCE_GROUP } from './tags.js';
import { planDelete } from '../../reconcile/delete.js';

/** Most ids one DetachInstances call accepts. */
const DETACH_BATCH = 20;

export class AwsCloudProvider implements CloudProvider {
  constructor(private readonly clients: AwsClients) {}

  async listInstanceGroups(clusterName: string): Promise<CloudInstanceGroup[]> {
    const [groups, instances, templates] = await Promise.all([
      findAutoScalingGroups(this.clients, clusterName),
      findInstances(this.clients, clusterName),
      findLaunchTemplates(this.clients, clusterName),
    ]);
    const ec2ById = new Map(instances.map((i) => [i.InstanceId!, i]));
    const latestById = new Map(templates.map((t) => [t.template.LaunchTemplateId!, t.template]));
    return groups.map((group) => {
      const templateId = group.LaunchTemplate?.LaunchTemplateId;
      const template = templateId ? latestById.get(templateId) : undefined;
      const currentVersion = resolveVersion(group.LaunchTemplate?.Version, template?.LatestVersionNumber, template?.DefaultVersionNumber);
      const tags = tagsOfGroup(group);
      const name = tags[TAG_INSTANCE_GROUP] ?? group.AutoScalingGroupName!;
      const members: CloudInstance[] = (group.Instances ?? []).map((member) => {
        const ec2 = ec2ById.get(member.InstanceId!);
        const version = member.LaunchTemplate?.Version ?? ec2?.Tags?.find((t) => t.Key === 'aws:ec2launchtemplate:version')?.Value ?? null;
        return {
          id: member.InstanceId!,
          instanceGroup: name,
          lifecycleState: member.LifecycleState ?? 'Unknown',
          healthStatus: member.HealthStatus ?? 'Unknown',
          zone: member.AvailabilityZone,
          state: ec2?.State?.Name,
          privateIp: ec2?.PrivateIpAddress,
          privateDnsName: ec2?.PrivateDnsName,
          publicIp: ec2?.PublicIpAddress,
          launchTemplateVersion: version,
          needsUpdate: currentVersion !== null && version !== currentVersion,
          launchTime: ec2?.LaunchTime,
        };
      });
      return {
        name,
        groupName: group.AutoScalingGroupName!,
        role: roleOf(tags),
        minSize: group.MinSize ?? 0,
        maxSize: group.MaxSize ?? 0,
        desiredCapacity: group.DesiredCapacity ?? 0,
        launchTemplateId: templateId,
        currentVersion,
        instances: members,
      };
    });
  }

  async setDesiredCapacity(groupName: string, desired: number): Promise<void> {
    await this.clients.autoscaling.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: groupName, DesiredCapacity: desired, HonorCooldown: false }));
  }

  async terminateInstance(instanceId: string, options: { decrementDesiredCapacity: boolean }): Promise<void> {
    await this.clients.autoscaling.send(
      new TerminateInstanceInAutoScalingGroupCommand({ InstanceId: instanceId, ShouldDecrementDesiredCapacity: options.decrementDesiredCapacity }),
    );
  }

  async detachInstances(groupName: string, instanceIds: readonly string[], options: { decrementDesiredCapacity: boolean }): Promise<void> {
    for (const InstanceIds of inBatches(instanceIds, DETACH_BATCH)) {
      await this.clients.autoscaling.send(
        new DetachInstancesCommand({ AutoScalingGroupName: groupName, InstanceIds, ShouldDecrementDesiredCapacity: options.decrementDesiredCapacity }),
      );
    }
  }

  async listClusterResources(clusterName: string): Promise<OwnedResourceRow[]> {
    return (await planDelete({ clusterName, clients: this.clients })).resources;
  }
}

/**
 * `$Latest` / `$Default` / a number, as the version new instances get. A group
 * that names no version launches the template's default one, as AWS does.
 */
export function resolveVersion(version: string | undefined, latest: number | undefined, defaultVersion: number | undefined): string | null {
  if (version === '$Latest') return latest !== undefined ? String(latest) : null;
  if (version === undefined || version === '$Default') return defaultVersion !== undefined ? String(defaultVersion) : null;
  return version;
}

function tagsOfGroup(group: AutoScalingGroup): Record<string, string> {
  return Object.fromEntries((group.Tags ?? []).filter((t) => t.Key).map((t) => [t.Key!, t.Value ?? '']));
}

function roleOf(tags: Record<string, string>): CloudInstanceGroup['role'] {
  if ('k8s.io/role/control-plane' in tags) return 'ControlPlane';
  if ('k8s.io/role/node' in tags) return 'Node';
  if ('k8s.io/role/bastion' in tags) return 'Bastion';
  return 'Unknown';
}
