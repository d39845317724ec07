// The bridge from a RolloutWatch (hooks/rollout-watch.ts) to the
// rolling-update screen: one watch per mounted screen, polling while enabled
// (not while this console runs its own rollout: then the lock is its own).
import { useEffect, useState, useSyncExternalStore } from 'react';
import { RolloutWatch, type RolloutWatchState } from '../sessions/rollout-watch.js';
import { useServices } from './services.js';

export function useRolloutWatch(cluster: string, enabled: boolean): { watch: RolloutWatch; state: RolloutWatchState } {
  const services = useServices();
  const [watch] = useState(() => new RolloutWatch(cluster, services));
  useEffect(() => {
    if (!enabled) return;
    watch.start();
    return () => watch.stop();
  }, [watch, enabled]);
  const state = useSyncExternalStore(watch.subscribe, watch.getState);
  return { watch, state };
}
