// Machines booting with kopsdeck's cloud-config and kubeadm (kubeadm-boot.ts
// decides each step): the ones waiting for an API are asked again every
// 10 s, and give up after 30 minutes as the script does; the others join,
// or stay NotJoined with the reason on their console and in /sim/stats.
import { createHash } from 'node:crypto';
import type { BootstrapAction, InstanceEnvironment, MachineReach, SimClock, SimInstanceInfo, SimRandom, SimStats } from '../contracts.js';
import type { ClusterWorld } from './cluster-world.js';
import { membersAfterBoot, upkeepMembers } from './etcd-members.js';
import { readCloudConfig } from './cloud-config.js';
import { bootstrapEnvOf, kubeadmBoot, type ClusterView } from './kubeadm-boot.js';
import type { BootInfo } from './user-data.js';
import type { SimNetwork } from './workloads.js';

/** How often (simulated ms) a waiting machine tries again, and how long it waits in all (the script's API_WAIT_SECONDS). */
export const KUBEADM_RETRY_MS = 10_000;
export const KUBEADM_API_WAIT_MS = 30 * 60_000;
/** The control-plane upkeep timer's period (kopsdeck-upkeep.timer), and how many rounds a gone member is tried for. */
export const UPKEEP_MS = 60_000;
const UPKEEP_TRIES = 60;

export interface KubeadmMachinesDeps {
  clock: SimClock;
  random: SimRandom;
  stats: SimStats;
  environment?: InstanceEnvironment;
  world(cluster: string): ClusterWorld | undefined;
  /** Creates the cluster's world when it is missing (running this network add-on), then registers the machine's Node. */
  join(instance: SimInstanceInfo, info: BootInfo, network: SimNetwork | undefined): ClusterWorld;
}

export class KubeadmMachines {
  /** Machines waiting, since when, and for what (each of the script's waits has its own clock). */
  private readonly waiting = new Map<string, { since: number; cancel: () => void; what: string }>();
  /** Upkeep rounds scheduled for gone members, cancelled on close. */
  private readonly upkeep = new Set<() => void>();

  constructor(private readonly deps: KubeadmMachinesDeps) {}

  /** Whether the user-data is kopsdeck's cloud-config (this class then owns the machine's boot). */
  static claims(userData: string): boolean {
    return userData.startsWith('#cloud-config') && userData.includes('/etc/kopsdeck/bootstrap.env');
  }

  boot(instance: SimInstanceInfo): void {
    const earlier = this.waiting.get(instance.instanceId);
    earlier?.cancel();
    this.waiting.delete(instance.instanceId);
    const reach = this.deps.environment?.machine(instance.instanceId);
    const read = readCloudConfig(instance.userData);
    const env = 'config' in read ? bootstrapEnvOf(read.config) : undefined;
    const cluster = env?.CLUSTER_NAME ?? instance.tags.KubernetesCluster ?? '';
    const group = env?.INSTANCE_GROUP ?? instance.tags['kops.k8s.io/instancegroup'] ?? '';
    const failed = (reason: string) => this.fail(instance, reach, cluster, group, reason);
    if ('problem' in read) return failed(read.problem);
    if (!env) return failed('cloud-init wrote no /etc/kopsdeck/bootstrap.env');
    if (!reach) return failed('this machine reaches no AWS service');
    const outcome = kubeadmBoot(read.config, env, reach, this.clusterView());
    if (outcome.kind === 'no-node') return reach.console('kopsdeck-bootstrap: a bastion joins no cluster');
    if (outcome.kind === 'failed') return failed(outcome.reason);
    if (outcome.kind === 'waiting') {
      const what = outcome.gaveUp ?? 'api';
      const since = earlier?.what === what ? earlier.since : this.deps.clock.now();
      const limit = outcome.limitMs ?? KUBEADM_API_WAIT_MS;
      if (this.deps.clock.now() - since >= limit) return failed(outcome.gaveUp ?? `the API at ${env.API_ENDPOINT} did not answer in ${KUBEADM_API_WAIT_MS / 1000}s`);
      reach.console(`kopsdeck-bootstrap: ${outcome.reason}`);
      const cancel = this.deps.clock.after(KUBEADM_RETRY_MS, () => this.boot(instance));
      this.waiting.set(instance.instanceId, { since, cancel, what });
      return;
    }
    const network = outcome.action === 'init' ? networkOf(env) : undefined;
    const world = this.deps.join(instance, outcome.info, network);
    world.kubeadm = true;
    if (outcome.action === 'init') {
      if (network) world.installNetwork(network);
      reach.console(network ? `kopsdeck-bootstrap: installing ${network.name} ${network.version}` : 'kopsdeck-bootstrap: no network add-on named in bootstrap.env: nodes stay NotReady until one is installed');
    }
    if (outcome.action === 'init' || outcome.action === 'restore') world.bootstrapTokens.add(tokenDigest(outcome.token));
    if (outcome.etcdVolumeId) reach.markEtcdData(outcome.etcdVolumeId);
    if (outcome.action === 'init') reach.create(`${env.CONFIG_BASE}/bootstrap/initialized`, instance.instanceId);
    if (outcome.info.role === 'ControlPlane') this.updateEtcdMembers(world, outcome.action, instance);
    reach.console(`kopsdeck-bootstrap: ${ACTION_LINES[outcome.action]}`);
    this.deps.stats.recordBootstrap?.({ cluster: outcome.info.cluster, instanceId: instance.instanceId, instanceGroup: outcome.info.instanceGroup, action: outcome.action, at: this.deps.clock.now() });
  }

