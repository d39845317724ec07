// The user-data every instance group's launch template carries: a
// `#cloud-config` that writes what the machine is (bootstrap.env), the kubeadm
// configuration templates of its role and kopsdeck's bootstrap script, then
// runs the script (bootstrap/kopsdeck-bootstrap.sh). cloud-init on the
// channel's Ubuntu image reads it; nothing in it is secret.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { parse as parseYaml, stringify } from 'yaml';
import { packageRoot } from '../channel/load-channel.js';
import { ETCD_DATA_DIR, ETCD_VOLUME_DIR, kubeadmFiles, type KubeadmInput } from './kubeadm-config.js';

/** One release file for the machine's architecture, and the SHA-256 it must have. */
export interface ReleaseFile {
  version: string;
  url: string;
  sha256: string;
}

export type BootstrapRole = 'ControlPlane' | 'Node' | 'Bastion' | 'APIServer';

export interface UserDataInput {
  cluster: string;
  instanceGroup: string;
  kubernetesVersion: string;
  /** kops roles; the legacy `Master` is written as ControlPlane. */
  role: BootstrapRole | 'Master';
  /** The AWS region the machine runs in (its S3 and EC2 endpoints). */
  region: string;
  /**
   * The cluster's folder in the state store (kops' ConfigBase), where the
   * machine reads its secrets with its instance profile: s3://bucket/prefix/<cluster>,
   * or a file:// folder, which only the simulator's machines can read.
   */
  configBase?: string;
  /** The region of the s3:// store's bucket, when it is not the machine's own. */
  storeRegion?: string;
  /** `sha256:<hex>` of the cluster CA's public key; absent until the CA exists. */
  caCertHash?: string;
  /** The network add-on the first control-plane node installs (a control plane's user-data only). */
  networkAddon?: { name: string; version: string; manifest?: string; chart?: string; helm?: string };
  /** The containerd and runc releases the machine installs, for its architecture (channel-pinned, checked by SHA-256). */
  containerRuntime?: { containerd: ReleaseFile; runc: ReleaseFile };
  /** What kubeadm needs beyond the fields above; absent for a bastion, which joins no cluster. */
  kubeadm?: Omit<KubeadmInput, 'cluster' | 'kubernetesVersion' | 'caCertHash'>;
}

/** Where cloud-init writes each file on the machine. */
export const MACHINE_PATHS = {
  env: '/etc/kopsdeck/bootstrap.env',
  init: '/etc/kopsdeck/kubeadm-init.yaml',
  joinControlPlane: '/etc/kopsdeck/kubeadm-join-control-plane.yaml',
  join: '/etc/kopsdeck/kubeadm-join.yaml',
  script: '/usr/local/sbin/kopsdeck-bootstrap',
  upkeep: '/usr/local/sbin/kopsdeck-upkeep',
  upkeepService: '/etc/systemd/system/kopsdeck-upkeep.service',
  upkeepTimer: '/etc/systemd/system/kopsdeck-upkeep.timer',
} as const;

/** The second line of every kopsdeck user-data: what ownership checks recognise. */
export const USER_DATA_MARKER = '# kopsdeck bootstrap';

/** kops' ConfigBase: the cluster's folder in an s3:// state store; undefined for any other store. */
export function clusterConfigBase(stateStore: string | undefined, cluster: string): string | undefined {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(stateStore ?? '');
  if (!match) return undefined;
  const prefix = match[2].replace(/\/+$/, '');
  return `s3://${match[1]}/${prefix ? `${prefix}/` : ''}${cluster}`;
}

/** The folder machines read: the s3:// ConfigBase, or a file:// store's cluster folder (the simulator's machines only). */
export function machineConfigBase(stateStore: string | undefined, cluster: string): string | undefined {
  if (stateStore?.startsWith('file://')) return `${stateStore.replace(/\/+$/, '')}/${cluster}`;
  return clusterConfigBase(stateStore, cluster);
}

const SAFE_VALUE = /^[A-Za-z0-9._\-+:/@]+$/;

export function bootstrapRole(role: UserDataInput['role']): BootstrapRole {
  return role === 'Master' ? 'ControlPlane' : role;
}

/** The non-secret facts the script sources, one NAME=value per line (a shell and systemd environment file). */
export function bootstrapEnv(input: UserDataInput): string {
  const role = bootstrapRole(input.role);
  const values: [string, string | undefined][] = [
    ['CLUSTER_NAME', input.cluster],
    ['INSTANCE_GROUP', input.instanceGroup],
    ['INSTANCE_GROUP_ROLE', role],
    ['KUBERNETES_VERSION', input.kubernetesVersion.replace(/^v/, '')],
    ['AWS_REGION', input.region],
    ['CONFIG_BASE', input.configBase],
    // Requests to the bucket are signed for its region, which can be another than the cluster's.
    ['STORE_REGION', input.configBase?.startsWith('s3://') && input.storeRegion && input.storeRegion !== input.region ? input.storeRegion : undefined],
    ['API_ENDPOINT', input.kubeadm ? `${input.kubeadm.apiHost}:443` : undefined],
    ['CA_CERT_HASH', input.caCertHash],
    ...containerRuntimeValues(input),
    ...etcdValues(input),
    ...networkValues(input),
  ];
  const lines: string[] = [];
  for (const [name, value] of values) {
    if (value === undefined) continue;
    // Sourced by a shell: refuse anything that would need quoting.
    if (!SAFE_VALUE.test(value)) throw new Error(`user-data: ${name} has characters a bootstrap script cannot carry: ${JSON.stringify(value)}`);
    lines.push(`${name}=${value}`);
  }
  return lines.join('\n') + '\n';
}

