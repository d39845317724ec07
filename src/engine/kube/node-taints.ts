// The taint kops puts on every node of a group it is about to replace:
// kops.k8s.io/scheduled-for-update, effect PreferNoSchedule. The scheduler
// then prefers other nodes, so pods evicted by one drain do not land on the
// next victim (and get evicted again). The patch is a strategic merge on
// spec.taints, which Kubernetes merges by key: other taints are kept.
import { KubeApiError, type KubeClient } from './client.js';
import type { KubeNode } from './types.js';

export const SCHEDULED_FOR_UPDATE_TAINT = 'kops.k8s.io/scheduled-for-update';

const nodePath = (name: string) => `/api/v1/nodes/${encodeURIComponent(name)}`;

/**
 * Taints the node unless it is cordoned already (nothing will schedule there)
 * or carries the taint; true when this added it. A node that is gone needs nothing.
 */
export async function taintScheduledForUpdate(client: KubeClient, nodeName: string): Promise<boolean> {
  try {
    const node = await client.request<KubeNode>('GET', nodePath(nodeName));
    if (node.spec?.unschedulable === true) return false;
    if (node.spec?.taints?.some((t) => t.key === SCHEDULED_FOR_UPDATE_TAINT)) return false;
    const taint = { key: SCHEDULED_FOR_UPDATE_TAINT, effect: 'PreferNoSchedule' };
    await client.request('PATCH', nodePath(nodeName), { body: { spec: { taints: [taint] } }, contentType: 'application/strategic-merge-patch+json' });
    return true;
  } catch (error) {
    if (error instanceof KubeApiError && error.status === 404) return false;
    throw error;
  }
}
