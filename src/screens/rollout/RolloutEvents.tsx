// The latest Events of a rolling update, under its steps: about the nodes
// being replaced and from their kubelets (cordon, evictions, NotReady, their
// removal), every Node's own (the replacements registering and turning
// Ready) and every Warning (pods nothing can schedule), newest first. It takes
// its rows from the step list's space and collapses when that would leave
// the steps too few, so a small terminal keeps the header and the keys.
import { useCallback } from 'react';
import { LiveEventList } from '../../components/LiveEventList.js';
import { rolloutEvents, type EventRow } from '../../engine/live-model/event-rows.js';
import type { InstanceRow } from './rollout-progress.js';
import { useClusterEvents } from '../../hooks/useClusterEvents.js';

/** At most a title and four Events... */
const MAX_ROWS = 5;
/** ...and only while the step list keeps this many rows (its header and two instances at two rows each). */
const MIN_STEP_ROWS = 5;

/** Rows the block takes out of `space`, the rows the step list would otherwise have (0: collapsed). */
export function rolloutEventsHeight(space: number): number {
  const rows = Math.min(MAX_ROWS, space - MIN_STEP_ROWS);
  return rows >= 2 ? rows : 0;
}

export interface RolloutEventsProps {
  cluster: string;
  /** The rollout's instances: their nodes are the ones being replaced. */
  rows: readonly InstanceRow[];
  /** What the step list would have without this block. */
  space: number;
  width: number;
}

export function RolloutEvents({ cluster, rows, space, width }: RolloutEventsProps) {
  // Instance rows are rebuilt every second; the set of nodes changes far less often.
  const names = rows.flatMap((r) => (r.nodeName ? [r.nodeName] : [])).sort().join('\n');
  const select = useCallback((all: readonly EventRow[]) => rolloutEvents(all, new Set(names.split('\n'))), [names]);
  const events = useClusterEvents(cluster, select);
  const height = rolloutEventsHeight(space);
  return (
    <LiveEventList
      events={events}
      title="Events: the nodes being replaced, new nodes, warnings"
      width={width}
      rows={height}
      none="No Events about these nodes yet."
    />
  );
}
