// How many replicas the workloads of a node's pods have in all, for the drain
// question: "3 of its 3 replicas are on this node" is the line an on-call
// engineer needs before saying yes. Each owner is read once; an owner that
// cannot be read (gone, or not allowed) is left without a figure rather than
// guessed.
import type { KubeClient } from './client.js';

/** An owner of pods, as a pod's controller reference names it. */
export interface PodOwnerRef {
  namespace: string;
  kind: string;
  name: string;
}

export interface WorkloadReplicas {
  /** Replicas the owner wants (spec.replicas). */
  replicas: number;
  /** The Deployment behind a ReplicaSet ("Deployment demo/web"), when there is one. */
  workload?: string;
}

interface ScalableObject {
  metadata: { ownerReferences?: { kind: string; name: string; controller?: boolean }[] };
  spec?: { replicas?: number };
}

/** Where each kind that has replicas lives in the API. */
const PATHS: Record<string, (namespace: string, name: string) => string> = {
  ReplicaSet: (ns, name) => `/apis/apps/v1/namespaces/${encodeURIComponent(ns)}/replicasets/${encodeURIComponent(name)}`,
  StatefulSet: (ns, name) => `/apis/apps/v1/namespaces/${encodeURIComponent(ns)}/statefulsets/${encodeURIComponent(name)}`,
  ReplicationController: (ns, name) => `/api/v1/namespaces/${encodeURIComponent(ns)}/replicationcontrollers/${encodeURIComponent(name)}`,
};

export const ownerKey = (owner: PodOwnerRef) => `${owner.kind} ${owner.namespace}/${owner.name}`;

/** The replicas of each distinct owner (kinds without replicas, and owners that cannot be read, are left out). */
export async function readWorkloadReplicas(client: KubeClient, owners: readonly PodOwnerRef[], signal?: AbortSignal): Promise<Map<string, WorkloadReplicas>> {
  const distinct = new Map(owners.filter((o) => PATHS[o.kind]).map((o) => [ownerKey(o), o]));
  const found = new Map<string, WorkloadReplicas>();
  await Promise.all(
    [...distinct].map(async ([key, owner]) => {
      try {
        const object = await client.request<ScalableObject>('GET', PATHS[owner.kind](owner.namespace, owner.name), { signal });
        const deployment = object.metadata.ownerReferences?.find((r) => r.controller && r.kind === 'Deployment');
        found.set(key, {
          // The API defaults spec.replicas to 1.
          replicas: object.spec?.replicas ?? 1,
          ...(deployment ? { workload: `Deployment ${owner.namespace}/${deployment.name}` } : {}),
        });
      } catch {
        // Unknown is said as nothing: the question still lists the pods.
      }
    }),
  );
  return found;
}
