// The cloud provider seam: what reconcile's callers and the rollout need from
// a cloud, without knowing it is AWS. aws/aws-provider.ts implements it.

export interface CloudInstance {
  id: string;
  /** kops instance group name (from the kops.k8s.io/instancegroup tag). */
  instanceGroup: string;
  /** Auto scaling lifecycle: Pending, InService, Terminating, Detaching, ... */
  lifecycleState: string;
  healthStatus: string;
  zone?: string;
  /** EC2 state: pending, running, shutting-down, terminated, ... */
  state?: string;
  privateIp?: string;
  privateDnsName?: string;
  publicIp?: string;
  /** The launch template version the instance was launched from (a number, as text). */
  launchTemplateVersion: string | null;
  /** Its launch template or version differs from what the group launches now, or it is leaving the group (kops' NeedUpdate). */
  needsUpdate: boolean;
  /** Why, when it needs an update. */
  updateReason?: string;
  launchTime?: Date;
}

export interface CloudInstanceGroup {
  /** kops instance group name. */
  name: string;
  /** Cloud group name: `<ig>.<cluster>` (kops: `<ig>.masters.<cluster>` for the control plane). */
  groupName: string;
  role: 'ControlPlane' | 'APIServer' | 'Node' | 'Bastion' | 'Unknown';
  minSize: number;
  maxSize: number;
  desiredCapacity: number;
  launchTemplateId?: string;
  /** The template version new instances get now (`$Latest` / `$Default` resolved to a number); null when unknown. */
  currentVersion: string | null;
  instances: CloudInstance[];
}

export interface OwnedResourceRow {
  type: string;
  name: string;
  id: string;
}

export interface CloudProvider {
  /** Instance groups' groups and their instances, with versions; a few calls whatever the instance count. */
  listInstanceGroups(clusterName: string): Promise<CloudInstanceGroup[]>;
  setDesiredCapacity(groupName: string, desired: number): Promise<void>;
  /** Terminates through the group; with decrement the group does not replace it. */
  terminateInstance(instanceId: string, options: { decrementDesiredCapacity: boolean }): Promise<void>;
  /** Takes instances out of their group (surge: the group launches replacements unless decremented). */
  detachInstances(groupName: string, instanceIds: readonly string[], options: { decrementDesiredCapacity: boolean }): Promise<void>;
  /** Everything the cluster owns, by tags (what `delete cluster` would remove). */
  listClusterResources(clusterName: string): Promise<OwnedResourceRow[]>;
}
