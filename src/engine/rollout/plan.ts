// The rollout plan, pure: from the spec, the cloud's groups and the nodes,
// which instances are replaced and why, in what order and waves, and how long
// that should take. renderPlanTable prints it as `kops rolling-update cluster`
// does without --yes.
import { renderTextTable } from '../output/text-table.js';
import { managedByKarpenter, type Cluster, type InstanceGroup } from '../spec/types.js';
import type { RolloutCloudGroup, RolloutInstance, RolloutNode } from './deps.js';
import { kindOfRole, makeWaves, orderGroups, parseRolloutRole, prioritizeInstances, ROLLOUT_ROLE_NAMES } from './ordering.js';
import { resolveSettings } from './settings.js';
import { annotationReason, instanceNeedsUpdate } from './needs-update.js';
import { DEFAULT_TIMINGS, type PlannedGroup, type PlannedInstance, type RolloutPlan, type RolloutTimings } from './types.js';

export interface PlanInput {
  cluster: Cluster;
  instanceGroups: InstanceGroup[];
  cloudGroups: RolloutCloudGroup[];
  nodes: Map<string, RolloutNode>;
  /** Replace every instance, up to date or not. */
  force?: boolean;
  /** With force: only these (a resumed rollout does not force the replacements it launched). */
  forceOnly?: ReadonlySet<string>;
  /** Only these instance groups (all when empty). */
  onlyGroups?: string[];
  /** Only groups of these roles (all when empty). */
  onlyRoles?: string[];
  timings?: Partial<RolloutTimings>;
  /** Clock ms per step, measured earlier; defaults otherwise. */
  estimates?: Partial<StepEstimates>;
  cloudOnly?: boolean;
}

/** Typical clock ms of the parts of one wave, for the first estimate before anything is measured. */
export interface StepEstimates {
  drainMs: number;
  terminateMs: number;
  /** Launch, boot, register, Ready. */
  joinMs: number;
}

export const DEFAULT_ESTIMATES: StepEstimates = { drainMs: 30_000, terminateMs: 5_000, joinMs: 120_000 };

export function buildRolloutPlan(input: PlanInput): RolloutPlan {
  const timings = { ...DEFAULT_TIMINGS, ...input.timings };
  const estimates = { ...DEFAULT_ESTIMATES, ...input.estimates };
  const specs = new Map(input.instanceGroups.map((ig) => [ig.metadata.name, ig]));
  const onlyKinds = checkRequest(input);
  const wanted = (cloud: RolloutCloudGroup, spec: InstanceGroup) => {
    if (input.onlyGroups?.length && !input.onlyGroups.includes(cloud.name)) return false;
    if (onlyKinds.length && !onlyKinds.includes(kindOfRole(spec.spec.role))) return false;
    return true;
  };
  const groups: PlannedGroup[] = [];
  const unmatched: string[] = [];
  for (const cloud of input.cloudGroups) {
    const spec = specs.get(cloud.name);
    // Not kopsdeck's or kops' to roll: a group someone made by hand, or one whose instance group was deleted.
    if (!spec) unmatched.push(cloud.groupName);
    else if (wanted(cloud, spec)) groups.push(planGroup(input, cloud, spec));
  }
  const ordered = orderGroups(groups);
  const withWork = ordered.filter((g) => g.instances.length > 0 || g.warm.length > 0);
  return {
    cluster: input.cluster.metadata.name,
    groups: ordered,
    order: withWork.map((g) => g.name),
    totalInstances: withWork.reduce((sum, g) => sum + g.instances.length, 0),
    estimatedMs: withWork.reduce((sum, g) => sum + estimateGroupMs(g, timings, estimates, input.cloudOnly ?? false), 0),
    force: input.force ?? false,
    unmatched: unmatched.sort(),
    karpenter: input.instanceGroups.filter(managedByKarpenter).map((ig) => ig.metadata.name).sort(),
  };
}

