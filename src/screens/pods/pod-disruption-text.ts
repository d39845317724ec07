// What deleting or evicting a pod does, said before the user answers: who
// brings it back (its controller, the kubelet of a static pod, nobody) and
// whether its PodDisruptionBudget has a say (an eviction asks it; a delete
// does not).
import type { PodRow } from '../../engine/live-model/pod-rows.js';

export function podRefText(row: Pick<PodRow, 'namespace' | 'name'>): string {
  return `${row.namespace}/${row.name}`;
}

/** Who recreates the pod once it is gone. */
export function replacementSentence(row: PodRow): string {
  if (row.mirror) return `It mirrors a static pod: the kubelet on ${row.node || 'its node'} keeps running it and recreates this mirror.`;
  switch (row.ownerKind) {
    case undefined:
      return 'Nothing recreates it: it has no controller.';
    case 'ReplicaSet':
      return `Its ReplicaSet ${row.ownerName} creates a replacement, possibly on another node.`;
    case 'DaemonSet':
      return `Its DaemonSet ${row.ownerName} starts a new one on ${row.node || 'the same node'}.`;
    case 'StatefulSet':
      return `Its StatefulSet ${row.ownerName} recreates it under the same name.`;
    case 'Job':
      return `Its Job ${row.ownerName} may start another, as far as its completions and backoff limit allow.`;
    default:
      return `Its owner, ${row.ownerKind} ${row.ownerName}, decides whether it comes back.`;
  }
}

export function deleteQuestion(row: PodRow): { message: string; detail: string[] } {
  return {
    message: `Delete pod ${podRefText(row)}?`,
    detail: [
      'The API server deletes it now, whatever its PodDisruptionBudget allows; its containers get their grace period to stop.',
      replacementSentence(row),
    ],
  };
}

export function evictQuestion(row: PodRow): { message: string; detail: string[] } {
  return {
    message: `Evict pod ${podRefText(row)}?`,
    detail: [
      'The Eviction API asks the PodDisruptionBudget covering it first: if evicting it now would break the budget, the eviction is refused and nothing is done.',
      `If allowed, the pod is deleted with its grace period. ${replacementSentence(row)}`,
    ],
  };
}
