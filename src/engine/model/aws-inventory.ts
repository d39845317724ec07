// A CloudInventory over the AWS SDK: the cluster's instance groups as the one
// reader (cloud/aws/instance-groups.ts) finds them, in the model's shape.
import type { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import type { EC2Client } from '@aws-sdk/client-ec2';
import { readInstanceGroups, type AwsGroupInstance, type AwsInstanceGroup } from '../cloud/aws/instance-groups.js';
import type { CloudInstance, CloudInventory, IgCloudState } from './types.js';

export interface AwsInventoryClients {
  autoscaling: AutoScalingClient;
  ec2: EC2Client;
}

export function awsCloudInventory(clients: AwsInventoryClients): CloudInventory {
  return {
    async listInstanceGroups(cluster, signal) {
      return (await readInstanceGroups(clients, cluster, { signal })).map(toIgState);
    },
  };
}

function toIgState(group: AwsInstanceGroup): IgCloudState {
  const instances = group.instances.map(toInstance);
  return {
    name: group.name,
    groupName: group.groupName,
    // A group without a role tag or a kops name is a node group, as kops' default role.
    role: group.role ?? 'Node',
    machineType: instances.find((i) => i.instanceType)?.instanceType,
    minSize: group.minSize,
    maxSize: group.maxSize,
    targetSize: group.desiredCapacity,
    zones: group.zones,
    launchTemplateVersion: group.launchTemplate?.version ?? undefined,
    instances,
  };
}

function toInstance(instance: AwsGroupInstance): CloudInstance {
  return {
    id: instance.id,
    zone: instance.zone,
    instanceType: instance.instanceType,
    state: instance.lifecycleState,
    launchTemplateVersion: instance.launchTemplateVersion ?? undefined,
    needsUpdate: instance.needsUpdate,
    updateReason: instance.updateReason,
    detached: instance.detached,
    privateIp: instance.ec2?.PrivateIpAddress,
  };
}
