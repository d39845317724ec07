// The bridge from a cluster's live session (hooks/live-sessions.ts) to a
// screen: hold the session while the screen is mounted, re-render when its
// state changes, and read the model's snapshot, which the engine rebuilds
// incrementally and hands over at most once per notification interval (so a
// burst of watch events costs one frame).
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import type { LiveCluster } from '../engine/live-model/live-cluster.js';
import type { ModelSnapshot } from '../engine/live-model/types.js';
import { liveSessionsFor, type LiveClusterSession, type LiveSessionState } from '../sessions/live-sessions.js';
import { useServices } from './services.js';

export interface LiveClusterView {
  session: LiveClusterSession;
  state: LiveSessionState;
  /** The live cluster once connected (its caches may still be syncing: see state.synced). */
  live: LiveCluster | undefined;
  /** The caches this screen needs have synced (see `need`). */
  ready: boolean;
  /** The model's latest snapshot once ready. */
  snapshot: ModelSnapshot | undefined;
}

/**
 * What a screen waits for: 'nodes' shows nodes as soon as they are listed (pods
 * and instance groups fill in as they arrive); 'all' waits for pods and the
 * cloud too (validation, instance groups).
 */
export type LiveNeed = 'nodes' | 'all';

export function useLiveCluster(cluster: string, need: LiveNeed = 'all'): LiveClusterView {
  const services = useServices();
  const [held] = useState(() => liveSessionsFor(services).acquire(cluster));
  useEffect(() => () => held.release(), [held]);
  const { session } = held;
  const state = useSyncExternalStore(session.subscribe, session.getState);
  const live = state.status === 'live' ? state.live : undefined;
  const ready = state.status === 'live' && (need === 'nodes' ? state.nodesSynced : state.synced);
  const snapshot = useModelSnapshot(ready ? live : undefined);
  return { session, state, live, ready, snapshot };
}

export function useModelSnapshot(live: LiveCluster | undefined): ModelSnapshot | undefined {
  const subscribe = useCallback((onChange: () => void) => (live ? live.model.subscribe(() => onChange()) : () => undefined), [live]);
  const read = useCallback(() => live?.model.snapshot(), [live]);
  return useSyncExternalStore(subscribe, read);
}

/** A value of `read()` refreshed every `intervalMs` of wall time (e.g. the clock for AGE columns). */
export function useTicker<T>(read: () => T, intervalMs: number): T {
  const [value, setValue] = useState(read);
  useEffect(() => {
    const timer = setInterval(() => setValue(read()), intervalMs);
    return () => clearInterval(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `read` is often a new arrow on each render; the timer restarts only when the interval changes
  }, [intervalMs]);
  return value;
}
