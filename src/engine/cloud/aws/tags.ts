// The tags kopsdeck puts on what a cluster owns, as kops does. Discovery and
// deletion find resources by these tags and nothing else.
import type { Tag } from '@aws-sdk/client-ec2';

export const TAG_CLUSTER = 'KubernetesCluster';
export const TAG_INSTANCE_GROUP = 'kops.k8s.io/instancegroup';
/** The tag kops puts on an instance it detaches while surging; its value is the auto scaling group's name. */
export const TAG_DETACHED = 'kops.k8s.io/detached-from-asg';
export const clusterOwnershipTag = (cluster: string): string => `kubernetes.io/cluster/${cluster}`;
/**
 * On what kopsdeck makes with the very names and tags kops gives it (the API
 * load balancer, its target group): how kopsdeck tells its own from kops' when
 * deciding who manages a cluster (engine/ownership).
 */
export const TAG_MADE_BY = 'kopsdeck.io/made-by';
export const MADE_BY_KOPSDECK: Readonly<Record<string, string>> = { [TAG_MADE_BY]: 'kopsdeck' };

export type TagMap = Record<string, string>;

export type InstanceGroupRole = 'ControlPlane' | 'Master' | 'APIServer' | 'Node' | 'Bastion';

/** Tags on every owned resource; `name` is the resource's short name (`Name=<name>.<cluster>`). */
export function clusterTags(cluster: string, name?: string): TagMap {
  const tags: TagMap = { [TAG_CLUSTER]: cluster, [clusterOwnershipTag(cluster)]: 'owned' };
  if (name !== undefined) tags.Name = name === cluster ? cluster : `${name}.${cluster}`;
  return tags;
}

/** `k8s.io/role/control-plane` etc. Master and APIServer count as control plane, as in kops. */
export function roleTagKey(role: InstanceGroupRole | string): string {
  switch (role) {
    case 'Node':
      return 'k8s.io/role/node';
    case 'Bastion':
      return 'k8s.io/role/bastion';
    default:
      return 'k8s.io/role/control-plane';
  }
}

export function toTagList(tags: TagMap): Tag[] {
  return Object.keys(tags)
    .sort()
    .map((Key) => ({ Key, Value: tags[Key] }));
}

export function fromTagList(tags: { Key?: string; Value?: string }[] | undefined): TagMap {
  const map: TagMap = {};
  for (const tag of tags ?? []) if (tag.Key !== undefined) map[tag.Key] = tag.Value ?? '';
  return map;
}

/** EC2 filters selecting what `cluster` owns. */
export function clusterFilter(cluster: string): { Name: string; Values: string[] }[] {
  return [{ Name: `tag:${TAG_CLUSTER}`, Values: [cluster] }];
}

/**
 * The auto scaling group (and launch template) name kops gives an instance
 * group: `<ig>.masters.<cluster>` for the control plane (kept for backward
 * compatibility in kops), `<ig>.apiservers.<cluster>` for API servers, and
 * `<ig>.<cluster>` for nodes and bastions.
 */
export function kopsGroupName(cluster: string, ig: string, role: InstanceGroupRole | string): string {
  if (role === 'ControlPlane' || role === 'Master') return `${ig}.masters.${cluster}`;
  if (role === 'APIServer') return `${ig}.apiservers.${cluster}`;
  return `${ig}.${cluster}`;
}

/**
 * The name kopsdeck gave every group and template before it named them as kops
 * does: `<ig>.<cluster>`, control plane included. Groups made then keep it.
 */
export const earlierKopsdeckGroupName = (cluster: string, ig: string): string => `${ig}.${cluster}`;

/** Every name an instance group's group may have, kops' (the one new groups get) first; equal for nodes and bastions. */
export function groupNamesOf(cluster: string, ig: string, role: InstanceGroupRole | string): string[] {
  return [...new Set([kopsGroupName(cluster, ig, role), earlierKopsdeckGroupName(cluster, ig)])];
}

/** The role a kops-only group name stands for (`.masters.` or `.apiservers.`); undefined for any other name. */
export function kopsRoleOfGroupName(cluster: string, name: string): 'ControlPlane' | 'APIServer' | undefined {
  if (name.endsWith(`.masters.${cluster}`)) return 'ControlPlane';
  if (name.endsWith(`.apiservers.${cluster}`)) return 'APIServer';
  return undefined;
}

/** The instance group a group name stands for, under kopsdeck's or kops' naming. */
export function instanceGroupOfGroupName(cluster: string, name: string): string | undefined {
  for (const suffix of [`.masters.${cluster}`, `.apiservers.${cluster}`, `.${cluster}`]) {
    if (name.endsWith(suffix) && name.length > suffix.length) return name.slice(0, -suffix.length);
  }
  return undefined;
}
