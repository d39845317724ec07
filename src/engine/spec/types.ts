// The Cluster and InstanceGroup resources in kops' own kops.k8s.io/v1alpha2
// form. Only the fields kopsdeck reads or writes are named here; every object
// carries an index signature so that fields kopsdeck does not model (iam,
// kubeAPIServer, additionalPolicies, ...) survive a read-modify-write unchanged.

export const KOPS_API_VERSION = 'kops.k8s.io/v1alpha2';

/** The label every InstanceGroup carries to name the cluster it belongs to. */
export const CLUSTER_LABEL = 'kops.k8s.io/cluster';

export type Unknown = { [key: string]: unknown };

export interface ObjectMeta extends Unknown {
  name: string;
  creationTimestamp?: string;
  labels?: Record<string, string>;
}

export type SubnetType = 'Public' | 'Private' | 'Utility' | 'DualStack';
/** kops' subnet types. DualStack (IPv6 clusters) is read on kops clusters; kopsdeck does not create one (check-cluster-spec says so). */
export const SUBNET_TYPES: readonly SubnetType[] = ['Public', 'Private', 'Utility', 'DualStack'];

export interface ClusterSubnet extends Unknown {
  name: string;
  zone: string;
  type: SubnetType;
  /** The IPv4 range; an IPv6-only subnet of a kops IPv6 cluster has ipv6CIDR instead. */
  cidr?: string;
  ipv6CIDR?: string;
}

export type DnsType = 'Public' | 'Private' | 'None';
export const DNS_TYPES: readonly DnsType[] = ['Public', 'Private', 'None'];

export interface TopologySpec extends Unknown {
  dns: { type: DnsType } & Unknown;
  /** Not written by kops' v1alpha2 create; derive with topologyOf() instead of reading these. */
  controlPlane?: string;
  nodes?: string;
  bastion?: { bastionPublicName?: string } & Unknown;
}

export interface ApiSpec extends Unknown {
  dns?: Unknown;
  loadBalancer?: { type?: 'Public' | 'Internal'; class?: 'Classic' | 'Network' } & Unknown;
  publicName?: string;
}

export type NetworkingName = 'cilium' | 'calico' | 'flannel' | 'amazonvpc' | 'kindnet';
export const NETWORKING_NAMES: readonly NetworkingName[] = ['cilium', 'calico', 'flannel', 'amazonvpc', 'kindnet'];

/** Exactly one key names the CNI, e.g. { cilium: { enableNodePort: true } }. */
export type NetworkingSpec = Unknown;

export interface EtcdMember extends Unknown {
  name: string;
  instanceGroup: string;
  encryptedVolume?: boolean;
}

export interface EtcdCluster extends Unknown {
  name: string;
  etcdMembers: EtcdMember[];
}

/** An integer, or a percentage string such as "25%", as in kops and Kubernetes. */
export type IntOrPercent = number | string;

export interface RollingUpdateSpec extends Unknown {
  maxSurge?: IntOrPercent;
  maxUnavailable?: IntOrPercent;
  drainAndTerminate?: boolean;
}

export interface ClusterSpec extends Unknown {
  kubernetesVersion: string;
  cloudProvider: string;
  networkCIDR: string;
  networkID?: string;
  subnets: ClusterSubnet[];
  topology: TopologySpec;
  api: ApiSpec;
  dnsZone?: string;
  networking: NetworkingSpec;
  etcdClusters: EtcdCluster[];
  sshAccess: string[];
  kubernetesApiAccess: string[];
  sshKeyName?: string;
  rollingUpdate?: RollingUpdateSpec;
  /** kube-proxy; kops writes { enabled: false } when Cilium's NodePort replaces it. */
  kubeProxy?: { enabled?: boolean } & Unknown;
  /** Where versions and images come from: "stable", a file path or a URL, as in kops. */
  channel?: string;
}

export interface Cluster extends Unknown {
  apiVersion: string;
  kind: 'Cluster';
  metadata: ObjectMeta;
  spec: ClusterSpec;
}

