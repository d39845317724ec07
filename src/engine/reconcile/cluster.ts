// `update cluster`: discover, plan, and (when asked) apply.
import type { Cluster, InstanceGroup } from '../spec/types.js';
import type { AwsClients } from '../cloud/aws/clients.js';
import { discoverCluster } from '../cloud/aws/discovery.js';
import { systemClock, type Clock } from '../clock.js';
import { applyPlan, type ApplyOptions, type ApplyResult } from './apply-plan.js';
import { buildPlan, type Plan } from './plan.js';
import { ReconcileSpecError, buildClusterTasks, staleInstanceGroupDeletions } from './model.js';
import { staleRuleDeletions, type RuleDesired } from './tasks/security-group.js';
import type { ReconcileContext } from './task.js';

export interface ClusterInput {
  cluster: Cluster;
  instanceGroups: InstanceGroup[];
  clients: AwsClients;
  clock?: Clock;
  signal?: AbortSignal;
}

/** A plan together with the context it was made in, ready to apply. */
export interface ClusterPlan {
  plan: Plan;
  context: ReconcileContext;
}

export async function planCluster(input: ClusterInput): Promise<ClusterPlan> {
  const { cluster, instanceGroups, clients } = input;
  const clusterName = cluster.metadata.name;
  // Spec problems surface before any AWS call.
  const tasks = buildClusterTasks(cluster, instanceGroups);
  const dnsType = cluster.spec.topology?.dns?.type ?? 'Public';
  const snapshot = await discoverCluster(clients, {
    clusterName,
    imageRefs: instanceGroups.map((ig) => ig.spec.image),
    dnsZone: cluster.spec.dnsZone && dnsType !== 'None' ? cluster.spec.dnsZone : undefined,
    privateDns: dnsType === 'Private',
  });
  const missingImages = [...new Set(instanceGroups.map((ig) => ig.spec.image))].filter((ref) => !snapshot.images.has(ref));
  if (missingImages.length) {
    throw new ReconcileSpecError(missingImages.map((ref) => `image ${ref} was not found in region ${clients.region ?? '(default)'}: check the instance group's spec.image`));
  }
  const context: ReconcileContext = { clusterName, clients, snapshot, ids: new Map(), clock: input.clock ?? systemClock, signal: input.signal };
  const planWithoutDeletes = buildPlan(tasks, context);
  const wantedRules = planWithoutDeletes.tasks.filter((p) => p.task.kind === 'SecurityGroupRule').map((p) => p.desired as RuleDesired);
  const deletes = [
    ...staleInstanceGroupDeletions(tasks, snapshot.autoScalingGroups, snapshot.launchTemplates),
    ...staleRuleDeletions(context, wantedRules),
  ];
  const plan = deletes.length ? { ...planWithoutDeletes, deletes } : planWithoutDeletes;
  return { plan, context };
}

export interface ApplyClusterInput extends ClusterInput, ApplyOptions {
  /** A plan from planCluster (what the user saw); planned afresh when absent. */
  planned?: ClusterPlan;
}

export interface ApplyClusterResult extends ApplyResult {
  plan: Plan;
}

export async function applyCluster(input: ApplyClusterInput): Promise<ApplyClusterResult> {
  const planned = input.planned ?? (await planCluster(input));
  const result = await applyPlan(planned.plan, planned.context, input);
  return { ...result, plan: planned.plan };
}

export async function applyClusterPlan(planned: ClusterPlan, options: ApplyOptions = {}): Promise<ApplyClusterResult> {
  const result = await applyPlan(planned.plan, planned.context, options);
  return { ...result, plan: planned.plan };
}
