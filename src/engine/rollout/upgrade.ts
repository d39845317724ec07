// `upgrade cluster`: moves the spec's kubernetesVersion forward, one minor
// version at a time, as Kubernetes' version skew policy requires (a kubelet may
// not be newer than its API server, and control planes move one minor per
// upgrade). The version proposed is the channel's recommended patch of the
// next minor, as kops' `upgrade cluster` proposes it. Only the spec changes
// here; `update cluster` then writes new launch templates and
// `rolling-update cluster` replaces the instances.
import type { Channel } from '../channel/channel.js';
import { recommendedKubernetesVersion } from '../channel/lookups.js';
import { KOPS_MINOR, kubernetesVersionError } from '../spec/kubernetes-version.js';
import { compareVersions, minorOf, parseVersion, plainVersion } from '../spec/versions.js';
import type { ClusterStore } from '../store/cluster-store.js';

export class UpgradeRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UpgradeRefusedError';
  }
}

export interface UpgradeCheck {
  from: string;
  to: string;
  /** False when the cluster is already at that version. */
  changes: boolean;
}

/** The channel's recommended patch of the minor after `version`'s, when kopsdeck supports that minor; else null. */
function recommendedOfNextMinor(version: string, channel: Channel): string | null {
  const v = parseVersion(version);
  if (!v) return null;
  const next = `${v.major}.${v.minor + 1}`;
  if (compareVersions(`${next}.0`, `${KOPS_MINOR}.0`) > 0) return null;
  const recommended = recommendedKubernetesVersion(channel, `${next}.0`);
  return recommended && minorOf(recommended) === next ? recommended : null;
}

/**
 * Why `to` is not a valid next version from `from`; throws UpgradeRefusedError.
 * With a channel, a refusal for skipping a minor names the version to upgrade to first.
 */
export function checkUpgrade(from: string, to: string, channel?: Channel): UpgradeCheck {
  const plainTo = plainVersion(to);
  if (!plainTo) throw new UpgradeRefusedError(`"${to}" is not a Kubernetes version; write it as major.minor.patch, e.g. 1.32.13`);
  const plainFrom = plainVersion(from);
  if (!plainFrom) throw new UpgradeRefusedError(`the cluster's kubernetesVersion "${from}" cannot be read; fix it with kopsdeck edit cluster`);
  const order = compareVersions(plainTo, plainFrom);
  if (order === 0) return { from: plainFrom, to: plainTo, changes: false };
  if (order < 0) throw new UpgradeRefusedError(`${plainTo} is older than the cluster's ${plainFrom}; Kubernetes cannot be downgraded in place`);
  const unsupported = kubernetesVersionError(plainTo);
  if (unsupported) throw new UpgradeRefusedError(unsupported);
  const target = parseVersion(plainTo)!;
  const current = parseVersion(plainFrom)!;
  if (target.major !== current.major || target.minor > current.minor + 1) {
    const step = (channel && recommendedOfNextMinor(plainFrom, channel)) ?? `${current.major}.${current.minor + 1}`;
    throw new UpgradeRefusedError(`upgrade one minor version at a time: ${minorOf(plainFrom)} -> ${minorOf(plainTo)} skips a minor version; upgrade to ${step} first`);
  }
  return { from: plainFrom, to: plainTo, changes: true };
}

/**
 * The version `upgrade cluster` proposes when none is given (kops' rule): the
 * channel's recommended patch of the next minor when kopsdeck supports that
 * minor, else the recommended patch of the cluster's own minor; null when
 * that is not newer than the cluster (never a downgrade).
 */
export function proposedUpgrade(from: string, channel: Channel): string | null {
  const plainFrom = plainVersion(from);
  if (!plainFrom) return null;
  const proposed = recommendedOfNextMinor(plainFrom, channel) ?? recommendedKubernetesVersion(channel, plainFrom);
  return proposed && compareVersions(proposed, plainFrom) > 0 ? proposed : null;
}

export interface UpgradeResult extends UpgradeCheck {
  /** The cluster spec's new version in the store (absent when nothing changed or dry run). */
  version?: string;
}

/** Checks and (unless dryRun) writes the new kubernetesVersion with a conditional update. */
export async function upgradeCluster(
  store: ClusterStore,
  name: string,
  targetVersion: string,
  options: { dryRun?: boolean; channel?: Channel } = {},
): Promise<UpgradeResult> {
  const found = await store.getCluster(name);
  if (!found) throw new UpgradeRefusedError(`cluster ${name} was not found in ${store.url}`);
  const check = checkUpgrade(found.value.spec.kubernetesVersion, targetVersion, options.channel);
  if (!check.changes || options.dryRun) return check;
  const cluster = { ...found.value, spec: { ...found.value.spec, kubernetesVersion: check.to } };
  const version = await store.updateCluster(cluster, found.version);
  return { ...check, version };
}
