// One simulated cluster: its API objects and the actors behind them (kubelets,
// controllers, scheduler, disruption controller), all driven by the sim clock.
import type { SimClock, SimFaults, SimRandom, SimStats } from '../contracts.js';
import type { BootTiming } from './node-lifecycle.js';
import { ApiStore, DEFAULT_EVENT_WINDOW } from './api-store.js';
import { PodTally } from './pod-tally.js';
import { nameSuffix, uidFrom } from './names.js';
import { Timeline, type DueAction, type TimedAction } from './timeline.js';
import { controllerOf, isNodeReady, keyOf, timestamp, type KubeObject } from './types.js';
import { compareVersions, DEFAULT_KUBERNETES_VERSION, type NodeRole } from './user-data.js';
import { NETWORK_DAEMONSET_NAMES, initialObjects, networkDaemonSet, type SimNetwork } from './workloads.js';
import { reconcileControllers, updateWorkloadStatus } from './controllers.js';
import { POD_START_MS, schedulePending, startPod } from './scheduler.js';
import { refreshBudgets } from './pdb.js';
import { removePodNow } from './pod-lifecycle.js';
import { markNodeReady, registerNode, removeNode } from './node-lifecycle.js';
import { ClusterEvents } from './cluster-events.js';
import { DEFAULT_MAX_EVENTS } from './event-recorder.js';

export interface WorldDeps {
  clock: SimClock;
  random: SimRandom;
  faults: SimFaults;
  stats: SimStats;
  /** Kubelet delays other than the defaults (node-lifecycle.ts). */
  bootTiming?: Partial<BootTiming>;
}

/** An etcd member: its id (hex, as etcdctl prints it), the machine it runs on, and its peer URL. */
export type { EtcdMember } from './etcd-members.js';
import type { EtcdMember } from './etcd-members.js';

/** What the Kubernetes side remembers about an EC2 instance of this cluster. */
export interface InstanceRecord {
  instanceId: string;
  nodeName: string;
  zone: string;
  instanceType: string;
  privateIp: string;
  instanceGroup: string;
  role: NodeRole;
  kubernetesVersion: string;
  /** What the node reports as its container runtime, e.g. 2.2.4. */
  containerdVersion?: string;
  terminated?: boolean;
  /** A fault: this node registers but never turns Ready. */
  neverReady?: boolean;
}

/** Resources whose spec changes bump metadata.generation. */
const GENERATED = new Set(['deployments', 'replicasets', 'daemonsets', 'poddisruptionbudgets']);

export class ClusterWorld {
  readonly store: ApiStore;
  readonly timeline: Timeline;
  /** Pods per controller, kept current from store changes. */
  readonly tally: PodTally;
  /** Kubernetes Events, as the simulated components record them. */
  readonly events: ClusterEvents;
  private readonly instances = new Map<string, InstanceRecord>();
  private readonly instancesByNode = new Map<string, InstanceRecord>();
  private nodeSerial = 0;
  /** Newest Kubernetes version any instance's user-data named. */
  userDataVersion: string | undefined;
  /** SHA-256 digests of the bootstrap tokens the API accepts (kubeadm's bootstrap-token Secrets in kube-system). */
  readonly bootstrapTokens = new Set<string>();
  /** The members of the cluster's etcd, for clusters booted by kubeadm (kops' etcd-manager keeps its own). */
  etcdMembers: EtcdMember[] = [];
  /**
   * Booted by kubeadm: its nodes turn Ready only once a network add-on runs
   * (`network`, installed by the first control-plane node), as kubelets report
   * "cni plugin not initialized" until then.
   */
  kubeadm = false;
  network: SimNetwork | undefined;
  /** Last healthy count seen per budget, to notice drops below the budget. */
  readonly lastHealthy = new Map<string, number>();
  private kickHandle: NodeJS.Immediate | undefined;
  private closed = false;

