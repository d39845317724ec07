// The Kubernetes half of the simulator: one API server per cluster, served
// under /k8s/<cluster>, and the world behind each (nodes that follow EC2
// instances, pods, controllers). The AWS side tells it about instances.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BootTiming } from './node-lifecycle.js';
import type { InstanceEnvironment, NodeLifecycle, Persistent, SimClock, SimFaults, SimInstanceInfo, SimRandom, SimStats } from '../contracts.js';
import { routeApi } from './api-router.js';
import { ClusterWorld, type WorldSnapshot } from './cluster-world.js';
import { instanceRunning as bootInstance, instanceTerminated as terminateInstance } from './node-lifecycle.js';
import { seedLarge } from './seed-large.js';
import { failure, sendStatus } from './status.js';
import { bootInfoOf, nodeupBoot, parseExports, parseKubeEnv, type KubeEnv } from './user-data.js';
import { KubeadmMachines } from './kubeadm-machines.js';
import type { SimNetwork } from './workloads.js';
import { PREBAKED_NODE_IMAGE_ID } from '../contracts.js';

/** How often (simulated ms) a waiting nodeup asks kops-controller again. */
export const NODEUP_RETRY_MS = 10_000;

export interface KubeSideDeps {
  clock: SimClock;
  random: SimRandom;
  faults: SimFaults;
  stats: SimStats;
  /** S3 and kops-controller, for machines booting with nodeup (absent: they cannot read their config). */
  environment?: InstanceEnvironment;
  /** Kubelet delays other than the defaults. */
  bootTiming?: Partial<BootTiming>;
}

export interface KubeSideOptions {
  /** Watch events kept per cluster; older resourceVersions get 410 Gone. */
  eventWindow?: number;
  /** Kubernetes Events kept per cluster at most (event-recorder.ts DEFAULT_MAX_EVENTS by default). */
  maxEvents?: number;
}

interface KubeSnapshot {
  version: 1;
  clusters: WorldSnapshot[];
}

export class KubeSide implements NodeLifecycle, Persistent {
  private readonly worlds = new Map<string, ClusterWorld>();
  private readonly listeners = new Set<() => void>();
  private readonly openWatches = new Set<() => void>();
  /** nodeup runs waiting for kops-controller, by instance id. */
  private readonly waitingNodeup = new Map<string, () => void>();
  /** Machines booting with kopsdeck's cloud-config and kubeadm. */
  private readonly kubeadm: KubeadmMachines;

  constructor(
    private readonly deps: KubeSideDeps,
    private readonly options: KubeSideOptions = {},
  ) {
    this.kubeadm = new KubeadmMachines({
      clock: deps.clock,
      random: deps.random,
      stats: deps.stats,
      environment: deps.environment,
      world: (cluster) => this.worlds.get(cluster),
      join: (instance, info, network) => {
        const world = this.ensureCluster(info.cluster, network);
        bootInstance(world, instance, info);
        return world;
      },
    });
  }

