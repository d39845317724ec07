// Wires the informers and the cloud poller into one ClusterModel: the live
// source every view, `get`, `validate` and the rollout read from.
import type { Clock } from '../clock.js';
import type { KubeClient } from '../kube/client.js';
import { Informer } from '../kube/informer.js';
import { leanPod, POD_FIELDS_NOT_KEPT } from '../kube/lean-pod.js';
import type { KubeNode, KubePod } from '../kube/types.js';
import { CloudPoller } from './cloud-poller.js';
import { ClusterModel } from './cluster-model.js';
import { leanNode, NODE_FIELDS_NOT_KEPT } from './lean-node.js';
import type { CloudInventory } from './types.js';

export interface LiveClusterOptions {
  cluster: string;
  kube: KubeClient;
  /** Without it the model has nodes and pods but no instance groups. */
  cloud?: CloudInventory;
  clock: Clock;
  /** Clock ms between cloud polls; default 10 s. */
  cloudIntervalMs?: number;
  /** Wall ms to gather changes before notifying subscribers; 0 = next tick. */
  notifyIntervalMs?: number;
  /** List page size for pods (nodes list in one page); default 500. */
  podPageSize?: number;
  /** Which informers to run; default both. `get nodes` needs pods for PODS too. */
  watchPods?: boolean;
  /** What the pod cache keeps of each pod; default kube/lean-pod.ts leanPod (only what the engine reads, repeated parts shared). */
  podTransform?: (pod: KubePod) => KubePod;
  /**
   * List nodes before anything else: pods and the cloud start once the node
   * list is in (or has failed once). The one CPU then decodes the nodes first,
   * so a nodes view can draw sooner; everything is listed a little later. Default false.
   */
  nodesFirst?: boolean;
  /**
   * With nodesFirst: once the nodes are listed, pods and the cloud also wait
   * for this (the console: its next frame, so the nodes are on screen before
   * the CPU turns to 150,000 pods).
   */
  restAfter?: () => Promise<void>;
  /** Every error of the Kubernetes side (the model keeps only its message): a one-shot read stops on a refusal. */
  onKubeError?: (error: unknown) => void;
}

export interface LiveCluster {
  model: ClusterModel;
  nodes: Informer<KubeNode>;
  pods?: Informer<KubePod>;
  poller?: CloudPoller;
  /** Resolves when nodes (and pods) are listed and the first cloud poll succeeded. */
  synced: Promise<void>;
  isSynced(): boolean;
  /** Polls the cloud now. */
  refreshCloud(): Promise<void>;
  stop(): Promise<void>;
}

export function startLiveCluster(opts: LiveClusterOptions): LiveCluster {
  const model = new ClusterModel(opts.cluster, { intervalMs: opts.notifyIntervalMs });
  const reportKube = (error: unknown) => {
    model.setKubeError(`Kubernetes API: ${(error as Error)?.message ?? error}`);
    opts.onKubeError?.(error);
  };
  const clearKube = () => model.setKubeError(undefined);

  let startRest = () => {};
  const onNodesError = (error: unknown) => {
    reportKube(error);
    startRest();
  };
  const nodes = new Informer<KubeNode>({ client: opts.kube, path: '/api/v1/nodes', clock: opts.clock, transform: leanNode, dropFields: NODE_FIELDS_NOT_KEPT, onError: onNodesError, onHealthy: clearKube });
  nodes.subscribe((event) => model.applyNode(event));
  let pods: Informer<KubePod> | undefined;
  if (opts.watchPods !== false) {
    pods = new Informer<KubePod>({
      client: opts.kube,
      path: '/api/v1/pods',
      clock: opts.clock,
      // Pages of 500 pods (kubectl's chunk size): each is decoded in a few milliseconds and its
      // garbage dies young, so a 150,000-pod list neither blocks the screen for long nor grows
      // the heap (measured: 5,000-pod pages peaked at 558 MiB RSS, 500-pod pages at 343 MiB).
      pageSize: opts.podPageSize ?? 500,
      transform: opts.podTransform ?? leanPod,
      dropFields: opts.podTransform ? undefined : POD_FIELDS_NOT_KEPT,
      onError: reportKube,
      onHealthy: clearKube,
    });
    pods.subscribe((event) => model.applyPod(event));
  }
  const poller = opts.cloud ? new CloudPoller({ inventory: opts.cloud, model, clock: opts.clock, intervalMs: opts.cloudIntervalMs }) : undefined;

  let restStarted = false;
  startRest = () => {
    if (restStarted) return;
    restStarted = true;
    pods?.start();
    poller?.start();
  };
  nodes.start();
  const afterNodes = () => void (opts.restAfter?.() ?? Promise.resolve()).then(startRest, startRest);
  if (opts.nodesFirst) nodes.synced.then(afterNodes, afterNodes);
  else startRest();
  let syncedNow = false;
  const synced = Promise.all([nodes.synced, pods?.synced, poller?.firstPoll]).then(() => {
    syncedNow = true;
    model.setKubeError(undefined);
  });

  return {
    model,
    nodes,
    pods,
    poller,
    synced,
    isSynced: () => syncedNow,
    refreshCloud: async () => poller?.refresh(),
    async stop() {
      restStarted = true; // a node list that lands now must not start the others
      await Promise.all([nodes.stop(), pods?.stop(), poller?.stop()]);
    },
  };
}
