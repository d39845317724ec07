// When a node counts as Ready, as kops decides it (pkg/validation's
// IsNodeReady): its Ready condition is True and its NetworkUnavailable
// condition, when present, is not set (False or Unknown). One rule for
// everything that judges a node (validation, the rolling update's wait for a
// replacement, the console's rows), so the rollout never counts as back a node
// that validation then rejects.
import type { KubeNode } from './types.js';

function conditionStatus(node: KubeNode, type: string): string | undefined {
  return node.status?.conditions?.find((c) => c.type === type)?.status;
}

export function isNodeReady(node: KubeNode): boolean {
  if (conditionStatus(node, 'Ready') !== 'True') return false;
  const network = conditionStatus(node, 'NetworkUnavailable');
  // kops lets False and Unknown through: only a network known to be down (or a status it cannot read) holds the node back.
  return network === undefined || network === 'False' || network === 'Unknown';
}

/** The Ready condition's own status (True, False, Unknown); Unknown when the kubelet never posted one. */
export function readyStatus(node: KubeNode): string {
  return conditionStatus(node, 'Ready') ?? 'Unknown';
}

/** kubectl's STATUS word, with kops' readiness: Ready, NotReady, or Unknown when the Ready condition is unknown. */
export function readinessWord(node: KubeNode): 'Ready' | 'NotReady' | 'Unknown' {
  if (isNodeReady(node)) return 'Ready';
  return readyStatus(node) === 'Unknown' ? 'Unknown' : 'NotReady';
}