  constructor(
    readonly name: string,
    readonly deps: WorldDeps,
    eventWindow = DEFAULT_EVENT_WINDOW,
    maxEvents = DEFAULT_MAX_EVENTS,
  ) {
    this.store = new ApiStore(eventWindow);
    this.store.ownWindow('events', eventWindow);
    this.store.defineIndex('pods', 'node', (pod) => pod.spec?.nodeName || undefined);
    this.store.defineIndex('pods', 'unscheduled', (pod) => (pod.spec?.nodeName ? undefined : 'yes'));
    this.store.defineIndex('pods', 'owner', (pod) => controllerOf(pod)?.uid);
    this.store.defineIndex('pods', 'namespace', (pod) => pod.metadata.namespace);
    this.tally = new PodTally(this.store);
    this.timeline = new Timeline(deps.clock, (action) => this.run(action));
    // Every change may give a controller or the scheduler something to do; an Event never does.
    this.store.subscribe((change) => {
      if (change.resource !== 'events') this.kick();
    });
    this.events = new ClusterEvents(this, maxEvents);
  }

  now(): number {
    return this.deps.clock.now();
  }

  uid(): string {
    return uidFrom(this.deps.random);
  }

  suffix(length = 5): string {
    return nameSuffix(this.deps.random, length);
  }

  /** Fills in what the API server assigns on create, then stores the object. */
  create(resource: string, obj: KubeObject): KubeObject {
    const metadata = { ...obj.metadata };
    metadata.uid = this.uid();
    metadata.creationTimestamp = timestamp(this.now());
    if (metadata.generation === undefined && GENERATED.has(resource)) metadata.generation = 1;
    return this.store.put(resource, { ...obj, metadata });
  }

  /** Puts the standard namespaces, system add-ons (with this network add-on) and demo workloads in place. */
  seedWorkloads(network?: SimNetwork): void {
    const initial = initialObjects(network);
    for (const [resource, objects] of Object.entries(initial)) {
      for (const obj of objects as KubeObject[]) if (!this.store.get(resource, keyOf(obj))) this.create(resource, obj);
    }
  }

  /** The first control-plane node installed this network add-on: its DaemonSet replaces any other network's, and nodes may turn Ready. */
  installNetwork(network: SimNetwork): void {
    this.network = network;
    const wanted = networkDaemonSet(network);
    // The seeded default (and any other network's) goes; kubeadm init runs before any pod of it could.
    for (const name of NETWORK_DAEMONSET_NAMES) {
      if (this.store.get('daemonsets', `kube-system/${name}`)) this.store.remove('daemonsets', `kube-system/${name}`);
    }
    this.create('daemonsets', wanted);
  }

  /** Runs the controllers soon (once per turn of the event loop, however many changes). */
  kick(): void {
    if (this.kickHandle || this.closed) return;
    this.kickHandle = setImmediate(() => {
      this.kickHandle = undefined;
      this.reconcile();
    });
  }

  reconcile(): void {
    if (this.closed) return;
    reconcileControllers(this);
    schedulePending(this);
    updateWorkloadStatus(this);
    refreshBudgets(this);
  }

  nodes(): KubeObject[] {
    return [...this.store.values('nodes')];
  }

  isControlPlane(node: KubeObject): boolean {
    return node.metadata.labels?.['node-role.kubernetes.io/control-plane'] !== undefined;
  }

  hasReadyControlPlane(): boolean {
    for (const node of this.store.values('nodes')) if (this.isControlPlane(node) && isNodeReady(node)) return true;
    return false;
  }

  /** gitVersion for /version: the newest control-plane kubelet, else what user-data asked for. */
  serverVersion(): string {
    let newest: string | undefined;
    for (const node of this.store.values('nodes')) {
      if (!this.isControlPlane(node)) continue;
      const version = node.status?.nodeInfo?.kubeletVersion as string | undefined;
      if (version && (!newest || compareVersions(version, newest) > 0)) newest = version;
    }
    return newest ?? `v${this.userDataVersion ?? DEFAULT_KUBERNETES_VERSION}`;
  }

