// A cluster as `kops create cluster` + `kops update cluster --yes` (kops 1.36)
// lays it out, as plain data: its instance groups, how the API is reached, and
// the names and tags kops gives each AWS resource. Taken from kops' published
// integration outputs (kubernetes/kops tests/integration/update_cluster:
// minimal-1.36, ha, minimal-dns-none), moved to the simulator's region.

export type KopsLayoutKind = 'minimal' | 'ha' | 'minimal-dns-none';
export const KOPS_LAYOUTS: readonly KopsLayoutKind[] = ['minimal', 'ha', 'minimal-dns-none'];

export type KopsRole = 'ControlPlane' | 'Node';

export interface KopsInstanceGroup {
  name: string;
  role: KopsRole;
  zone: string;
  machineType: string;
  minSize: number;
  maxSize: number;
  /** Root volume size (GiB): kops gives the control plane 64, nodes 128. */
  rootVolumeSize: number;
  /** IMDS hop limit: 3 on the control plane (pods on the host network), 1 on nodes. */
  hopLimit: number;
}

export interface KopsLayoutInput {
  cluster: string;
  kind: KopsLayoutKind;
  region: string;
  kubernetesVersion: string;
  /** The version of kops that "made" it (kops-version.txt, nodeup URLs). */
  kopsVersion: string;
  /** An image reference as kops writes it (`<owner>/<name>`). */
  image: string;
  /** The state store, e.g. s3://kops-state/team-a. */
  stateStore: string;
}

export interface KopsLayout extends KopsLayoutInput {
  zones: string[];
  instanceGroups: KopsInstanceGroup[];
  /** The Route 53 zone (the cluster name's parent) for a DNS API; absent behind a load balancer. */
  dnsZone?: string;
  apiLoadBalancer: boolean;
  /** `s3://<bucket>/<prefix>/<cluster>`: where nodeup reads its configuration. */
  configBase: string;
  networkCIDR: string;
}

export type Tags = Record<string, string>;

export function buildKopsLayout(input: KopsLayoutInput): KopsLayout {
  const letters = input.kind === 'ha' ? ['a', 'b', 'c'] : ['a'];
  const zones = letters.map((l) => `${input.region}${l}`);
  const instanceGroups: KopsInstanceGroup[] = [
    ...zones.map((zone) => ({ name: `control-plane-${zone}`, role: 'ControlPlane' as const, zone, machineType: 't3.medium', minSize: 1, maxSize: 1, rootVolumeSize: 64, hopLimit: 3 })),
    ...zones.map((zone) => ({ name: `nodes-${zone}`, role: 'Node' as const, zone, machineType: 't3.medium', minSize: 1, maxSize: 1, rootVolumeSize: 128, hopLimit: 1 })),
  ];
  const apiLoadBalancer = input.kind === 'minimal-dns-none';
  const parent = input.cluster.split('.').slice(1).join('.');
  return {
    ...input,
    zones,
    instanceGroups,
    apiLoadBalancer,
    dnsZone: apiLoadBalancer ? undefined : parent,
    configBase: `${input.stateStore.replace(/\/+$/, '')}/${input.cluster}`,
    networkCIDR: '172.20.0.0/16',
  };
}

/** 172.20.32.0/19, 172.20.64.0/19, … one /19 per zone, as kops allocates them. */
export const subnetCidr = (index: number): string => `172.20.${32 * (index + 1)}.0/19`;

/** kops' cloud tags on everything it owns: `KubernetesCluster`, `Name`, `kubernetes.io/cluster/<name>=owned`. */
export function clusterTags(cluster: string, name: string): Tags {
  return { KubernetesCluster: cluster, Name: name, [`kubernetes.io/cluster/${cluster}`]: 'owned' };
}

/** kops' name for an instance group's auto scaling group and launch template. */
export function groupName(layout: KopsLayout, ig: KopsInstanceGroup): string {
  return ig.role === 'ControlPlane' ? `${ig.name}.masters.${layout.cluster}` : `${ig.name}.${layout.cluster}`;
}

/** The tags kops puts on an instance group's group, template and instances (cluster-autoscaler hints included). */
export function instanceGroupTags(layout: KopsLayout, ig: KopsInstanceGroup): Tags {
  const label = 'k8s.io/cluster-autoscaler/node-template/label/';
  const tags: Tags = {
    ...clusterTags(layout.cluster, groupName(layout, ig)),
    'aws-node-termination-handler/managed': '',
    [`${label}kops.k8s.io/instancegroup`]: ig.name,
    'kops.k8s.io/instancegroup': ig.name,
  };
  if (ig.role === 'ControlPlane') {
    Object.assign(tags, {
      [`${label}kops.k8s.io/kops-controller-pki`]: '',
      [`${label}node-role.kubernetes.io/control-plane`]: '',
      [`${label}node.kubernetes.io/exclude-from-external-load-balancers`]: '',
      'k8s.io/role/control-plane': '1',
      'k8s.io/role/master': '1',
    });
  } else {
    Object.assign(tags, { [`${label}node-role.kubernetes.io/node`]: '', 'k8s.io/role/node': '1' });
  }
  return tags;
}

