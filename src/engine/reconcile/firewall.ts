// The cluster's security group rules, as kops lays them out
// (pkg/model/awsmodel/firewall.go, external_access.go, bastion.go,
// api_loadbalancer.go; tests/integration/update_cluster/minimal-1.36, ha and
// minimal-dns-none kubernetes.tf):
// - every group may send anywhere (IPv4 and IPv6 egress);
// - the control plane and the nodes reach each other's groups freely, except
//   that nodes reach the control plane only on port ranges around etcd's
//   client and peer ports (2380, 2381, 4001, 4002: etcd is the control plane's
//   alone);
// - SSH from sshAccess to the control plane and the nodes, or, with a bastion,
//   to the bastion only and from the bastion to the others;
// - the API (443) from kubernetesApiAccess: to the control plane directly, or,
//   behind the API load balancer, to the load balancer's own group, which
//   forwards to the control plane on 443 (with ICMP for path MTU discovery).
// Rule names are kops' task names.
import type { Cluster } from '../spec/types.js';
import { securityGroupName, type RuleSpec, type SecurityGroupRole } from './tasks/security-group.js';

/** An access-list entry as a rule source: a managed prefix list (pl-...) or a CIDR, as kops' SetCidrOrPrefix. */
const accessSource = (entry: string): Pick<RuleSpec, 'cidr' | 'prefixListId'> => (entry.startsWith('pl-') ? { prefixListId: entry } : { cidr: entry });
const isIpv6 = (entry: string): boolean => !entry.startsWith('pl-') && entry.includes(':');
const isIpv4 = (entry: string): boolean => !entry.startsWith('pl-') && !entry.includes(':');

/** etcd's ports the nodes never reach (kops' applyNodeToMasterBlockSpecificPorts). */
export function blockedNodeToMasterPorts(cluster: Cluster): number[] {
  const blocked = [2380, 2381, 4001, 4002];
  if ((cluster.spec.etcdClusters ?? []).some((e) => e.name === 'leases')) blocked.push(2383, 4004);
  const cilium = cluster.spec.networking?.cilium as { etcdManaged?: boolean } | undefined;
  if (cilium?.etcdManaged) blocked.push(2382);
  return blocked.sort((a, b) => a - b);
}

/** 1-65535 less the blocked ports, as ranges: [1, 2379], [2382, 4000], [4003, 65535] by default. */
export function openRanges(blocked: number[]): [number, number][] {
  const ranges: [number, number][] = [];
  let from = 1;
  for (const port of [...blocked, 65536]) {
    if (port > from) ranges.push([from, port - 1]);
    from = port + 1;
  }
  return ranges;
}

export function usesApiLoadBalancer(cluster: Cluster): boolean {
  return Boolean(cluster.spec.api?.loadBalancer);
}

/** No DNS: clients, nodes included, reach the API through its load balancer (kops' UsesLoadBalancerForKopsController). */
export function usesNoneDns(cluster: Cluster): boolean {
  return (cluster.spec.topology?.dns?.type ?? 'Public') === 'None';
}

export function securityRules(cluster: Cluster, withBastion: boolean): RuleSpec[] {
  const name = cluster.metadata.name;
  const sg = (role: SecurityGroupRole) => securityGroupName(name, role);
  const loadBalanced = usesApiLoadBalancer(cluster);
  const rules: RuleSpec[] = [];
  const egress = (group: SecurityGroupRole, label: string) => {
    rules.push({ name: `ipv4-${label}-egress`, group, egress: true, protocol: '-1', cidr: '0.0.0.0/0' });
    rules.push({ name: `ipv6-${label}-egress`, group, egress: true, protocol: '-1', cidr: '::/0' });
  };
  const all = (from: SecurityGroupRole, to: SecurityGroupRole): RuleSpec => ({ name: `from-${sg(from)}-ingress-all-0to0-${sg(to)}`, group: to, protocol: '-1', sourceGroup: from });
  egress('masters', 'master');
  egress('nodes', 'node');
  rules.push(all('masters', 'masters'), all('masters', 'nodes'), all('nodes', 'nodes'));
  rules.push(...nodeToMasterRules(cluster));
  rules.push(...sshRules(cluster, withBastion));
  if (withBastion) egress('bastions', 'bastion');
  for (const entry of cluster.spec.kubernetesApiAccess ?? []) {
    if (!loadBalanced) rules.push({ name: `https-external-to-master-${entry}`, group: 'masters', protocol: 'tcp', fromPort: 443, toPort: 443, ...accessSource(entry) });
  }
  if (loadBalanced) {
    egress('api-elb', 'api-elb');
    rules.push(...apiLoadBalancerRules(cluster));
  }
  return rules;
}

