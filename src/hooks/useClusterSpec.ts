// A cluster and its instance groups as the YAML `kops get cluster NAME -o yaml`
// prints, read through the ClusterStore and serialised by the spec module.
import { serialiseClusterFile } from '../engine/spec/index.js';
import type { ClusterStore } from '../engine/store/cluster-store.js';
import { useServices } from './services.js';
import { useAsync } from './useAsync.js';

export class ClusterNotFoundError extends Error {
  constructor(readonly cluster: string) {
    super(`Cluster "${cluster}" is not in the state store.`);
    this.name = 'ClusterNotFoundError';
  }
}

export async function loadClusterYaml(store: ClusterStore, name: string): Promise<string> {
  const [cluster, groups] = await Promise.all([store.getCluster(name), store.listInstanceGroups(name)]);
  if (!cluster) throw new ClusterNotFoundError(name);
  return serialiseClusterFile({ cluster: cluster.value, instanceGroups: groups.map((g) => g.value) });
}

export function useClusterSpec(name: string) {
  const { store } = useServices();
  return useAsync(() => loadClusterYaml(store, name), [store, name]);
}
