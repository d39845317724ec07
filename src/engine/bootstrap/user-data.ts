// The user-data every instance group's launch template carries. Today it only
// names who the instance is (cluster, instance group, role, Kubernetes
// version), one `export NAME=value` per line; the simulator boots nodes from
// exactly these lines. A real kubeadm/nodeup bootstrap replaces the body later
// without changing this function's signature.

export type BootstrapRole = 'ControlPlane' | 'Node' | 'Bastion' | 'APIServer';

export interface UserDataInput {
  cluster: string;
  instanceGroup: string;
  kubernetesVersion: string;
  /** kops roles; the legacy `Master` is written as ControlPlane. */
  role: BootstrapRole | 'Master';
  /**
   * The cluster's folder in an s3:// state store (s3://bucket/prefix/<cluster>),
   * where the machine's instance profile may read what its role needs (kops'
   * ConfigBase). Absent for a local store, which no machine on AWS can read.
   */
  configBase?: string;
}

/** kops' ConfigBase: the cluster's folder in an s3:// state store; undefined for any other store. */
export function clusterConfigBase(stateStore: string | undefined, cluster: string): string | undefined {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(stateStore ?? '');
  if (!match) return undefined;
  const prefix = match[2].replace(/\/+$/, '');
  return `s3://${match[1]}/${prefix ? `${prefix}/` : ''}${cluster}`;
}

const SAFE_VALUE = /^[A-Za-z0-9._\-+:/@]+$/;

export function bootstrapRole(role: UserDataInput['role']): BootstrapRole {
  return role === 'Master' ? 'ControlPlane' : role;
}

export function renderUserData(input: UserDataInput): string {
  const version = input.kubernetesVersion.replace(/^v/, '');
  const exports: [string, string][] = [
    ['CLUSTER_NAME', input.cluster],
    ['INSTANCE_GROUP', input.instanceGroup],
    ['INSTANCE_GROUP_ROLE', bootstrapRole(input.role)],
    ['KUBERNETES_VERSION', version],
  ];
  if (input.configBase) exports.push(['CONFIG_BASE', input.configBase]);
  for (const [name, value] of exports) {
    // Values go into a shell script unquoted-safe: refuse anything that would need escaping.
    if (!SAFE_VALUE.test(value)) throw new Error(`user-data: ${name} has characters a bootstrap script cannot carry: ${JSON.stringify(value)}`);
  }
  return [
    '#!/bin/bash',
    'set -o errexit -o nounset -o pipefail',
    '',
    '# kopsdeck bootstrap. A real kubeadm/nodeup bootstrap will replace the body',
    '# of this script; the exports below are the contract it keeps.',
    ...exports.map(([name, value]) => `export ${name}=${value}`),
    '',
    'echo "kopsdeck: ${INSTANCE_GROUP_ROLE} ${INSTANCE_GROUP} of ${CLUSTER_NAME}, Kubernetes ${KUBERNETES_VERSION}"',
    '',
  ].join('\n');
}

export function renderUserDataBase64(input: UserDataInput): string {
  return Buffer.from(renderUserData(input), 'utf8').toString('base64');
}

/** The `export NAME=value` lines of a user-data script, as the contract's regular expression reads them. */
export function parseUserDataExports(script: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const match of script.matchAll(/^export ([A-Z_]+)=["']?([^"'\n]*)["']?$/gm)) found[match[1]] = match[2];
  return found;
}

export function decodeUserData(base64: string | undefined): string {
  return base64 ? Buffer.from(base64, 'base64').toString('utf8') : '';
}
