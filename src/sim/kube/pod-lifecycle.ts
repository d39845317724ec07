// How pods go away: a graceful delete marks the pod terminating and the
// kubelet removes it once its grace period has passed on the sim clock; a pod
// that was never scheduled, or whose node is gone, goes at once.
import type { ClusterWorld } from './cluster-world.js';
import { markUnready } from './pod-factory.js';
import { objectKey, timestamp, type KubeObject } from './types.js';

export function removePodNow(world: ClusterWorld, key: string, uid?: string): KubeObject | undefined {
  const pod = world.store.get('pods', key);
  if (!pod || (uid && pod.metadata.uid !== uid)) return undefined;
  return world.store.remove('pods', key);
}

/**
 * Deletes a pod as the API server does. Returns the pod as it is afterwards:
 * terminating (with deletionTimestamp) or already gone.
 */
export function deletePod(world: ClusterWorld, namespace: string, name: string, graceSeconds?: number): KubeObject | undefined {
  const key = objectKey(namespace, name);
  const pod = world.store.get('pods', key);
  if (!pod) return undefined;
  const grace = graceSeconds ?? (pod.spec?.terminationGracePeriodSeconds as number | undefined) ?? 30;
  const nodeName = pod.spec?.nodeName as string | undefined;
  const nodeAlive = nodeName ? world.store.get('nodes', nodeName) !== undefined && !world.instanceOfNode(nodeName)?.terminated : false;
  if (grace <= 0 || !nodeAlive) return removePodNow(world, key);

  const dueAt = world.now() + grace * 1000;
  if (pod.metadata.deletionTimestamp) {
    // Already terminating: a shorter grace period may bring the end forward.
    if (Date.parse(pod.metadata.deletionTimestamp) <= dueAt) return pod;
  }
  if (!pod.metadata.deletionTimestamp) world.events.podKilling(pod);
  const updated = world.store.update('pods', key, (draft) => {
    draft.metadata.deletionTimestamp = timestamp(dueAt);
    draft.metadata.deletionGracePeriodSeconds = grace;
    draft.status = markUnready(draft.status, world.now());
  });
  world.timeline.at(dueAt, { kind: 'removePod', key, uid: pod.metadata.uid! });
  return updated;
}

/** The node's kubelet is gone: everything it ran is lost. */
export function removePodsOnNode(world: ClusterWorld, nodeName: string): void {
  for (const key of world.store.byIndex('pods', 'node', nodeName)) world.store.remove('pods', key);
}
