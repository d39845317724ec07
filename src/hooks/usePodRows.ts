// The pods screen's rows, from the live session's pod informer (engine
// model/pod-rows.ts). They are re-read when the model notifies, so a burst of
// pod events costs one frame, as on the nodes screen.
import { useEffect, useMemo, useState } from 'react';
import type { LiveCluster } from '../engine/live-model/live-cluster.js';
import { PodRows, type PodRow } from '../engine/live-model/pod-rows.js';
import type { ModelSnapshot } from '../engine/live-model/types.js';

export interface PodRowsView {
  rows: readonly PodRow[];
  /** Every pod has been listed (until then the rows are those listed so far). */
  listed: boolean;
}

const noRows: readonly PodRow[] = [];

export function usePodRows(live: LiveCluster | undefined, snapshot: ModelSnapshot | undefined, node?: string): PodRowsView {
  const [source, setSource] = useState<PodRows | undefined>(undefined);
  useEffect(() => {
    const pods = live?.pods;
    if (!pods) return setSource(undefined);
    const rows = new PodRows(pods, node);
    setSource(rows);
    return () => rows.stop();
  }, [live, node]);

  const [listed, setListed] = useState(false);
  useEffect(() => {
    let current = true;
    setListed(false);
    live?.pods?.synced.then(() => current && setListed(true));
    return () => {
      current = false;
    };
  }, [live]);

  // Any model change may be a pod's; view() hands back the same array when no pod changed.
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the version is the model's change counter: view() is read again on each new version
  const rows = useMemo(() => source?.view() ?? noRows, [source, snapshot?.version]);
  return { rows, listed };
}
