// RolloutCloud on AWS: the provider's groups plus the instances an earlier
// surge detached from them (found by kops' detached tag), a cheaper look at
// one group for each wave, detach that tags first, and termination through the
// group or, for detached instances that no group owns any more, through EC2.
// A wave's instances are detached and terminated with as few calls as the
// APIs allow (CreateTags and TerminateInstances take 1000 ids, DetachInstances 20).
// Load-balancer deregistration before a drain is cloud/aws/load-balancers.ts.
import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { CreateTagsCommand, DescribeInstancesCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { AwsCloudProvider } from '../cloud/aws/aws-provider.js';
import type { AwsClients } from '../cloud/aws/clients.js';
import { inBatches } from '../cloud/aws/batches.js';
import { findInstances } from '../cloud/aws/discovery.js';
import { putBackIntoLoadBalancers, takeOutOfLoadBalancers } from '../cloud/aws/load-balancers.js';
import { TAG_INSTANCE_GROUP, clusterFilter } from '../cloud/aws/tags.js';
import type { CloudProvider } from '../cloud/provider.js';
import type { RolloutCloud, RolloutCloudGroup, RolloutGroupView } from './deps.js';

/** The tag kops puts on an instance it detaches while surging; its value is the group's name. */
export const TAG_DETACHED = 'kops.k8s.io/detached-from-asg';

/** Most ids one CreateTags or TerminateInstances call accepts. */
const EC2_BATCH = 1000;
const LIVE_STATES = ['pending', 'running', 'stopping', 'stopped'];
const gone = (lifecycleState: string) => /^Terminat/.test(lifecycleState);

export function awsRolloutCloud(clients: AwsClients, provider: CloudProvider = new AwsCloudProvider(clients)): RolloutCloud {
  return {
    async listGroups(cluster) {
      const [groups, instances] = await Promise.all([provider.listInstanceGroups(cluster), findInstances(clients, cluster, { states: LIVE_STATES })]);
      const result: RolloutCloudGroup[] = groups.map((g) => ({
        name: g.name,
        groupName: g.groupName,
        role: g.role,
        minSize: g.minSize,
        maxSize: g.maxSize,
        desiredCapacity: g.desiredCapacity,
        currentVersion: g.currentVersion,
        instances: g.instances
          .filter((i) => !gone(i.lifecycleState))
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
    async lookAtGroup(cluster, group) {
      // Two small calls: the one auto scaling group, and only the instances detached from it.
      const [described, detached] = await Promise.all([
        clients.autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [group.groupName] })),
        clients.ec2.send(
          new DescribeInstancesCommand({
            Filters: [...clusterFilter(cluster), { Name: `tag:${TAG_DETACHED}`, Values: [group.groupName] }, { Name: 'instance-state-name', Values: LIVE_STATES }],
          }),
        ),
      ]);
      const asg = described.AutoScalingGroups?.find((g) => g.AutoScalingGroupName === group.groupName);
      if (!asg) return undefined;
      const view: RolloutGroupView = {
        name: group.name,
        desiredCapacity: asg.DesiredCapacity ?? 0,
        instances: (asg.Instances ?? [])
          .filter((i) => !gone(i.LifecycleState ?? ''))
          .map((i) => ({ id: i.InstanceId!, lifecycleState: i.LifecycleState ?? 'Unknown', detached: false })),
      };
      const members = new Set(view.instances.map((i) => i.id));
      for (const instance of (detached.Reservations ?? []).flatMap((r) => r.Instances ?? [])) {
        if (!members.has(instance.InstanceId!)) view.instances.push({ id: instance.InstanceId!, lifecycleState: 'Detached', detached: true });
      }
      return view;
    },
    async detach(groupName, instanceIds) {
      // Tag first: if we die between the two calls, the next run still knows
      // these instances are ours to drain and terminate.
      for (const ids of inBatches(instanceIds, EC2_BATCH)) await clients.ec2.send(new CreateTagsCommand({ Resources: ids, Tags: [{ Key: TAG_DETACHED, Value: groupName }] }));
      await provider.detachInstances(groupName, instanceIds, { decrementDesiredCapacity: false });
    },
    async terminate(instanceIds, { detached }) {
      if (detached) {
        for (const ids of inBatches(instanceIds, EC2_BATCH)) await clients.ec2.send(new TerminateInstancesCommand({ InstanceIds: ids }));
        return;
      }
      // Through the group (it launches the replacement): the API takes one instance per call.
      await Promise.all(instanceIds.map((id) => provider.terminateInstance(id, { decrementDesiredCapacity: false })));
    },
    deregister: (request) =>
      takeOutOfLoadBalancers(clients, {
        clock: request.clock,
        groupName: request.groupName,
        instanceIds: request.instanceIds,
        apiLoadBalancerOf: request.apiLoadBalancer ? request.cluster : undefined,
        signal: request.signal,
        onDraining: request.onDraining,
      }),
    reregister: (memberships) => putBackIntoLoadBalancers(clients, memberships),
  };
}
