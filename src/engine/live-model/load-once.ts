// One-shot reads for `kopsdeck get ...` and `validate cluster`: start the live
// sources, wait for their first sync (bounded), take a snapshot, stop; or,
// for `get instances`, read the cloud and one bounded node list (loadCloudFirst).
import type { Clock } from '../clock.js';
import { KubeApiError, type KubeClient } from '../kube/client.js';
import { countPodsPerNode } from '../kube/pod-counts.js';
import type { KubeNode } from '../kube/types.js';
import { ClusterModel } from './cluster-model.js';
import { leanNode, NODE_FIELDS_NOT_KEPT } from './lean-node.js';
import { startLiveCluster, type LiveCluster } from './live-cluster.js';
import type { CloudInventory, ModelSnapshot } from './types.js';
import { errorMessage } from '../error-message.js';

export interface LoadOnceOptions {
  cluster: string;
  kube: KubeClient;
  cloud?: CloudInventory;
  clock: Clock;
  /**
   * How the PODS column is filled: 'count' (default) asks the server for a pod
   * Table and counts per node, without caching 150,000 pods; 'watch' lists the
   * pods into the model (what the live views do); 'none' leaves it at 0.
   */
  pods?: 'count' | 'watch' | 'none';
  /** Clock ms to wait for the first sync; default 60 s. */
  timeoutMs?: number;
}

export async function loadClusterOnce(opts: LoadOnceOptions): Promise<ModelSnapshot> {
  const mode = opts.pods ?? 'count';
  const counting = mode === 'count' ? countPodsPerNode(opts.kube) : undefined;
  counting?.catch(() => undefined); // awaited below; a failure then surfaces there
  const snapshot = await withLiveCluster(opts, async (live) => live.model.snapshot());
  if (!counting) return snapshot;
  const counts = await counting;
  let pods = 0;
  for (const n of counts.values()) pods += n;
  return {
    ...snapshot,
    nodes: snapshot.nodes.map((row) => ({ ...row, pods: counts.get(row.name) ?? 0 })),
    counts: { ...snapshot.counts, pods },
  };
}

/**
 * Runs `fn` on a synced live cluster and stops it afterwards. An API that
 * refuses the credentials (401) or the permission (403) fails the read at once:
 * unlike an API that is down or booting, waiting does not change its answer.
 */
export async function withLiveCluster<T>(opts: LoadOnceOptions, fn: (live: LiveCluster) => Promise<T>): Promise<T> {
  let refuse!: (error: KubeApiError) => void;
  const refused = new Promise<never>((_, reject) => (refuse = reject));
  const onKubeError = (error: unknown) => {
    if (error instanceof KubeApiError && (error.status === 401 || error.status === 403)) refuse(error);
  };
  const live = startLiveCluster({ cluster: opts.cluster, kube: opts.kube, cloud: opts.cloud, clock: opts.clock, watchPods: opts.pods === 'watch', onKubeError });
  try {
    const controller = new AbortController();
    const timeout = opts.clock.sleep(opts.timeoutMs ?? 60_000, controller.signal).then(
      () => {
        const { kubeError, cloudError } = live.model.snapshot();
        throw new ClusterReadTimeout(opts.cluster, Math.round((opts.timeoutMs ?? 60_000) / 1000), kubeError, cloudError);
      },
      () => undefined,
    );
    await Promise.race([live.synced, timeout, refused]).finally(() => controller.abort());
    return await fn(live);
  } finally {
    await live.stop();
  }
}

/** The first sync did not finish in time; says which side (Kubernetes, the cloud) was failing. */
export class ClusterReadTimeout extends Error {
  constructor(
    cluster: string,
    seconds: number,
    readonly kubeError: string | undefined,
    readonly cloudError: string | undefined,
  ) {
    super(`could not read cluster ${cluster} within ${seconds}s: ${kubeError ?? cloudError ?? 'no answer'}`);
    this.name = 'ClusterReadTimeout';
  }
}

export interface CloudFirstOptions {
  cluster: string;
  cloud: CloudInventory;
  /** Absent when there is no way to the API (no kubeconfig context): the nodes are then unknown. */
  kube?: KubeClient;
  /** Why `kube` is absent, reported as the reason the nodes are unknown. */
  kubeUnavailable?: string;
  clock: Clock;
  /** Wall ms the API has to answer the node list before it is given up; default 10 s. */
  apiTimeoutMs?: number;
}

export interface CloudFirstSnapshot {
  snapshot: ModelSnapshot;
  /** Why the nodes could not be read; undefined when they were. */
  nodesUnknown?: string;
}

/**
 * The cloud's view of a cluster (instance groups, instances), joined with the
 * nodes when the Kubernetes API answers one list in time. Instances are a cloud
 * fact: as `kops get instances`, an API that cannot be reached leaves them
 * without nodes instead of failing. One list, no watch: nothing to wait on.
 */
export async function loadCloudFirst(opts: CloudFirstOptions): Promise<CloudFirstSnapshot> {
  const nodes = opts.kube
    ? listNodes(opts.kube, opts.apiTimeoutMs ?? 10_000)
    : Promise.resolve({ nodes: [] as KubeNode[], error: opts.kubeUnavailable ?? 'no Kubernetes client' });
  const [groups, listed] = await Promise.all([opts.cloud.listInstanceGroups(opts.cluster), nodes]);
  const model = new ClusterModel(opts.cluster);
  for (const node of listed.nodes) model.applyNode({ type: 'add', object: node });
  model.setCloud(groups, opts.clock.now());
  return { snapshot: model.snapshot(), nodesUnknown: listed.error };
}

async function listNodes(kube: KubeClient, timeoutMs: number): Promise<{ nodes: KubeNode[]; error?: string }> {
  try {
    const nodes: KubeNode[] = [];
    await kube.requestList<KubeNode>('/api/v1/nodes', (node) => nodes.push(leanNode(node)), { timeoutMs, dropFields: NODE_FIELDS_NOT_KEPT });
    return { nodes };
  } catch (error) {
    return { nodes: [], error: errorMessage(error) };
  }
}
