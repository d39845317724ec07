// What the engine asks of a pod: its owner, whether it is a mirror or DaemonSet
// pod, ready, finished, or uses emptyDir (what a drain must know about it).
import type { KubePod } from './types.js';

/** The pod's controller (or first) owner, e.g. { kind: 'ReplicaSet', name: 'web-5d9c' }. */
export function podOwner(pod: KubePod): { kind: string; name: string } | undefined {
  const refs = pod.metadata.ownerReferences ?? [];
  const ref = refs.find((r) => r.controller) ?? refs[0];
  return ref ? { kind: ref.kind, name: ref.name } : undefined;
}

/** A static pod's API mirror, created by the kubelet; it cannot be evicted. */
export function isMirrorPod(pod: KubePod): boolean {
  return Boolean(pod.metadata.annotations?.['kubernetes.io/config.mirror']) || podOwner(pod)?.kind === 'Node';
}

export function isDaemonSetPod(pod: KubePod): boolean {
  return podOwner(pod)?.kind === 'DaemonSet';
}

export function isPodReady(pod: KubePod): boolean {
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
  if (ready) return ready.status === 'True';
  const statuses = pod.status?.containerStatuses ?? [];
  return pod.status?.phase === 'Running' && statuses.length > 0 && statuses.every((s) => s.ready);
}

export function usesEmptyDir(pod: KubePod): boolean {
  return (pod.spec?.volumes ?? []).some((v) => v.emptyDir !== undefined);
}

export function isFinished(pod: KubePod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}
