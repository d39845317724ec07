// The kubeadm configuration files a machine boots with (kubeadm.k8s.io/v1beta4,
// the API of kubeadm 1.31 and later), built from the cluster spec. They are
// templates: the machine fills in the two values it alone knows or may read,
// its own address and the bootstrap token from the state store, so that no
// secret travels in the user-data (see bootstrap/kopsdeck-bootstrap.sh).
import { stringify } from 'yaml';

export const KUBEADM_API_VERSION = 'kubeadm.k8s.io/v1beta4';
export const KUBELET_API_VERSION = 'kubelet.config.k8s.io/v1beta1';
/** Filled in by the machine: the token read from the state store, and its private address. */
export const TOKEN_PLACEHOLDER = '@BOOTSTRAP_TOKEN@';
export const NODE_IP_PLACEHOLDER = '@NODE_IP@';
/** Where the machine writes the kubelet's provider ID as a kubeadm patch. */
export const PATCHES_DIRECTORY = '/etc/kopsdeck/patches';
/** kops' API servers listen on 443, and the API load balancer forwards 443 to 443. */
export const API_PORT = 443;
/**
 * Where a control-plane machine mounts its etcd volume, and etcd's data
 * folder inside it (never the volume's root: a new ext4 file system holds
 * lost+found, and kubeadm refuses a data directory that is not empty).
 */
export const ETCD_VOLUME_DIR = '/mnt/etcd';
export const ETCD_DATA_DIR = `${ETCD_VOLUME_DIR}/data`;
const CRI_SOCKET = 'unix:///run/containerd/containerd.sock';

export interface Taint {
  key: string;
  value?: string;
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

export interface KubeadmInput {
  cluster: string;
  /** Without the leading "v". */
  kubernetesVersion: string;
  /** The API's host name as the machines reach it (a load balancer or DNS name), without a port. */
  apiHost: string;
  /** More names the API server's certificate must carry (api.<cluster>, spec.api.publicName). */
  certSANs: string[];
  podSubnet: string;
  serviceSubnet: string;
  /** `sha256:<hex>` of the cluster CA's public key. */
  caCertHash: string;
  /** Labels the kubelet may set on its own Node (see kubeletMaySetLabel). */
  nodeLabels: Record<string, string>;
  taints: Taint[];
  /** Cilium's kube-proxy replacement: kube-proxy is not installed. */
  skipKubeProxy: boolean;
}

export interface KubeadmFiles {
  /** The first control-plane node, and a one-node control plane coming back on its etcd volume. */
  init?: string;
  /** Further control-plane nodes. */
  joinControlPlane?: string;
  /** Workers. */
  join?: string;
}

export function kubeadmFiles(input: KubeadmInput, role: 'ControlPlane' | 'Node'): KubeadmFiles {
  if (role === 'Node') return { join: documents(joinConfiguration(input, false)) };
  return {
    init: documents(clusterConfiguration(input), initConfiguration(input), kubeletConfiguration()),
    joinControlPlane: documents(joinConfiguration(input, true)),
  };
}

const endpoint = (input: KubeadmInput): string => `${input.apiHost}:${API_PORT}`;

function clusterConfiguration(input: KubeadmInput): object {
  return {
    apiVersion: KUBEADM_API_VERSION,
    kind: 'ClusterConfiguration',
    clusterName: input.cluster,
    kubernetesVersion: `v${input.kubernetesVersion.replace(/^v/, '')}`,
    controlPlaneEndpoint: endpoint(input),
    certificatesDir: '/etc/kubernetes/pki',
    networking: { dnsDomain: 'cluster.local', podSubnet: input.podSubnet, serviceSubnet: input.serviceSubnet },
    etcd: { local: { dataDir: ETCD_DATA_DIR } },
    apiServer: { certSANs: [...new Set([input.apiHost, ...input.certSANs])].sort() },
  };
}

function initConfiguration(input: KubeadmInput): object {
  return {
    apiVersion: KUBEADM_API_VERSION,
    kind: 'InitConfiguration',
    bootstrapTokens: [
      {
        token: TOKEN_PLACEHOLDER,
        description: 'kopsdeck: joins worker nodes',
        ttl: '24h0m0s',
        usages: ['signing', 'authentication'],
        groups: ['system:bootstrappers:kubeadm:default-node-token'],
      },
    ],
    localAPIEndpoint: { advertiseAddress: NODE_IP_PLACEHOLDER, bindPort: API_PORT },
    nodeRegistration: nodeRegistration(input, true),
    patches: { directory: PATCHES_DIRECTORY },
    ...(input.skipKubeProxy ? { skipPhases: ['addon/kube-proxy'] } : {}),
  };
}

function joinConfiguration(input: KubeadmInput, controlPlane: boolean): object {
  return {
    apiVersion: KUBEADM_API_VERSION,
    kind: 'JoinConfiguration',
    discovery: {
      bootstrapToken: { apiServerEndpoint: endpoint(input), token: TOKEN_PLACEHOLDER, caCertHashes: [input.caCertHash] },
    },
    nodeRegistration: nodeRegistration(input, controlPlane),
    patches: { directory: PATCHES_DIRECTORY },
    ...(controlPlane ? { controlPlane: { localAPIEndpoint: { advertiseAddress: NODE_IP_PLACEHOLDER, bindPort: API_PORT } } } : {}),
  };
}

function kubeletConfiguration(): object {
  return { apiVersion: KUBELET_API_VERSION, kind: 'KubeletConfiguration', cgroupDriver: 'systemd' };
}

function nodeRegistration(input: KubeadmInput, controlPlane: boolean): object {
  const labels = Object.entries(input.nodeLabels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => `${key}=${value}`);
  const taints = controlPlane ? [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }, ...input.taints] : input.taints;
  return {
    criSocket: CRI_SOCKET,
    // Written out even when empty: kubeadm taints a control-plane node it is given no list for.
    taints,
    ...(labels.length ? { kubeletExtraArgs: [{ name: 'node-labels', value: labels.join(',') }] } : {}),
  };
}

