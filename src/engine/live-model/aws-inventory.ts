// A CloudInventory over the AWS SDK: the cluster's instance groups as the one
// reader (cloud/aws/instance-groups.ts) finds them, in the model's shape; the
// instances are the reader's own, unchanged, so the console and the rollout see
// the same members, detached instances, verdicts and roles.
import type { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import type { EC2Client } from '@aws-sdk/client-ec2';
import { readInstanceGroups, type AwsInstanceGroup } from '../cloud/aws/instance-groups.js';
import type { CloudInventory, IgCloudState } from './types.js';

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
  const instances = group.instances;
  return {
    name: group.name,
    groupName: group.groupName,
    role: group.role,
    machineType: instances.find((i) => i.instanceType)?.instanceType,
    minSize: group.minSize,
    maxSize: group.maxSize,
    targetSize: group.desiredCapacity,
    zones: group.zones,
    launchTemplateVersion: group.launchTemplate?.version ?? undefined,
    instances,
    warmInstances: group.warmInstances,
  };
}
