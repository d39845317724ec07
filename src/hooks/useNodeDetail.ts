// Everything the node-detail screen shows about one node, live: the Node from
// the informer cache, its instance and group from the cloud view, and its pods
// with the PodDisruptionBudget covering each (budgets are re-read every few
// seconds: their disruptionsAllowed moves as pods come and go).
import { useEffect, useMemo, useState } from 'react';
import { listPdbs, describePod, type NodePodRow } from '../engine/kube/node-pods.js';
import type { KubeNode, KubePdb } from '../engine/kube/types.js';
import { instanceIdOf } from '../engine/kube/provider-id.js';
import type { CloudInstance, IgCloudState, ModelSnapshot } from '../engine/live-model/types.js';
import type { LiveSessionState } from '../sessions/live-sessions.js';

export interface NodeDetail {
  node: KubeNode;
  /** Undefined when the node's providerID names no EC2 instance. */
  instanceId?: string;
  instance?: CloudInstance;
  group?: IgCloudState;
  pods: NodePodRow[];
  /** Set when the budgets could not be read (pods are still shown). */
  pdbError?: string;
}

export function useNodeDetail(state: LiveSessionState, snapshot: ModelSnapshot | undefined, nodeName: string, pdbIntervalMs = 5000): NodeDetail | undefined {
  const live = state.status === 'live' ? state : undefined;
  const [pdbs, setPdbs] = useState<{ items: KubePdb[]; error?: string }>({ items: [] });
  useEffect(() => {
    if (!live) return;
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const read = () => {
      listPdbs(live.kube, controller.signal).then(
        (items) => setPdbs({ items }),
        (error: unknown) => !controller.signal.aborted && setPdbs((previous) => ({ items: previous.items, error: (error as Error).message })),
      ).finally(() => {
        if (!controller.signal.aborted) timer = setTimeout(read, pdbIntervalMs);
      });
    };
    read();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- a new kube client (not a new snapshot of the same cluster) starts the PDB polling again
  }, [live?.kube, pdbIntervalMs]);

  const model = live?.live.model;
  // The snapshot's version changes with any change in the cluster; the work here is one node's.
  return useMemo(() => {
    const node = snapshot && model?.getNode(nodeName);
    if (!node || !model) return undefined;
    const instanceId = instanceIdOf(node);
    const joined = instanceId ? model.instance(instanceId) : undefined;
    const pods = model
      .podsOn(nodeName)
      .map((pod) => describePod(pod, pdbs.items))
      .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
    return { node, instanceId, instance: joined?.instance, group: joined?.ig, pods, pdbError: pdbs.error };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the snapshot's version is the model's change counter (the model itself is mutable)
  }, [snapshot?.version, model, nodeName, pdbs]);
}
