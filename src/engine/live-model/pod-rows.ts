// The pods view's rows, kept from the live cluster's pod informer (the same
// cache the model counts from, no second list or watch): one row per pod,
// sorted by namespace/name, each rebuilt only when its pod changes. Optionally
// only the pods of one node.
import type { Informer, InformerEvent } from '../kube/informer.js';
import { objectKey } from '../kube/informer.js';
import { summarizePod } from '../kube/pod-status.js';
import { isMirrorPod, podOwner } from '../kube/selectors.js';
import type { KubePod } from '../kube/types.js';
import { SortedRows } from './sorted-rows.js';

export interface PodRow {
  /** namespace/name: the row's identity. */
  key: string;
  namespace: string;
  name: string;
  ready: number;
  total: number;
  restarts: number;
  /** As kubectl prints it: Running, Pending, ContainerCreating, Completed, Terminating, ... */
  status: string;
  /** Running with every container ready, or finished successfully: nothing to look at. */
  healthy: boolean;
  node: string;
  /** Epoch ms of the pod's creation; AGE is derived when shown. */
  createdAt?: number;
  ownerKind?: string;
  ownerName?: string;
  /** The API's mirror of a static pod (the kubelet recreates it from its manifest). */
  mirror: boolean;
}

export function buildPodRow(pod: KubePod, key = objectKey(pod)): PodRow {
  const summary = summarizePod(pod);
  const owner = podOwner(pod);
  const created = pod.metadata.creationTimestamp ? Date.parse(pod.metadata.creationTimestamp) : undefined;
  const healthy = summary.status === 'Completed' || (summary.status === 'Running' && summary.ready === summary.total);
  return {
    key,
    namespace: pod.metadata.namespace ?? 'default',
    name: pod.metadata.name,
    ready: summary.ready,
    total: summary.total,
    restarts: summary.restarts,
    status: summary.status,
    healthy,
    node: pod.spec?.nodeName ?? '',
    createdAt: Number.isNaN(created) ? undefined : created,
    ownerKind: owner?.kind,
    ownerName: owner?.name,
    mirror: isMirrorPod(pod),
  };
}

export class PodRows {
  private readonly rows = new SortedRows<PodRow>((row) => row.key);
  private readonly unsubscribe: () => void;

  /** Follows `pods` from now on, starting from what it holds; with `node`, only that node's pods. */
  constructor(
    pods: Informer<KubePod>,
    private readonly node?: string,
  ) {
    // Subscribing first and reading the cache next misses nothing: events are delivered synchronously.
    this.unsubscribe = pods.subscribe((event) => this.apply(event));
    for (const pod of pods.values()) this.put(objectKey(pod), pod);
  }

  get size(): number {
    return this.rows.size;
  }

  /** The rows, sorted by namespace/name; the same array until a pod changes. */
  view(): readonly PodRow[] {
    return this.rows.view();
  }

  stop(): void {
    this.unsubscribe();
  }

  private apply(event: InformerEvent<KubePod>): void {
    const key = event.key ?? objectKey(event.object);
    if (event.type === 'delete') this.rows.delete(key);
    else this.put(key, event.object);
  }

  private put(key: string, pod: KubePod): void {
    // A pod can be bound to the node after it was listed: it joins (or leaves) the node's rows then.
    if (this.node !== undefined && pod.spec?.nodeName !== this.node) this.rows.delete(key);
    else this.rows.upsert(buildPodRow(pod, key));
  }
}
