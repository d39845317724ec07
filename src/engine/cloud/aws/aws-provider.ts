// CloudProvider on AWS: the instance groups as the one reader
// (instance-groups.ts) finds them, with EC2's view of each member, and the few
// mutations the rollout needs.
import {
  DetachInstancesCommand,
  SetDesiredCapacityCommand,
  TerminateInstanceInAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import type { CloudInstanceGroup, CloudProvider } from '../provider.js';
import { inBatches } from './batches.js';
import type { AwsClients } from './clients.js';
import { readInstanceGroups } from './instance-groups.js';

/** Most ids one DetachInstances call accepts. */
const DETACH_BATCH = 20;

export class AwsCloudProvider implements CloudProvider {
  constructor(private readonly clients: AwsClients) {}

  /** The reader's groups with EC2's view of every instance; detached instances included and marked, as everywhere else. */
  async listInstanceGroups(clusterName: string): Promise<CloudInstanceGroup[]> {
    const groups = await readInstanceGroups(this.clients, clusterName, { ec2Details: true });
    return groups.map((group) => ({
      name: group.name,
      groupName: group.groupName,
      role: group.role,
      minSize: group.minSize,
      maxSize: group.maxSize,
      desiredCapacity: group.desiredCapacity,
      launchTemplateId: group.launchTemplate?.id,
      currentVersion: group.launchTemplate?.version ?? null,
      instances: group.instances,
    }));
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
}
