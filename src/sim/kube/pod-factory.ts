// Pods as controllers and kubelets make them: from a workload's template, or
// the mirror pod of a static control-plane manifest; and their status at each
// stage (pending, bound, running).
import { MIRROR_ANNOTATION, timestamp, type KubeObject } from './types.js';
import { SYSTEM_NODE_CRITICAL, priorityOf } from './workloads.js';

type Cond = { type: string; status: string; lastProbeTime: null; lastTransitionTime: string; reason?: string; message?: string };

function condition(type: string, status: string, at: string, reason?: string, message?: string): Cond {
  return { type, status, lastProbeTime: null, lastTransitionTime: at, ...(reason ? { reason } : {}), ...(message ? { message } : {}) };
}

function containerNames(pod: KubeObject): { name: string; image: string }[] {
  return ((pod.spec?.containers as { name: string; image: string }[] | undefined) ?? []).map((c) => ({ name: c.name, image: c.image }));
}

/** A new pod owned by a ReplicaSet or DaemonSet, named `<owner>-<suffix>`. */
export function podFromTemplate(owner: KubeObject, suffix: string, nodeName?: string): KubeObject {
  const template = owner.spec?.template ?? {};
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${owner.metadata.name}-${suffix}`,
      generateName: `${owner.metadata.name}-`,
      namespace: owner.metadata.namespace,
      labels: { ...(template.metadata?.labels ?? {}), ...(owner.kind === 'ReplicaSet' ? { 'pod-template-hash': owner.metadata.labels?.['pod-template-hash'] ?? '' } : {}) },
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true },
      ],
    },
    spec: {
      ...structuredClone(template.spec ?? {}),
      ...(nodeName ? { nodeName } : {}),
      enableServiceLinks: true,
      preemptionPolicy: 'PreemptLowerPriority',
    },
    status: { phase: 'Pending', qosClass: 'Burstable' },
  };
}

/** The image of a kops static pod (`component` as workloads.ts staticPodNames names it). */
export function staticPodImage(component: string, kubeletVersion: string): string {
  return component.startsWith('etcd-manager') ? 'registry.k8s.io/etcd-manager/etcd-manager-slim:v3.0.20241012' : `registry.k8s.io/${component}:${kubeletVersion}`;
}

export function mirrorPod(node: KubeObject, component: string, kubeletVersion: string, hash: string): KubeObject {
  const nodeName = node.metadata.name;
  const ip = (node.status?.addresses as { type: string; address: string }[] | undefined)?.find((a) => a.type === 'InternalIP')?.address;
  const image = staticPodImage(component, kubeletVersion);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${component}-${nodeName}`,
      namespace: 'kube-system',
      labels: { 'k8s-app': component },
      annotations: { [MIRROR_ANNOTATION]: hash, 'kubernetes.io/config.hash': hash, 'kubernetes.io/config.source': 'file' },
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: nodeName, uid: node.metadata.uid!, controller: true }],
    },
    spec: {
      nodeName,
      hostNetwork: true,
      priorityClassName: SYSTEM_NODE_CRITICAL,
      priority: priorityOf(SYSTEM_NODE_CRITICAL),
      tolerations: [{ operator: 'Exists', effect: 'NoExecute' }],
      containers: [{ name: component, image, resources: { requests: { cpu: '100m' } } }],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
    },
    status: { phase: 'Pending', qosClass: 'Burstable', ...(ip ? { hostIP: ip, podIP: ip } : {}) },
  };
}

export function boundStatus(pod: KubeObject, hostIP: string | undefined, now: number): KubeObject['status'] {
  const at = timestamp(now);
  return {
    ...pod.status,
    phase: 'Pending',
    ...(hostIP ? { hostIP, hostIPs: [{ ip: hostIP }] } : {}),
    conditions: [
      condition('PodReadyToStartContainers', 'False', at),
      condition('Initialized', 'True', at),
      condition('Ready', 'False', at, 'ContainersNotReady', 'containers with unready status'),
      condition('ContainersReady', 'False', at, 'ContainersNotReady', 'containers with unready status'),
      condition('PodScheduled', 'True', at),
    ],
    containerStatuses: containerNames(pod).map((c) => ({
      name: c.name,
      image: c.image,
      imageID: '',
      ready: false,
      started: false,
      restartCount: 0,
      state: { waiting: { reason: 'ContainerCreating' } },
    })),
    startTime: at,
  };
}

export function unschedulableStatus(pod: KubeObject, now: number, message: string): KubeObject['status'] {
  return {
    ...pod.status,
    phase: 'Pending',
    conditions: [condition('PodScheduled', 'False', timestamp(now), 'Unschedulable', message)],
  };
}

export function runningStatus(pod: KubeObject, podIP: string, now: number): KubeObject['status'] {
  const at = timestamp(now);
  return {
    ...pod.status,
    phase: 'Running',
    podIP,
    podIPs: [{ ip: podIP }],
    conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) =>
      condition(type, 'True', at),
    ),
    containerStatuses: containerNames(pod).map((c) => ({
      name: c.name,
      image: c.image,
      imageID: `${c.image.split(':')[0]}@sha256:${'0'.repeat(64)}`,
      containerID: `containerd://${'f'.repeat(64)}`,
      ready: true,
      started: true,
      restartCount: 0,
      state: { running: { startedAt: at } },
    })),
  };
}

/** The kubelet is gone: containers are no longer ready. */
export function markUnready(status: KubeObject['status'], now: number): KubeObject['status'] {
  const at = timestamp(now);
  return {
    ...status,
    conditions: ((status?.conditions as Cond[] | undefined) ?? []).map((c) =>
      c.type === 'Ready' || c.type === 'ContainersReady' ? condition(c.type, 'False', at, 'NodeLost', 'the node is unreachable') : c,
    ),
    containerStatuses: ((status?.containerStatuses as Record<string, unknown>[] | undefined) ?? []).map((c) => ({ ...c, ready: false })),
  };
}
