// How to reach a cloud: endpoints, credentials, region and a clock, chosen by
// start-up code (real AWS or the simulator) and handed to everything below it.
// Nothing here knows which of the two it is.
import type { Clock } from '../clock.js';
import { regionOfZone } from '../spec/regions.js';
import type { Cluster } from '../spec/types.js';

export interface CloudAccess {
  /** True on the embedded simulator (shown as a SIMULATED badge; never branched on in the engine). */
  simulated: boolean;
  /** Waits in the engine run on this clock (faster on a sped-up simulator). */
  clock: Clock;
  /** One endpoint for every AWS service; undefined: the SDK's own resolution. */
  awsEndpoint?: string;
  /** Explicit credentials; undefined: the SDK's default chain. */
  awsCredentials?: { accessKeyId: string; secretAccessKey: string };
  /** The region when a cluster's zones do not say. */
  defaultRegion: string;
  /** The kubeconfig with a context per cluster; undefined: KUBECONFIG, then ~/.kube/config. */
  kubeconfigPath?: string;
}

/** The region a cluster lives in: its zones say, else the access's default. */
export function clusterRegion(cluster: Cluster | undefined, access: Pick<CloudAccess, 'defaultRegion'>): string {
  const zone = cluster?.spec.subnets?.[0]?.zone;
  return (zone && regionOfZone(zone)) || access.defaultRegion;
}
