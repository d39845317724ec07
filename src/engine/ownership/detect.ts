// Gathering the evidence: the state store's kops objects (two reads) and what
// the cloud holds for the cluster (launch templates, groups, load balancers),
// reusing whatever the caller has already discovered.
import { awsClientsFor, type AwsClients } from '../cloud/aws/clients.js';
import { clusterRegion, type CloudAccess } from '../cloud/access.js';
import type { Cluster } from '../spec/types.js';
import { findAutoScalingGroups, findLaunchTemplates } from '../cloud/aws/discovery.js';
import { findLoadBalancers } from '../cloud/aws/discovery-load-balancers.js';
import type { ObjectStore } from '../store/object-store.js';
import { decideOwnership } from './decide.js';
import { KOPS_COMPLETED_SPEC_OBJECT, KOPS_VERSION_OBJECT, cloudEvidence, storeEvidence, type CloudFacts, type StoreFacts } from './evidence.js';
import type { ClusterOwnership } from './types.js';

export async function readStoreFacts(objects: ObjectStore, cluster: string): Promise<StoreFacts> {
  const [version, completed] = await Promise.all([objects.get(`${cluster}/${KOPS_VERSION_OBJECT}`), objects.get(`${cluster}/${KOPS_COMPLETED_SPEC_OBJECT}`)]);
  return { kopsVersion: version?.body, completedSpec: completed !== null };
}

export interface DetectInput {
  clients: AwsClients;
  clusterName: string;
  /** The state store's objects; without it only the cloud is looked at. */
  store?: ObjectStore;
  /** What the caller already discovered (looked up here otherwise). */
  found?: Partial<Omit<CloudFacts, 'clusterName'>>;
}

export async function detectOwnership(input: DetectInput): Promise<ClusterOwnership> {
  const { clients, clusterName, found = {} } = input;
  const [store, launchTemplates, autoScalingGroups, loadBalancers] = await Promise.all([
    input.store ? readStoreFacts(input.store, clusterName) : Promise.resolve({ completedSpec: false }),
    found.launchTemplates ?? findLaunchTemplates(clients, clusterName),
    found.autoScalingGroups ?? findAutoScalingGroups(clients, clusterName),
    found.loadBalancers ?? findLoadBalancers(clients, clusterName),
  ]);
  const evidence = [...storeEvidence(clusterName, store), ...cloudEvidence({ clusterName, launchTemplates, autoScalingGroups, loadBalancers })];
  return decideOwnership(clusterName, evidence);
}

/**
 * The first sign that kops made the cluster, as a phrase (for a refusal that
 * says why); undefined when kopsdeck manages it. Clients of its own, released.
 */
export async function kopsEvidence(access: CloudAccess, cluster: Cluster, store: ObjectStore): Promise<string | undefined> {
  const clients = awsClientsFor(access, clusterRegion(cluster, access));
  try {
    const ownership = await detectOwnership({ clients, clusterName: cluster.metadata.name, store });
    return ownership.manager === 'kops' ? ownership.evidence[0].phrase : undefined;
  } finally {
    clients.destroy();
  }
}
