// EBS volumes tagged for a cluster: one filtered, paginated DescribeVolumes per
// tag that marks a volume as the cluster's (KubernetesCluster for what kops and
// kopsdeck make; kubernetes.io/cluster/<cluster>=owned for what Kubernetes
// makes for persistent volumes).
import { paginateDescribeVolumes, type Filter, type Volume } from '@aws-sdk/client-ec2';
import type { AwsClients } from './clients.js';
import { clusterFilter, clusterOwnershipTag } from './tags.js';

async function describe(clients: AwsClients, filters: Filter[]): Promise<Volume[]> {
  const volumes: Volume[] = [];
  for await (const page of paginateDescribeVolumes({ client: clients.ec2, pageSize: 500 }, { Filters: filters })) volumes.push(...(page.Volumes ?? []));
  return volumes;
}

/** Volumes tagged KubernetesCluster=<cluster> (etcd's, among others). */
export function findVolumes(clients: AwsClients, cluster: string): Promise<Volume[]> {
  return describe(clients, clusterFilter(cluster));
}

/** Also those tagged kubernetes.io/cluster/<cluster>=owned only, each volume once. */
export async function findOwnedVolumes(clients: AwsClients, cluster: string): Promise<Volume[]> {
  const [tagged, owned] = await Promise.all([findVolumes(clients, cluster), describe(clients, [{ Name: `tag:${clusterOwnershipTag(cluster)}`, Values: ['owned'] }])]);
  const byId = new Map([...tagged, ...owned].map((v) => [v.VolumeId!, v]));
  return [...byId.values()];
}