function planGroup(input: PlanInput, cloud: RolloutCloudGroup, spec: InstanceGroup): PlannedGroup {
  const kind = kindOfRole(spec.spec.role);
  const members = cloud.instances.filter((i) => !i.detached);
  const settings = resolveSettings({ cluster: input.cluster, group: spec, instances: members.length });
  const forced = (id: string) => Boolean(input.force) && (!input.forceOnly || input.forceOnly.has(id));
  const outdated = (i: RolloutInstance) => instanceNeedsUpdate(i, input.nodes.get(i.id));
  const replace = cloud.instances.filter((i) => i.detached || outdated(i) || forced(i.id));
  const planned: PlannedInstance[] = replace.map((instance) => {
    const node = input.nodes.get(instance.id);
    return {
      id: instance.id,
      group: cloud.name,
      nodeName: node?.name,
      reason: updateReason(instance, cloud, node, input.cluster, spec, input.force ?? false),
      detached: instance.detached,
      ready: node?.ready ?? false,
    };
  });
  const instances = prioritizeInstances(planned);
  const canSurge = kind !== 'ControlPlane' && !input.cloudOnly;
  // kops' noneReady: no member runs the current spec (forcing does not count: those run it already).
  const canary = members.length > 0 && members.every(outdated);
  const waves = makeWaves(instances, settings, { canSurge, canary }).map((w) => w.instances);
  // drainAndTerminate: false replaces nothing, warm instances included.
  const warm = settings.drainAndTerminate ? (cloud.warmInstances ?? []).filter((i) => i.needsUpdate || forced(i.id)).map((i) => i.id) : [];
  const needUpdate = instances.length + warm.length;
  return {
    name: cloud.name,
    groupName: cloud.groupName,
    kind,
    status: needUpdate > 0 ? 'NeedsUpdate' : 'Ready',
    needUpdate,
    ready: members.length - members.filter((i) => outdated(i) || forced(i.id)).length,
    min: cloud.minSize,
    target: cloud.desiredCapacity,
    max: cloud.maxSize,
    nodes: members.filter((i) => input.nodes.has(i.id)).length,
    settings,
    instances,
    waves,
    warm,
    canary,
  };
}

/** The plan replaces or terminates something. */
export const planHasWork = (plan: Pick<RolloutPlan, 'order'>): boolean => plan.order.length > 0;

/** A rollout request that names a group or role that does not exist. */
export class RolloutRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RolloutRequestError';
  }
}

/**
 * Refuses, as kops does, a group the spec does not have and a role it cannot
 * read (before, an unknown role fell to Node and rolled every worker group).
 * Returns the role filter as group kinds.
 */
function checkRequest(input: PlanInput): string[] {
  const known = new Set(input.instanceGroups.map((ig) => ig.metadata.name));
  for (const name of input.onlyGroups ?? []) {
    if (!known.has(name)) throw new RolloutRequestError(`InstanceGroup "${name}" not found; the cluster's groups are ${[...known].sort().join(', ')}`);
    if (input.instanceGroups.some((ig) => ig.metadata.name === name && managedByKarpenter(ig))) {
      throw new RolloutRequestError(`instance group ${name} is managed by Karpenter: kopsdeck does not roll Karpenter's nodes yet (kops does, with --force; Karpenter also replaces drifted nodes itself)`);
    }
  }
  return (input.onlyRoles ?? []).map((role) => {
    const kind = parseRolloutRole(role);
    if (!kind) throw new RolloutRequestError(`invalid instance group role "${role}": use ${ROLLOUT_ROLE_NAMES.join(', ')}`);
    return kind;
  });
}

