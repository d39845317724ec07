// The taint kops puts on every node of a group it is about to replace:
// kops.k8s.io/scheduled-for-update, effect PreferNoSchedule. The scheduler
// then prefers other nodes, so pods evicted by one drain do not land on the
// next victim (and get evicted again). A node's taints are an atomic list in
// Kubernetes (no merge key): a patch naming spec.taints replaces all of them.
// So the patch carries the node's whole list with the taint added, and the
// resourceVersion it was read at, so that a change made meanwhile (another
// taint, by someone else) is refused (409) and read again, never overwritten.
import { KubeApiError, type KubeClient } from './client.js';
import { retryOnConflict } from './conflict-retry.js';
import type { KubeNode } from './types.js';

export const SCHEDULED_FOR_UPDATE_TAINT = 'kops.k8s.io/scheduled-for-update';

const nodePath = (name: string) => `/api/v1/nodes/${encodeURIComponent(name)}`;

/**
 * Taints the node unless it is cordoned already (nothing will schedule there)
 * or carries the taint; true when this added it. A node that is gone needs nothing.
 */
export async function taintScheduledForUpdate(client: KubeClient, nodeName: string): Promise<boolean> {
  try {
    return await retryOnConflict(() => addTaintOnce(client, nodeName));
  } catch (error) {
    if (error instanceof KubeApiError && error.status === 404) return false;
    throw error;
  }
}

async function addTaintOnce(client: KubeClient, nodeName: string): Promise<boolean> {
  const node = await client.request<KubeNode>('GET', nodePath(nodeName));
  if (node.spec?.unschedulable === true) return false;
  const taints = node.spec?.taints ?? [];
  if (taints.some((t) => t.key === SCHEDULED_FOR_UPDATE_TAINT)) return false;
  const taint = { key: SCHEDULED_FOR_UPDATE_TAINT, effect: 'PreferNoSchedule' };
  const body = { metadata: { resourceVersion: node.metadata.resourceVersion }, spec: { taints: [...taints, taint] } };
  await client.request('PATCH', nodePath(nodeName), { body, contentType: 'application/strategic-merge-patch+json' });
  return true;
}
