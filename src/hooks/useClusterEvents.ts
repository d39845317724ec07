// The bridge from a cluster's Event feed (hooks/event-sessions.ts) to a
// screen: hold the feed while mounted, re-render when it changes (at most a
// few times a second), and hand over the rows a screen selects, newest first.
import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { systemClock, type Clock } from '../engine/clock.js';
import { aboutObject, type EventRow } from '../engine/live-model/event-rows.js';
import { eventSessionsFor, type EventSessionState } from '../sessions/event-sessions.js';
import { useServices } from './services.js';

export interface ClusterEvents {
  state: EventSessionState;
  /** The selected rows (every Event, newest first, without a selection). */
  rows: readonly EventRow[];
  /** The first list is in (before that, no rows does not mean no Events). */
  synced: boolean;
  /** Why Events cannot be read now, if so. */
  error: string | undefined;
  /** The clock Events are dated on, for AGE. */
  clock: Clock;
}

const noRows: readonly EventRow[] = [];

/** `select` picks and orders rows from all of them (newest first); keep it stable (module-level or memoized). */
export function useClusterEvents(cluster: string, select?: (all: readonly EventRow[]) => readonly EventRow[]): ClusterEvents {
  const services = useServices();
  const [held] = useState(() => eventSessionsFor(services).acquire(cluster));
  useEffect(() => () => held.release(), [held]);
  const { session } = held;
  const state = useSyncExternalStore(session.subscribe, session.getState);
  const feed = state.status === 'live' ? state.feed : undefined;
  const subscribe = useCallback((onChange: () => void) => (feed ? feed.subscribe(() => onChange()) : () => undefined), [feed]);
  const version = useSyncExternalStore(subscribe, () => feed?.version ?? -1);
  const rows = useMemo(() => {
    const all = feed?.rows() ?? noRows;
    return select ? select(all) : all;
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the version is the feed's change counter: rows() is read again on each new version
  }, [feed, version, select]);
  const error = state.status === 'error' ? state.message : feed?.error;
  const synced = state.status === 'live' && state.synced;
  const clock = session.clock ?? systemClock;
  // One value while nothing changed, so screens can memoize on it.
  return useMemo(() => ({ state, rows, synced, error, clock }), [state, rows, synced, error, clock]);
}

/** The Events about one object (a node, a pod), newest first. */
export function useObjectEvents(cluster: string, kind: string, name: string, namespace?: string): ClusterEvents {
  const select = useMemo(() => (all: readonly EventRow[]) => aboutObject(all, kind, name, namespace), [kind, name, namespace]);
  return useClusterEvents(cluster, select);
}
