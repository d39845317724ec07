// Whether the rollout replaces an instance: the cloud's verdict (its launch
// template or version is not the group's, see cloud/aws/needs-update.ts) or
// its node's kops.k8s.io/needs-update annotation, as kops' AdjustNeedUpdate.
// Pure, for the plan.
import { NEEDS_UPDATE_ANNOTATION_REASON } from '../kube/needs-update-annotation.js';
import type { RolloutInstance, RolloutNode } from './deps.js';

export { NEEDS_UPDATE_ANNOTATION_REASON };

export function instanceNeedsUpdate(instance: Pick<RolloutInstance, 'needsUpdate'>, node: Pick<RolloutNode, 'needsUpdateAnnotation'> | undefined): boolean {
  return instance.needsUpdate || node?.needsUpdateAnnotation === true;
}

/** The annotation's part of an instance's update reason; undefined when its node is not annotated. */
export function annotationReason(node: Pick<RolloutNode, 'needsUpdateAnnotation'> | undefined): string | undefined {
  return node?.needsUpdateAnnotation === true ? NEEDS_UPDATE_ANNOTATION_REASON : undefined;
}
