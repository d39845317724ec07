// Per resource: may kopsdeck change or delete it? Only what it made: on a
// kops-managed cluster nothing; on its own clusters, a launch template only
// when it carries kopsdeck's bootstrap, and an auto scaling group only when
// its launch template is such a template.
import type { AutoScalingGroup } from '@aws-sdk/client-auto-scaling';
import type { LaunchTemplateState } from '../cloud/aws/discovery.js';
import { bootstrapKindOfTemplate, describeBootstrap } from './bootstrap-kind.js';
import type { ClusterOwnership } from './types.js';

export type Verdict = { owned: true } | { owned: false; reason: string };

const OWNED: Verdict = { owned: true };
export const MADE_BY_KOPS = 'the cluster was made by kops';

export function launchTemplateVerdict(ownership: ClusterOwnership, state: LaunchTemplateState): Verdict {
  if (ownership.manager === 'kops') return { owned: false, reason: MADE_BY_KOPS };
  const kind = bootstrapKindOfTemplate(state);
  return kind === 'kopsdeck' ? OWNED : { owned: false, reason: `it boots with ${describeBootstrap(kind)}` };
}

export function autoScalingGroupVerdict(ownership: ClusterOwnership, group: AutoScalingGroup, templates: LaunchTemplateState[]): Verdict {
  if (ownership.manager === 'kops') return { owned: false, reason: MADE_BY_KOPS };
  const ref = group.LaunchTemplate ?? group.MixedInstancesPolicy?.LaunchTemplate?.LaunchTemplateSpecification;
  const template = templates.find(
    (t) => (ref?.LaunchTemplateId && t.template.LaunchTemplateId === ref.LaunchTemplateId) || (ref?.LaunchTemplateName && t.template.LaunchTemplateName === ref.LaunchTemplateName),
  );
  if (!template) return { owned: false, reason: 'its launch template is not one of the cluster\'s' };
  const verdict = launchTemplateVerdict(ownership, template);
  return verdict.owned ? OWNED : { owned: false, reason: `its launch template ${template.template.LaunchTemplateName} ${verdict.reason.replace(/^it /, '')}` };
}

/** Any other existing resource of the cluster (VPC, subnets, groups, records): kopsdeck's unless kops made the cluster. */
export function clusterResourceVerdict(ownership: ClusterOwnership): Verdict {
  return ownership.manager === 'kops' ? { owned: false, reason: MADE_BY_KOPS } : OWNED;
}
