// From a Cluster and its InstanceGroups to the tasks that describe what must
// exist in AWS (kops' "model builders").
import { managedByKarpenter, type Cluster, type ClusterSubnet, type InstanceGroup } from '../spec/types.js';
import { TAG_INSTANCE_GROUP, clusterTags, groupNamesOf, kopsGroupName, roleTagKey, type TagMap } from '../cloud/aws/tags.js';
import type { ClusterSnapshot, LaunchTemplateState } from '../cloud/aws/discovery.js';
import { autoScalingGroupVerdict, launchTemplateVerdict } from '../ownership/resources.js';
import type { ClusterOwnership, LeftAlone } from '../ownership/types.js';
import type { AutoScalingGroup } from '@aws-sdk/client-auto-scaling';
import { DeleteLaunchTemplateCommand } from '@aws-sdk/client-ec2';
import { isNotFoundError } from '../cloud/aws/errors.js';
import type { DeletionTask, Task } from './task.js';
import { taskKey } from './task.js';
import { vpcTask } from './tasks/vpc.js';
import { subnetKey, subnetName, subnetTask } from './tasks/subnet.js';
import { internetGatewayTask } from './tasks/internet-gateway.js';
import { internetRouteTask, natRouteTask, routeTableAssociationTask, routeTableKey, routeTableTask } from './tasks/route-table.js';
import { elasticIpTask } from './tasks/elastic-ip.js';
import { natGatewayTask } from './tasks/nat-gateway.js';
import { ruleTask, securityGroupKey, securityGroupTask, type GroupRole } from './tasks/security-group.js';
import { securityRules } from './firewall.js';
import { apiLoadBalancerTasks, apiTargetGroupKeys, checkApiLoadBalancer } from './model-api.js';
import { checkEtcdVolumes, etcdVolumeTasks } from './model-etcd.js';
import { launchTemplateKey, launchTemplateTask } from './tasks/launch-template.js';
import { autoscalingGroupDeletion, autoscalingGroupKey, autoscalingGroupTask } from './tasks/autoscaling-group.js';
import { apiDnsNameTask, dnsZoneTask } from './tasks/dns.js';
import { identityTasks, sshKeyProblems, type Identities, type IdentityOptions } from './iam/identity-tasks.js';
import { instanceGroupMachine } from './instance-group-machine.js';
import { checkBootstrap, instanceGroupUserData, type BootstrapOptions } from './model-bootstrap.js';
import type { ContainerdPin, NetworkAddon } from '../channel/index.js';

