// The spec `kops create cluster` (kops 1.36, upup/pkg/fi/cloudup/new_cluster.go)
// would write for a set of options: the same names, CIDRs and defaults, so a
// kops user recognises every field. The Kubernetes version and the machine
// images come from the channel. The builder never fails; it builds what was
// asked and checkClusterSpec says what is wrong with it, so the CLI and the
// wizard report every problem at once.
import type { Channel } from '../channel/channel.js';
import { architectureOfMachineType } from '../channel/architecture.js';
import { shippedChannel, STABLE_CHANNEL } from '../channel/load-channel.js';
import { findImage } from '../channel/lookups.js';
import { formatCidr, parseCidr, splitCidr, type Cidr } from './cidr.js';
import {
  CLUSTER_LABEL,
  KOPS_API_VERSION,
  isGossipClusterName,
  type Cluster,
  type ClusterBundle,
  type ClusterSubnet,
  type EtcdCluster,
  type InstanceGroup,
  type InstanceGroupRole,
  type NetworkingName,
  type NetworkingSpec,
} from './types.js';
import { defaultKubernetesVersion, kubernetesVersionError } from './kubernetes-version.js';

export const DEFAULT_NETWORK_CIDR = '172.20.0.0/16';
export const DEFAULT_CONTROL_PLANE_MACHINE_TYPE = 't3.medium';
export const DEFAULT_NODE_MACHINE_TYPE = 't3.medium';
export const DEFAULT_BASTION_MACHINE_TYPE = 't3.micro';
export const DEFAULT_ACCESS: readonly string[] = ['0.0.0.0/0', '::/0'];
export const DEFAULT_NETWORKING: NetworkingName = 'cilium';
export const BASTION_GROUP_NAME = 'bastions';

export interface ClusterOptions {
  name: string;
  zones: string[];
  controlPlaneZones?: string[];
  controlPlaneCount?: number;
  nodeCount?: number;
  nodeSize?: string;
  controlPlaneSize?: string;
  kubernetesVersion?: string;
  topology: 'public' | 'private';
  bastion?: boolean;
  networking?: NetworkingName;
  dnsZone?: string;
  /**
   * With a DNS zone, point api.<cluster> at the control-plane machines
   * instead of a load balancer: kops' default, where its dns-controller keeps
   * the record current. kopsdeck runs nothing that does (only a rolling update
   * refreshes it), so a new cluster's machines could not reach its API:
   * `create cluster` and the wizard leave this off. The tests' fixtures ask
   * for it, to exercise kops' layout (which kops-made clusters have).
   */
  apiDns?: boolean;
  /** Accepted for kops parity; kops keeps the key outside the spec (pki/ssh), so it is not written here. */
  sshPublicKey?: string;
  adminAccess?: string[];
  /** One image for every group; absent: the channel's image for each group's architecture. */
  image?: string;
  networkCIDR?: string;
  /** Where the default version and images come from; absent: the stable channel shipped with kopsdeck. */
  channel?: Channel;
}

/**
 * The channel's image for a machine type and Kubernetes version (the
 * architecture follows the machine type), or '' when the channel has none,
 * which validation then reports.
 */
export function defaultImage(machineType: string, kubernetesVersion: string, channel: Channel = shippedChannel()): string {
  // For a version kopsdeck refuses, the version's own error is the one to fix; the image is then the default version's.
  const version = kubernetesVersionError(kubernetesVersion) ? defaultKubernetesVersion(channel) : kubernetesVersion;
  return findImage(channel, 'aws', architectureOfMachineType(machineType), version)?.name ?? '';
}

export function buildClusterSpec(requested: ClusterOptions): ClusterBundle {
  const channel = requested.channel ?? shippedChannel();
  const options: ClusterOptions = { ...requested, channel, kubernetesVersion: requested.kubernetesVersion ?? defaultKubernetesVersion(channel) };
  const zones = [...options.zones];
  const subnets = carveSubnets(options.networkCIDR ?? DEFAULT_NETWORK_CIDR, zones, options.topology);
  const controlPlanes = controlPlaneGroups(options, subnets);
  const instanceGroups: InstanceGroup[] = [
    ...controlPlanes,
    ...nodeGroups(options, subnets),
    ...(options.bastion ? [bastionGroup(options, subnets)] : []),
  ];
  const cluster = clusterResource(options, subnets, controlPlanes);
  return { cluster, instanceGroups };
}