/** The container runtime a machine that joins the cluster installs. */
function containerRuntimeValues(input: UserDataInput): [string, string | undefined][] {
  const runtime = input.containerRuntime;
  if (bootstrapRole(input.role) === 'Bastion' || !runtime) return [];
  return [
    ['CONTAINERD_VERSION', runtime.containerd.version],
    ['CONTAINERD_URL', runtime.containerd.url],
    ['CONTAINERD_SHA256', runtime.containerd.sha256],
    ['RUNC_VERSION', runtime.runc.version],
    ['RUNC_URL', runtime.runc.url],
    ['RUNC_SHA256', runtime.runc.sha256],
  ];
}

/** Where a control-plane machine mounts its etcd volume and keeps etcd's data (the kubeadm configuration's dataDir). */
function etcdValues(input: UserDataInput): [string, string | undefined][] {
  if (bootstrapRole(input.role) !== 'ControlPlane' || !input.kubeadm) return [];
  return [
    ['ETCD_VOLUME_DIR', ETCD_VOLUME_DIR],
    ['ETCD_DATA_DIR', ETCD_DATA_DIR],
  ];
}

/** What the first control-plane node needs to install the network add-on. */
function networkValues(input: UserDataInput): [string, string | undefined][] {
  const addon = input.networkAddon;
  if (bootstrapRole(input.role) !== 'ControlPlane' || !addon) return [];
  return [
    ['NETWORKING', addon.name],
    ['CNI_VERSION', addon.version],
    ['CNI_MANIFEST', addon.manifest],
    ['CNI_CHART', addon.chart],
    ['HELM_URL', addon.helm],
    ['POD_CIDR', input.kubeadm?.podSubnet],
    ['SKIP_KUBE_PROXY', input.kubeadm?.skipKubeProxy ? 'true' : undefined],
  ];
}

interface WriteFile {
  path: string;
  content: string;
  permissions: string;
  owner?: string;
}

/** EC2 takes at most 16 KB of user-data, before its base64 encoding. */
export const USER_DATA_LIMIT_BYTES = 16 * 1024;

export function renderUserData(input: UserDataInput): string {
  const role = bootstrapRole(input.role);
  const files: WriteFile[] = [{ path: MACHINE_PATHS.env, content: bootstrapEnv(input), permissions: '0644' }];
  const joins = role !== 'Bastion' && input.kubeadm;
  if (joins) {
    const kubeadm = kubeadmFiles({ ...input.kubeadm!, cluster: input.cluster, kubernetesVersion: input.kubernetesVersion, caCertHash: input.caCertHash ?? '' }, role === 'ControlPlane' ? 'ControlPlane' : 'Node');
    if (kubeadm.init) files.push({ path: MACHINE_PATHS.init, content: kubeadm.init, permissions: '0600' });
    if (kubeadm.joinControlPlane) files.push({ path: MACHINE_PATHS.joinControlPlane, content: kubeadm.joinControlPlane, permissions: '0600' });
    if (kubeadm.join) files.push({ path: MACHINE_PATHS.join, content: kubeadm.join, permissions: '0600' });
  }
  files.push(executable(MACHINE_PATHS.script, bootstrapScript()));
  if (role === 'ControlPlane') files.push(executable(MACHINE_PATHS.upkeep, upkeepScript()), ...upkeepUnits());
  const config = {
    write_files: files.map((file) => ({ path: file.path, owner: 'root:root', permissions: file.permissions, content: file.content })),
    runcmd: [[MACHINE_PATHS.script, 'boot']],
  };
  return `#cloud-config\n${USER_DATA_MARKER}: ${role} ${input.instanceGroup} of ${input.cluster}\n${stringify(config, { lineWidth: 0 })}`;
}

/** An executable script, as text: the whole user-data is gzipped (renderUserDataBase64). */
function executable(path: string, text: string): WriteFile {
  return { path, content: text, permissions: '0755' };
}

/** Every minute on a control-plane node: bootstrap/kopsdeck-upkeep.sh. */
function upkeepUnits(): WriteFile[] {
  const service = ['[Unit]', 'Description=kopsdeck upkeep: node labels, gone nodes, the bootstrap token, etcd members', '', '[Service]', 'Type=oneshot', `ExecStart=${MACHINE_PATHS.upkeep}`, ''].join('\n');
  const timer = ['[Unit]', 'Description=kopsdeck upkeep, every minute', '', '[Timer]', 'OnBootSec=1min', 'OnUnitActiveSec=1min', '', '[Install]', 'WantedBy=timers.target', ''].join('\n');
  return [
    { path: MACHINE_PATHS.upkeepService, content: service, permissions: '0644' },
    { path: MACHINE_PATHS.upkeepTimer, content: timer, permissions: '0644' },
  ];
}

