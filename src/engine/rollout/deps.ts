// What the rollout needs from the world, as three narrow seams: the cloud
// (groups, detach, terminate), Kubernetes (nodes, pods, cordon, drain) and a
// validator. aws-rollout-cloud.ts and kube-rollout.ts implement them over the
// real clients; the unit tests use fakes.
import type { Clock } from '../clock.js';
import type { ValidationResult } from '../health/validate-cluster-health.js';
import type { DrainProgress, DrainResult } from '../kube/node-ops.js';
import type { NodePodRow } from '../kube/node-pods.js';
import type { ClusterStore } from '../store/cluster-store.js';
import type { ApiRecordRefresher } from './api-record.js';

export interface RolloutInstance {
  id: string;
  /** Auto scaling lifecycle state (InService, Pending, Terminating, ...), or Detached. */
  lifecycleState: string;
  launchTemplateVersion: string | null;
  needsUpdate: boolean;
  /** Leaving or gone from its group (Detaching, Detached, or tagged by an earlier surge's detach): drained and terminated directly. */
  detached: boolean;
}

export interface RolloutCloudGroup {
  name: string;
  groupName: string;
  role: string;
  minSize: number;
  maxSize: number;
  desiredCapacity: number;
  currentVersion: string | null;
  /** Members and, after them, instances detached from this group by a surge. */
  instances: RolloutInstance[];
  /** Its warm pool's instances (not nodes); absent: no warm pool. */
  warmInstances?: RolloutInstance[];
}

/** One group as a wave needs it: who is in it (and detached from it), and how many it should have. */
export interface RolloutGroupView {
  name: string;
  desiredCapacity: number;
  /** Members and, after them, instances detached from this group by a surge. */
  instances: Pick<RolloutInstance, 'id' | 'lifecycleState' | 'detached'>[];
  /** Its warm pool's instances now (Warmed:*); absent: no warm pool, or a cloud that does not say. */
  warmInstances?: Pick<RolloutInstance, 'id' | 'lifecycleState'>[];
}

/** Where an instance served traffic before the rollout took it out: target group registrations (ARN and port) and classic ELB names. */
export interface LoadBalancerMembership {
  targetGroups: { arn: string; port: number }[];
  classic: string[];
}

export interface Deregistration {
  /** Per instance, what it was taken out of (to put it back). */
  taken: Map<string, LoadBalancerMembership>;
  /** Per instance, the names of the load balancers it drained from (taken out, or already leaving after a detach). */
  drainedFrom: Map<string, string[]>;
}

export interface DeregisterRequest {
  cluster: string;
  /** The cloud group the instances are members of (or were detached from). */
  groupName: string;
  instanceIds: readonly string[];
  /** Also the API load balancer's target groups (a control plane of more than one node, as kops). */
  apiLoadBalancer: boolean;
  clock: Clock;
  signal?: AbortSignal;
  /** Once deregistered, before the wait: what they are draining from, and what each was taken out of. */
  onDraining?: (found: { names: string[]; timeoutMs: number; taken: ReadonlyMap<string, LoadBalancerMembership> }) => void;
}

export interface RolloutCloud {
  listGroups(cluster: string): Promise<RolloutCloudGroup[]>;
  /** The one group, fresh, with fewer and smaller calls than listGroups; undefined when it is gone. */
  lookAtGroup(cluster: string, group: { name: string; groupName: string }): Promise<RolloutGroupView | undefined>;
  /** Tags the instances as detached, then detaches them without decrementing: the group launches replacements. */
  detach(groupName: string, instanceIds: readonly string[]): Promise<void>;
  /** Terminates: through the group (replaced) or, for detached instances, directly (not replaced). */
  terminate(instanceIds: readonly string[], options: { detached: boolean }): Promise<void>;
  /** Takes the instances out of the load balancers they serve and waits for connection draining. */
  deregister(request: DeregisterRequest): Promise<Deregistration>;
  /** Registers instances again where `deregister` took them out of (a node the rollout gives back). */
  reregister(memberships: ReadonlyMap<string, LoadBalancerMembership>): Promise<void>;
}

export interface RolloutNode {
  name: string;
  instanceId: string;
  ready: boolean;
  unschedulable: boolean;
  kubeletVersion?: string;
  instanceType?: string;
  /** The node's kops.k8s.io/instancegroup label. */
  instanceGroup?: string;
  /** A control-plane node (node-role.kubernetes.io/control-plane or master): it runs an etcd member. */
  controlPlane?: boolean;
  /** The node carries kops' kops.k8s.io/needs-update annotation: replace it even if its instance is up to date. */
  needsUpdateAnnotation?: boolean;
}

export interface RolloutKube {
  /** Nodes keyed by the instance id in their providerID. */
  nodesByInstance(): Promise<Map<string, RolloutNode>>;
  /** Calls `listener` whenever a node changes (from a watch); absent: waits poll. Returns an unsubscribe function. */
  onNodesChanged?(listener: () => void): () => void;
  describePods(nodeName: string): Promise<NodePodRow[]>;
  /**
   * Cordons the node for the rollout `rolloutId`; true when the cordon is this
   * rollout's (made now, or by an earlier run of it that crashed before it
   * journaled it), false when someone else had cordoned it: such a node is
   * never uncordoned by the rollout.
   */
  cordon(nodeName: string, rolloutId: string): Promise<boolean>;
  uncordon(nodeName: string): Promise<void>;
  /** Labels the node node.kubernetes.io/exclude-from-external-load-balancers; true when this added the label. */
  excludeFromLoadBalancers(nodeName: string): Promise<boolean>;
  /** Removes that label. */
  includeInLoadBalancers(nodeName: string): Promise<void>;
  /** Taints the node kops.k8s.io/scheduled-for-update:PreferNoSchedule unless cordoned or tainted already; true when this added it. */
  taintScheduledForUpdate(nodeName: string): Promise<boolean>;
  drain(nodeName: string, options: { timeoutMs: number; onProgress: (p: DrainProgress) => void; signal?: AbortSignal }): Promise<DrainResult>;
}

export type Validator = (signal?: AbortSignal) => Promise<ValidationResult>;

export interface RolloutDeps {
  store: ClusterStore;
  cloud: RolloutCloud;
  /** Absent with cloudOnly: no cordon, drain or validation. */
  kube?: RolloutKube;
  validate?: Validator;
  /** Points api.<cluster> at the running control-plane instances (absent or a no-op without DNS). */
  refreshApiRecord?: ApiRecordRefresher;
  clock: Clock;
}
