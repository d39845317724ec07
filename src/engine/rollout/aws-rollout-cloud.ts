// RolloutCloud on AWS: the groups as the one reader (cloud/aws/instance-groups.ts)
// finds them, with the instances an earlier surge detached from them (found by
// kops' detached tag); the same reader narrowed to one group for each wave's
// look; detach that tags first; termination through the group or, for
// detached instances that no group owns or replaces any more, through EC2. A wave's instances are detached and
// terminated with as few calls as the APIs allow (CreateTags and
// TerminateInstances take 1000 ids, DetachInstances 20). Load-balancer
// deregistration before a drain is cloud/aws/load-balancers.ts.
import { CreateTagsCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { AwsCloudProvider } from '../cloud/aws/aws-provider.js';
import type { AwsClients } from '../cloud/aws/clients.js';
import { inBatches } from '../cloud/aws/batches.js';
import { readInstanceGroups } from '../cloud/aws/instance-groups.js';
import { putBackIntoLoadBalancers, takeOutOfLoadBalancers } from '../cloud/aws/load-balancers.js';
import { TAG_DETACHED } from '../cloud/aws/tags.js';
import type { CloudInstance, CloudProvider } from '../cloud/provider.js';
import type { RolloutCloud, RolloutGroupView, RolloutInstance } from './deps.js';

export { TAG_DETACHED };

/** Most ids one CreateTags or TerminateInstances call accepts. */
const EC2_BATCH = 1000;
/** Terminating members (Warmed:Terminating in a warm pool) are on their way out already: nothing for the rollout to do (kops skips them too). */
const gone = (lifecycleState: string) => /^(Warmed:)?Terminat/.test(lifecycleState);

/**
 * The rollout's part of the one CloudInstance. Detached means leaving or gone
 * from the group (Detaching, Detached, or found by the detached tag): no group
 * replaces it or counts it, so it is drained and terminated directly.
 */
function toRolloutInstance(instance: CloudInstance): RolloutInstance {
  const { id, lifecycleState, launchTemplateVersion, needsUpdate, detached } = instance;
  return { id, lifecycleState, launchTemplateVersion, needsUpdate, detached };
}

export function awsRolloutCloud(clients: AwsClients, provider: CloudProvider = new AwsCloudProvider(clients)): RolloutCloud {
  return {
    async listGroups(cluster) {
      // The reader's groups and instances as they are: members and the instances detached from each group, needs-update decided, as the console sees them.
      const groups = await readInstanceGroups(clients, cluster);
      return groups.map((g) => ({
        name: g.name,
        groupName: g.groupName,
        role: g.role,
        minSize: g.minSize,
        maxSize: g.maxSize,
        desiredCapacity: g.desiredCapacity,
        currentVersion: g.launchTemplate?.version ?? null,
        instances: g.instances.filter((i) => !gone(i.lifecycleState)).map(toRolloutInstance),
        warmInstances: g.warmInstances.filter((i) => !gone(i.lifecycleState)).map(toRolloutInstance),
      }));
    },
    async lookAtGroup(cluster, group) {
      // The same reader narrowed to the one group: its members and only the instances detached from it.
      const [found] = await readInstanceGroups(clients, cluster, { groupName: group.groupName });
      if (!found) return undefined;
      const view: RolloutGroupView = {
        name: group.name,
        desiredCapacity: found.desiredCapacity,
        instances: found.instances.filter((i) => !gone(i.lifecycleState)).map(({ id, lifecycleState, detached }) => ({ id, lifecycleState, detached })),
        warmInstances: found.warmInstances.filter((i) => !gone(i.lifecycleState)).map(({ id, lifecycleState }) => ({ id, lifecycleState })),
      };
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
