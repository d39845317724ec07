// Reads what the bootstrap script tells an instance: its cluster, instance
// group, role and Kubernetes version. Two shapes: kopsdeck's bootstrap (lines
// `export NAME=value`), and kops' nodeup script, whose kube_env.yaml names the
// cluster, group, role and where nodeup reads the rest (ConfigBase in S3, or
// kops-controller); the Kubernetes version is then the kubelet's, in the
// nodeupconfig.yaml nodeup reads there, as on a real machine.
import { createHash } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import type { InstanceEnvironment, SimInstanceInfo } from '../contracts.js';

export type NodeRole = 'ControlPlane' | 'APIServer' | 'Node' | 'Bastion';

export interface BootInfo {
  cluster: string;
  instanceGroup: string;
  role: NodeRole;
  /** Without the leading "v", e.g. 1.30.2. */
  kubernetesVersion: string;
  /** The containerd the machine installed, e.g. 2.2.4 (kops-made machines: kops' default). */
  containerdVersion?: string;
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

/** What nodeup's kube_env.yaml says (the fields the simulator acts on). */
export interface KubeEnv {
  clusterName: string;
  instanceGroupName: string;
  role: NodeRole;
  /** e.g. s3://bucket/prefix/<cluster>; absent when the machine asks kops-controller. */
  configBase?: string;
  configServers: string[];
  /** base64(sha256) of the NodeupConfig nodeup must load, when given. */
  nodeupConfigHash?: string;
}

const KUBE_ENV = /cat > conf\/kube_env\.yaml << '?(\w+)'?\n([\s\S]*?)\n\1\n/;

/** The kube_env.yaml a nodeup script writes; undefined for any other user-data. */
export function parseKubeEnv(userData: string): KubeEnv | undefined {
  const match = KUBE_ENV.exec(userData ?? '');
  if (!match) return undefined;
  let doc: unknown;
  try {
    doc = parseYaml(match[2]);
  } catch {
    return undefined;
  }
  if (!doc || typeof doc !== 'object') return undefined;
  const env = doc as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === 'string' && value ? value : undefined);
  const clusterName = text(env.ClusterName);
  const instanceGroupName = text(env.InstanceGroupName);
  if (!clusterName || !instanceGroupName) return undefined;
  const server = env.ConfigServer as { servers?: unknown } | undefined;
  const servers = Array.isArray(server?.servers) ? server.servers.filter((s): s is string => typeof s === 'string') : [];
  return { clusterName, instanceGroupName, role: normaliseRole(text(env.InstanceGroupRole), {}), configBase: text(env.ConfigBase), configServers: servers, nodeupConfigHash: text(env.NodeupConfigHash) };
}

/** kops' lower-case role in igconfig paths (InstanceGroupRole.ToLowerString). */
export function roleDirectory(role: NodeRole): string {
  return role === 'ControlPlane' ? 'control-plane' : role.toLowerCase();
}

/** The version in the kubelet asset's URL (…/release/v1.36.3/bin/linux/amd64/kubelet) of nodeupconfig.yaml. */
export function kubeletVersionOf(nodeupConfig: string): string | undefined {
  let doc: unknown;
  try {
    doc = parseYaml(nodeupConfig);
  } catch {
    return undefined;
  }
  const assets = (doc as { Assets?: Record<string, unknown> } | null)?.Assets;
  if (!assets || typeof assets !== 'object') return undefined;
  // The simulated machines are amd64 unless the config has only another architecture.
  const lists = [assets.amd64, ...Object.values(assets)].filter(Array.isArray) as unknown[][];
  for (const list of lists) {
    for (const asset of list) {
      const found = typeof asset === 'string' ? /\/v(\d+\.\d+\.\d+[^/]*)\/bin\/linux\/[^/]+\/kubelet$/.exec(asset) : null;
      if (found) return found[1];
    }
  }
  return undefined;
}

export type NodeupBoot = { kind: 'boot'; info: BootInfo } | { kind: 'failed'; reason: string } | { kind: 'waiting'; reason: string };

/**
 * What nodeup does first: load its NodeupConfig, from ConfigBase
 * (`<base>/igconfig/<role>/<ig>/nodeupconfig.yaml`) or through kops-controller
 * (which reads `<its base>/igconfig/node/<ig>/nodeupconfig.yaml`). Waiting
 * while no kops-controller answers (nodeup retries); failed when the object
 * cannot be read or names no kubelet.
 */
export function nodeupBoot(env: KubeEnv, environment: InstanceEnvironment | undefined): NodeupBoot {
  if (!environment) return { kind: 'failed', reason: 'nodeup: this machine reaches no S3 and no kops-controller' };
  let url: string;
  if (env.configBase) {
    url = `${env.configBase.replace(/\/+$/, '')}/igconfig/${roleDirectory(env.role)}/${env.instanceGroupName}/nodeupconfig.yaml`;
  } else if (env.configServers.length > 0) {
    const base = environment.kopsControllerConfigBase(env.clusterName);
    if (!base) return { kind: 'waiting', reason: `nodeup: waiting for kops-controller at ${env.configServers[0]}` };
    url = `${base.replace(/\/+$/, '')}/igconfig/node/${env.instanceGroupName}/nodeupconfig.yaml`;
  } else {
    return { kind: 'failed', reason: 'nodeup: ConfigBase or ConfigServer is required' };
  }
  const read = environment.readObject(url);
  if ('error' in read) return { kind: 'failed', reason: `nodeup: error loading NodeupConfig "${url}": ${read.error}` };
  const hash = createHash('sha256').update(read.body).digest('base64');
  if (env.nodeupConfigHash && env.nodeupConfigHash !== hash) {
    return { kind: 'failed', reason: `nodeup: nodeup config hash mismatch (was "${hash}", expected "${env.nodeupConfigHash}")` };
  }
  const version = kubeletVersionOf(read.body);
  if (!version) return { kind: 'failed', reason: `nodeup: NodeupConfig "${url}" names no kubelet asset` };
  return { kind: 'boot', info: { cluster: env.clusterName, instanceGroup: env.instanceGroupName, role: env.role, kubernetesVersion: version } };
}