function documents(...docs: object[]): string {
  return docs.map((doc) => stringify(doc, { lineWidth: 0 })).join('---\n');
}

/**
 * Whether the kubelet may set a label on its own Node: it refuses to start
 * with any other kubernetes.io or k8s.io label (k8s.io/kubelet's
 * well-known labels), and NodeRestriction would reject it anyway. The
 * control plane sets the others (kops.k8s.io/instancegroup, the node role).
 */
export function kubeletMaySetLabel(key: string): boolean {
  const slash = key.indexOf('/');
  if (slash < 0) return true;
  const namespace = key.slice(0, slash);
  const restricted = (domain: string) => namespace === domain || namespace.endsWith(`.${domain}`);
  if (!restricted('kubernetes.io') && !restricted('k8s.io')) return true;
  if (restricted('kubelet.kubernetes.io') || restricted('node.kubernetes.io')) return true;
  return KUBELET_LABELS.has(key);
}

const KUBELET_LABELS = new Set([
  'kubernetes.io/hostname',
  'kubernetes.io/arch',
  'kubernetes.io/os',
  'beta.kubernetes.io/arch',
  'beta.kubernetes.io/os',
  'beta.kubernetes.io/instance-type',
  'failure-domain.beta.kubernetes.io/region',
  'failure-domain.beta.kubernetes.io/zone',
  'topology.kubernetes.io/region',
  'topology.kubernetes.io/zone',
]);

/** kops' `key=value:Effect` (or `key:Effect`) taints of an instance group. */
export function parseTaints(specs: readonly string[]): { taints: Taint[]; problems: string[] } {
  const taints: Taint[] = [];
  const problems: string[] = [];
  for (const spec of specs) {
    const match = /^([^=:\s]+)(?:=([^:\s]*))?:(NoSchedule|PreferNoSchedule|NoExecute)$/.exec(spec);
    if (!match) problems.push(`taint "${spec}" is not key=value:Effect (Effect one of NoSchedule, PreferNoSchedule, NoExecute)`);
    else taints.push({ key: match[1], ...(match[2] ? { value: match[2] } : {}), effect: match[3] as Taint['effect'] });
  }
  return { taints, problems };
}
