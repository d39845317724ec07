// One-shot reads for `kopsdeck get ...` and `validate cluster`: start the live
// sources, wait for their first sync (bounded), take a snapshot, stop.
import type { Clock } from '../clock.js';
import type { KubeClient } from '../kube/client.js';
import { countPodsPerNode } from '../kube/pod-counts.js';
import { startLiveCluster, type LiveCluster } from './live-cluster.js';
import type { CloudInventory, ModelSnapshot } from './types.js';

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

/** Runs `fn` on a synced live cluster and stops it afterwards. */
export async function withLiveCluster<T>(opts: LoadOnceOptions, fn: (live: LiveCluster) => Promise<T>): Promise<T> {
  const live = startLiveCluster({ cluster: opts.cluster, kube: opts.kube, cloud: opts.cloud, clock: opts.clock, watchPods: opts.pods === 'watch' });
  try {
    const controller = new AbortController();
    const timeout = opts.clock.sleep(opts.timeoutMs ?? 60_000, controller.signal).then(
      () => {
        throw new Error(`could not read cluster ${opts.cluster} within ${Math.round((opts.timeoutMs ?? 60_000) / 1000)}s: ${live.model.snapshot().kubeError ?? live.model.snapshot().cloudError ?? 'no answer'}`);
      },
      () => undefined,
    );
    await Promise.race([live.synced, timeout]).finally(() => controller.abort());
    return await fn(live);
  } finally {
    await live.stop();
  }
}
