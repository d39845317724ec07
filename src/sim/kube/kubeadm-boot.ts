// kopsdeck's bootstrap (bootstrap/kopsdeck-bootstrap.sh) as the simulator plays
// it on a machine: the same steps in the same order, each checked against the
// world as a real machine would meet it. cloud-init writes the files; the
// instance profile must let the machine read the CA, whose hash must be the
// one its user-data names; the kubeadm configuration must decode to kubeadm's
// v1beta4 types and agree with the machine's facts; a control-plane node needs
// the cluster's secrets and its etcd volume; then it initialises the cluster,
// joins it, or comes back on its etcd data, and a worker joins with a token
// the cluster knows. Any step that fails leaves the machine NotJoined, with the
// reason its console would show.
import { X509Certificate, createHash } from 'node:crypto';
import type { BootstrapAction, MachineReach } from '../contracts.js';
import type { CloudConfig } from './cloud-config.js';
import { decodeKubeadmConfig, findDocument, kubeadmTokenProblems } from './kubeadm-types.js';
import type { BootInfo, NodeRole } from './user-data.js';

export const BOOTSTRAP_SCRIPT = '/usr/local/sbin/kopsdeck-bootstrap';
export const BOOTSTRAP_ENV = '/etc/kopsdeck/bootstrap.env';
const KUBEADM_FILES = {
  init: '/etc/kopsdeck/kubeadm-init.yaml',
  joinControlPlane: '/etc/kopsdeck/kubeadm-join-control-plane.yaml',
  join: '/etc/kopsdeck/kubeadm-join.yaml',
};
const TOKEN_PLACEHOLDER = '@BOOTSTRAP_TOKEN@';
/** How long the script waits for its zone's etcd volume to be free (ETCD_VOLUME_WAIT_SECONDS). */
export const ETCD_VOLUME_WAIT_MS = 900_000;
const CONTROL_PLANE_SECRETS = ['ca.key', 'front-proxy-ca.crt', 'front-proxy-ca.key', 'etcd/ca.crt', 'etcd/ca.key', 'sa.key', 'sa.pub'];

export interface ClusterView {
  /** The API at this host answers /readyz for the machine: the name resolves and a control-plane node of `cluster` is Ready. */
  apiAnswers(cluster: string, host: string, reach: MachineReach): boolean;
  /** The cluster's API accepts this bootstrap token (kubeadm init made it, or the control plane's upkeep added the store's). */
  knowsToken(cluster: string, token: string, storeToken: string): boolean;
}

export type KubeadmBoot =
  | { kind: 'boot'; info: BootInfo; action: BootstrapAction; token: string; etcdVolumeId?: string }
  /** Asked again later; after limitMs of this wait (default: the API wait's 30 minutes) it fails with gaveUp. */
  | { kind: 'waiting'; reason: string; limitMs?: number; gaveUp?: string }
  | { kind: 'failed'; reason: string }
  /** A bastion: it runs the script and joins no cluster. */
  | { kind: 'no-node' };

class BootFailed extends Error {}
const fail = (reason: string): never => {
  throw new BootFailed(reason);
};

/** The NAME=value lines of bootstrap.env, or undefined when the cloud-config carries none (not a kopsdeck machine). */
export function bootstrapEnvOf(config: CloudConfig): Record<string, string> | undefined {
  const file = config.files.get(BOOTSTRAP_ENV);
  return file ? parseEnvLines(file.content) : undefined;
}

/** The NAME=value lines of an environment file. */
export function parseEnvLines(text: string): Record<string, string> {
  return Object.fromEntries([...text.matchAll(/^([A-Z_][A-Z0-9_]*)=(.*)$/gm)].map((m) => [m[1], m[2]]));
}

export function kubeadmBoot(config: CloudConfig, env: Record<string, string>, reach: MachineReach, cluster: ClusterView): KubeadmBoot {
  try {
    return bootSteps(config, env, reach, cluster);
  } catch (error) {
    if (error instanceof BootFailed) return { kind: 'failed', reason: error.message };
    throw error;
  }
}

