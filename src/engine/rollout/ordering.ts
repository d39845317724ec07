// Order and batching, pure: which group goes first (bastions, control plane,
// API servers, nodes), which instance of a group goes first (detached ones,
// whose replacements already exist, then broken ones, then the rest), and how
// a group's instances are cut into waves that respect maxSurge and
// maxUnavailable.
import { rolloutRank, type InstanceGroupRole } from '../spec/types.js';
import type { GroupKind, PlannedInstance, RollingSettings } from './types.js';

export function kindOfRole(role: string): GroupKind {
  switch (role) {
    case 'Bastion':
      return 'Bastion';
    case 'Master':
    case 'ControlPlane':
      return 'ControlPlane';
    case 'APIServer':
      return 'APIServer';
    default:
      return 'Node';
  }
}

/** The roles `--instance-group-roles` names, as kops lists them. */
export const ROLLOUT_ROLE_NAMES = ['control-plane', 'apiserver', 'node', 'bastion'] as const;

/**
 * A role as `--instance-group-roles` takes it, read as kops reads it
 * (ParseInstanceGroupRole, lenient): any case, a plural "s" ignored,
 * "controlplane" for "control-plane", and "master" for the control plane.
 * Undefined for anything else: the caller refuses it rather than guess.
 */
export function parseRolloutRole(text: string): GroupKind | undefined {
  const wanted = text.trim().toLowerCase().replace(/s$/, '').replace('controlplane', 'control-plane');
  switch (wanted) {
    case 'control-plane':
    case 'master':
      return 'ControlPlane';
    case 'apiserver':
      return 'APIServer';
    case 'node':
      return 'Node';
    case 'bastion':
      return 'Bastion';
    default:
      return undefined;
  }
}

/** Groups in rollout order: by role rank, then by name (stable for equal ranks). */
export function orderGroups<T extends { name: string; kind: GroupKind }>(groups: readonly T[]): T[] {
  return [...groups].sort((a, b) => rolloutRank(a.kind as InstanceGroupRole) - rolloutRank(b.kind as InstanceGroupRole) || a.name.localeCompare(b.name));
}

/** Instances of one group in the order they are replaced. */
export function prioritizeInstances<T extends Pick<PlannedInstance, 'id' | 'detached' | 'ready'>>(instances: readonly T[]): T[] {
  const rank = (i: T) => (i.detached ? 0 : i.ready ? 2 : 1);
  return [...instances].sort((a, b) => rank(a) - rank(b) || a.id.localeCompare(b.id));
}

export interface Wave {
  /** Instance ids replaced together. */
  instances: string[];
  /** Those among them that surge: detached first so the group launches their replacements before they are drained. */
  surge: string[];
}

/**
 * Cuts an ordered list into waves of maxSurge + maxUnavailable instances.
 * In each wave up to maxSurge instances surge (their replacements join before
 * they are drained), the rest (at most maxUnavailable) are drained and
 * terminated and replaced afterwards; so at no moment are more than
 * maxUnavailable of the group's instances out of service.
 */
export function makeWaves(
  instances: readonly Pick<PlannedInstance, 'id' | 'detached'>[],
  settings: RollingSettings,
  options: { canSurge?: boolean; canary?: boolean } = {},
): Wave[] {
  const canSurge = options.canSurge ?? true;
  const surge = canSurge ? Math.min(settings.maxSurge, instances.length) : 0;
  const unavailable = canSurge ? settings.maxUnavailable : Math.max(1, settings.maxUnavailable);
  const size = Math.max(1, surge + unavailable);
  const waves: Wave[] = [];
  // The canary: one instance alone (surging when the group may surge), validated before the others.
  const canary = options.canary && instances.length > 1 && size > 1;
  if (canary) waves.push({ instances: [instances[0].id], surge: surge > 0 ? [instances[0].id] : [] });
  for (let start = canary ? 1 : 0; start < instances.length; start += size) {
    const chunk = instances.slice(start, start + size);
    // Already-detached instances surged in an earlier run: they count against
    // the surge first, since their replacements exist already.
    const preferred = [...chunk].sort((a, b) => Number(b.detached) - Number(a.detached));
    const surged = preferred.slice(0, Math.min(surge, chunk.length)).map((i) => i.id);
    waves.push({ instances: chunk.map((i) => i.id), surge: surged });
  }
  return waves;
}
