// What every simulated cluster runs besides its static control-plane pods:
// namespaces, the kube-proxy and CNI DaemonSets, coredns, and two demo
// Deployments, each Deployment protected by a PodDisruptionBudget.
import type { KubeObject } from './types.js';

export const SYSTEM_NODE_CRITICAL = 'system-node-critical';
export const SYSTEM_CLUSTER_CRITICAL = 'system-cluster-critical';

export function priorityOf(className: string | undefined): number {
  if (className === SYSTEM_NODE_CRITICAL) return 2000001000;
  if (className === SYSTEM_CLUSTER_CRITICAL) return 2000000000;
  return 0;
}

const TOLERATE_EVERYTHING = [{ operator: 'Exists' }];

function container(name: string, image: string, cpu: string, memory: string, extra: Record<string, unknown> = {}): unknown {
  return {
    name,
    image,
    resources: { requests: { cpu, memory } },
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    imagePullPolicy: 'IfNotPresent',
    ...extra,
  };
}

interface WorkloadSpec {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  replicas?: number;
  priorityClassName?: string;
  tolerations?: unknown[];
  gracePeriod: number;
  containers: unknown[];
  volumes?: unknown[];
}

function podTemplate(w: WorkloadSpec): unknown {
  return {
    metadata: { labels: w.labels },
    spec: {
      containers: w.containers,
      ...(w.volumes ? { volumes: w.volumes } : {}),
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: w.gracePeriod,
      dnsPolicy: 'ClusterFirst',
      schedulerName: 'default-scheduler',
      ...(w.priorityClassName ? { priorityClassName: w.priorityClassName, priority: priorityOf(w.priorityClassName) } : {}),
      ...(w.tolerations ? { tolerations: w.tolerations } : {}),
    },
  };
}

function daemonSet(w: WorkloadSpec): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: w.name, namespace: w.namespace, labels: w.labels, generation: 1 },
    spec: {
      selector: { matchLabels: w.labels },
      template: podTemplate(w),
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
      revisionHistoryLimit: 10,
    },
    status: { currentNumberScheduled: 0, desiredNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0, observedGeneration: 1 },
  };
}

function deployment(w: WorkloadSpec): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: w.name, namespace: w.namespace, labels: w.labels, generation: 1 },
    spec: {
      replicas: w.replicas ?? 1,
      selector: { matchLabels: w.labels },
      template: podTemplate(w),
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    },
    status: { observedGeneration: 1, replicas: 0, readyReplicas: 0, availableReplicas: 0, updatedReplicas: 0 },
  };
}

function budget(name: string, namespace: string, labels: Record<string, string>, rule: Record<string, number | string>): KubeObject {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name, namespace, generation: 1 },
    spec: { ...rule, selector: { matchLabels: labels } },
    status: { currentHealthy: 0, desiredHealthy: 0, disruptionsAllowed: 0, expectedPods: 0, observedGeneration: 1 },
  };
}

function namespace(name: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { 'kubernetes.io/metadata.name': name } },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  };
}

export interface InitialObjects {
  namespaces: KubeObject[];
  daemonsets: KubeObject[];
  deployments: KubeObject[];
  poddisruptionbudgets: KubeObject[];
}

/** The network add-on a cluster runs, as its upstream manifest or chart names its DaemonSet. */
export interface SimNetwork {
  name: string;
  version: string;
}

const NETWORK_DAEMONSETS: Record<string, { name: string; app: string; image: (version: string) => string }> = {
  cilium: { name: 'cilium', app: 'cilium', image: (v) => `quay.io/cilium/cilium:v${v.replace(/^v/, '')}` },
  calico: { name: 'calico-node', app: 'calico-node', image: (v) => `docker.io/calico/node:${v}` },
  flannel: { name: 'kube-flannel-ds', app: 'flannel', image: (v) => `ghcr.io/flannel-io/flannel:${v}` },
  amazonvpc: { name: 'aws-node', app: 'aws-node', image: (v) => `602401143452.dkr.ecr.us-west-2.amazonaws.com/amazon-k8s-cni:${v}` },
  kindnet: { name: 'kindnet', app: 'kindnet', image: (v) => `registry.k8s.io/networking/kindnet:${v}` },
};

export function networkDaemonSet(network: SimNetwork): KubeObject {
  const known = NETWORK_DAEMONSETS[network.name] ?? NETWORK_DAEMONSETS.cilium;
  return daemonSet({
    name: known.name,
    namespace: 'kube-system',
    labels: { 'k8s-app': known.app },
    priorityClassName: SYSTEM_NODE_CRITICAL,
    tolerations: TOLERATE_EVERYTHING,
    gracePeriod: 1,
    containers: [container(known.name, known.image(network.version), '25m', '128Mi')],
  });
}

/** The names of every network add-on's DaemonSet (in kube-system). */
export const NETWORK_DAEMONSET_NAMES: readonly string[] = Object.values(NETWORK_DAEMONSETS).map((d) => d.name);

/** Clusters that do not say which network they run (kops' and the simulator's own seeds) run cilium. */
export const DEFAULT_SIM_NETWORK: SimNetwork = { name: 'cilium', version: '1.16.5' };

export function initialObjects(network: SimNetwork = DEFAULT_SIM_NETWORK): InitialObjects {
  const coredns: WorkloadSpec = {
    name: 'coredns',
    namespace: 'kube-system',
    labels: { 'k8s-app': 'kube-dns' },
    replicas: 2,
    priorityClassName: SYSTEM_CLUSTER_CRITICAL,
    tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }],
    gracePeriod: 30,
    containers: [container('coredns', 'registry.k8s.io/coredns/coredns:v1.11.3', '100m', '70Mi')],
  };
  const web: WorkloadSpec = {
    name: 'web',
    namespace: 'demo',
    labels: { app: 'web' },
    replicas: 6,
    gracePeriod: 10,
    containers: [container('web', 'nginx:1.27', '50m', '64Mi', { volumeMounts: [{ name: 'cache', mountPath: '/var/cache/nginx' }] })],
    volumes: [{ name: 'cache', emptyDir: {} }],
  };
  const api: WorkloadSpec = {
    name: 'api',
    namespace: 'demo',
    labels: { app: 'api' },
    replicas: 3,
    gracePeriod: 10,
    containers: [container('api', 'ghcr.io/example/api:2.4.1', '100m', '128Mi')],
  };
  return {
    namespaces: ['default', 'kube-system', 'kube-public', 'kube-node-lease', 'demo'].map(namespace),
    daemonsets: [
      daemonSet({
        name: 'kube-proxy',
        namespace: 'kube-system',
        labels: { 'k8s-app': 'kube-proxy' },
        priorityClassName: SYSTEM_NODE_CRITICAL,
        tolerations: TOLERATE_EVERYTHING,
        gracePeriod: 30,
        containers: [container('kube-proxy', 'registry.k8s.io/kube-proxy:v1.30.0', '100m', '50Mi')],
      }),
      networkDaemonSet(network),
    ],
    deployments: [deployment(coredns), deployment(web), deployment(api)],
    poddisruptionbudgets: [
      budget('coredns', 'kube-system', coredns.labels, { maxUnavailable: 1 }),
      budget('web', 'demo', web.labels, { minAvailable: 4 }),
      budget('api', 'demo', api.labels, { maxUnavailable: 1 }),
    ],
  };
}

/** Static pods kubelet runs from manifests on control-plane (and API server) nodes. */
export function staticPodNames(role: string): string[] {
  if (role === 'APIServer') return ['kube-apiserver'];
  if (role !== 'ControlPlane') return [];
  return ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd-manager-main', 'etcd-manager-events'];
}
