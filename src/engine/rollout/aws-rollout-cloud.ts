// RolloutCloud on AWS: the provider's groups plus the instances an earlier
// surge detached from them (found by kops' detached tag), detach that tags
// first, and termination through the group or, for a detached instance that
// no group owns any more, through EC2.
import { CreateTagsCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { AwsCloudProvider } from '../cloud/aws/aws-provider.js';
import type { AwsClients } from '../cloud/aws/clients.js';
import { findInstances } from '../cloud/aws/discovery.js';
import { TAG_INSTANCE_GROUP } from '../cloud/aws/tags.js';
import type { CloudProvider } from '../cloud/provider.js';
import type { RolloutCloud, RolloutCloudGroup } from './deps.js';

/** The tag kops puts on an instance it detaches while surging; its value is the group's name. */
export const TAG_DETACHED = 'kops.k8s.io/detached-from-asg';

export function awsRolloutCloud(clients: AwsClients, provider: CloudProvider = new AwsCloudProvider(clients)): RolloutCloud {
  return {
    async listGroups(cluster) {
      const [groups, instances] = await Promise.all([provider.listInstanceGroups(cluster), findInstances(clients, cluster, { states: ['pending', 'running', 'stopping', 'stopped'] })]);
      const result: RolloutCloudGroup[] = groups.map((g) => ({
        name: g.name,
        groupName: g.groupName,
        role: g.role,
        minSize: g.minSize,
        maxSize: g.maxSize,
        desiredCapacity: g.desiredCapacity,
        currentVersion: g.currentVersion,
        instances: g.instances
          .filter((i) => i.lifecycleState !== 'Terminated' && !/^Terminat/.test(i.lifecycleState))
          .map((i) => ({ id: i.id, lifecycleState: i.lifecycleState, launchTemplateVersion: i.launchTemplateVersion, needsUpdate: i.needsUpdate, detached: false })),
      }));
      const members = new Set(result.flatMap((g) => g.instances.map((i) => i.id)));
      for (const instance of instances) {
        const tags = Object.fromEntries((instance.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
        const from = tags[TAG_DETACHED];
        if (from === undefined || members.has(instance.InstanceId!)) continue;
        const group = result.find((g) => g.groupName === from || g.name === tags[TAG_INSTANCE_GROUP]);
        group?.instances.push({ id: instance.InstanceId!, lifecycleState: 'Detached', launchTemplateVersion: null, needsUpdate: true, detached: true });
      }
      return result;
    },
    async detach(groupName, instanceId) {
      // Tag first: if we die between the two calls, the next run still knows
      // this instance is ours to drain and terminate.
      await clients.ec2.send(new CreateTagsCommand({ Resources: [instanceId], Tags: [{ Key: TAG_DETACHED, Value: groupName }] }));
      await provider.detachInstance(groupName, instanceId, { decrementDesiredCapacity: false });
    },
    async terminate(instanceId, { detached }) {
      if (detached) await clients.ec2.send(new TerminateInstancesCommand({ InstanceIds: [instanceId] }));
      else await provider.terminateInstance(instanceId, { decrementDesiredCapacity: false });
    },
  };
}
