// Machines on AWS read their secrets and bootstrap token from the cluster's
// folder in the state store with their instance profile: only an s3:// store
// can serve them. The simulator's machines may read a local store too, so
// that the default a new user meets (a local store, the simulator) works.
import type { CloudAccess } from '../cloud/access.js';

/** Why machines could not boot from this store here; undefined when they can. */
export function storeUnreachableByMachines(storeUrl: string, access: Pick<CloudAccess, 'simulated'>): string | undefined {
  if (access.simulated || storeUrl.startsWith('s3://')) return undefined;
  return (
    `machines on AWS cannot read the state store ${storeUrl}: they fetch the cluster's certificates and bootstrap token from S3 with their instance profile. ` +
    'Use an s3:// state store (--state s3://bucket/prefix, or KOPS_STATE_STORE)'
  );
}