function bootSteps(config: CloudConfig, env: Record<string, string>, reach: MachineReach, cluster: ClusterView): KubeadmBoot {
  const script = config.files.get(BOOTSTRAP_SCRIPT);
  if (!script || !config.runcmd.some((argv) => argv[0] === BOOTSTRAP_SCRIPT)) fail(`cloud-init ran, but its runcmd does not run ${BOOTSTRAP_SCRIPT}: nothing installs a kubelet`);
  if (!/[1357]$/.test(script!.permissions.slice(-3, -2))) fail(`cloud-init wrote ${BOOTSTRAP_SCRIPT} with permissions ${script!.permissions}: it cannot be run`);
  const facts = requiredFacts(env);
  if (facts.role === 'Bastion') return { kind: 'no-node' };
  const found = reach.role();
  if ('error' in found) fail(found.error);
  const base = facts.configBase;
  checkStoreRegion(env, reach, base);
  const caPem = readOrFail(reach, base, 'pki/ca.crt');
  const caHash = publicKeyHash(caPem);
  if (caHash !== env.CA_CERT_HASH) fail(`the CA in ${base} has hash ${caHash}, not the ${env.CA_CERT_HASH || '(none)'} this machine was made for: refusing to join`);
  const files = kubeadmFilesOf(config, facts.role);
  // Each file decoded once: the token its JoinConfiguration presents, by path.
  const tokens: Record<string, string> = {};
  for (const [path, text] of Object.entries(files)) tokens[path] = checkKubeadmFile(path, text, facts, caHash);
  const storeToken = readToken(reach, base);
  if (facts.role !== 'ControlPlane') return joinWorker(tokens[KUBEADM_FILES.join], facts, storeToken, reach, cluster);
  for (const secret of CONTROL_PLANE_SECRETS) readOrFail(reach, base, `pki/${secret}`);
  const volume = attachedEtcdVolume(facts, reach);
  if ('kind' in volume) return volume;
  return controlPlane(tokens[KUBEADM_FILES.joinControlPlane], facts, storeToken, volume, reach, cluster);
}

/**
 * The etcd volume attached to the machine, or the script's wait for one
 * (claim_etcd_volume): the machine it replaces lets go of its volume only as
 * it terminates, and an attach IAM refuses is tried again too.
 */
function attachedEtcdVolume(facts: Facts, reach: MachineReach): { id: string; hasData: boolean } | KubeadmBoot {
  const volume = reach.etcdVolume() ?? reach.claimEtcdVolume();
  if (volume && !('error' in volume)) return volume;
  const reason = volume ? `could not attach etcd volume ${volume.volumeId}: ${volume.error}` : `waiting for an etcd volume of ${facts.cluster} in ${reach.zone} to be free`;
  const gaveUp = `no etcd volume of ${facts.cluster} in ${reach.zone} came free in ${ETCD_VOLUME_WAIT_MS / 1000}s: a control-plane node keeps etcd's data only there`;
  return { kind: 'waiting', reason, limitMs: ETCD_VOLUME_WAIT_MS, gaveUp };
}

interface Facts {
  cluster: string;
  instanceGroup: string;
  role: NodeRole;
  version: string;
  containerdVersion: string;
  configBase: string;
  apiEndpoint: string;
  /** A control plane's etcd data folder (ETCD_DATA_DIR), which kubeadm's dataDir must be. */
  etcdDataDir?: string;
}

