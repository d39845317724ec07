// The clusters list: one row per cluster in the state store, read through the
// ClusterStore. A cluster whose config cannot be read still gets a row saying
// why, so one bad file does not hide the others.
import type { ClusterStore } from '../engine/store/cluster-store.js';
import { useServices } from './services.js';
import { useAsync } from './useAsync.js';
import { useRouteMemory } from './useRouter.js';
import { errorMessage } from '../engine/error-message.js';

export interface ClusterSummary {
  name: string;
  cloud: string;
  zones: string[];
  kubernetesVersion: string;
  instanceGroups: number;
  /** Set when the cluster's files could not be read. */
  problem?: string;
}

async function summarise(store: ClusterStore, name: string): Promise<ClusterSummary | null> {
  try {
    const [cluster, groups] = await Promise.all([store.getCluster(name), store.listInstanceGroups(name)]);
    if (!cluster) return null;
    const spec = cluster.value.spec;
    const zones = [...new Set((spec.subnets ?? []).map((s) => s.zone))].sort();
    return {
      name,
      cloud: spec.cloudProvider ?? '',
      zones,
      kubernetesVersion: spec.kubernetesVersion ?? '',
      instanceGroups: groups.length,
    };
  } catch (error) {
    const message = errorMessage(error);
    return { name, cloud: '?', zones: [], kubernetesVersion: '?', instanceGroups: 0, problem: message };
  }
}

export async function loadClusterSummaries(store: ClusterStore): Promise<ClusterSummary[]> {
  const names = await store.listClusters();
  const rows = await Promise.all(names.map((name) => summarise(store, name)));
  return rows.filter((row): row is ClusterSummary => row !== null);
}

/** The clusters, reloaded on every visit; the last rows stay on screen while a reload runs. */
export function useClusterSummaries() {
  const { store } = useServices();
  const [cached, setCached] = useRouteMemory<ClusterSummary[] | undefined>('clusters:rows', undefined);
  const state = useAsync(async () => {
    const rows = await loadClusterSummaries(store);
    setCached(rows);
    return rows;
  }, [store]);
  return { ...state, value: state.value ?? cached };
}
