// The label that takes a node out of external load balancers: the service
// controller of the cloud provider stops sending Service load-balancer
// traffic to it. kops puts it (empty value) on a node right after cordoning
// it for a rolling update, and before the drain.
import { KubeApiError, type KubeClient } from './client.js';
import type { KubeNode } from './types.js';

export const EXCLUDE_FROM_LOAD_BALANCERS = 'node.kubernetes.io/exclude-from-external-load-balancers';

const nodePath = (name: string) => `/api/v1/nodes/${encodeURIComponent(name)}`;
const gone = (error: unknown) => error instanceof KubeApiError && error.status === 404;

/** Adds the label; true when this added it, false when it was there already or the node is gone (nothing to exclude). */
export async function excludeFromLoadBalancers(client: KubeClient, nodeName: string): Promise<boolean> {
  try {
    const node = await client.request<KubeNode>('GET', nodePath(nodeName));
    if (node.metadata.labels?.[EXCLUDE_FROM_LOAD_BALANCERS] !== undefined) return false;
    await client.request('PATCH', nodePath(nodeName), { body: { metadata: { labels: { [EXCLUDE_FROM_LOAD_BALANCERS]: '' } } }, contentType: 'application/merge-patch+json' });
    return true;
  } catch (error) {
    if (gone(error)) return false;
    throw error;
  }
}

/** Removes the label (a node the rollout gives back); a node that is gone needs nothing. */
export async function includeInLoadBalancers(client: KubeClient, nodeName: string): Promise<void> {
  try {
    await client.request('PATCH', nodePath(nodeName), { body: { metadata: { labels: { [EXCLUDE_FROM_LOAD_BALANCERS]: null } } }, contentType: 'application/merge-patch+json' });
  } catch (error) {
    if (!gone(error)) throw error;
  }
}