function requiredFacts(env: Record<string, string>): Facts {
  for (const name of ['CLUSTER_NAME', 'INSTANCE_GROUP', 'INSTANCE_GROUP_ROLE', 'KUBERNETES_VERSION', 'AWS_REGION']) {
    if (!env[name]) fail(`${BOOTSTRAP_ENV} names no ${name}`);
  }
  const role = env.INSTANCE_GROUP_ROLE as NodeRole;
  if (!['ControlPlane', 'Node', 'APIServer', 'Bastion'].includes(role)) fail(`unknown role ${role}`);
  if (role !== 'Bastion') {
    if (!env.CONFIG_BASE) fail(`${BOOTSTRAP_ENV} names no CONFIG_BASE: this machine has no state store to read its secrets from`);
    if (!env.API_ENDPOINT) fail(`${BOOTSTRAP_ENV} names no API_ENDPOINT`);
    checkContainerRuntime(env);
  }
  if (role === 'ControlPlane') checkEtcdFolders(env);
  return {
    cluster: env.CLUSTER_NAME,
    instanceGroup: env.INSTANCE_GROUP,
    role,
    version: env.KUBERNETES_VERSION,
    containerdVersion: env.CONTAINERD_VERSION,
    configBase: env.CONFIG_BASE,
    apiEndpoint: env.API_ENDPOINT,
    etcdDataDir: env.ETCD_DATA_DIR?.replace(/\/+$/, ''),
  };
}

/**
 * The script installs containerd and runc from the release files bootstrap.env
 * names, and refuses a file whose SHA-256 is not the one named with it. The
 * simulator cannot download them: it checks that they are named, with sums
 * a download could match.
 */
function checkContainerRuntime(env: Record<string, string>): void {
  for (const name of ['CONTAINERD_VERSION', 'CONTAINERD_URL', 'CONTAINERD_SHA256', 'RUNC_VERSION', 'RUNC_URL', 'RUNC_SHA256']) {
    if (!env[name]) fail(`${BOOTSTRAP_ENV} names no ${name}: this machine has no container runtime to install`);
  }
  for (const tool of ['CONTAINERD', 'RUNC']) {
    if (!/^[0-9a-f]{64}$/.test(env[`${tool}_SHA256`])) fail(`${BOOTSTRAP_ENV}: ${tool}_SHA256 is not a SHA-256 (64 hex digits): no download can match it`);
  }
}

/**
 * The script addresses the store's bucket in STORE_REGION (else its own
 * region) and signs for it: S3 redirects a request to another region's
 * endpoint instead of answering it.
 */
function checkStoreRegion(env: Record<string, string>, reach: MachineReach, base: string): void {
  const addressed = env.STORE_REGION || env.AWS_REGION;
  const region = reach.bucketRegion(base);
  // The script's own words (s3_get): S3 answers 301 PermanentRedirect, naming the bucket's region.
  if (region && region !== addressed) fail(`could not read pki/ca.crt from ${base} (HTTP 301)`);
}

function readOrFail(reach: MachineReach, base: string, key: string): string {
  const read = reach.read(`${base}/${key}`);
  if ('error' in read) fail(`could not read ${key} from ${base}: ${read.error}`);
  return (read as { body: string }).body;
}

/** kubeadm's CA pin: SHA-256 of the certificate's DER SubjectPublicKeyInfo. */
function publicKeyHash(pem: string): string {
  let der: Buffer;
  try {
    der = new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' });
  } catch {
    return fail('pki/ca.crt in the state store is not a certificate');
  }
  return `sha256:${createHash('sha256').update(der).digest('hex')}`;
}

function readToken(reach: MachineReach, base: string): string {
  const body = readOrFail(reach, base, 'secrets/bootstrap-token');
  let token: unknown;
  try {
    token = (JSON.parse(body) as { token?: unknown }).token;
  } catch {
    // reported below
  }
  if (typeof token !== 'string' || kubeadmTokenProblems(token).length) fail(`secrets/bootstrap-token in ${base} holds no kubeadm token ([a-z0-9]{6}.[a-z0-9]{16})`);
  return token as string;
}

function kubeadmFilesOf(config: CloudConfig, role: NodeRole): Record<string, string> {
  const paths = role === 'ControlPlane' ? [KUBEADM_FILES.init, KUBEADM_FILES.joinControlPlane] : [KUBEADM_FILES.join];
  const files: Record<string, string> = {};
  for (const path of paths) {
    const file = config.files.get(path);
    if (!file) fail(`cloud-init wrote no ${path}: kubeadm has no configuration`);
    files[path] = file!.content;
  }
  return files;
}

