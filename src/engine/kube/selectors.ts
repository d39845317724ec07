// Label selectors (matchLabels + matchExpressions) as the API server applies
// them, so a PodDisruptionBudget can be matched to pods on our side.
import type { KubePod, LabelSelector } from './types.js';

export function selectorMatches(selector: LabelSelector | undefined, labels: Record<string, string> = {}): boolean {
  // A PDB with a null selector selects nothing; an empty one ({}) selects everything in its namespace.
  if (!selector) return false;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (labels[key] !== value) return false;
  for (const expr of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, expr.key);
    const values = expr.values ?? [];
    switch (expr.operator) {
      case 'In':
        if (!has || !values.includes(labels[expr.key])) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[expr.key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

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
