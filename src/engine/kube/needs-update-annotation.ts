// kops' way to ask for a node's replacement from the Kubernetes side: a node
// annotated kops.k8s.io/needs-update (any value) is replaced by the next
// rolling update even when its instance is up to date
// (kops pkg/cloudinstances CloudInstanceGroup.AdjustNeedUpdate).
import type { KubeNode } from './types.js';

export const NEEDS_UPDATE_ANNOTATION = 'kops.k8s.io/needs-update';
export const NEEDS_UPDATE_ANNOTATION_REASON = `node annotated ${NEEDS_UPDATE_ANNOTATION}`;

export function hasNeedsUpdateAnnotation(node: Pick<KubeNode, 'metadata'>): boolean {
  return node.metadata.annotations?.[NEEDS_UPDATE_ANNOTATION] !== undefined;
}

/** The cloud's verdict on an instance, with its node's annotation added: needs an update when either says so. */
export function withNeedsUpdateAnnotation(cloud: { needsUpdate: boolean; reason?: string }, annotated: boolean): { needsUpdate: boolean; reason?: string } {
  if (!annotated) return cloud;
  const reasons = [cloud.needsUpdate ? cloud.reason : undefined, NEEDS_UPDATE_ANNOTATION_REASON].filter(Boolean);
  return { needsUpdate: true, reason: reasons.join('; ') };
}