  /** Serves one request for `/k8s/<clusterName><path>`; `path` keeps its query string. */
  handle(req: IncomingMessage, res: ServerResponse, clusterName: string, path: string): void {
    if (this.deps.faults.apiBlackoutUntil > this.deps.clock.now()) {
      return sendStatus(res, failure(503, 'ServiceUnavailable', 'the server is currently unable to handle the request'));
    }
    const world = this.worlds.get(clusterName);
    if (!world) {
      return sendStatus(res, failure(503, 'ServiceUnavailable', `the API server of cluster "${clusterName}" is not running`));
    }
    routeApi(world, req, res, path, { openWatches: this.openWatches }).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      sendStatus(res, failure(500, 'InternalError', `an error on the server ("${(error as Error).message}") has prevented the request from succeeding`));
    });
  }

  /** Grows with every change to any cluster's objects (the sum of their resourceVersions): a save is due when it moved. */
  changeCount(): number {
    let sum = 0;
    for (const name of this.clusterNames()) sum += this.world(name)?.store.resourceVersion ?? 0;
    return sum;
  }

  clusterNames(): string[] {
    return [...this.worlds.keys()].sort();
  }

  onClustersChanged(listener: () => void): void {
    this.listeners.add(listener);
  }

  /** The world of a cluster, for the simulator's own use (tests, admin views). */
  world(clusterName: string): ClusterWorld | undefined {
    return this.worlds.get(clusterName);
  }

  clusterSeen(clusterName: string): void {
    this.ensureCluster(clusterName);
  }

  /**
   * What boots depends on the user-data and the image: kops' nodeup script,
   * kopsdeck's cloud-config (kubeadm), or, on the simulator's pre-baked node
   * image only, `export` lines naming the cluster. On an Ubuntu image those
   * lines alone install nothing: the machine never joins, and says why.
   */
  instanceRunning(instance: SimInstanceInfo): void {
    const userData = instance.userData ?? '';
    const kubeEnv = parseKubeEnv(userData);
    if (kubeEnv) return this.runNodeup(instance, kubeEnv);
    if (KubeadmMachines.claims(userData)) return this.kubeadm.boot(instance);
    const boot = bootInfoOf(instance);
    if (!boot) return;
    if (instance.imageId === PREBAKED_NODE_IMAGE_ID) return bootInstance(this.ensureCluster(boot.cluster), instance, boot);
    if (parseExports(userData).CLUSTER_NAME) {
      this.deps.stats.recordBootFailure?.({
        cluster: boot.cluster,
        instanceId: instance.instanceId,
        instanceGroup: boot.instanceGroup,
        at: this.deps.clock.now(),
        reason: 'the user-data is a shell script that only sets variables: on this image nothing installs a kubelet (kopsdeck boots machines with cloud-init and kubeadm: `kopsdeck update cluster --yes` rewrites the launch template)',
      });
    }
  }

  /** A machine booting with nodeup joins once it has read its config; a failure leaves it NotJoined, with the reason in /sim/stats. */
  private runNodeup(instance: SimInstanceInfo, env: KubeEnv): void {
    this.waitingNodeup.delete(instance.instanceId);
    const outcome = nodeupBoot(env, this.deps.environment);
    if (outcome.kind === 'boot') return bootInstance(this.ensureCluster(outcome.info.cluster), instance, outcome.info);
    if (outcome.kind === 'waiting') {
      this.waitingNodeup.set(instance.instanceId, this.deps.clock.after(NODEUP_RETRY_MS, () => this.runNodeup(instance, env)));
      return;
    }
    this.deps.stats.recordBootFailure?.({
      cluster: env.clusterName,
      instanceId: instance.instanceId,
      instanceGroup: env.instanceGroupName,
      at: this.deps.clock.now(),
      reason: outcome.reason,
    });
  }

  instanceTerminated(instanceId: string): void {
    this.kubeadm.terminated(instanceId, this.worlds.values());
    this.waitingNodeup.get(instanceId)?.();
    this.waitingNodeup.delete(instanceId);
    for (const world of this.worlds.values()) {
      if (world.instance(instanceId)) terminateInstance(world, instanceId);
    }
  }

  /**
   * Creates (or replaces) a cluster with these instances as Ready nodes and
   * `podsPerNode` running pods on each, directly, for benchmarks.
   */
  seedLargeCluster(name: string, nodes: SimInstanceInfo[], podsPerNode: number): void {
    this.worlds.get(name)?.close();
    const world = new ClusterWorld(name, this.deps, this.options.eventWindow, this.options.maxEvents);
    this.worlds.set(name, world);
    seedLarge(world, nodes, podsPerNode);
    this.notify();
  }

  snapshot(): KubeSnapshot {
    return { version: 1, clusters: [...this.worlds.values()].map((world) => world.snapshot()) };
  }

  restore(data: unknown): void {
    const snapshot = data as KubeSnapshot | undefined;
    if (!snapshot || snapshot.version !== 1 || !Array.isArray(snapshot.clusters)) return;
    for (const world of this.worlds.values()) world.close();
    this.worlds.clear();
    for (const saved of snapshot.clusters) {
      const world = new ClusterWorld(saved.name, this.deps, this.options.eventWindow, this.options.maxEvents);
      world.restore(saved);
      this.worlds.set(saved.name, world);
    }
    this.notify();
  }

  /** Stops timers and ends open watches (so an HTTP server can close). */
  close(): void {
    this.kubeadm.close();
    for (const cancel of this.waitingNodeup.values()) cancel();
    this.waitingNodeup.clear();
    for (const finish of [...this.openWatches]) finish();
    for (const world of this.worlds.values()) world.close();
  }

  private ensureCluster(name: string, network?: SimNetwork): ClusterWorld {
    let world = this.worlds.get(name);
    if (!world) {
      world = new ClusterWorld(name, this.deps, this.options.eventWindow, this.options.maxEvents);
      world.seedWorkloads(network);
      this.worlds.set(name, world);
      this.notify();
    }
    return world;
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}