/** A spec the reconcile engine cannot act on; every problem is listed. */
export class ReconcileSpecError extends Error {
  constructor(readonly problems: string[]) {
    super(`the cluster spec cannot be applied:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ReconcileSpecError';
  }
}


export function groupRoleOf(role: string): GroupRole {
  if (role === 'Node') return 'nodes';
  if (role === 'Bastion') return 'bastions';
  return 'masters';
}

/**
 * The tags of an instance group's group, template and instances; Name is the
 * group's name, as kops tags it. A control-plane group also carries kops'
 * older `k8s.io/role/master`: the control-plane role may attach an etcd
 * volume only to an instance with that tag (its AttachVolume condition).
 */
export function instanceGroupTags(cluster: string, ig: InstanceGroup, groupName: string): TagMap {
  return {
    ...clusterTags(cluster),
    Name: groupName,
    [TAG_INSTANCE_GROUP]: ig.metadata.name,
    [roleTagKey(ig.spec.role)]: '1',
    ...(ig.spec.role === 'ControlPlane' || ig.spec.role === 'Master' ? { 'k8s.io/role/master': '1' } : {}),
  };
}

/** kopsdeck builds an auto scaling group for every instance group: Karpenter's, and groups without sizes or a machine type, it cannot build. */
function cloudGroupProblems(ig: InstanceGroup): string[] {
  if (managedByKarpenter(ig)) return ['managed by Karpenter, which kopsdeck does not install or configure yet'];
  const missing = (['machineType', 'minSize', 'maxSize'] as const).filter((field) => ig.spec[field] === undefined);
  if (missing.length > 0) return missing.map((field) => `spec.${field} is required`);
  return ig.spec.minSize! > ig.spec.maxSize! ? [`minSize ${ig.spec.minSize} is above maxSize ${ig.spec.maxSize}`] : [];
}

export function checkModel(cluster: Cluster, instanceGroups: InstanceGroup[]): string[] {
  const problems: string[] = [];
  const subnetNames = new Set(cluster.spec.subnets.map((s) => s.name));
  if (cluster.spec.networkID) problems.push('spec.networkID (a shared VPC) is not supported yet: remove it to let kopsdeck create the VPC');
  if (cluster.spec.subnets.length === 0) problems.push('spec.subnets is empty');
  for (const subnet of cluster.spec.subnets) {
    // IPv6 clusters (kops' DualStack subnets, ipv6CIDR) are read on kops clusters; kopsdeck does not build them.
    if (subnet.type === 'DualStack' || subnet.ipv6CIDR !== undefined) problems.push(`subnet ${subnet.name}: IPv6 subnets (DualStack, ipv6CIDR) are not supported by kopsdeck yet`);
    else if (subnet.cidr === undefined) problems.push(`subnet ${subnet.name}: spec.subnets[].cidr is required`);
  }
  for (const zone of privateZonesOf(cluster.spec.subnets)) {
    if (!utilitySubnetIn(cluster.spec.subnets, zone)) problems.push(`zone ${zone} has a Private subnet but no Utility subnet to hold its NAT gateway: add one`);
  }
  for (const ig of instanceGroups) {
    for (const name of ig.spec.subnets ?? []) {
      if (!subnetNames.has(name)) problems.push(`instance group ${ig.metadata.name}: subnet ${name} is not one of the cluster's subnets (${[...subnetNames].join(', ')})`);
    }
    if (!ig.spec.subnets?.length) problems.push(`instance group ${ig.metadata.name}: spec.subnets is empty`);
    problems.push(...cloudGroupProblems(ig).map((p) => `instance group ${ig.metadata.name}: ${p}`));
    problems.push(...instanceGroupMachine(ig).problems.map((p) => `instance group ${ig.metadata.name}: ${p}`));
  }
  problems.push(...checkApiLoadBalancer(cluster, instanceGroups), ...checkEtcdVolumes(cluster, instanceGroups), ...checkBootstrap(instanceGroups));
  return problems;
}

export interface ModelOptions extends IdentityOptions {
  /**
   * The name each instance group's auto scaling group and launch template
   * already have in the cloud (kops names the control plane's
   * `<ig>.masters.<cluster>`); kopsdeck's `<ig>.<cluster>` otherwise.
   */
  groupNames?: ReadonlyMap<string, string>;
  /** `sha256:<hex>` of the cluster CA's public key, which the user-data carries once the CA exists. */
  caCertHash?: string;
  /** The network add-on the first control-plane node installs (model-bootstrap.ts machinePinsOf). */
  networkAddon?: NetworkAddon;
  /** The containerd and runc every machine that joins installs (model-bootstrap.ts machinePinsOf). */
  containerd?: ContainerdPin;
}

