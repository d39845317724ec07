// The state-store objects kops writes for a cluster: the spec as `kops create
// cluster` stores it (config, instancegroup/<ig>), and what `kops update
// cluster` adds (cluster-completed.spec, kops-version.txt, the nodeup
// configuration under igconfig/). Keys are relative to the store's prefix.
import { stringify } from 'yaml';
import { nodeupConfig, nodeupConfigKey } from './nodeup.js';
import type { KopsInstanceGroup, KopsLayout } from './kops-layout.js';
import { subnetCidr } from './kops-layout.js';

const API_VERSION = 'kops.k8s.io/v1alpha2';

function clusterSpec(layout: KopsLayout): Record<string, unknown> {
  const controlPlane = layout.instanceGroups.filter((ig) => ig.role === 'ControlPlane');
  const etcd = (name: string, cpu: string) => ({
    cpuRequest: cpu,
    etcdMembers: controlPlane.map((ig) => ({ encryptedVolume: true, instanceGroup: ig.name, name: ig.zone.slice(-1) })),
    manager: { backupRetentionDays: 90 },
    memoryRequest: '100Mi',
    name,
  });
  return {
    api: layout.apiLoadBalancer ? { loadBalancer: { class: 'Network', type: 'Public' } } : { dns: {} },
    authorization: { rbac: {} },
    channel: 'stable',
    cloudConfig: {},
    cloudProvider: 'aws',
    configBase: layout.configBase,
    ...(layout.dnsZone ? { dnsZone: layout.dnsZone } : {}),
    etcdClusters: [etcd('main', '200m'), etcd('events', '100m')],
    iam: { allowContainerRegistry: true, legacy: false },
    kubeProxy: { enabled: false },
    kubelet: { anonymousAuth: false },
    kubernetesApiAccess: ['0.0.0.0/0', '::/0'],
    kubernetesVersion: layout.kubernetesVersion,
    networkCIDR: layout.networkCIDR,
    networking: { cilium: { enableNodePort: true } },
    nonMasqueradeCIDR: '100.64.0.0/10',
    sshAccess: ['0.0.0.0/0', '::/0'],
    subnets: layout.zones.map((zone, i) => ({ cidr: subnetCidr(i), name: zone, type: 'Public', zone })),
    topology: { dns: { type: layout.apiLoadBalancer ? 'None' : 'Public' } },
  };
}

function clusterDocument(layout: KopsLayout, createdAt: string, spec: Record<string, unknown>): string {
  return stringify({ apiVersion: API_VERSION, kind: 'Cluster', metadata: { creationTimestamp: createdAt, name: layout.cluster }, spec });
}

function instanceGroupDocument(layout: KopsLayout, ig: KopsInstanceGroup, createdAt: string): string {
  return stringify({
    apiVersion: API_VERSION,
    kind: 'InstanceGroup',
    metadata: { creationTimestamp: createdAt, labels: { 'kops.k8s.io/cluster': layout.cluster }, name: ig.name },
    spec: {
      image: layout.image,
      instanceMetadata: { httpPutResponseHopLimit: ig.hopLimit, httpTokens: 'required' },
      machineType: ig.machineType,
      maxSize: ig.maxSize,
      minSize: ig.minSize,
      role: ig.role,
      subnets: [ig.zone],
    },
  });
}

/** Every object, key (relative to `<store prefix>/`) -> content. */
export function kopsStoreObjects(layout: KopsLayout, createdAt: string): Map<string, string> {
  const c = layout.cluster;
  const spec = clusterSpec(layout);
  const objects = new Map<string, string>();
  objects.set(`${c}/config`, clusterDocument(layout, createdAt, spec));
  for (const ig of layout.instanceGroups) objects.set(`${c}/instancegroup/${ig.name}`, instanceGroupDocument(layout, ig, createdAt));
  // What `kops update cluster` writes: the completed spec (defaults filled in), its own version, nodeup's config.
  const completed = {
    ...spec,
    configStore: { base: layout.configBase, keypairs: `${layout.configBase}/pki`, secrets: `${layout.configBase}/secrets` },
    kubeAPIServer: { image: `registry.k8s.io/kube-apiserver:v${layout.kubernetesVersion.replace(/^v/, '')}`, securePort: 443 },
    masterKubelet: { anonymousAuth: false },
  };
  objects.set(`${c}/cluster-completed.spec`, clusterDocument(layout, createdAt, completed));
  objects.set(`${c}/kops-version.txt`, layout.kopsVersion);
  for (const ig of layout.instanceGroups) objects.set(`${c}/${nodeupConfigKey(ig)}`, nodeupConfig(layout, ig));
  return objects;
}
