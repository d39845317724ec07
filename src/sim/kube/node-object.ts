// The Node a kubelet registers: labels kops sets, providerID, addresses,
// capacity for the instance type, conditions, node info and the images it holds.
import { createHash } from 'node:crypto';
import type { InstanceRecord } from './cluster-world.js';
import { timestamp, type KubeObject } from './types.js';

/** What kops 1.36.2 installs (pkg/model/components/containerd.go), for machines kops made: 1.7.32 below Kubernetes 1.32, else 2.2.4. */
function kopsContainerdVersion(kubernetesVersion: string): string {
  const [major, minor] = kubernetesVersion.split('.').map(Number);
  return major === 1 && minor < 32 ? '1.7.32' : '2.2.4';
}

const SIZES: Record<string, { cpu: number; memoryGi: number }> = {
  't3.micro': { cpu: 2, memoryGi: 1 },
  't3.small': { cpu: 2, memoryGi: 2 },
  't3.medium': { cpu: 2, memoryGi: 4 },
  't3.large': { cpu: 2, memoryGi: 8 },
  'm5.large': { cpu: 2, memoryGi: 8 },
  'm5.xlarge': { cpu: 4, memoryGi: 16 },
  'm5.2xlarge': { cpu: 8, memoryGi: 32 },
  'c5.large': { cpu: 2, memoryGi: 4 },
  'c5.xlarge': { cpu: 4, memoryGi: 8 },
  'm6i.large': { cpu: 2, memoryGi: 8 },
  'm6i.xlarge': { cpu: 4, memoryGi: 16 },
};

export function regionOf(zone: string): string {
  return zone.replace(/[a-z]$/, '');
}

/** GiB per vCPU of the general (m), compute (c) and memory (r) families' large sizes and up. */
const GIB_PER_CPU: Record<string, number> = { m: 4, c: 2, r: 8 };

/**
 * The instance type's vCPUs and memory: from the table, else by EC2's naming
 * (a large has 2 vCPUs, an xlarge 4, an Nxlarge 4N, at the family's memory
 * per vCPU), else a t3.medium's, so that a pod's requests meet a node of a
 * believable size.
 */
function sizeOf(instanceType: string): { cpu: number; memoryGi: number } {
  const known = SIZES[instanceType];
  if (known) return known;
  const named = /^([mcr])\d+[a-z-]*\.(\d*)(x?)large$/.exec(instanceType);
  if (!named) return { cpu: 2, memoryGi: 4 };
  const cpu = named[3] ? 4 * Number(named[2] || 1) : 2;
  return { cpu, memoryGi: cpu * GIB_PER_CPU[named[1]] };
}

function capacity(instanceType: string): Record<string, string> {
  const size = sizeOf(instanceType);
  return {
    cpu: String(size.cpu),
    memory: `${size.memoryGi * 1024 * 1024}Ki`,
    pods: '110',
    'ephemeral-storage': '130045936Ki',
    'hugepages-2Mi': '0',
  };
}

/** Capacity less what the kubelet reserves for the system and itself (100m cpu, 300Mi memory). */
function allocatable(instanceType: string): Record<string, string> {
  const size = sizeOf(instanceType);
  return {
    cpu: `${size.cpu * 1000 - 100}m`,
    memory: `${size.memoryGi * 1024 * 1024 - 307200}Ki`,
    pods: '110',
    'ephemeral-storage': '119850776788',
    'hugepages-2Mi': '0',
  };
}

type NodeCondition = {
  type: string;
  status: string;
  lastHeartbeatTime: string;
  lastTransitionTime: string;
  reason: string;
  message: string;
};