export function buildClusterTasks(cluster: Cluster, instanceGroups: InstanceGroup[], options: ModelOptions = {}): Task[] {
  const problems = [...checkModel(cluster, instanceGroups), ...sshKeyProblems(cluster, options.sshPublicKeys)];
  if (problems.length) throw new ReconcileSpecError(problems);
  const name = cluster.metadata.name;
  const tasks: Task[] = [vpcTask(name, cluster.spec.networkCIDR), internetGatewayTask(name)];
  tasks.push(...networkTasks(name, cluster.spec.subnets));
  const roles = new Set(instanceGroups.map((ig) => groupRoleOf(ig.spec.role)));
  roles.add('masters');
  roles.add('nodes');
  for (const role of ['masters', 'nodes', 'bastions'] as GroupRole[]) if (roles.has(role)) tasks.push(securityGroupTask(name, role));
  tasks.push(...securityRules(cluster, roles.has('bastions')).map((rule) => ruleTask(name, rule)));
  tasks.push(...apiLoadBalancerTasks(cluster, instanceGroups), ...etcdVolumeTasks(cluster, instanceGroups));
  // One role and instance profile per kind of machine the groups launch.
  const identities = identityTasks(cluster, new Set(instanceGroups.map((ig) => groupRoleOf(ig.spec.role))), options);
  tasks.push(...identities.tasks);
  const subnetsByName = new Map(cluster.spec.subnets.map((s) => [s.name, s]));
  for (const ig of instanceGroups) {
    const resourceName = options.groupNames?.get(ig.metadata.name) ?? kopsGroupName(name, ig.metadata.name, ig.spec.role);
    tasks.push(...instanceGroupTasks(cluster, ig, subnetsByName, resourceName, identities, { stateStore: options.stateStore, storeRegion: options.storeRegion, caCertHash: options.caCertHash, networkAddon: options.networkAddon, containerd: options.containerd }));
  }
  const dnsType = cluster.spec.topology?.dns?.type ?? 'Public';
  // Behind a load balancer, api.<cluster> is an alias to it (model-api.ts).
  if (cluster.spec.dnsZone && dnsType !== 'None' && !cluster.spec.api?.loadBalancer) {
    const privateDns = dnsType === 'Private';
    const privateAddresses = privateDns || cluster.spec.subnets.some((s) => s.type === 'Private');
    tasks.push(dnsZoneTask(name, cluster.spec.dnsZone, privateDns), apiDnsNameTask(name, cluster.spec.dnsZone, privateAddresses));
  }
  return tasks;
}

const privateZonesOf = (subnets: ClusterSubnet[]): string[] => [...new Set(subnets.filter((s) => s.type === 'Private').map((s) => s.zone))];
const utilitySubnetIn = (subnets: ClusterSubnet[], zone: string): ClusterSubnet | undefined => subnets.find((s) => s.type === 'Utility' && s.zone === zone);

function networkTasks(cluster: string, subnets: ClusterSubnet[]): Task[] {
  const tasks: Task[] = [routeTableTask(cluster), internetRouteTask(cluster)];
  // Each private zone egresses through its own NAT gateway, in that zone's utility subnet.
  for (const zone of privateZonesOf(subnets)) {
    const utility = utilitySubnetIn(subnets, zone)!;
    tasks.push(routeTableTask(cluster, zone), elasticIpTask(cluster, zone), natGatewayTask(cluster, zone, subnetKey(cluster, utility)), natRouteTask(cluster, zone));
  }
  for (const subnet of subnets) {
    tasks.push(subnetTask(cluster, subnet));
    const table = subnet.type === 'Private' ? routeTableKey(cluster, subnet.zone) : routeTableKey(cluster);
    tasks.push(routeTableAssociationTask(cluster, subnetName(cluster, subnet), subnetKey(cluster, subnet), table));
  }
  return tasks;
}

function instanceGroupTasks(
  cluster: Cluster,
  ig: InstanceGroup,
  subnets: Map<string, ClusterSubnet>,
  resourceName: string,
  identities: Identities,
  bootstrap: BootstrapOptions,
): Task[] {
  const clusterName = cluster.metadata.name;
  const tags = instanceGroupTags(clusterName, ig, resourceName);
  const igSubnets = ig.spec.subnets.map((s) => subnets.get(s)!);
  const machine = instanceGroupMachine(ig);
  const lt = launchTemplateTask({
    name: resourceName,
    imageRef: ig.spec.image,
    // Present: checkModel refuses a group without it before any task is built.
    instanceType: ig.spec.machineType!,
    userData: instanceGroupUserData(cluster, ig, bootstrap),
    securityGroupKey: securityGroupKey(clusterName, groupRoleOf(ig.spec.role)),
    additionalSecurityGroupIds: machine.additionalSecurityGroups,
    // kops: public addresses in public (and utility) subnets unless the group says otherwise; never in private ones.
    associatePublicIp: igSubnets.every((s) => s.type !== 'Private') && machine.associatePublicIp !== false,
    httpTokens: machine.httpTokens,
    httpPutResponseHopLimit: machine.httpPutResponseHopLimit,
    rootVolume: machine.rootVolume,
    instanceProfile: identities.profiles.get(groupRoleOf(ig.spec.role)),
    keyName: identities.keyName,
    sshKeyKey: identities.sshKeyKey,
    tags,
  });
  const asg = autoscalingGroupTask({
    name: resourceName,
    launchTemplateKey: launchTemplateKey(resourceName),
    subnetKeys: igSubnets.map((s) => subnetKey(clusterName, s)),
    // Present: checkModel refuses a group without them before any task is built.
    minSize: ig.spec.minSize!,
    maxSize: ig.spec.maxSize!,
    targetGroupKeys: apiTargetGroupKeys(cluster, ig),
    tags,
  });
  return [lt, asg];
}