export type InstanceGroupRole = 'Master' | 'ControlPlane' | 'APIServer' | 'Node' | 'Bastion';
export const INSTANCE_GROUP_ROLES: readonly InstanceGroupRole[] = ['Master', 'ControlPlane', 'APIServer', 'Node', 'Bastion'];

/** Karpenter runs the group's machines: kops makes no auto scaling group for it, and kopsdeck neither builds nor rolls one. */
export const managedByKarpenter = (ig: { spec: { manager?: string } }): boolean => ig.spec.manager === 'Karpenter';

export interface InstanceGroupSpec extends Unknown {
  role: InstanceGroupRole;
  /**
   * Who runs its machines: an auto scaling group (CloudGroup, the default) or
   * Karpenter, in which case kops makes no group and machineType, minSize and
   * maxSize may be absent (Karpenter chooses).
   */
  manager?: 'CloudGroup' | 'Karpenter';
  machineType?: string;
  image: string;
  minSize?: number;
  maxSize?: number;
  subnets: string[];
  rollingUpdate?: RollingUpdateSpec;
  nodeLabels?: Record<string, string>;
  /** Root volume, in v1alpha2's flat form (kops' defaults: gp3, encrypted, 64/128/32 GiB by role). */
  rootVolumeSize?: number;
  rootVolumeType?: string;
  rootVolumeIops?: number;
  rootVolumeThroughput?: number;
  rootVolumeEncryption?: boolean;
  /** IMDS options: kops writes a hop limit of 3 on the control plane, 1 elsewhere, tokens required. */
  instanceMetadata?: { httpPutResponseHopLimit?: number; httpTokens?: string } & Unknown;
  /** Security group ids added to the role's own group. */
  additionalSecurityGroups?: string[];
  /** Public addresses in public subnets (default true, as kops); never in private ones. */
  associatePublicIp?: boolean;
}

export interface InstanceGroup extends Unknown {
  apiVersion: string;
  kind: 'InstanceGroup';
  metadata: ObjectMeta & { labels: Record<string, string> };
  spec: InstanceGroupSpec;
}

/** A cluster and its instance groups, as `kops get -o yaml` prints them. */
export interface ClusterBundle {
  cluster: Cluster;
  instanceGroups: InstanceGroup[];
}

/**
 * Control plane runs etcd and the API server. Master is the pre-1.26 name of
 * ControlPlane. APIServer groups run only the API server (no etcd), so they are
 * not control plane for quorum purposes.
 */
export function isControlPlaneRole(role: unknown): boolean {
  return role === 'Master' || role === 'ControlPlane';
}

export function isNodeRole(role: unknown): boolean {
  return role === 'Node';
}

/** Master and ControlPlane are one role; kopsdeck writes and reports ControlPlane. */
export function canonicalRole(role: InstanceGroupRole): Exclude<InstanceGroupRole, 'Master'> {
  return role === 'Master' ? 'ControlPlane' : role;
}

/** The order kops rolls groups in: bastions, control plane, API servers, nodes. */
export function rolloutRank(role: InstanceGroupRole): number {
  switch (canonicalRole(role)) {
    case 'Bastion':
      return 0;
    case 'ControlPlane':
      return 1;
    case 'APIServer':
      return 2;
    default:
      return 3;
  }
}

/** Private when the cluster has any Private subnet (its nodes then sit behind NAT). */
export function topologyOf(cluster: Cluster): 'public' | 'private' {
  return cluster.spec.subnets.some((s) => s.type === 'Private') ? 'private' : 'public';
}

/** Gossip clusters (no DNS zone) are named *.k8s.local, as in kops. */
export function isGossipClusterName(name: string): boolean {
  return name.endsWith('.k8s.local');
}

/** Distinct zones of the cluster's subnets, in subnet order. */
export function clusterZones(cluster: Cluster): string[] {
  return [...new Set(cluster.spec.subnets.map((s) => s.zone))];
}