/** kops' security-group names. */
export const securityGroupName = (layout: KopsLayout, role: 'masters' | 'nodes' | 'api-elb'): string => `${role}.${layout.cluster}`;

export interface KopsRule {
  /** kops' task name, e.g. from-nodes.<cluster>-ingress-tcp-1to2379-masters.<cluster> */
  name: string;
  group: 'masters' | 'nodes' | 'api-elb';
  egress?: boolean;
  protocol: string;
  fromPort?: number;
  toPort?: number;
  cidr?: string;
  sourceGroup?: 'masters' | 'nodes' | 'api-elb';
}

/** The security-group rules of the layout, with kops' port ranges (kubernetes.tf aws_security_group_rule). */
export function kopsRules(layout: KopsLayout): KopsRule[] {
  const c = layout.cluster;
  const rules: KopsRule[] = [];
  const world = ['0.0.0.0/0', '::/0'];
  for (const cidr of world) {
    rules.push({ name: `from-${cidr}-ingress-tcp-22to22-masters.${c}`, group: 'masters', protocol: 'tcp', fromPort: 22, toPort: 22, cidr });
    rules.push({ name: `from-${cidr}-ingress-tcp-22to22-nodes.${c}`, group: 'nodes', protocol: 'tcp', fromPort: 22, toPort: 22, cidr });
    if (layout.apiLoadBalancer) rules.push({ name: `from-${cidr}-ingress-tcp-443to443-api-elb.${c}`, group: 'api-elb', protocol: 'tcp', fromPort: 443, toPort: 443, cidr });
    else rules.push({ name: `from-${cidr}-ingress-tcp-443to443-masters.${c}`, group: 'masters', protocol: 'tcp', fromPort: 443, toPort: 443, cidr });
  }
  const groups: ('masters' | 'nodes' | 'api-elb')[] = layout.apiLoadBalancer ? ['api-elb', 'masters', 'nodes'] : ['masters', 'nodes'];
  // Egress to 0.0.0.0/0 is every new VPC group's default rule; kops adds the IPv6 one.
  for (const group of groups) rules.push({ name: `from-${group}.${c}-egress-all-0to0-::/0`, group, egress: true, protocol: '-1', cidr: '::/0' });
  rules.push(
    { name: `from-masters.${c}-ingress-all-0to0-masters.${c}`, group: 'masters', protocol: '-1', sourceGroup: 'masters' },
    { name: `from-masters.${c}-ingress-all-0to0-nodes.${c}`, group: 'nodes', protocol: '-1', sourceGroup: 'masters' },
    { name: `from-nodes.${c}-ingress-all-0to0-nodes.${c}`, group: 'nodes', protocol: '-1', sourceGroup: 'nodes' },
    { name: `from-nodes.${c}-ingress-tcp-1to2379-masters.${c}`, group: 'masters', protocol: 'tcp', fromPort: 1, toPort: 2379, sourceGroup: 'nodes' },
    { name: `from-nodes.${c}-ingress-tcp-2382to4000-masters.${c}`, group: 'masters', protocol: 'tcp', fromPort: 2382, toPort: 4000, sourceGroup: 'nodes' },
    { name: `from-nodes.${c}-ingress-tcp-4003to65535-masters.${c}`, group: 'masters', protocol: 'tcp', fromPort: 4003, toPort: 65535, sourceGroup: 'nodes' },
    { name: `from-nodes.${c}-ingress-udp-1to65535-masters.${c}`, group: 'masters', protocol: 'udp', fromPort: 1, toPort: 65535, sourceGroup: 'nodes' },
  );
  if (layout.apiLoadBalancer) {
    rules.push(
      { name: 'https-elb-to-master', group: 'masters', protocol: 'tcp', fromPort: 443, toPort: 443, sourceGroup: 'api-elb' },
      { name: 'icmp-pmtu-api-elb-0.0.0.0/0', group: 'api-elb', protocol: 'icmp', fromPort: 3, toPort: 4, cidr: '0.0.0.0/0' },
      { name: 'icmp-pmtu-cp-to-elb', group: 'api-elb', protocol: 'icmp', fromPort: 3, toPort: 4, sourceGroup: 'masters' },
      { name: 'icmp-pmtu-elb-to-cp', group: 'masters', protocol: 'icmp', fromPort: 3, toPort: 4, sourceGroup: 'api-elb' },
      { name: 'icmpv6-pmtu-api-elb-::/0', group: 'api-elb', protocol: 'icmpv6', fromPort: -1, toPort: -1, cidr: '::/0' },
      { name: 'kops-controller-elb-to-cp', group: 'masters', protocol: 'tcp', fromPort: 3988, toPort: 3988, sourceGroup: 'api-elb' },
      { name: 'node-to-elb', group: 'api-elb', protocol: '-1', sourceGroup: 'nodes' },
    );
  }
  return rules;
}