function nodeToMasterRules(cluster: Cluster): RuleSpec[] {
  const from = { group: 'masters' as const, sourceGroup: 'nodes' as const };
  const networking = cluster.spec.networking ?? {};
  // With the VPC CNI, pods on nodes reach pods on the control plane at any port (kops' all-nodes-to-master).
  if ('amazonvpc' in networking) {
    const name = cluster.metadata.name;
    return [{ name: `from-${securityGroupName(name, 'nodes')}-ingress-all-0to0-${securityGroupName(name, 'masters')}`, ...from, protocol: '-1' }];
  }
  const rules: RuleSpec[] = [{ name: 'node-to-master-udp-1-65535', ...from, protocol: 'udp', fromPort: 1, toPort: 65535 }];
  for (const [lo, hi] of openRanges(blockedNodeToMasterPorts(cluster))) rules.push({ name: `node-to-master-tcp-${lo}-${hi}`, ...from, protocol: 'tcp', fromPort: lo, toPort: hi });
  // Calico's IP-in-IP (protocol 4), as kops opens it.
  if ('calico' in networking) rules.push({ name: 'node-to-master-protocol-ipip', ...from, protocol: '4' });
  return rules;
}

/**
 * kops sends SSH through a bastion's own load balancer; kopsdeck makes no
 * bastion load balancer, so sshAccess reaches the bastion group directly.
 */
function sshRules(cluster: Cluster, withBastion: boolean): RuleSpec[] {
  const rules: RuleSpec[] = [];
  const ssh = { protocol: 'tcp' as const, fromPort: 22, toPort: 22 };
  for (const entry of cluster.spec.sshAccess ?? []) {
    if (withBastion) {
      rules.push({ name: `ssh-external-to-bastion-${entry}`, group: 'bastions', ...ssh, ...accessSource(entry) });
    } else {
      rules.push({ name: `ssh-external-to-master-${entry}`, group: 'masters', ...ssh, ...accessSource(entry) });
      rules.push({ name: `ssh-external-to-node-${entry}`, group: 'nodes', ...ssh, ...accessSource(entry) });
    }
  }
  if (withBastion) {
    rules.push({ name: 'bastion-to-master-ssh', group: 'masters', ...ssh, sourceGroup: 'bastions' });
    rules.push({ name: 'bastion-to-node-ssh', group: 'nodes', ...ssh, sourceGroup: 'bastions' });
  }
  return rules;
}

/**
 * The load balancer's group: the API from kubernetesApiAccess, ICMP for path
 * MTU discovery both ways with the control plane, 443 on to the control plane,
 * and, without DNS, everything from the nodes (they reach the API through it).
 * kops also forwards kops-controller (3988); kopsdeck runs no kops-controller,
 * so it opens no 3988.
 */
function apiLoadBalancerRules(cluster: Cluster): RuleSpec[] {
  const rules: RuleSpec[] = [];
  for (const entry of cluster.spec.kubernetesApiAccess ?? []) {
    const source = accessSource(entry);
    rules.push({ name: `https-api-elb-${entry}`, group: 'api-elb', protocol: 'tcp', fromPort: 443, toPort: 443, ...source });
    if (!isIpv4(entry)) rules.push({ name: `icmpv6-pmtu-api-elb-${entry}`, group: 'api-elb', protocol: 'icmpv6', fromPort: -1, toPort: -1, ...source });
    if (!isIpv6(entry)) rules.push({ name: `icmp-pmtu-api-elb-${entry}`, group: 'api-elb', protocol: 'icmp', fromPort: 3, toPort: 4, ...source });
  }
  rules.push({ name: 'https-elb-to-master', group: 'masters', protocol: 'tcp', fromPort: 443, toPort: 443, sourceGroup: 'api-elb' });
  rules.push({ name: 'icmp-pmtu-elb-to-cp', group: 'masters', protocol: 'icmp', fromPort: 3, toPort: 4, sourceGroup: 'api-elb' });
  rules.push({ name: 'icmp-pmtu-cp-to-elb', group: 'api-elb', protocol: 'icmp', fromPort: 3, toPort: 4, sourceGroup: 'masters' });
  if (usesNoneDns(cluster)) rules.push({ name: 'node-to-elb', group: 'api-elb', protocol: '-1', sourceGroup: 'nodes' });
  return rules;
}
