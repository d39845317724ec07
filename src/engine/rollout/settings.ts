// A group's rolling-update settings as kops resolves them (pkg/instancegroups
// settings.go): the group's rollingUpdate, else the cluster's; maxSurge
// defaults to 1 on AWS for groups that are not control plane, 0 otherwise;
// maxUnavailable defaults to 1 when maxSurge is 0, else 0. Percentages are of
// the group's instance count: a surge rounds up, unavailability rounds down
// but never below 1.
import type { Cluster, InstanceGroup, IntOrPercent, RollingUpdateSpec } from '../spec/types.js';
import { isControlPlaneRole } from '../spec/types.js';
import type { RollingSettings } from './types.js';

/** An int, or "N%" of `total` (rounded up or down); throws on anything else. */
export function parseIntOrPercent(value: IntOrPercent, total: number, roundUp: boolean): number {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0) throw new Error(`expected a whole number of instances or a percentage, got ${value}`);
    return value;
  }
  const text = String(value).trim();
  const percent = /^(\d+(?:\.\d+)?)%$/.exec(text);
  if (percent) {
    const exact = (Number(percent[1]) * total) / 100;
    return roundUp ? Math.ceil(exact) : Math.floor(exact);
  }
  if (/^\d+$/.test(text)) return Number(text);
  throw new Error(`expected a whole number of instances or a percentage such as "25%", got "${text}"`);
}

export interface ResolveInput {
  cluster: Pick<Cluster, 'spec'>;
  group: Pick<InstanceGroup, 'spec'>;
  /** How many instances the group has (percentages are of this). */
  instances: number;
}

export function resolveSettings({ cluster, group, instances }: ResolveInput): RollingSettings {
  const own: RollingUpdateSpec = group.spec.rollingUpdate ?? {};
  const shared: RollingUpdateSpec = cluster.spec.rollingUpdate ?? {};
  const controlPlane = isControlPlaneRole(group.spec.role);
  const onAws = (cluster.spec.cloudProvider ?? 'aws') === 'aws';
  const surgeSpec = own.maxSurge ?? shared.maxSurge ?? (onAws && !controlPlane ? 1 : 0);
  let maxSurge = parseIntOrPercent(surgeSpec, instances, true);
  const unavailableSpec = own.maxUnavailable ?? shared.maxUnavailable ?? (maxSurge === 0 ? 1 : 0);
  let maxUnavailable = parseIntOrPercent(unavailableSpec, instances, false);
  if (typeof unavailableSpec === 'string' && unavailableSpec.trim().endsWith('%') && maxUnavailable <= 0) maxUnavailable = 1;
  // Control-plane instances cannot surge: a new one registers through its own
  // API server, which needs its etcd member, which must replace the old one.
  if (controlPlane && maxSurge > 0) {
    maxSurge = 0;
    if (maxUnavailable === 0) maxUnavailable = 1;
  }
  const drainAndTerminate = own.drainAndTerminate ?? shared.drainAndTerminate ?? true;
  return { maxSurge, maxUnavailable, drainAndTerminate };
}

/** A settings pair that would never make progress. */
export function settingsProblem(settings: RollingSettings): string | undefined {
  if (settings.maxSurge === 0 && settings.maxUnavailable === 0) {
    return 'maxSurge and maxUnavailable are both 0, so no instance could ever be replaced; set one of them above 0';
  }
  return undefined;
}
