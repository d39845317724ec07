// The user-data of an instance group's launch template, from the cluster spec:
// who the machine is, where it reads its secrets, the CA it must find there,
// and the kubeadm configuration of its role (src/engine/bootstrap).
import type { Cluster, InstanceGroup } from '../spec/types.js';
import { regionOfZone } from '../spec/regions.js';
import { bootstrapRole, machineConfigBase, renderUserDataBase64, type UserDataInput } from '../bootstrap/user-data.js';
import { kubeletMaySetLabel, parseTaints } from '../bootstrap/kubeadm-config.js';
import { usesApiLoadBalancer, usesNoneDns } from './firewall.js';
import { apiLoadBalancerNames } from './model-api.js';
import { loadBalancerKey } from './tasks/load-balancer.js';
import type { UserDataSource } from './tasks/launch-template.js';
import { architectureOfMachineType, findContainerd, findNetworkAddon, loadChannel, releaseFor, shippedChannel, type ContainerdPin, type NetworkAddon } from '../channel/index.js';

/** kops' defaults inside nonMasqueradeCIDR 100.64.0.0/10. */
export const DEFAULT_SERVICE_CIDR = '100.64.0.0/13';
export const DEFAULT_POD_CIDR = '100.96.0.0/11';

export interface BootstrapOptions {
  /** The state store's URL: machines read their cluster's folder in it. */
  stateStore?: string;
  /** The region of the state store's bucket (identityOptionsOf). */
  storeRegion?: string;
  /** `sha256:<hex>` of the cluster CA's public key, once the CA exists in the store. */
  caCertHash?: string;
  /** The network add-on the first control-plane node installs (machinePinsOf). */
  networkAddon?: NetworkAddon;
  /** The containerd and runc every machine that joins installs (machinePinsOf). */
  containerd?: ContainerdPin;
}

/** The spec's networking: its one key (cilium, calico, ...). */
export const networkingOf = (cluster: Cluster): string | undefined => Object.keys(cluster.spec.networking ?? {})[0];

/** What the channel pins for the cluster's machines. */
export interface MachinePins {
  networkAddon?: NetworkAddon;
  containerd?: ContainerdPin;
}

/**
 * The network add-on pinned for the cluster's networking and Kubernetes
 * version, and the containerd release for that version: from its channel,
 * else (a channel without pins, or one that cannot be read now) from the
 * channel shipped with kopsdeck.
 */
export async function machinePinsOf(cluster: Cluster): Promise<MachinePins> {
  const shipped = shippedChannel();
  const channel = await loadChannel(cluster.spec.channel).catch(() => shipped);
  const networking = networkingOf(cluster);
  const version = cluster.spec.kubernetesVersion;
  return {
    networkAddon: (networking && findNetworkAddon(channel, shipped, networking, version)) || undefined,
    containerd: findContainerd(channel, shipped, version) ?? undefined,
  };
}

/** Groups whose machines would have no container runtime to install: no pin for the version, or none for their architecture. */
export function checkContainerd(cluster: Cluster, instanceGroups: InstanceGroup[], pin: ContainerdPin | undefined): string[] {
  const joining = instanceGroups.filter((ig) => bootstrapRole(ig.spec.role) !== 'Bastion');
  if (!joining.length) return [];
  if (!pin) return [`the channel pins no containerd release for Kubernetes ${cluster.spec.kubernetesVersion}: machines would have no container runtime to install`];
  return joining
    .filter((ig) => !containerRuntimeFor(ig, pin))
    .map((ig) => {
      const arch = architectureOfMachineType(ig.spec.machineType ?? '');
      return `instance group ${ig.metadata.name}: the channel pins containerd ${pin.version} and runc ${pin.runc.version} without a SHA-256 for ${arch}, the architecture of ${ig.spec.machineType}`;
    });
}

/** Spec problems the bootstrap cannot carry (listed with the model's). */
export function checkBootstrap(instanceGroups: InstanceGroup[]): string[] {
  return instanceGroups.flatMap((ig) => parseTaints(taintsOf(ig)).problems.map((p) => `instance group ${ig.metadata.name}: ${p}`));
}

/**
 * The user-data of one instance group. Where machines reach the API through
 * the load balancer's own DNS name (no DNS zone), that name is known once the
 * load balancer exists, so the user-data is rendered then.
 */
export function instanceGroupUserData(cluster: Cluster, ig: InstanceGroup, options: BootstrapOptions): UserDataSource {
  const render = (apiHost: string) => renderUserDataBase64(userDataInput(cluster, ig, options, apiHost));
  const name = cluster.metadata.name;
  if (publishesApiName(cluster) || !usesApiLoadBalancer(cluster)) return render(`api.${name}`);
  return { loadBalancerKey: loadBalancerKey(apiLoadBalancerNames(name).task), render };
}

function userDataInput(cluster: Cluster, ig: InstanceGroup, options: BootstrapOptions, apiHost: string): UserDataInput {
  const name = cluster.metadata.name;
  const spec = cluster.spec as Cluster['spec'] & { podCIDR?: string; serviceClusterIPRange?: string };
  const zone = cluster.spec.subnets.find((s) => ig.spec.subnets.includes(s.name))?.zone ?? cluster.spec.subnets[0]?.zone ?? '';
  const labels = Object.fromEntries(Object.entries(ig.spec.nodeLabels ?? {}).filter(([key]) => kubeletMaySetLabel(key)));
  return {
    cluster: name,
    instanceGroup: ig.metadata.name,
    kubernetesVersion: cluster.spec.kubernetesVersion,
    role: bootstrapRole(ig.spec.role),
    region: regionOfZone(zone) ?? zone.replace(/[a-z]$/, ''),
    configBase: machineConfigBase(options.stateStore, name),
    storeRegion: options.storeRegion,
    caCertHash: options.caCertHash,
    networkAddon: options.networkAddon,
    containerRuntime: containerRuntimeFor(ig, options.containerd),
    kubeadm: {
      apiHost,
      certSANs: [`api.${name}`, ...(cluster.spec.api?.publicName ? [cluster.spec.api.publicName] : [])],
      podSubnet: spec.podCIDR ?? DEFAULT_POD_CIDR,
      serviceSubnet: spec.serviceClusterIPRange ?? DEFAULT_SERVICE_CIDR,
      nodeLabels: labels,
      taints: parseTaints(taintsOf(ig)).taints,
      skipKubeProxy: cluster.spec.kubeProxy?.enabled === false,
    },
  };
}

/** The pinned containerd and runc for the group's architecture (its machine type's, as its image's). */
function containerRuntimeFor(ig: InstanceGroup, pin: ContainerdPin | undefined): UserDataInput['containerRuntime'] {
  if (!pin) return undefined;
  const arch = architectureOfMachineType(ig.spec.machineType ?? '');
  const containerd = releaseFor(pin, arch);
  const runc = releaseFor(pin.runc, arch);
  return containerd && runc ? { containerd, runc } : undefined;
}

/** api.<cluster> resolves: the cluster publishes it in its DNS zone. */
function publishesApiName(cluster: Cluster): boolean {
  return Boolean(cluster.spec.dnsZone) && !usesNoneDns(cluster);
}

const taintsOf = (ig: InstanceGroup): string[] => (Array.isArray(ig.spec.taints) ? ig.spec.taints.filter((t): t is string => typeof t === 'string') : []);