/**
 * The name each instance group's group has in the cloud: kops'
 * (`<ig>.masters.<cluster>`, `<ig>.apiservers.<cluster>`, `<ig>.<cluster>`) or
 * the `<ig>.<cluster>` kopsdeck once gave control-plane groups too, whichever
 * exists (a group, else a template); kops' when neither does.
 */
export function existingGroupNames(clusterName: string, instanceGroups: InstanceGroup[], snapshot: Pick<ClusterSnapshot, 'autoScalingGroups' | 'launchTemplates'>): Map<string, string> {
  const groups = new Set(snapshot.autoScalingGroups.filter((g) => g.Status !== 'Delete in progress').map((g) => g.AutoScalingGroupName));
  const templates = new Set(snapshot.launchTemplates.map((t) => t.template.LaunchTemplateName));
  const names = new Map<string, string>();
  for (const ig of instanceGroups) {
    const candidates = groupNamesOf(clusterName, ig.metadata.name, ig.spec.role);
    names.set(ig.metadata.name, candidates.find((n) => groups.has(n)) ?? candidates.find((n) => templates.has(n)) ?? candidates[0]);
  }
  return names;
}

export interface StaleGroups {
  deletions: DeletionTask[];
  /** Stale groups and templates kopsdeck did not make: never deleted. */
  leftAlone: LeftAlone[];
}

/**
 * Auto scaling groups and launch templates of the cluster that no instance
 * group wants, deleted only when kopsdeck made them (see ownership/resources.ts).
 */
export function staleInstanceGroupDeletions(tasks: Task[], groups: AutoScalingGroup[], templates: LaunchTemplateState[], ownership: ClusterOwnership): StaleGroups {
  const wanted = new Set(tasks.map((t) => t.key));
  const deletions: DeletionTask[] = [];
  const leftAlone: LeftAlone[] = [];
  for (const group of groups) {
    const name = group.AutoScalingGroupName!;
    if (wanted.has(autoscalingGroupKey(name)) || group.Status === 'Delete in progress') continue;
    const verdict = autoScalingGroupVerdict(ownership, group, templates);
    if (verdict.owned) deletions.push(autoscalingGroupDeletion(name));
    else leftAlone.push({ kind: 'AutoscalingGroup', name, reason: `no instance group wants it, but ${verdict.reason}` });
  }
  for (const state of templates) {
    const name = state.template.LaunchTemplateName!;
    if (wanted.has(launchTemplateKey(name))) continue;
    const verdict = launchTemplateVerdict(ownership, state);
    if (!verdict.owned) {
      leftAlone.push({ kind: 'LaunchTemplate', name, reason: `no instance group wants it, but ${verdict.reason}` });
      continue;
    }
    const asg = deletions.find((d) => d.name === name);
    deletions.push(launchTemplateDeletion(name, state.template.LaunchTemplateId!, asg ? [asg.key] : []));
  }
  return { deletions, leftAlone };
}

export function launchTemplateDeletion(name: string, id: string, dependencies: string[]): DeletionTask {
  return {
    key: taskKey('LaunchTemplate', name),
    kind: 'LaunchTemplate',
    name,
    id,
    dependencies,
    async remove(ctx) {
      try {
        await ctx.clients.ec2.send(new DeleteLaunchTemplateCommand({ LaunchTemplateId: id }));
      } catch (error) {
        if (!isNotFoundError(error)) throw error;
      }
    },
  };
}
