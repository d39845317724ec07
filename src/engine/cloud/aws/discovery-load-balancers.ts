// Load balancers and target groups tagged for a cluster (ELBv2: network and
// application): the cluster's API load balancer (kopsdeck's or kops'), and
// those Kubernetes made for Services. Tagged for the cluster means
// KubernetesCluster=<cluster> or kubernetes.io/cluster/<cluster>=owned (one
// also tagged kubernetes.io/cluster/<cluster>=shared is listed: callers that
// delete leave it alone). ELBv2 cannot filter by tag:
// one paginated listing per kind, then DescribeTags in batches of 20 ARNs.
import {
  DescribeTagsCommand,
  paginateDescribeLoadBalancers,
  paginateDescribeTargetGroups,
  type LoadBalancer,
  type TargetGroup,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { AwsClients } from './clients.js';
import { inBatches } from './batches.js';
import { TAG_CLUSTER, clusterOwnershipTag, type TagMap } from './tags.js';

export interface TaggedLoadBalancer {
  name: string;
  arn: string;
  type: string;
  dnsName?: string;
  tags: TagMap;
  /** As DescribeLoadBalancers returned it. */
  description?: LoadBalancer;
}

export interface TaggedTargetGroup {
  name: string;
  arn: string;
  tags: TagMap;
  /** As DescribeTargetGroups returned it. */
  description?: TargetGroup;
}

export interface ClusterLoadBalancers {
  loadBalancers: TaggedLoadBalancer[];
  targetGroups: TaggedTargetGroup[];
}

export async function findLoadBalancers(clients: AwsClients, cluster: string): Promise<ClusterLoadBalancers> {
  const balancers: LoadBalancer[] = [];
  const groups: TargetGroup[] = [];
  for await (const page of paginateDescribeLoadBalancers({ client: clients.elbv2, pageSize: 400 }, {})) balancers.push(...(page.LoadBalancers ?? []));
  for await (const page of paginateDescribeTargetGroups({ client: clients.elbv2, pageSize: 400 }, {})) groups.push(...(page.TargetGroups ?? []));
  const tags = await tagsByArn(clients, [...balancers.map((b) => b.LoadBalancerArn!), ...groups.map((g) => g.TargetGroupArn!)]);
  const ours = (arn: string) => isTaggedFor(tags.get(arn) ?? {}, cluster);
  return {
    loadBalancers: balancers
      .filter((b) => ours(b.LoadBalancerArn!))
      .map((b) => ({ name: b.LoadBalancerName!, arn: b.LoadBalancerArn!, type: b.Type ?? 'application', dnsName: b.DNSName, tags: tags.get(b.LoadBalancerArn!)!, description: b })),
    targetGroups: groups
      .filter((g) => ours(g.TargetGroupArn!))
      .map((g) => ({ name: g.TargetGroupName!, arn: g.TargetGroupArn!, tags: tags.get(g.TargetGroupArn!)!, description: g })),
  };
}

/** KubernetesCluster=<cluster>, or kubernetes.io/cluster/<cluster>=owned (as Kubernetes tags what it makes for Services). */
export function isTaggedFor(tags: TagMap, cluster: string): boolean {
  return tags[TAG_CLUSTER] === cluster || tags[clusterOwnershipTag(cluster)] === 'owned';
}

async function tagsByArn(clients: AwsClients, arns: string[]): Promise<Map<string, TagMap>> {
  const found = new Map<string, TagMap>();
  for (const batch of inBatches(arns, 20)) {
    const out = await clients.elbv2.send(new DescribeTagsCommand({ ResourceArns: batch }));
    for (const description of out.TagDescriptions ?? []) {
      const map: TagMap = {};
      for (const tag of description.Tags ?? []) if (tag.Key) map[tag.Key] = tag.Value ?? '';
      found.set(description.ResourceArn!, map);
    }
  }
  return found;
}
