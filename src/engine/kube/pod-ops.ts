// Deleting and evicting one pod, as kubectl delete pod and the Eviction API
// do them. A delete goes ahead whatever the pod's PodDisruptionBudget says; an
// eviction asks the budget first, and a refusal (429) is an answer, not an
// error: nothing was done, and the caller is told why in the API's words.
import { apiStatus, KubeApiError, type KubeClient } from './client.js';
import { asSentence } from '../output/sentence.js';
import type { PodRef } from './node-ops.js';

export function podPath(pod: PodRef): string {
  return `/api/v1/namespaces/${encodeURIComponent(pod.namespace)}/pods/${encodeURIComponent(pod.name)}`;
}

/** Deletes the pod with its own grace period (the API server's default, as kubectl). */
export async function deletePod(client: KubeClient, pod: PodRef): Promise<void> {
  await client.request('DELETE', podPath(pod));
}

export type EvictionResult = { evicted: true } | { evicted: false; reason: string };

/** Asks the Eviction API (policy/v1) to evict the pod; a budget's refusal comes back as `{ evicted: false }` with its reason. */
export async function evictPod(client: KubeClient, pod: PodRef): Promise<EvictionResult> {
  const body = { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: pod.name, namespace: pod.namespace } };
  try {
    await client.request('POST', `${podPath(pod)}/eviction`, { body });
    return { evicted: true };
  } catch (error) {
    if (!(error instanceof KubeApiError) || error.status !== 429) throw error;
    const status = apiStatus(error);
    // The budget that refuses is named in a cause ("The disruption budget web needs 4 healthy pods and has 4 currently").
    const causes = (status?.details?.causes ?? []).map((c) => c.message).filter(Boolean);
    return { evicted: false, reason: [status?.message ?? error.message, ...causes].map(asSentence).join(' ') };
  }
}