  noteVersion(version: string): void {
    if (!this.userDataVersion || compareVersions(version, this.userDataVersion) > 0) this.userDataVersion = version;
  }

  instance(instanceId: string): InstanceRecord | undefined {
    return this.instances.get(instanceId);
  }

  instanceOfNode(nodeName: string): InstanceRecord | undefined {
    return this.instancesByNode.get(nodeName);
  }

  addInstance(record: InstanceRecord): void {
    this.instances.set(record.instanceId, record);
    this.instancesByNode.set(record.nodeName, record);
  }

  dropInstance(instanceId: string): void {
    const record = this.instances.get(instanceId);
    if (!record) return;
    this.instances.delete(instanceId);
    if (this.instancesByNode.get(record.nodeName) === record) this.instancesByNode.delete(record.nodeName);
  }

  /** A per-cluster counter for pod CIDRs. */
  nextNodeSerial(): number {
    return this.nodeSerial++;
  }

  /** The kubelet starts a bound pod's containers a few simulated seconds from now. */
  schedulePodStart(pod: KubeObject): void {
    const delay = POD_START_MS + Math.floor(this.deps.random.next() * POD_START_MS);
    this.timeline.in(delay, { kind: 'startPod', key: keyOf(pod), uid: pod.metadata.uid! });
    this.events.podStarting(pod);
  }

  private run(action: TimedAction): void {
    if (this.closed) return;
    switch (action.kind) {
      case 'registerNode':
        registerNode(this, action.instanceId);
        break;
      case 'nodeReady':
        markNodeReady(this, action.node);
        break;
      case 'removeNode':
        removeNode(this, action.node);
        break;
      case 'startPod':
        startPod(this, action.key, action.uid);
        break;
      case 'removePod':
        removePodNow(this, action.key, action.uid);
        break;
    }
  }

  snapshot(): WorldSnapshot {
    const objects: Record<string, KubeObject[]> = {};
    for (const resource of this.store.resources()) objects[resource] = [...this.store.values(resource)];
    return {
      name: this.name,
      resourceVersion: this.store.resourceVersion,
      userDataVersion: this.userDataVersion,
      nodeSerial: this.nodeSerial,
      bootstrapTokens: [...this.bootstrapTokens],
      etcdMembers: this.etcdMembers,
      kubeadm: this.kubeadm,
      network: this.network,
      instances: [...this.instances.values()],
      due: this.timeline.snapshot(),
      objects,
    };
  }

  restore(data: WorldSnapshot): void {
    for (const [resource, objects] of Object.entries(data.objects)) this.store.bulkLoad(resource, objects, true);
    this.store.resetRevision(data.resourceVersion);
    this.events.recorder.resync();
    this.userDataVersion = data.userDataVersion;
    this.nodeSerial = data.nodeSerial ?? this.store.count('nodes');
    for (const token of data.bootstrapTokens ?? []) this.bootstrapTokens.add(token);
    this.etcdMembers = data.etcdMembers ?? [];
    this.kubeadm = data.kubeadm ?? false;
    this.network = data.network;
    for (const record of data.instances) this.addInstance(record);
    this.timeline.restore(data.due);
    this.kick();
  }

  close(): void {
    this.closed = true;
    this.timeline.stopTimers();
    this.events.recorder.close();
    if (this.kickHandle) clearImmediate(this.kickHandle);
    this.kickHandle = undefined;
  }
}

export interface WorldSnapshot {
  name: string;
  resourceVersion: number;
  userDataVersion: string | undefined;
  nodeSerial?: number;
  bootstrapTokens?: string[];
  etcdMembers?: EtcdMember[];
  kubeadm?: boolean;
  network?: SimNetwork;
  instances: InstanceRecord[];
  due: DueAction[];
  objects: Record<string, KubeObject[]>;
}
