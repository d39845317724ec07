// What a rehearsal must not change in the source cluster: the resourceVersion
// of every node, pod and PodDisruptionBudget, and every auto scaling group
// (sizes, members, launch template).
import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import type { KubeList, KubeObject } from '../../src/engine/kube/types.js';
import type { RolloutHarness } from '../helpers/sim-rollout.js';

export async function sourceSnapshot(h: RolloutHarness): Promise<Record<string, string>> {
  const versions: Record<string, string> = {};
  for (const path of ['/api/v1/nodes', '/api/v1/pods', '/apis/policy/v1/poddisruptionbudgets', '/apis/apps/v1/deployments']) {
    const items = (await h.kube.request<KubeList<KubeObject>>('GET', path)).items;
    for (const item of items) versions[`${path} ${item.metadata.namespace ?? ''}/${item.metadata.name}`] = item.metadata.resourceVersion ?? '?';
  }
  const groups = (await h.clients.autoscaling.send(new DescribeAutoScalingGroupsCommand({}))).AutoScalingGroups ?? [];
  for (const g of groups) {
    const members = (g.Instances ?? []).map((i) => `${i.InstanceId}:${i.LifecycleState}`).sort();
    versions[`asg ${g.AutoScalingGroupName}`] = JSON.stringify([g.MinSize, g.MaxSize, g.DesiredCapacity, g.LaunchTemplate, members]);
  }
  return versions;
}
