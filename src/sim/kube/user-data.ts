// Reads what the bootstrap script tells an instance: its cluster, instance
// group, role and Kubernetes version (lines `export NAME=value`).
import type { SimInstanceInfo } from '../contracts.js';

export type NodeRole = 'ControlPlane' | 'APIServer' | 'Node' | 'Bastion';

export interface BootInfo {
  cluster: string;
  instanceGroup: string;
  role: NodeRole;
  /** Without the leading "v", e.g. 1.30.2. */
  kubernetesVersion: string;
}

export function parseExports(userData: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const match of userData.matchAll(/^export ([A-Z_]+)=["']?([^"'\n]*)["']?$/gm)) found[match[1]] = match[2];
  return found;
}

function normaliseRole(role: string | undefined, tags: Record<string, string>): NodeRole {
  const value = (role ?? '').toLowerCase();
  if (value === 'master' || value === 'controlplane' || value === 'control-plane') return 'ControlPlane';
  if (value === 'apiserver') return 'APIServer';
  if (value === 'bastion') return 'Bastion';
  if (value === 'node') return 'Node';
  if (tags['k8s.io/role/control-plane'] || tags['k8s.io/role/master']) return 'ControlPlane';
  if (tags['k8s.io/role/bastion']) return 'Bastion';
  return 'Node';
}

export const DEFAULT_KUBERNETES_VERSION = '1.30.0';

/** Undefined when the instance names no cluster (it is not a Kubernetes node). */
export function bootInfoOf(instance: SimInstanceInfo): BootInfo | undefined {
  const vars = parseExports(instance.userData ?? '');
  const cluster = vars.CLUSTER_NAME || instance.tags?.KubernetesCluster;
  if (!cluster) return undefined;
  return {
    cluster,
    instanceGroup: vars.INSTANCE_GROUP || instance.tags?.['kops.k8s.io/instancegroup'] || 'nodes',
    role: normaliseRole(vars.INSTANCE_GROUP_ROLE, instance.tags ?? {}),
    kubernetesVersion: (vars.KUBERNETES_VERSION || DEFAULT_KUBERNETES_VERSION).replace(/^v/, ''),
  };
}

/** Orders "1.30.2" style versions; unparsable parts count as 0. */
export function compareVersions(a: string, b: string): number {
  const pa = a.replace(/^v/, '').split(/[.+-]/).map((p) => Number(p) || 0);
  const pb = b.replace(/^v/, '').split(/[.+-]/).map((p) => Number(p) || 0);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}
