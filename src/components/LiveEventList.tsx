// An EventList fed by a cluster's live Event feed (useClusterEvents), with
// ages that move on the feed's clock: the tick re-renders this block only.
import { useMemo } from 'react';
import { ageTickMs } from '../engine/live-model/node-row.js';
import type { EventRow } from '../engine/live-model/event-rows.js';
import type { ClusterEvents } from '../hooks/useClusterEvents.js';
import { useTicker } from '../hooks/useLiveCluster.js';
import { EventList } from './EventList.js';

export interface LiveEventListProps {
  events: ClusterEvents;
  /** Orders the feed's selection when shown, against the clock's now (e.g. recent warnings first). */
  order?: (rows: readonly EventRow[], now: number) => readonly EventRow[];
  title: string;
  width: number;
  /** Terminal rows the block may take, title included (under 2: nothing is shown). */
  rows: number;
  /** What no Events means here, once they are listed. */
  none: string;
}

export function LiveEventList({ events, order, title, width, rows, none }: LiveEventListProps) {
  const clock = events.clock;
  const now = useTicker(() => clock.now(), ageTickMs(clock));
  const shown = useMemo(() => (order ? order(events.rows, now) : events.rows), [order, events.rows, now]);
  return (
    <EventList
      title={title}
      events={shown}
      now={now}
      width={width}
      rows={rows}
      empty={events.synced ? none : 'Listing Events…'}
      error={events.error}
    />
  );
}
