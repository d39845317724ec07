// A new user's first start on the simulator lands on a living cluster: the
// engine writes a small demo spec and creates its (simulated) cloud resources,
// exactly as `create cluster` + `update cluster --yes` would. It happens once;
// a user who deletes the demo does not get it back.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { clusterRegion, type CloudAccess } from '../engine/cloud/access.js';
import { awsClientsFor } from '../engine/cloud/aws/clients.js';
import { kopsdeckHome } from '../engine/paths.js';
import { applyCluster } from '../engine/reconcile/cluster.js';
import { buildClusterSpec } from '../engine/spec/defaults.js';
import type { ClusterStore } from '../engine/store/cluster-store.js';

export const DEMO_CLUSTER_NAME = 'demo.k8s.local';

export interface DemoSeed {
  /** Resolves when the cloud resources are created (instances then boot on their own). */
  cloudReady: Promise<void>;
}

/**
 * Writes the demo spec (awaited, so the first screen lists it) and starts
 * creating its cloud resources in the background. Returns null when there is
 * nothing to do: not the simulator, clusters already exist, it was done before,
 * or KOPSDECK_DEMO=off.
 */
export async function seedDemoCluster(store: ClusterStore, access: CloudAccess, env: NodeJS.ProcessEnv = process.env): Promise<DemoSeed | null> {
  const marker = join(kopsdeckHome(env), 'demo-created');
  if (!access.simulated || env.KOPSDECK_DEMO === 'off' || existsSync(marker)) return null;
  if ((await store.listClusters()).length > 0) return null;
  const bundle = buildClusterSpec({
    name: DEMO_CLUSTER_NAME,
    zones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
    controlPlaneCount: 1,
    nodeCount: 3,
    topology: 'public',
  });
  await store.createCluster(bundle.cluster, bundle.instanceGroups);
  mkdirSync(kopsdeckHome(env), { recursive: true });
  writeFileSync(marker, `${DEMO_CLUSTER_NAME} created ${new Date().toISOString()}\n`);
  const clients = awsClientsFor(access, clusterRegion(bundle.cluster, access));
  const cloudReady = applyCluster({ ...bundle, clients, store: store.objects, clock: access.clock })
    .then((result) => {
      if (!result.ok) throw new Error(`${result.failed.length} cloud changes failed; run \`kopsdeck update cluster ${DEMO_CLUSTER_NAME} --yes\``);
    })
    .finally(() => clients.destroy());
  return { cloudReady };
}
