// Shapes shared by the simulated Kubernetes API server. Objects are plain JSON
// and treated as immutable once stored: a change makes a new object, so the
// store, watch events and cached JSON can share them safely. Declared apart
// from src/engine/kube/types.ts on purpose: these are the server's own shapes,
// and the simulator imports only pure engine helpers, not the client's types.

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  creationTimestamp?: string;
  generation?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  finalizers?: string[];
  [extra: string]: unknown;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- spec and status are free-form JSON */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: any;
  status?: any;
  [extra: string]: unknown;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';

/** Store key of an object: "namespace/name" or "name" for cluster-scoped objects. */
export function objectKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

export function keyOf(obj: KubeObject): string {
  return objectKey(obj.metadata.namespace, obj.metadata.name);
}

/** RFC 3339 without fractions, as the API server writes timestamps. */
export function timestamp(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export function controllerOf(obj: KubeObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((ref) => ref.controller);
}

export function conditionStatus(obj: KubeObject, type: string): string | undefined {
  const conditions = obj.status?.conditions as { type: string; status: string }[] | undefined;
  return conditions?.find((c) => c.type === type)?.status;
}

/**
 * The simulated control plane's view (scheduler, node controller), which reads the
 * Ready condition alone, as Kubernetes' does: not kops' validation rule, which also
 * holds back a node whose network is unavailable (engine/kube/node-readiness.ts).
 */
export function isNodeReady(node: KubeObject): boolean {
  return conditionStatus(node, 'Ready') === 'True';
}

export function isPodReady(pod: KubeObject): boolean {
  return pod.status?.phase === 'Running' && conditionStatus(pod, 'Ready') === 'True';
}

/** Counted by controllers and budgets: not being deleted and not finished. */
export function isPodActive(pod: KubeObject): boolean {
  const phase = pod.status?.phase;
  return !pod.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed';
}