function clusterResource(options: ClusterOptions, subnets: ClusterSubnet[], controlPlanes: InstanceGroup[]): Cluster {
  // kops 1.36: DNS only with --dns-zone (and never for a gossip name);
  // without DNS, or in a private topology, the API is behind a load balancer.
  // kopsdeck puts it behind one with DNS too, unless asked (apiDns): the
  // record then is an alias to the load balancer.
  const publishesDns = Boolean(options.dnsZone) && !isGossipClusterName(options.name);
  const privateTopology = options.topology === 'private';
  const access = options.adminAccess && options.adminAccess.length > 0 ? options.adminAccess : DEFAULT_ACCESS;
  const networking = options.networking ?? DEFAULT_NETWORKING;
  const cluster: Cluster = {
    apiVersion: KOPS_API_VERSION,
    kind: 'Cluster',
    metadata: { name: options.name },
    spec: {
      api: privateTopology || !publishesDns || !options.apiDns ? { loadBalancer: { class: 'Network', type: 'Public' } } : { dns: {} },
      authorization: { rbac: {} },
      channel: options.channel?.location ?? STABLE_CHANNEL,
      cloudProvider: 'aws',
      etcdClusters: defaultEtcdClusters(controlPlanes),
      iam: { allowContainerRegistry: true, legacy: false },
      kubelet: { anonymousAuth: false },
      kubernetesApiAccess: [...access],
      kubernetesVersion: options.kubernetesVersion!,
      networkCIDR: options.networkCIDR ?? DEFAULT_NETWORK_CIDR,
      networking: networkingSpec(networking),
      nonMasqueradeCIDR: '100.64.0.0/10',
      sshAccess: [...access],
      subnets,
      topology: { dns: { type: publishesDns ? 'Public' : 'None' } },
    },
  };
  // Cilium's NodePort replaces kube-proxy; kops writes both together (new_cluster.go addCiliumNetwork).
  if (networking === 'cilium') cluster.spec.kubeProxy = { enabled: false };
  if (options.dnsZone) cluster.spec.dnsZone = options.dnsZone;
  if (options.bastion && publishesDns) cluster.spec.topology.bastion = { bastionPublicName: `bastion.${options.name}` };
  return cluster;
}

export function networkingSpec(name: NetworkingName): NetworkingSpec {
  switch (name) {
    case 'cilium':
      return { cilium: { enableNodePort: true } };
    case 'flannel':
      return { flannel: { backend: 'vxlan' } };
    default:
      return { [name]: {} };
  }
}

/**
 * kops' carving: split the network into eighths (a /16 gives /19s), give the
 * zone subnets the second eighth onwards, and split the first eighth again for
 * the small utility subnets (/22s). More zones than fit split finer.
 */
export function carveSubnets(networkCIDR: string, zones: string[], topology: 'public' | 'private'): ClusterSubnet[] {
  const network = parseCidr(networkCIDR);
  const big = network ? piecesFor(network, zones.length + 1) : [];
  const little = big.length > 0 ? piecesFor(big[0], zones.length) : [];
  const mainType = topology === 'private' ? 'Private' : 'Public';
  const subnets: ClusterSubnet[] = zones.map((zone, i) => ({
    cidr: big[i + 1] ? formatCidr(big[i + 1]) : '',
    name: zone,
    type: mainType,
    zone,
  }));
  if (topology === 'private') {
    zones.forEach((zone, i) => {
      subnets.push({ cidr: little[i] ? formatCidr(little[i]) : '', name: `utility-${zone}`, type: 'Utility', zone });
    });
  }
  return subnets;
}

function piecesFor(cidr: Cidr, wanted: number): Cidr[] {
  let bits = 3;
  while (1 << bits < wanted) bits++;
  return splitCidr(cidr, bits);
}

/**
 * One group per control-plane instance, named control-plane-<zone>, spread
 * round-robin over the control-plane zones; a zone holding several gets
 * control-plane-<zone>-1, -2, ... (each group runs one instance, as in kops).
 */
