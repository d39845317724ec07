// The combined cluster model's data: what the cloud says (instance groups as
// auto scaling groups, their instances and launch template versions) joined
// with what Kubernetes says (nodes, pods). An instance is the cloud's own
// CloudInstance (cloud/provider.ts), as the one reader of the groups gives it:
// the console shows what the rollout acts on.
import type { CloudInstance } from '../cloud/provider.js';

export type { CloudInstance };

/**
 * The seam to the cloud: anything that can list a cluster's instance groups as
 * they exist in the cloud. On AWS, awsCloudInventory() in ./aws-inventory.ts,
 * mapped from the one reader of the groups (AutoScaling + EC2, batched).
 */
export interface CloudInventory {
  listInstanceGroups(cluster: string, signal?: AbortSignal): Promise<IgCloudState[]>;
}

export type IgRole = 'ControlPlane' | 'Master' | 'APIServer' | 'Node' | 'Bastion' | string;

export interface IgCloudState {
  /** The instance group's name (the kops.k8s.io/instancegroup tag). */
  name: string;
  /** The auto scaling group's name, `<ig>.<cluster>`. */
  groupName: string;
  role: IgRole;
  machineType?: string;
  minSize: number;
  maxSize: number;
  /** Desired capacity: how many instances the group is converging to. */
  targetSize: number;
  zones: string[];
  /** The group's current launch template version (resolved, never $Latest). */
  launchTemplateVersion?: string;
  instances: CloudInstance[];
  /** Its warm pool's instances (Warmed:*): listed as instances, as kops get instances lists them, never counted as members. */
  warmInstances?: CloudInstance[];
}

export interface NodeRow {
  name: string;
  /** As kubectl prints it: Ready, NotReady, Unknown, with ",SchedulingDisabled" when cordoned. */
  status: string;
  ready: boolean;
  unschedulable: boolean;
  role: string;
  instanceGroup: string;
  zone: string;
  version: string;
  pods: number;
  taints: string;
  /** Epoch ms of the node's creation; AGE is derived when shown. */
  createdAt?: number;
  instanceId: string;
  internalIp: string;
  /** Its instance is out of date, or the node is annotated kops.k8s.io/needs-update (only a node with an instance, as kops). */
  needsUpdate: boolean;
  /** The node carries kops' kops.k8s.io/needs-update annotation. */
  needsUpdateAnnotation: boolean;
}

export interface IgRow {
  name: string;
  role: IgRole;
  machineType: string;
  min: number;
  target: number;
  max: number;
  /** Instances whose node joined and is Ready; for a bastion group (bastions register no node), instances in service. */
  ready: number;
  needUpdate: number;
  zones: string[];
  instances: number;
}

export interface InstanceRow {
  id: string;
  nodeName: string;
  /** UpToDate | NeedsUpdate, as kops get instances. */
  status: 'UpToDate' | 'NeedsUpdate';
  role: string;
  state: string;
  internalIp: string;
  instanceGroup: string;
  machineType: string;
  zone: string;
  launchTemplateVersion: string;
  updateReason?: string;
}

export interface ModelCounts {
  instanceGroups: number;
  instances: number;
  nodes: number;
  nodesReady: number;
  nodesCordoned: number;
  pods: number;
  outOfDate: number;
}

export interface ModelSnapshot {
  cluster: string;
  /** Bumped on every change; equal versions mean equal snapshots. */
  version: number;
  /** Sorted by name. */
  nodes: readonly NodeRow[];
  instanceGroups: readonly IgRow[];
  instances: readonly InstanceRow[];
  counts: ModelCounts;
  /** Kubelet versions present, most nodes first. */
  versions: readonly { version: string; nodes: number }[];
  cloudSyncedAt?: number;
  cloudError?: string;
  kubeError?: string;
}
