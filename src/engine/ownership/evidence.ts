// The facts that show kops made a cluster. Pure: from what discovery and the
// state store returned to a list of readable phrases; no AWS call here.
import type { AutoScalingGroup } from '@aws-sdk/client-auto-scaling';
import type { LaunchTemplateState } from '../cloud/aws/discovery.js';
import type { ClusterLoadBalancers } from '../cloud/aws/discovery-load-balancers.js';
import { TAG_MADE_BY, clusterOwnershipTag, kopsRoleOfGroupName } from '../cloud/aws/tags.js';
import { bootstrapKindOfTemplate, describeBootstrap } from './bootstrap-kind.js';
import type { OwnershipEvidence } from './types.js';

/** Objects kops writes in a cluster's state store and kopsdeck never does. */
export const KOPS_VERSION_OBJECT = 'kops-version.txt';
export const KOPS_COMPLETED_SPEC_OBJECT = 'cluster-completed.spec';

export interface StoreFacts {
  /** The content of <cluster>/kops-version.txt, when it exists. */
  kopsVersion?: string;
  /** Whether <cluster>/cluster-completed.spec exists. */
  completedSpec: boolean;
}

export function storeEvidence(cluster: string, facts: StoreFacts): OwnershipEvidence[] {
  const evidence: OwnershipEvidence[] = [];
  if (facts.kopsVersion !== undefined) {
    const version = facts.kopsVersion.trim();
    evidence.push({
      kind: 'state-store',
      resource: `${cluster}/${KOPS_VERSION_OBJECT}`,
      phrase: `its state store holds ${KOPS_VERSION_OBJECT}${version ? `, written by kops ${version}` : ''}`,
    });
  }
  if (facts.completedSpec) {
    evidence.push({ kind: 'state-store', resource: `${cluster}/${KOPS_COMPLETED_SPEC_OBJECT}`, phrase: `its state store holds kops' ${KOPS_COMPLETED_SPEC_OBJECT}` });
  }
  return evidence;
}

export interface CloudFacts {
  clusterName: string;
  launchTemplates: LaunchTemplateState[];
  autoScalingGroups: AutoScalingGroup[];
  /** Absent when they were not looked up. */
  loadBalancers?: ClusterLoadBalancers;
}

export function cloudEvidence(facts: CloudFacts): OwnershipEvidence[] {
  const evidence: OwnershipEvidence[] = [];
  // Names and ids of the templates that launch kopsdeck's bootstrap (for the group names below).
  const kopsdeckTemplates = new Set<string | undefined>();
  for (const state of facts.launchTemplates) {
    const name = state.template.LaunchTemplateName ?? state.template.LaunchTemplateId ?? '?';
    const kind = bootstrapKindOfTemplate(state);
    if (kind === 'kopsdeck') kopsdeckTemplates.add(state.template.LaunchTemplateName).add(state.template.LaunchTemplateId);
    // A version that could not be read proves nothing either way.
    if (kind !== 'kopsdeck' && kind !== 'unreadable') {
      evidence.push({ kind: 'launch-template', resource: name, phrase: `launch template ${name} boots with ${describeBootstrap(kind)}` });
    }
    // kopsdeck gives its own templates kops' instance profiles (masters.<cluster>, ...): only beside another bootstrap is a profile evidence.
    const profile = state.latest?.LaunchTemplateData?.IamInstanceProfile;
    if (kind !== 'kopsdeck' && (profile?.Name || profile?.Arn)) {
      evidence.push({ kind: 'instance-profile', resource: name, phrase: `launch template ${name} gives its instances the IAM instance profile ${profile.Name ?? profile.Arn} without kopsdeck's bootstrap` });
    }
  }
  // kopsdeck names its groups as kops does: a kops name counts only on a group that launches something else than kopsdeck's bootstrap.
  for (const group of facts.autoScalingGroups) {
    const name = group.AutoScalingGroupName ?? '?';
    const role = kopsRoleOfGroupName(facts.clusterName, name);
    const spec = group.LaunchTemplate ?? group.MixedInstancesPolicy?.LaunchTemplate?.LaunchTemplateSpecification;
    const launchesKopsdeck = [spec?.LaunchTemplateName, spec?.LaunchTemplateId].some((id) => id !== undefined && kopsdeckTemplates.has(id));
    if (role && !launchesKopsdeck) {
      const form = role === 'ControlPlane' ? '<ig>.masters.<cluster>' : '<ig>.apiservers.<cluster>';
      evidence.push({ kind: 'group-name', resource: name, phrase: `auto scaling group ${name} has kops' ${role === 'ControlPlane' ? 'control-plane' : 'API server'} name (${form})` });
    }
  }
  for (const lb of (facts.loadBalancers?.loadBalancers ?? []).filter(notForAService).filter(notKopsdecks).filter(notShared(facts.clusterName))) {
    evidence.push({ kind: 'load-balancer', resource: lb.name, phrase: `load balancer ${lb.name} is tagged for the cluster, and kopsdeck did not make it` });
  }
  for (const tg of (facts.loadBalancers?.targetGroups ?? []).filter(notForAService).filter(notKopsdecks).filter(notShared(facts.clusterName))) {
    evidence.push({ kind: 'target-group', resource: tg.name, phrase: `target group ${tg.name} is tagged for the cluster, and kopsdeck did not make it` });
  }
  return evidence;
}

/**
 * Load balancers that Kubernetes makes for Services (the cloud controller
 * manager, the AWS Load Balancer Controller) carry the cluster's tags too, on
 * any cluster: they say nothing about who made the cluster.
 */
const SERVICE_TAGS = ['kubernetes.io/service-name', 'elbv2.k8s.aws/cluster', 'service.k8s.aws/stack', 'ingress.k8s.aws/stack'];
const notForAService = (resource: { tags: Record<string, string> }): boolean => !SERVICE_TAGS.some((tag) => tag in resource.tags);

/** kopsdeck's own API load balancer and target group carry its mark (kops gives them the same names and tags). */
const notKopsdecks = (resource: { tags: Record<string, string> }): boolean => resource.tags[TAG_MADE_BY] !== 'kopsdeck';

/** One the cluster shares with others (kubernetes.io/cluster/<cluster>=shared) was made outside it. */
const notShared = (cluster: string) => (resource: { tags: Record<string, string> }): boolean => resource.tags[clusterOwnershipTag(cluster)] !== 'shared';
