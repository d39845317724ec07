// The fields of Kubernetes objects kopsdeck reads, as they arrive on the wire
// (JSON strings, not the generated client's Date objects). Lean on purpose:
// the caches hold 150,000 pods, and every declared field is a promise we read it.
// src/sim/kube/types.ts declares the server's own shapes apart on purpose (the
// simulator imports only pure engine helpers, not these client-side types).

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: { kind: string; name: string; uid?: string; controller?: boolean }[];
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
}

export interface NodeCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown' | string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export interface Taint {
  key: string;
  value?: string;
  effect: string;
}

export interface KubeNode extends KubeObject {
  spec?: { providerID?: string; unschedulable?: boolean; taints?: Taint[] };
  status?: {
    conditions?: NodeCondition[];
    addresses?: { type: string; address: string }[];
    nodeInfo?: { kubeletVersion?: string };
  };
}

export interface ContainerState {
  running?: { startedAt?: string };
  waiting?: { reason?: string };
  terminated?: { reason?: string; exitCode?: number; signal?: number };
}

export interface ContainerStatus {
  name: string;
  ready: boolean;
  restartCount?: number;
  state?: ContainerState;
}

export interface KubePod extends KubeObject {
  spec?: {
    nodeName?: string;
    priorityClassName?: string;
    volumes?: { name: string; emptyDir?: object }[];
    containers?: { name: string; image?: string }[];
  };
  status?: {
    phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown' | string;
    /** Why the pod is in this phase, when the kubelet or a controller says (Evicted, NodeLost, ...). */
    reason?: string;
    hostIP?: string;
    conditions?: { type: string; status: string }[];
    containerStatuses?: ContainerStatus[];
  };
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

export interface KubePdb extends KubeObject {
  spec?: { selector?: LabelSelector; minAvailable?: number | string; maxUnavailable?: number | string };
  status?: { disruptionsAllowed?: number; currentHealthy?: number; desiredHealthy?: number; expectedPods?: number };
}

export interface KubeList<T> {
  metadata: { resourceVersion?: string; continue?: string };
  items: T[];
}

/** One line of a watch stream. */
export interface WatchEvent<T> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: T | KubeStatus;
}

export interface KubeStatus {
  kind: 'Status';
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  /** e.g. an eviction's refusal names the budget in a cause. */
  details?: { causes?: { reason?: string; message?: string }[] };
}