/**
 * kubeadm reads the file strictly (v1beta4); its values must agree with what
 * the machine is. Returns the token its JoinConfiguration presents ('' without one).
 */
function checkKubeadmFile(path: string, text: string, facts: Facts, caHash: string): string {
  const decoded = decodeKubeadmConfig(text);
  if (decoded.problems.length) fail(`kubeadm: ${path}: ${decoded.problems[0]}${decoded.problems.length > 1 ? ` (and ${decoded.problems.length - 1} more)` : ''}`);
  const clusterConfig = findDocument(decoded, 'ClusterConfiguration');
  if (clusterConfig) {
    if (clusterConfig.clusterName !== facts.cluster) fail(`kubeadm: ${path}: clusterName ${String(clusterConfig.clusterName)} is not ${facts.cluster}`);
    const dataDir = ((clusterConfig.etcd as { local?: { dataDir?: string } } | undefined)?.local?.dataDir ?? KUBEADM_DEFAULT_ETCD_DATA_DIR).replace(/\/+$/, '');
    // kubeadm keeps etcd's data where the script mounts the volume and sets a former member's data aside.
    if (facts.etcdDataDir && dataDir !== facts.etcdDataDir) fail(`kubeadm: ${path}: etcd.local.dataDir ${dataDir} is not the ETCD_DATA_DIR ${facts.etcdDataDir} of ${BOOTSTRAP_ENV}`);
    if (clusterConfig.kubernetesVersion !== `v${facts.version}`) fail(`kubeadm: ${path}: kubernetesVersion ${String(clusterConfig.kubernetesVersion)} is not the installed kubelet's v${facts.version}`);
    if (clusterConfig.controlPlaneEndpoint !== facts.apiEndpoint) fail(`kubeadm: ${path}: controlPlaneEndpoint ${String(clusterConfig.controlPlaneEndpoint)} is not ${facts.apiEndpoint}`);
  }
  const join = findDocument(decoded, 'JoinConfiguration');
  if (path !== KUBEADM_FILES.init && !join) fail(`kubeadm: ${path} has no JoinConfiguration`);
  if (path === KUBEADM_FILES.init && (!clusterConfig || !findDocument(decoded, 'InitConfiguration'))) fail(`kubeadm: ${path} needs a ClusterConfiguration and an InitConfiguration`);
  if (!join) return '';
  const discovery = (join.discovery as { bootstrapToken?: { apiServerEndpoint?: string; caCertHashes?: string[]; token?: string } } | undefined)?.bootstrapToken;
  if (!discovery) fail(`kubeadm: ${path}: discovery.bootstrapToken is required`);
  if (discovery!.apiServerEndpoint !== facts.apiEndpoint) fail(`kubeadm: ${path}: apiServerEndpoint ${String(discovery!.apiServerEndpoint)} is not ${facts.apiEndpoint}`);
  if (!(discovery!.caCertHashes ?? []).includes(caHash)) {
    fail(`kubeadm join: cluster CA found in cluster-info ConfigMap is invalid: none of the public keys "${caHash}" are pinned`);
  }
  const wantsControlPlane = path === KUBEADM_FILES.joinControlPlane;
  if (Boolean(join.controlPlane) !== wantsControlPlane) fail(`kubeadm: ${path}: controlPlane must be ${wantsControlPlane ? 'set' : 'absent'} for this role`);
  return discovery!.token ?? '';
}

/** kubeadm's default etcd data directory, when ClusterConfiguration names none. */
const KUBEADM_DEFAULT_ETCD_DATA_DIR = '/var/lib/etcd';

/**
 * The script's own check (control_plane): etcd's data is a folder of the etcd
 * volume. At the volume's root it would fail kubeadm's join preflight
 * (lost+found is there); off the volume a replacement would start without it.
 */
