// The API endpoint behind a Network Load Balancer, after kops'
// APILoadBalancerBuilder (pkg/model/awsmodel/api_loadbalancer.go) and its DNS
// model (dns.go): the load balancer in one subnet per zone (utility or public
// ones for a Public API, private ones for an Internal one, or the subnets the
// spec names), its security group, a TCP 443 target group the control-plane
// groups are attached to, a TCP 443 listener, and, when the cluster publishes
// DNS, api.<cluster> as an alias to it. A cluster without DNS (.k8s.local, or
// dns None) is reached at the load balancer's own DNS name.
import type { Cluster, ClusterSubnet, InstanceGroup } from '../spec/types.js';
import { isControlPlaneRole } from '../spec/types.js';
import { MADE_BY_KOPSDECK, clusterTags, type TagMap } from '../cloud/aws/tags.js';
import { resourceName32 } from '../cloud/aws/kops-names.js';
import type { Task } from './task.js';
import { usesApiLoadBalancer, usesNoneDns } from './firewall.js';
import { securityGroupKey, securityGroupTask } from './tasks/security-group.js';
import { subnetKey } from './tasks/subnet.js';
import { vpcKey } from './tasks/vpc.js';
import { listenerTask, loadBalancerKey, loadBalancerTask, type LoadBalancerScheme } from './tasks/load-balancer.js';
import { targetGroupKey, targetGroupTask } from './tasks/target-group.js';
import { apiAliasTask } from './tasks/api-alias.js';
import { dnsZoneTask } from './tasks/dns.js';

export const API_PORT = 443;

type LoadBalancerSpec = NonNullable<Cluster['spec']['api']['loadBalancer']> & {
  subnets?: { name: string }[];
  crossZoneLoadBalancing?: boolean;
};

const loadBalancerSpecOf = (cluster: Cluster): LoadBalancerSpec => (cluster.spec.api?.loadBalancer ?? {}) as LoadBalancerSpec;

/** kops' names: the load balancer `api-<cluster>-<hash>` (task api.<cluster>), the target group `tcp-<cluster>-<hash>`. */
export function apiLoadBalancerNames(cluster: string): { task: string; loadBalancer: string; targetGroup: string } {
  return { task: `api.${cluster}`, loadBalancer: resourceName32(cluster, 'api'), targetGroup: resourceName32(cluster, 'tcp') };
}

/** The target groups a control-plane group is attached to (none without an API load balancer). */
export function apiTargetGroupKeys(cluster: Cluster, ig: InstanceGroup): string[] {
  if (!usesApiLoadBalancer(cluster) || !isControlPlaneRole(ig.spec.role)) return [];
  return [targetGroupKey(apiLoadBalancerNames(cluster.metadata.name).targetGroup)];
}

export function checkApiLoadBalancer(cluster: Cluster, instanceGroups: InstanceGroup[]): string[] {
  if (!usesApiLoadBalancer(cluster)) return [];
  const spec = loadBalancerSpecOf(cluster);
  const problems: string[] = [];
  if (spec.class && spec.class !== 'Network') problems.push(`spec.api.loadBalancer.class ${spec.class} is not supported: use Network (kops' default)`);
  if (spec.type && spec.type !== 'Public' && spec.type !== 'Internal') problems.push(`spec.api.loadBalancer.type ${String(spec.type)} must be Public or Internal`);
  const names = new Set(cluster.spec.subnets.map((s) => s.name));
  for (const s of spec.subnets ?? []) if (!names.has(s.name)) problems.push(`spec.api.loadBalancer.subnets: ${s.name} is not one of the cluster's subnets`);
  if (problems.length === 0 && apiSubnets(cluster, instanceGroups).length === 0) {
    problems.push(`the ${spec.type === 'Internal' ? 'internal' : 'public'} API load balancer has no ${spec.type === 'Internal' ? 'Private' : 'Public or Utility'} subnet to sit in`);
  }
  return problems;
}

/**
 * The subnets given in the spec, else one per zone among those of the right
 * kind, preferring utility subnets, then those of the control plane, then by
 * name (kops' chooseBestSubnetForELB).
 */
export function apiSubnets(cluster: Cluster, instanceGroups: InstanceGroup[]): ClusterSubnet[] {
  const spec = loadBalancerSpecOf(cluster);
  const subnets = cluster.spec.subnets;
  if (spec.subnets?.length) return spec.subnets.map((s) => subnets.find((c) => c.name === s.name)).filter((s): s is ClusterSubnet => Boolean(s));
  const internal = spec.type === 'Internal';
  const controlPlaneSubnets = new Set(instanceGroups.filter((ig) => isControlPlaneRole(ig.spec.role)).flatMap((ig) => ig.spec.subnets ?? []));
  const score = (s: ClusterSubnet) => (controlPlaneSubnets.has(s.name) ? 1 : 0) + (s.type === 'Utility' ? 3 : 0);
  const byZone = new Map<string, ClusterSubnet[]>();
  for (const s of subnets) {
    if (internal ? s.type !== 'Private' : s.type === 'Private') continue;
    byZone.set(s.zone, [...(byZone.get(s.zone) ?? []), s]);
  }
  return [...byZone.values()].map((candidates) => [...candidates].sort((a, b) => score(b) - score(a) || a.name.localeCompare(b.name))[0]);
}

export function apiLoadBalancerTasks(cluster: Cluster, instanceGroups: InstanceGroup[]): Task[] {
  if (!usesApiLoadBalancer(cluster)) return [];
  const name = cluster.metadata.name;
  const spec = loadBalancerSpecOf(cluster);
  const names = apiLoadBalancerNames(name);
  const lbKey = loadBalancerKey(names.task);
  const tgKey = targetGroupKey(names.targetGroup);
  const scheme: LoadBalancerScheme = spec.type === 'Internal' ? 'internal' : 'internet-facing';
  const tags = (nameTag: string): TagMap => ({ ...clusterTags(name), Name: nameTag, ...MADE_BY_KOPSDECK });
  const tasks: Task[] = [
    securityGroupTask(name, 'api-elb'),
    targetGroupTask({ name: names.targetGroup, port: API_PORT, vpcKey: vpcKey(name), tags: tags(names.targetGroup) }),
    loadBalancerTask({
      taskName: names.task,
      name: names.loadBalancer,
      scheme,
      subnetKeys: apiSubnets(cluster, instanceGroups).map((s) => subnetKey(name, s)),
      securityGroupKey: securityGroupKey(name, 'api-elb'),
      // kops turns it on when nodes reach the API through it (no DNS), else follows the spec (off by default).
      crossZone: usesNoneDns(cluster) || spec.crossZoneLoadBalancing === true,
      tags: tags(names.task),
    }),
    listenerTask({ taskName: names.task, port: API_PORT, loadBalancerKey: lbKey, targetGroupKey: tgKey }),
  ];
  if (cluster.spec.dnsZone && !usesNoneDns(cluster)) {
    const privateZone = cluster.spec.topology?.dns?.type === 'Private';
    tasks.push(dnsZoneTask(name, cluster.spec.dnsZone, privateZone));
    tasks.push(apiAliasTask(name, cluster.spec.dnsZone, lbKey, 'A'), apiAliasTask(name, cluster.spec.dnsZone, lbKey, 'AAAA'));
  }
  return tasks;
}
