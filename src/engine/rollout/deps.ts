// What the rollout needs from the world, as three narrow seams: the cloud
// (groups, detach, terminate), Kubernetes (nodes, pods, cordon, drain) and a
// validator. aws-rollout-cloud.ts and kube-rollout.ts implement them over the
// real clients; the unit tests use fakes.
import type { Clock } from '../clock.js';
import type { ValidationResult } from '../health/validate-cluster.js';
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
  /** Taken out of its group by an earlier surge (tagged so), awaiting its drain. */
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
}

export interface RolloutCloud {
  listGroups(cluster: string): Promise<RolloutCloudGroup[]>;
  /** Tags the instance as detached, then detaches it without decrementing: the group launches a replacement. */
  detach(groupName: string, instanceId: string): Promise<void>;
  /** Terminates: through the group (replaced) or, for a detached instance, directly (not replaced). */
  terminate(instanceId: string, options: { detached: boolean }): Promise<void>;
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
}

export interface RolloutKube {
  /** Nodes keyed by the instance id in their providerID. */
  nodesByInstance(): Promise<Map<string, RolloutNode>>;
  /** Calls `listener` whenever a node changes (from a watch); absent: waits poll. Returns an unsubscribe function. */
  onNodesChanged?(listener: () => void): () => void;
  describePods(nodeName: string): Promise<NodePodRow[]>;
  cordon(nodeName: string): Promise<void>;
  uncordon(nodeName: string): Promise<void>;
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
