// Wires a rollout's seams to real clients: the AWS SDK (through the cloud
// provider), Kubernetes (a client for the cluster's kubeconfig context) and a
// live validator over informer caches. Used by the command and the console;
// the caller closes what it opened.
import type { AwsClients } from '../cloud/aws/clients.js';
import type { Clock } from '../clock.js';
import { liveValidator } from '../health/live-validator.js';
import { createKubeClient, type KubeClient } from '../kube/client.js';
import { awsCloudInventory } from '../live-model/aws-inventory.js';
import { startLiveCluster, type LiveCluster } from '../live-model/live-cluster.js';
import type { ClusterStore } from '../store/cluster-store.js';
import { apiRecordRefresher } from './api-record.js';
import { awsRolloutCloud } from './aws-rollout-cloud.js';
import type { RolloutDeps } from './deps.js';
import { kubeRollout } from './kube-rollout.js';
import { cloudGroupsOfSpec } from '../health/validate-cluster-health.js';

export interface ConnectOptions {
  cluster: string;
  store: ClusterStore;
  clients: AwsClients;
  clock: Clock;
  kubeconfigPath?: string;
  /** No Kubernetes at all (--cloudonly). */
  cloudOnly?: boolean;
}

export interface ConnectedRollout {
  deps: RolloutDeps;
  close(): Promise<void>;
}

export async function connectRollout(options: ConnectOptions): Promise<ConnectedRollout> {
  const cloud = awsRolloutCloud(options.clients);
  const refreshApiRecord = apiRecordRefresher({
    clients: options.clients,
    clock: options.clock,
    load: () => loadSpec(options.store, options.cluster),
    store: options.store.objects,
  });
  if (options.cloudOnly) return { deps: { store: options.store, cloud, refreshApiRecord, clock: options.clock }, close: async () => {} };
  const kube: KubeClient = await createKubeClient({ cluster: options.cluster, kubeconfigPath: options.kubeconfigPath });
  const specGroups = cloudGroupsOfSpec((await options.store.listInstanceGroups(options.cluster)).map((g) => g.value));
  const live: LiveCluster = startLiveCluster({
    cluster: options.cluster,
    kube,
    cloud: awsCloudInventory(options.clients),
    clock: options.clock,
    // The validator polls the cloud itself before each judgement.
    cloudIntervalMs: 60_000,
  });
  const validate = liveValidator({ live, kube, clock: options.clock, specInstanceGroups: specGroups });
  return {
    deps: { store: options.store, cloud, kube: kubeRollout(kube, options.clock, { nodes: live.nodes }), validate, refreshApiRecord, clock: options.clock },
    async close() {
      await live.stop();
      kube.close();
    },
  };
}

async function loadSpec(store: ClusterStore, cluster: string) {
  const found = await store.getCluster(cluster);
  if (!found) throw new Error(`cluster ${cluster} was not found in ${store.url}`);
  return { cluster: found.value, instanceGroups: (await store.listInstanceGroups(cluster)).map((g) => g.value) };
}
