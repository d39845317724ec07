// The cloud provider seam: what reconcile's callers and the rollout need from
// a cloud, without knowing it is AWS. aws/aws-provider.ts implements it.

/**
 * One instance of an instance group, as the one reader of the cloud's groups
 * (aws/instance-groups.ts) finds it: the console's model, validation and the
 * rollout all take this type and map from it, so they cannot disagree on which
 * instances a group has, which are out of date or which are detached.
 */
export interface CloudInstance {
  id: string;
  /** kops instance group name (from the kops.k8s.io/instancegroup tag, else the group's name). */
  instanceGroup: string;
  /** Auto scaling lifecycle: Pending, InService, Terminating, Detaching, ...; Detached when found by kops' detached tag only. */
  lifecycleState: string;
  healthStatus?: string;
  zone?: string;
  instanceType?: string;
  /** EC2 state (pending, running, ...): for instances found in EC2 (detached ones always, members when asked). */
  state?: string;
  privateIp?: string;
  privateDnsName?: string;
  publicIp?: string;
  launchTime?: Date;
  launchTemplateId?: string;
  /** The launch template version the instance was launched from (a number, as text), as AWS reports it. */
  launchTemplateVersion: string | null;
  /** Its launch template or version differs from what the group launches now, or it is leaving the group (kops' NeedUpdate). */
  needsUpdate: boolean;
  /** Why, when it needs an update, e.g. "launch template version 1 != 2". */
  updateReason?: string;
  /** Leaving or gone from its group: a Detaching/Detached member, or an instance found by kops' detached tag. */
  detached: boolean;
  /**
   * Still listed by its group. False for an instance found by the detached tag
   * only: no group replaces it, so it is terminated directly, not through a group.
   */
  member: boolean;
}

export type GroupRole = 'ControlPlane' | 'APIServer' | 'Node' | 'Bastion';

export interface CloudInstanceGroup {
  /** kops instance group name. */
  name: string;
  /** Cloud group name: `<ig>.<cluster>` (kops: `<ig>.masters.<cluster>` for the control plane). */
  groupName: string;
  /** From kops' role tags (master counts as control plane), else a kops group name, else Node (kops' default role). */
  role: GroupRole;
  minSize: number;
  maxSize: number;
  desiredCapacity: number;
  launchTemplateId?: string;
  /** The template version new instances get now (`$Latest` / `$Default` resolved to a number); null when unknown. */
  currentVersion: string | null;
  /** Members first, then the instances detached from the group (marked detached, member false). */
  instances: CloudInstance[];
}

export interface CloudProvider {
  /** Instance groups' groups, their members and the instances detached from them, with versions; a few calls whatever the instance count. */
  listInstanceGroups(clusterName: string): Promise<CloudInstanceGroup[]>;
  setDesiredCapacity(groupName: string, desired: number): Promise<void>;
  /** Terminates through the group; with decrement the group does not replace it. */
  terminateInstance(instanceId: string, options: { decrementDesiredCapacity: boolean }): Promise<void>;
  /** Takes instances out of their group (surge: the group launches replacements unless decremented). */
  detachInstances(groupName: string, instanceIds: readonly string[], options: { decrementDesiredCapacity: boolean }): Promise<void>;
}