export function nodeConditions(ready: 'True' | 'False' | 'Unknown', now: number): NodeCondition[] {
  const at = timestamp(now);
  const c = (type: string, status: string, reason: string, message: string): NodeCondition => ({
    type,
    status,
    lastHeartbeatTime: at,
    lastTransitionTime: at,
    reason,
    message,
  });
  if (ready === 'Unknown') {
    const lost = 'Kubelet stopped posting node status.';
    return [
      c('NetworkUnavailable', 'False', 'RouteCreated', 'RouteController created a route'),
      c('MemoryPressure', 'Unknown', 'NodeStatusUnknown', lost),
      c('DiskPressure', 'Unknown', 'NodeStatusUnknown', lost),
      c('PIDPressure', 'Unknown', 'NodeStatusUnknown', lost),
      c('Ready', 'Unknown', 'NodeStatusUnknown', lost),
    ];
  }
  return [
    c('NetworkUnavailable', 'False', 'RouteCreated', 'RouteController created a route'),
    c('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
    c('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
    c('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
    ready === 'True'
      ? c('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status')
      : c('Ready', 'False', 'KubeletNotReady', 'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized'),
  ];
}

export function podCidr(index: number): string {
  return `100.${96 + Math.floor(index / 256)}.${index % 256}.0/24`;
}

export interface NodeImage {
  names: string[];
  sizeBytes: number;
}

const imageCache = new Map<string, NodeImage>();
/**
 * What a kubelet reports in status.images: every image it holds, named by
 * digest and by tag, largest first. On a real node this list is most of the
 * Node's bytes, which a client listing 5,000 nodes must read past. Digests and
 * sizes are invented, the same for the same reference. Each image is one frozen
 * object shared by every node that holds it (the store copies before a change).
 */
export function kubeletImages(references: readonly string[]): NodeImage[] {
  const images = references.map((reference) => {
    let image = imageCache.get(reference);
    if (!image) {
      const digest = createHash('sha256').update(reference).digest('hex');
      const repository = reference.replace(/:[^:/]+$/, '');
      const names = Object.freeze([`${repository}@sha256:${digest}`, reference]) as string[];
      image = Object.freeze({ names, sizeBytes: 300_000 + (parseInt(digest.slice(0, 8), 16) % 150_000_000) });
      imageCache.set(reference, image);
    }
    return image;
  });
  return images.sort((a, b) => b.sizeBytes - a.sizeBytes);
}

/** `images`: the references the node holds (node-lifecycle.ts nodeImageReferences). */
export function buildNode(record: InstanceRecord, index: number, now: number, ready: 'True' | 'False', images: readonly string[] = []): KubeObject {
  const roleLabel: Record<string, string> =
    record.role === 'ControlPlane'
      ? { 'node-role.kubernetes.io/control-plane': '', 'node.kubernetes.io/exclude-from-external-load-balancers': '' }
      : record.role === 'APIServer'
        ? { 'node-role.kubernetes.io/api-server': '' }
        : { 'node-role.kubernetes.io/node': '' };
  const cidr = podCidr(index);
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: record.nodeName,
      labels: {
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/instance-type': record.instanceType,
        'beta.kubernetes.io/os': 'linux',
        'kops.k8s.io/instancegroup': record.instanceGroup,
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': record.nodeName,
        'kubernetes.io/os': 'linux',
        'node.kubernetes.io/instance-type': record.instanceType,
        'topology.kubernetes.io/region': regionOf(record.zone),
        'topology.kubernetes.io/zone': record.zone,
        ...roleLabel,
      },
      annotations: {
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: {
      podCIDR: cidr,
      podCIDRs: [cidr],
      providerID: `aws:///${record.zone}/${record.instanceId}`,
      ...(record.role === 'ControlPlane'
        ? { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] }
        : {}),
    },
    status: {
      capacity: capacity(record.instanceType),
      allocatable: allocatable(record.instanceType),
      conditions: nodeConditions(ready, now),
      addresses: [
        { type: 'InternalIP', address: record.privateIp },
        { type: 'Hostname', address: record.nodeName },
        { type: 'InternalDNS', address: record.nodeName },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: record.instanceId.replace(/^i-/, '').padEnd(32, '0'),
        systemUUID: `ec2${record.instanceId.replace(/^i-/, '').padEnd(29, '0')}`,
        bootID: record.instanceId,
        kernelVersion: '6.8.0-1021-aws',
        osImage: 'Ubuntu 24.04.1 LTS',
        containerRuntimeVersion: `containerd://${record.containerdVersion ?? kopsContainerdVersion(record.kubernetesVersion)}`,
        kubeletVersion: `v${record.kubernetesVersion}`,
        kubeProxyVersion: `v${record.kubernetesVersion}`,
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
      images: kubeletImages(images),
    },
  };
}
