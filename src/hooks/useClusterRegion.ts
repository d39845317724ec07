// The region the header shows: the region of the cluster being looked at (its
// subnets' zones say it, as they say it to the engine), else the session's
// default region (a cluster the store does not hold is read there too). While
// the cluster's spec is being read, no region is shown rather than a wrong one.
import { clusterRegion } from '../engine/cloud/access.js';
import { useServices } from './services.js';
import { useAsync } from './useAsync.js';

export function useClusterRegion(cluster: string | undefined): string | undefined {
  const { store, region } = useServices();
  const read = useAsync(async () => {
    if (!cluster) return { cluster, region };
    const stored = await store.getCluster(cluster).catch(() => null);
    return { cluster, region: clusterRegion(stored?.value, { defaultRegion: region ?? '' }) || undefined };
  }, [store, region, cluster]);
  if (!cluster) return region;
  return read.value?.cluster === cluster ? read.value.region : undefined;
}
