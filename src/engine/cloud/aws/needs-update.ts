// Whether an instance runs what its auto scaling group launches now, decided
// as kops decides it (upup/pkg/fi/cloudup/awsup/aws_cloud.go:
// findAutoscalingGroupLaunchConfiguration, findInstanceLaunchConfiguration,
// buildCloudInstance). The group's launch template is its LaunchTemplate or,
// for a mixed-instances group, its MixedInstancesPolicy's; a missing version,
// `$Default` and `$Latest` stand for the template's default and latest numbers,
// as AWS launches them. An instance needs an update when its template or its
// version differs from that. Pure: the reader (instance-groups.ts) fetches.
import type { AutoScalingGroup, Instance as GroupMember, LaunchTemplateSpecification } from '@aws-sdk/client-auto-scaling';

/** A launch template's numbered versions, as DescribeLaunchTemplates reports them. */
export interface TemplateNumbers {
  latest?: number;
  default?: number;
}

/** The launch template a group launches from now, its version resolved to a number. */
export interface GroupTemplate {
  id?: string;
  name?: string;
  /** As the group names it: a number, `$Latest`, `$Default`, or absent. */
  requested?: string;
  /** The number new instances get; null when the template could not be read. */
  version: string | null;
  /** Named by the group's MixedInstancesPolicy rather than its LaunchTemplate. */
  mixedInstances: boolean;
}

export interface UpdateVerdict {
  needsUpdate: boolean;
  /** Why, when it needs one, e.g. "launch template version 1 != 2". */
  reason?: string;
}

export const DETACHED_REASON = 'detached by a surge';

/** The part of an auto scaling group that says what it launches. */
export type GroupLaunchSettings = Pick<AutoScalingGroup, 'LaunchTemplate' | 'MixedInstancesPolicy'>;

/** The group's launch template specification: its own, or its MixedInstancesPolicy's (kops reads both). */
export function groupTemplateSpec(group: GroupLaunchSettings): { spec: LaunchTemplateSpecification; mixedInstances: boolean } | undefined {
  if (group.LaunchTemplate) return { spec: group.LaunchTemplate, mixedInstances: false };
  const mixed = group.MixedInstancesPolicy?.LaunchTemplate?.LaunchTemplateSpecification;
  return mixed ? { spec: mixed, mixedInstances: true } : undefined;
}

/**
 * `$Latest` / `$Default` / a number, as the version new instances get. A group
 * that names no version launches the template's default one, as AWS does.
 */
export function resolveVersion(version: string | undefined, latest: number | undefined, defaultVersion: number | undefined): string | null {
  if (version === '$Latest') return latest !== undefined ? String(latest) : null;
  if (version === undefined || version === '' || version === '$Default') return defaultVersion !== undefined ? String(defaultVersion) : null;
  return version;
}

/** The group's template with its version resolved from `numbers` (what DescribeLaunchTemplates said of it). */
export function groupTemplate(group: GroupLaunchSettings, numbers: TemplateNumbers | undefined): GroupTemplate | undefined {
  const found = groupTemplateSpec(group);
  if (!found) return undefined;
  const { spec, mixedInstances } = found;
  return {
    id: spec.LaunchTemplateId,
    name: spec.LaunchTemplateName,
    requested: spec.Version,
    version: resolveVersion(spec.Version, numbers?.latest, numbers?.default),
    mixedInstances,
  };
}

/**
 * A member of the group against the group's template. A member leaving the
 * group (Detaching, Detached) is replaced whatever it runs. A group with no
 * launch template (a launch configuration, which kopsdeck does not read) is
 * never reported out of date.
 */
export function memberVerdict(member: Pick<GroupMember, 'LaunchTemplate' | 'LifecycleState'>, current: GroupTemplate | undefined): UpdateVerdict {
  if (isLeaving(member.LifecycleState)) return { needsUpdate: true, reason: DETACHED_REASON };
  if (!current) return { needsUpdate: false };
  const mine = member.LaunchTemplate;
  if (!mine || (!mine.LaunchTemplateId && !mine.LaunchTemplateName)) return { needsUpdate: true, reason: 'launched without a launch template' };
  if (!sameTemplate(mine, current)) {
    return { needsUpdate: true, reason: `launch template ${mine.LaunchTemplateId ?? mine.LaunchTemplateName} != ${current.id ?? current.name}` };
  }
  // kops compares the version the member reports (a number) with the group's, resolved.
  if (current.version !== null && mine.Version !== current.version) {
    return { needsUpdate: true, reason: `launch template version ${mine.Version ?? '(none)'} != ${current.version}` };
  }
  return { needsUpdate: false };
}

/** Detaching or Detached: AWS still lists the member while it leaves. */
export function isLeaving(lifecycleState: string | undefined): boolean {
  return lifecycleState === 'Detaching' || lifecycleState === 'Detached';
}

/** By id when both sides have one (AWS reports both), else by name. */
function sameTemplate(mine: LaunchTemplateSpecification, current: GroupTemplate): boolean {
  if (mine.LaunchTemplateId && current.id) return mine.LaunchTemplateId === current.id;
  return mine.LaunchTemplateName !== undefined && mine.LaunchTemplateName === current.name;
}
