// RolloutCloud on AWS: the groups as the one reader (cloud/aws/instance-groups.ts)
// finds them, with the instances an earlier surge detached from them (found by
// kops' detached tag); a cheaper look at one group for each wave; detach that
// tags first; termination through the group or, for detached instances that no
// group owns any more, through EC2. A wave's instances are detached and
// terminated with as few calls as the APIs allow (CreateTags and
// TerminateInstances take 1000 ids, DetachInstances 20). Load-balancer
// deregistration before a drain is cloud/aws/load-balancers.ts.
import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { CreateTagsCommand, DescribeInstancesCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { AwsCloudProvider } from '../cloud/aws/aws-provider.js';
import type { AwsClients } from '../cloud/aws/clients.js';
import { inBatches } from '../cloud/aws/batches.js';
import { readInstanceGroups } from '../cloud/aws/instance-groups.js';
import { putBackIntoLoadBalancers, takeOutOfLoadBalancers } from '../cloud/aws/load-balancers.js';
import { TAG_DETACHED, clusterFilter } from '../cloud/aws/tags.js';
import type { CloudProvider } from '../cloud/provider.js';
import type { RolloutCloud, RolloutGroupView } from './deps.js';

export { TAG_DETACHED };

/** Most ids one CreateTags or TerminateInstances call accepts. */
const EC2_BATCH = 1000;
const LIVE_STATES = ['pending', 'running', 'stopping', 'stopped'];
const gone = (lifecycleState: string) => /^Terminat/.test(lifecycleState);

export function awsRolloutCloud(clients: AwsClients, provider: CloudProvider = new AwsCloudProvider(clients)): RolloutCloud {
  return {
    async listGroups(cluster) {
      // Members and the instances detached from each group, needs-update decided, as the console sees them.
      const groups = await readInstanceGroups(clients, cluster);
      return groups.map((g) => ({
        name: g.name,
        groupName: g.groupName,
        role: g.role ?? 'Unknown',
        minSize: g.minSize,
        maxSize: g.maxSize,
        desiredCapacity: g.desiredCapacity,
        currentVersion: g.launchTemplate?.version ?? null,
        instances: g.instances
          .filter((i) => !gone(i.lifecycleState))
          // A member still leaving is the group's to terminate; only one the group no longer lists is detached here.
          .map((i) => ({ id: i.id, lifecycleState: i.lifecycleState, launchTemplateVersion: i.launchTemplateVersion, needsUpdate: i.needsUpdate, detached: !i.member })),
      }));
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