  /** etcd's members as the bootstrap leaves them (etcd-members.ts); the upkeep tidies them (memberUpkeep). */
  private updateEtcdMembers(world: ClusterWorld, action: BootstrapAction, instance: SimInstanceInfo): void {
    world.etcdMembers = membersAfterBoot(world.etcdMembers, action, { instanceId: instance.instanceId, ip: instance.privateIp }, () => this.memberId());
    // A member that came back on a new machine keeps its old peer address until the upkeep corrects it.
    if (action === 'restore') this.scheduleUpkeep(() => this.memberUpkeep(world.name));
  }

  /**
   * The upkeep of the healthy control-plane nodes, every minute
   * (etcd-members.ts upkeepMembers). Without a Ready control plane it tries
   * again a minute later.
   */
  private memberUpkeep(cluster: string, tries = 0): void {
    const world = this.deps.world(cluster);
    if (!world || tries >= UPKEEP_TRIES) return;
    if (!world.hasReadyControlPlane()) {
      this.scheduleUpkeep(() => this.memberUpkeep(cluster, tries + 1));
      return;
    }
    world.etcdMembers = upkeepMembers(world.etcdMembers, new Set(this.deps.environment?.liveControlPlaneIps(cluster) ?? []));
  }

  private memberId(): string {
    return this.deps.random.hex(16);
  }

  terminated(instanceId: string, clusters: Iterable<ClusterWorld>): void {
    this.waiting.get(instanceId)?.cancel();
    this.waiting.delete(instanceId);
    for (const world of clusters) {
      if (world.etcdMembers.some((m) => m.instanceId === instanceId)) this.scheduleUpkeep(() => this.memberUpkeep(world.name));
    }
  }

  close(): void {
    for (const { cancel } of this.waiting.values()) cancel();
    this.waiting.clear();
    for (const cancel of this.upkeep) cancel();
    this.upkeep.clear();
  }

  private scheduleUpkeep(round: () => void): void {
    const cancel = this.deps.clock.after(UPKEEP_MS, () => {
      this.upkeep.delete(cancel);
      round();
    });
    this.upkeep.add(cancel);
  }

  private clusterView(): ClusterView {
    const reachable = (cluster: string) => this.deps.world(cluster)?.hasReadyControlPlane() === true;
    return {
      apiAnswers: (cluster, host, reach: MachineReach) => reach.resolves(host) && reachable(cluster),
      // The control plane's upkeep (every minute on a real machine) makes the store's current token known.
      knowsToken: (cluster, token, storeToken) => this.deps.world(cluster)?.bootstrapTokens.has(tokenDigest(token)) === true || (token === storeToken && reachable(cluster)),
    };
  }

  private fail(instance: SimInstanceInfo, reach: MachineReach | undefined, cluster: string, instanceGroup: string, reason: string): void {
    reach?.console(`kopsdeck-bootstrap: ${reason}`);
    this.deps.stats.recordBootFailure?.({ cluster, instanceId: instance.instanceId, instanceGroup, at: this.deps.clock.now(), reason });
  }
}

/** The add-on the script installs after `kubeadm init`: a pinned manifest or chart for the named networking. */
function networkOf(env: Record<string, string>): SimNetwork | undefined {
  if (!env.NETWORKING || !env.CNI_VERSION || !(env.CNI_MANIFEST || env.CNI_CHART)) return undefined;
  return { name: env.NETWORKING, version: env.CNI_VERSION };
}

/** The world keeps a digest of each token, never the token: world.json is written to disk. */
const tokenDigest = (token: string): string => createHash('sha256').update(token).digest('hex');

const ACTION_LINES: Record<string, string> = {
  init: 'first control-plane node: kubeadm init',
  'join-control-plane': 'the API answers: joining the control plane',
  restore: "the etcd volume holds the cluster's data: starting the control plane on it",
  join: 'kubeadm join: this node joined the cluster',
};