function controlPlaneGroups(options: ClusterOptions, subnets: ClusterSubnet[]): InstanceGroup[] {
  const count = Math.max(0, Math.floor(options.controlPlaneCount ?? options.controlPlaneZones?.length ?? 1));
  const zones = options.controlPlaneZones ?? options.zones.slice(0, Math.max(1, count));
  if (zones.length === 0) return [];
  const perZone = new Map<string, number>();
  for (let i = 0; i < count; i++) perZone.set(zones[i % zones.length], (perZone.get(zones[i % zones.length]) ?? 0) + 1);
  const groups: InstanceGroup[] = [];
  for (const [zone, n] of perZone) {
    for (let k = 1; k <= n; k++) {
      const name = n === 1 ? `control-plane-${zone}` : `control-plane-${zone}-${k}`;
      const size = options.controlPlaneSize ?? DEFAULT_CONTROL_PLANE_MACHINE_TYPE;
      groups.push(instanceGroup(options, name, 'ControlPlane', size, 1, [mainSubnetOf(subnets, zone)]));
    }
  }
  return groups;
}

/** One group per zone, nodes-<zone>, the node count spread evenly (earlier zones take the remainder). */
function nodeGroups(options: ClusterOptions, subnets: ClusterSubnet[]): InstanceGroup[] {
  const zones = options.zones;
  const total = Math.max(0, Math.floor(options.nodeCount ?? zones.length));
  return zones.map((zone, i) => {
    const size = Math.floor(total / zones.length) + (i < total % zones.length ? 1 : 0);
    const ig = instanceGroup(options, `nodes-${zone}`, 'Node', options.nodeSize ?? DEFAULT_NODE_MACHINE_TYPE, size, [
      mainSubnetOf(subnets, zone),
    ]);
    ig.spec.rollingUpdate = { maxSurge: 1 };
    return ig;
  });
}

/** Bastions sit in the utility (public) subnets of a private cluster. */
function bastionGroup(options: ClusterOptions, subnets: ClusterSubnet[]): InstanceGroup {
  const utility = subnets.filter((s) => s.type === 'Utility').map((s) => s.name);
  const where = utility.length > 0 ? utility : subnets.map((s) => s.name);
  return instanceGroup(options, BASTION_GROUP_NAME, 'Bastion', DEFAULT_BASTION_MACHINE_TYPE, 1, where);
}

function mainSubnetOf(subnets: ClusterSubnet[], zone: string): string {
  return subnets.find((s) => s.zone === zone && s.type !== 'Utility')?.name ?? zone;
}

function instanceGroup(
  options: ClusterOptions,
  name: string,
  role: InstanceGroupRole,
  machineType: string,
  size: number,
  subnets: string[],
): InstanceGroup {
  return {
    apiVersion: KOPS_API_VERSION,
    kind: 'InstanceGroup',
    metadata: { name, labels: { [CLUSTER_LABEL]: options.name } },
    spec: {
      image: options.image ?? defaultImage(machineType, options.kubernetesVersion!, options.channel),
      machineType,
      maxSize: size,
      minSize: size,
      nodeLabels: { 'kops.k8s.io/instancegroup': name },
      role,
      subnets,
    },
  };
}

/** main and events, one member per control-plane group, named after its zone letter as kops does. */
export function defaultEtcdClusters(controlPlanes: InstanceGroup[]): EtcdCluster[] {
  const memberNames = controlPlanes.map((ig) => memberName(ig));
  return [
    { cpuRequest: '200m', memoryRequest: '100Mi', name: 'main', manager: { backupRetentionDays: 90 } },
    { cpuRequest: '100m', memoryRequest: '100Mi', name: 'events', manager: { backupRetentionDays: 90 } },
  ].map((etcd) => ({
    ...etcd,
    etcdMembers: controlPlanes.map((ig, i) => ({
      encryptedVolume: true,
      instanceGroup: ig.metadata.name,
      name: memberNames[i],
    })),
  }));
}

/** 'control-plane-us-east-1a' -> 'a'; 'control-plane-us-east-1a-2' -> 'a-2'. */
function memberName(ig: InstanceGroup): string {
  const match = /-\d+([a-z])(-\d+)?$/.exec(ig.metadata.name);
  return match ? match[1] + (match[2] ?? '') : ig.metadata.name;
}