const scripts = new Map<string, string>();

/**
 * A script of bootstrap/ as machines get it: without its comment lines and
 * blank lines (the shebang and shellcheck directives stay), since EC2 takes
 * at most 16 KB of user-data. The file in bootstrap/ is the one to read.
 */
function shipped(name: string): string {
  let text = scripts.get(name);
  if (text === undefined) {
    const source = readFileSync(join(packageRoot(), 'bootstrap', name), 'utf8');
    text = source.split('\n').filter((line) => line.trim() !== '' && !/^\s*#(?!!|\s*shellcheck)/.test(line)).join('\n') + '\n';
    scripts.set(name, text);
  }
  return text;
}

/** bootstrap/kopsdeck-bootstrap.sh, as shipped with kopsdeck beside channels/ (see shipped()). */
export const bootstrapScript = (): string => shipped('kopsdeck-bootstrap.sh');

/** bootstrap/kopsdeck-upkeep.sh: the control plane's upkeep, which sources the bootstrap script's functions. */
export const upkeepScript = (): string => shipped('kopsdeck-upkeep.sh');

/**
 * The user-data as EC2 takes it: gzipped (cloud-init decompresses gzipped
 * user-data), so that the scripts fit EC2's 16 KB, then base64. Refused,
 * saying so, when it would still be larger.
 */
export function renderUserDataBase64(input: UserDataInput): string {
  const gzipped = gzipSync(renderUserData(input), { level: 9 });
  if (gzipped.length > USER_DATA_LIMIT_BYTES) {
    throw new Error(`user-data: instance group ${input.instanceGroup}'s user-data is ${gzipped.length} bytes gzipped, above EC2's ${USER_DATA_LIMIT_BYTES}: a shorter cluster name or state store path would fit it`);
  }
  return gzipped.toString('base64');
}

/** A launch template's user-data as text: gunzipped when it is gzipped (kopsdeck's), as it is otherwise (kops'). */
export function decodeUserData(base64: string | undefined): string {
  if (!base64) return '';
  const bytes = Buffer.from(base64, 'base64');
  return bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
}

/** The `export NAME=value` lines of the shell user-data kopsdeck wrote before its cloud-config. */
export function parseUserDataExports(script: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const match of script.matchAll(/^export ([A-Z_]+)=["']?([^"'\n]*)["']?$/gm)) found[match[1]] = match[2];
  return found;
}

/** The NAME=value lines of an environment file. */
export function parseEnvFile(text: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const match of text.matchAll(/^([A-Z_][A-Z0-9_]*)=(.*)$/gm)) found[match[1]] = match[2];
  return found;
}

/**
 * What a kopsdeck user-data says the machine is: bootstrap.env of the
 * cloud-config, or the export lines of the earlier shell form. Undefined for
 * any other user-data.
 */
export function readBootstrapValues(text: string): Record<string, string> | undefined {
  if (text.startsWith('#cloud-config')) {
    let doc: unknown;
    try {
      doc = parseYaml(text);
    } catch {
      return undefined;
    }
    const files = (doc as { write_files?: unknown } | null)?.write_files;
    if (!Array.isArray(files)) return undefined;
    const env = files.find((file) => (file as { path?: unknown })?.path === MACHINE_PATHS.env) as { content?: unknown } | undefined;
    return typeof env?.content === 'string' ? parseEnvFile(env.content) : undefined;
  }
  const exports = parseUserDataExports(text);
  return Object.keys(exports).length ? exports : undefined;
}

/**
 * A user-data as lines a person can compare: each file of a cloud-config as
 * `<path>: <line>` (a script or a compressed file as its SHA-256), anything else as it is.
 */
export function readableUserData(text: string): string[] {
  if (!text.startsWith('#cloud-config')) return text.split('\n');
  let doc: { write_files?: { path?: string; content?: string; encoding?: string; permissions?: string }[]; runcmd?: unknown } | null;
  try {
    doc = parseYaml(text) as typeof doc;
  } catch {
    return text.split('\n');
  }
  const lines: string[] = [];
  for (const file of doc?.write_files ?? []) {
    const content = String(file.content ?? '');
    // A script (or an encoded file) is one line, its hash: a plan names it changed rather than listing its lines.
    if (file.encoding || file.permissions === '0755') {
      lines.push(`${file.path}: <${file.encoding ?? 'script'}, sha256 ${createHash('sha256').update(content).digest('hex').slice(0, 12)}>`);
      continue;
    }
    for (const line of content.split('\n')) if (line.trim()) lines.push(`${file.path}: ${line}`);
  }
  lines.push(`runcmd: ${JSON.stringify(doc?.runcmd ?? [])}`);
  return lines;
}
