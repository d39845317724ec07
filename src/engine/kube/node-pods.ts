// What a node runs, as the drain confirmation panel and the node-detail screen
// show it: each pod with its owner, readiness, and the PodDisruptionBudget that
// covers it with how many disruptions that budget allows right now.
import type { KubeClient } from './client.js';
import { withQuery } from './informer.js';
import { selectorMatches } from './label-selector.js';
import { isDaemonSetPod, isMirrorPod, isPodReady, podOwner, usesEmptyDir } from './selectors.js';
import type { KubeList, KubePdb, KubePod } from './types.js';
import { ownerKey, readWorkloadReplicas, type WorkloadReplicas } from './workload-replicas.js';

export interface PdbRef {
  namespace: string;
  name: string;
  disruptionsAllowed: number;
  currentHealthy?: number;
  desiredHealthy?: number;
}

export type DrainDisposition = 'evict' | 'skip-daemonset' | 'skip-mirror' | 'done';

export interface NodePodRow {
  namespace: string;
  name: string;
  ownerKind: string;
  ownerName: string;
  ready: boolean;
  phase: string;
  emptyDir: boolean;
  /** What a drain does with it: evicted, or left alone (DaemonSet, mirror, already finished). */
  disposition: DrainDisposition;
  pdb?: PdbRef;
  /** How many replicas its owner has in all (and the Deployment behind a ReplicaSet), when the owner could be read. */
  owner?: WorkloadReplicas;
}

export async function listNodePods(client: KubeClient, nodeName: string, signal?: AbortSignal): Promise<KubePod[]> {
  const path = withQuery('/api/v1/pods', { fieldSelector: `spec.nodeName=${nodeName}` });
  const list = await client.request<KubeList<KubePod>>('GET', path, { signal });
  // Filter again: a server that ignores the field selector must not make us drain the wrong pods.
  return list.items.filter((pod) => pod.spec?.nodeName === nodeName);
}

export async function listPdbs(client: KubeClient, signal?: AbortSignal): Promise<KubePdb[]> {
  const list = await client.request<KubeList<KubePdb>>('GET', '/apis/policy/v1/poddisruptionbudgets', { signal });
  return list.items;
}

export function pdbRef(pdb: KubePdb): PdbRef {
  return {
    namespace: pdb.metadata.namespace ?? 'default',
    name: pdb.metadata.name,
    disruptionsAllowed: pdb.status?.disruptionsAllowed ?? 0,
    currentHealthy: pdb.status?.currentHealthy,
    desiredHealthy: pdb.status?.desiredHealthy,
  };
}

/** The budget covering a pod: same namespace, selector matches its labels. */
export function findPdbFor(pod: KubePod, pdbs: KubePdb[]): KubePdb | undefined {
  const namespace = pod.metadata.namespace ?? 'default';
  return pdbs.find((pdb) => (pdb.metadata.namespace ?? 'default') === namespace && selectorMatches(pdb.spec?.selector, pod.metadata.labels));
}

export function drainDisposition(pod: KubePod): DrainDisposition {
  if (isMirrorPod(pod)) return 'skip-mirror';
  if (isDaemonSetPod(pod)) return 'skip-daemonset';
  if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return 'done';
  return 'evict';
}

export function describePod(pod: KubePod, pdbs: KubePdb[]): NodePodRow {
  const owner = podOwner(pod);
  const pdb = findPdbFor(pod, pdbs);
  return {
    namespace: pod.metadata.namespace ?? 'default',
    name: pod.metadata.name,
    ownerKind: owner?.kind ?? '',
    ownerName: owner?.name ?? '',
    ready: isPodReady(pod),
    phase: pod.status?.phase ?? 'Unknown',
    emptyDir: usesEmptyDir(pod),
    disposition: drainDisposition(pod),
    pdb: pdb ? pdbRef(pdb) : undefined,
  };
}

/** The pods on a node, sorted by namespace then name, with their owners, the owners' replicas and budgets. */
export async function describeNodePods(client: KubeClient, nodeName: string, signal?: AbortSignal): Promise<NodePodRow[]> {
  const [pods, pdbs] = await Promise.all([listNodePods(client, nodeName, signal), listPdbs(client, signal)]);
  const rows = pods.map((pod) => describePod(pod, pdbs));
  // Only the pods a drain evicts need their owner's replicas.
  const owners = rows.filter((r) => r.disposition === 'evict' && r.ownerKind).map((r) => ({ namespace: r.namespace, kind: r.ownerKind, name: r.ownerName }));
  const replicas = await readWorkloadReplicas(client, owners, signal);
  return rows
    .map((row) => {
      const owner = row.ownerKind ? replicas.get(ownerKey({ namespace: row.namespace, kind: row.ownerKind, name: row.ownerName })) : undefined;
      return owner ? { ...row, owner } : row;
    })
    .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
}
