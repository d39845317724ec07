// The bridge from a cluster's rollout session (hooks/rollout-session.ts) to
// the rolling-update screen: hold the session while the screen is mounted,
// re-render on every change, and tick once a second while something runs so
// durations, the ETA and the drain timeout move. Planning on arrival is the
// screen's call: not while another process runs a rollout of the cluster.
import { useEffect, useState, useSyncExternalStore } from 'react';
import type { RolloutSession } from '../sessions/rollout-session.js';
import type { RolloutSessionState } from '../sessions/rollout-session-state.js';
import { rolloutSessionsFor } from '../sessions/rollout-sessions.js';
import { useServices } from './services.js';

export interface RolloutHandle {
  session: RolloutSession;
  state: RolloutSessionState;
  /** Clock ms (simulated time on the simulator), refreshed every second while running. */
  now: number;
}

const TICK_MS = 1000;

export function useRollout(cluster: string): RolloutHandle {
  const services = useServices();
  const [held] = useState(() => rolloutSessionsFor(services).acquire(cluster));
  useEffect(() => () => held.release(), [held]);
  const { session } = held;
  const state = useSyncExternalStore(session.subscribe, session.getState);
  const [, setTick] = useState(0);
  useEffect(() => {
    if (state.phase !== 'running') return;
    const timer = setInterval(() => setTick((n) => n + 1), TICK_MS);
    return () => clearInterval(timer);
  }, [state.phase]);
  return { session, state, now: session.now() };
}
