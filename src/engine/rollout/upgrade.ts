// `upgrade cluster`: moves the spec's kubernetesVersion forward, one minor
// version at a time, as Kubernetes' version skew policy requires (a kubelet may
// not be newer than its API server, and control planes move one minor per
// upgrade). Only the spec changes here; `update cluster` then writes new launch
// templates and `rolling-update cluster` replaces the instances.
import { compareVersions, isSupported, minorOf, nextMinor, parseVersion, supportedVersions } from '../spec/versions.js';
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

/** Why `to` is not a valid next version from `from`; throws UpgradeRefusedError. */
export function checkUpgrade(from: string, to: string): UpgradeCheck {
  const target = parseVersion(to);
  if (!target) throw new UpgradeRefusedError(`"${to}" is not a Kubernetes version; write it as 1.32.5`);
  const plainTo = `${target.major}.${target.minor}.${target.patch}`;
  if (!isSupported(plainTo)) {
    throw new UpgradeRefusedError(`Kubernetes ${plainTo} is not supported by kopsdeck; supported versions: ${supportedVersions().join(', ')}`);
  }
  const current = parseVersion(from);
  if (!current) throw new UpgradeRefusedError(`the cluster's kubernetesVersion "${from}" cannot be read; fix it with kopsdeck edit cluster`);
  const plainFrom = `${current.major}.${current.minor}.${current.patch}`;
  const order = compareVersions(plainTo, plainFrom);
  if (order === 0) return { from: plainFrom, to: plainTo, changes: false };
  if (order < 0) throw new UpgradeRefusedError(`${plainTo} is older than the cluster's ${plainFrom}; Kubernetes cannot be downgraded in place`);
  if (target.major !== current.major || target.minor > current.minor + 1) {
    const step = nextMinor(plainFrom);
    throw new UpgradeRefusedError(
      `upgrade one minor version at a time: ${minorOf(plainFrom)} -> ${minorOf(plainTo)} skips a minor version` + (step ? `; upgrade to ${step} first` : ''),
    );
  }
  return { from: plainFrom, to: plainTo, changes: true };
}

/** The version `upgrade cluster` proposes when none is given: the newest patch of the next minor, else of this one. */
export function proposedUpgrade(from: string): string | null {
  const next = nextMinor(from);
  if (next) return next;
  const v = parseVersion(from);
  if (!v) return null;
  const same = supportedVersions().filter((s) => minorOf(s) === minorOf(from) && compareVersions(s, from) > 0);
  return same.at(-1) ?? null;
}

export interface UpgradeResult extends UpgradeCheck {
  /** The cluster spec's new version in the store (absent when nothing changed or dry run). */
  version?: string;
}

/** Checks and (unless dryRun) writes the new kubernetesVersion with a conditional update. */
export async function upgradeCluster(store: ClusterStore, name: string, targetVersion: string, options: { dryRun?: boolean } = {}): Promise<UpgradeResult> {
  const found = await store.getCluster(name);
  if (!found) throw new UpgradeRefusedError(`cluster ${name} was not found in ${store.url}`);
  const check = checkUpgrade(found.value.spec.kubernetesVersion, targetVersion);
  if (!check.changes || options.dryRun) return check;
  const cluster = { ...found.value, spec: { ...found.value.spec, kubernetesVersion: check.to } };
  const version = await store.updateCluster(cluster, found.version);
  return { ...check, version };
}
