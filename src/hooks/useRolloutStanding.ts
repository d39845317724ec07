// Where the cluster's rolling update stands (engine/rollout/standing.ts), for
// screens that do not run one: read from the state store's lock and journal at
// once, then every few seconds of wall time (a look is two small reads).
import { useEffect, useState } from 'react';
import { readJournal, readLock } from '../engine/rollout/index.js';
import { rolloutStanding, type RolloutStanding } from '../engine/rollout/standing.js';
import { useServices } from './services.js';

const LOOK_EVERY_MS = 5_000;

export function useRolloutStanding(cluster: string): RolloutStanding {
  const services = useServices();
  const [standing, setStanding] = useState<RolloutStanding>({ kind: 'none' });
  useEffect(() => {
    let stopped = false;
    const look = async () => {
      const objects = services.store.objects;
      // A store that cannot be read now says nothing here: the screens that need the store say why.
      const [lock, journal] = await Promise.all([readLock(objects, cluster).catch(() => null), readJournal(objects, cluster).catch(() => null)]);
      if (!stopped) setStanding(rolloutStanding(lock, journal, Date.now()));
    };
    void look();
    const timer = setInterval(() => void look(), LOOK_EVERY_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [cluster, services]);
  return standing;
}