function checkEtcdFolders(env: Record<string, string>): void {
  const volumeDir = env.ETCD_VOLUME_DIR;
  const dataDir = env.ETCD_DATA_DIR?.replace(/\/+$/, '');
  if (!volumeDir || !dataDir) fail(`${BOOTSTRAP_ENV} names no ETCD_VOLUME_DIR and ETCD_DATA_DIR: there is nowhere to mount the etcd volume`);
  if (!dataDir!.startsWith(`${volumeDir.replace(/\/+$/, '')}/`)) fail(`ETCD_DATA_DIR ${dataDir} is not a folder inside the etcd volume's ETCD_VOLUME_DIR ${volumeDir}`);
}


/** The token kubeadm presents: the store's, filled in by the script, or one written into the user-data. */
const presentedToken = (token: string, storeToken: string): string => (token === TOKEN_PLACEHOLDER ? storeToken : token);

function checkTokenKnown(facts: Facts, token: string, storeToken: string, cluster: ClusterView): void {
  if (kubeadmTokenProblems(token).length) fail('kubeadm join: the bootstrap token is not of the form [a-z0-9]{6}.[a-z0-9]{16}');
  if (!cluster.knowsToken(facts.cluster, token, storeToken)) {
    fail(`kubeadm join: couldn't validate the identity of the API Server: token id "${token.slice(0, 6)}" is invalid for this cluster or it has expired`);
  }
}

function info(facts: Facts): BootInfo {
  return { cluster: facts.cluster, instanceGroup: facts.instanceGroup, role: facts.role, kubernetesVersion: facts.version, containerdVersion: facts.containerdVersion };
}

function joinWorker(joinToken: string, facts: Facts, storeToken: string, reach: MachineReach, cluster: ClusterView): KubeadmBoot {
  const host = facts.apiEndpoint.replace(/:\d+$/, '');
  if (!cluster.apiAnswers(facts.cluster, host, reach)) return { kind: 'waiting', reason: `waiting for the API at ${facts.apiEndpoint}` };
  const token = presentedToken(joinToken, storeToken);
  checkTokenKnown(facts, token, storeToken, cluster);
  return { kind: 'boot', info: info(facts), action: 'join', token };
}

function controlPlane(
  joinToken: string,
  facts: Facts,
  storeToken: string,
  volume: { id: string; hasData: boolean },
  reach: MachineReach,
  cluster: ClusterView,
): KubeadmBoot {
  const host = facts.apiEndpoint.replace(/:\d+$/, '');
  const base = facts.configBase;
  const boot = (action: BootstrapAction, token: string): KubeadmBoot => ({ kind: 'boot', info: info(facts), action, token, etcdVolumeId: volume.id });
  if (cluster.apiAnswers(facts.cluster, host, reach)) {
    const token = presentedToken(joinToken, storeToken);
    checkTokenKnown(facts, token, storeToken, cluster);
    return boot('join-control-plane', token);
  }
  if (volume.hasData) return boot('restore', storeToken);
  const lock = `${base}/bootstrap/init-lock`;
  const claim = reach.create(lock, reach.instanceId);
  if (typeof claim === 'object') fail(`could not write bootstrap/init-lock to ${base}: ${claim.error}`);
  if (claim === 'exists' && !tookOverStaleLock(reach, lock)) return { kind: 'waiting', reason: 'another control-plane node is initialising the cluster: waiting for its API' };
  const initialized = reach.exists(`${base}/bootstrap/initialized`);
  if (typeof initialized === 'object') fail(`could not check bootstrap/initialized in ${base}: ${initialized.error}`);
  if (initialized === true) fail('bootstrap/initialized exists but no API answers and this etcd volume is empty: refusing to start a new, empty cluster');
  return boot('init', storeToken);
}

/** The lock's machine is gone: this one writes its id over it (the script's take_over_stale_init_lock). */
function tookOverStaleLock(reach: MachineReach, lock: string): boolean {
  const held = reach.read(lock);
  if ('error' in held || reach.instanceAlive(held.body.trim())) return false;
  const written = reach.overwrite(lock, reach.instanceId);
  if (typeof written === 'object') fail(`could not take over bootstrap/init-lock: ${written.error}`);
  reach.console('kopsdeck-bootstrap: the machine that held bootstrap/init-lock is gone: this one takes over');
  return true;
}