/** Why an instance is replaced, field by field where the node shows the difference. */
export function updateReason(
  instance: RolloutInstance,
  group: Pick<RolloutCloudGroup, 'currentVersion'>,
  node: RolloutNode | undefined,
  cluster: Pick<Cluster, 'spec'>,
  spec: Pick<InstanceGroup, 'spec'> | undefined,
  force: boolean,
): string {
  if (instance.detached) return 'detached by an earlier surge';
  const parts: string[] = [];
  if (instance.needsUpdate) {
    parts.push(`launch template version ${instance.launchTemplateVersion ?? '?'} -> ${group.currentVersion ?? '?'}`);
    const running = node?.kubeletVersion?.replace(/^v/, '');
    const wanted = cluster.spec.kubernetesVersion?.replace(/^v/, '');
    if (running && wanted && running !== wanted) parts.push(`kubernetesVersion ${running} -> ${wanted}`);
    const machineType = spec?.spec.machineType;
    if (node?.instanceType && machineType && node.instanceType !== machineType) parts.push(`machineType ${node.instanceType} -> ${machineType}`);
  }
  const annotated = annotationReason(node);
  if (annotated) parts.push(annotated);
  if (parts.length === 0) return force ? 'forced (--force)' : 'needs update';
  return parts.join('; ');
}

/** One wave: (surge join) + drain + post-drain + terminate + join + validation + interval. */
export function estimateGroupMs(group: PlannedGroup, timings: RolloutTimings, estimates: StepEstimates, cloudOnly: boolean): number {
  if (group.instances.length === 0) return 0;
  const interval = group.kind === 'Bastion' ? timings.bastionIntervalMs : group.kind === 'Node' ? timings.nodeIntervalMs : timings.controlPlaneIntervalMs;
  const validation = group.kind === 'Bastion' || cloudOnly ? 0 : timings.validateCount * timings.validateIntervalMs;
  const drain = group.kind === 'Bastion' || cloudOnly ? 0 : estimates.drainMs + timings.postDrainDelayMs;
  const perWave = drain + estimates.terminateMs + estimates.joinMs + validation + interval;
  return group.waves.length * perWave;
}

/** kops' table of groups; `gap` spaces between columns (3 as kops prints it; less where the width is short). */
export function renderPlanTable(plan: RolloutPlan, gap = 3): string {
  const rows = plan.groups.map((g) => [g.name, g.status, String(g.needUpdate), String(g.ready), String(g.min), String(g.target), String(g.max), String(g.nodes)]);
  return renderTextTable(['NAME', 'STATUS', 'NEEDUPDATE', 'READY', 'MIN', 'TARGET', 'MAX', 'NODES'], rows, gap);
}

/** The plan in words: order, waves and the estimate, under the table. */
export function describePlan(plan: RolloutPlan): string[] {
  // Groups the rollout leaves alone, said under the plan.
  const notRolled = [
    ...(plan.unmatched?.length
      ? [`Not rolled: auto scaling group${plan.unmatched.length === 1 ? '' : 's'} ${plan.unmatched.join(', ')} of this cluster ${plan.unmatched.length === 1 ? 'has' : 'have'} no instance group in the spec (kops skips them too).`]
      : []),
    ...(plan.karpenter?.length
      ? [`Not rolled: instance group${plan.karpenter.length === 1 ? '' : 's'} ${plan.karpenter.join(', ')} ${plan.karpenter.length === 1 ? 'is' : 'are'} managed by Karpenter, whose nodes kopsdeck does not roll yet.`]
      : []),
  ];
  if (!planHasWork(plan)) return ['No rolling-update required.', ...notRolled];
  const lines = [`Order: ${plan.order.join(' -> ')}`];
  for (const name of plan.order) {
    const g = plan.groups.find((x) => x.name === name)!;
    const canary = g.canary && g.instances.length > 1 ? ', the first alone and validated before the rest (none is up to date yet)' : '';
    const warm = g.warm.length ? `${g.warm.length} warm pool instance(s) terminated first (not nodes: no drain; the pool refills from the current template)` : '';
    if (g.instances.length === 0) lines.push(`  ${g.name} (${g.kind}): ${warm}`);
    else lines.push(`  ${g.name} (${g.kind}): ${g.instances.length} instance(s) in ${g.waves.length} wave(s), maxSurge ${g.settings.maxSurge}, maxUnavailable ${g.settings.maxUnavailable}${canary}${warm ? `; ${warm}` : ''}`);
  }
  lines.push(`Estimated duration: ${formatDuration(plan.estimatedMs)}`, ...notRolled);
  return lines;
}

export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m${String(s).padStart(2, '0')}s`;
  return `${s}s`;
}
