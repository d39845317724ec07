// Wizard answers -> the builder's ClusterOptions -> the spec. The same
// options are what `kopsdeck create cluster` builds from its flags, so the
// wizard and the command line make the same cluster.
import { buildClusterSpec, type ClusterOptions } from '../spec/defaults.js';
import type { ClusterBundle } from '../spec/types.js';
import { isNodeRole } from '../spec/types.js';
import { splitCidrList, DEFAULT_ADMIN_ACCESS, type WizardAnswers } from './answers.js';
import { expandHome } from './field-checks.js';

/** Options plus what the builder does not take: each node group's maximum size. */
export interface WizardBuild {
  options: ClusterOptions;
  /** Maximum size of each node group; undefined when equal to the minimum. */
  nodeMaxSize?: number;
}

const whole = (text: string): number => {
  const n = Number(text.trim());
  return Number.isInteger(n) && n >= 0 ? n : 0;
};

export function answersToBuild(a: WizardAnswers): WizardBuild {
  const min = whole(a.nodeMin);
  const max = whole(a.nodeMax);
  const access = splitCidrList(a.adminAccess);
  const defaultAccess = access.join(',') === splitCidrList(DEFAULT_ADMIN_ACCESS).join(',');
  const options: ClusterOptions = {
    name: a.name,
    zones: [...a.zones],
    controlPlaneCount: a.controlPlaneCount,
    controlPlaneSize: a.controlPlaneSize,
    nodeCount: min * a.zones.length,
    nodeSize: a.nodeSize,
    kubernetesVersion: a.kubernetesVersion,
    topology: a.topology,
    bastion: a.topology === 'private' && a.bastion ? true : undefined,
    networking: a.networking,
    dnsZone: a.dnsZone ?? undefined,
    sshPublicKey: a.sshPublicKey ? expandHome(a.sshPublicKey) : undefined,
    adminAccess: defaultAccess ? undefined : access,
  };
  return { options, nodeMaxSize: max > min ? max : undefined };
}

/** The Cluster and InstanceGroups the wizard's answers describe. */
export function buildWizardBundle(a: WizardAnswers): ClusterBundle {
  const { options, nodeMaxSize } = answersToBuild(a);
  return applyNodeMaxSize(buildClusterSpec(options), nodeMaxSize);
}

/**
 * Lets every node group grow to `maxSize` (the builder makes min = max). A
 * maximum below a group's size is kept as given, so that validation refuses it
 * with its reason. Used by the wizard and by `create cluster --node-max-size`.
 */
export function applyNodeMaxSize(bundle: ClusterBundle, maxSize: number | undefined): ClusterBundle {
  if (maxSize === undefined) return bundle;
  return {
    cluster: bundle.cluster,
    instanceGroups: bundle.instanceGroups.map((ig) =>
      isNodeRole(ig.spec.role) ? { ...ig, spec: { ...ig.spec, maxSize } } : ig,
    ),
  };
}

/** Where the control-plane instances go, e.g. "us-east-1a, us-east-1b, us-east-1c" or "2 in us-east-1a, 1 in us-east-1b". */
export function controlPlaneSpread(a: Pick<WizardAnswers, 'zones' | 'controlPlaneCount'>): string {
  const zones = a.zones.slice(0, Math.max(1, a.controlPlaneCount));
  if (zones.length === 0) return 'no zone yet';
  const perZone = new Map<string, number>();
  for (let i = 0; i < a.controlPlaneCount; i++) perZone.set(zones[i % zones.length], (perZone.get(zones[i % zones.length]) ?? 0) + 1);
  const uneven = [...perZone.values()].some((n) => n > 1);
  return [...perZone].map(([zone, n]) => (uneven ? `${n} in ${zone}` : zone)).join(', ');
}
