// What the reconcile engine compares for the API load balancer: the load
// balancer found by name among those tagged for the cluster, with its
// attributes and listeners, and its target groups with their attributes. A
// few calls, whatever the cluster's size: one per kind, one per target group.
import {
  DescribeListenersCommand,
  DescribeLoadBalancerAttributesCommand,
  DescribeTargetGroupAttributesCommand,
  type Listener,
  type LoadBalancer,
  type TargetGroup,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { AwsClients } from './clients.js';
import type { ClusterLoadBalancers } from './discovery-load-balancers.js';
import type { TagMap } from './tags.js';

export interface FoundLoadBalancer {
  description: LoadBalancer;
  attributes: Record<string, string>;
  tags: TagMap;
}

export interface FoundTargetGroup {
  description: TargetGroup;
  attributes: Record<string, string>;
  tags: TagMap;
}

export interface ApiLoadBalancing {
  loadBalancer: FoundLoadBalancer | null;
  /** The load balancer's listeners. */
  listeners: Listener[];
  targetGroups: FoundTargetGroup[];
}

export const noApiLoadBalancing = (): ApiLoadBalancing => ({ loadBalancer: null, listeners: [], targetGroups: [] });

const attributeMap = (attributes: { Key?: string; Value?: string }[] | undefined): Record<string, string> =>
  Object.fromEntries((attributes ?? []).filter((a) => a.Key).map((a) => [a.Key!, a.Value ?? '']));

export async function describeApiLoadBalancing(
  clients: AwsClients,
  found: ClusterLoadBalancers,
  names: { loadBalancer: string; targetGroups: string[] },
): Promise<ApiLoadBalancing> {
  const lb = found.loadBalancers.find((b) => b.name === names.loadBalancer && b.description);
  const groups = found.targetGroups.filter((g) => names.targetGroups.includes(g.name) && g.description);
  const [lbAttributes, listeners, groupAttributes] = await Promise.all([
    lb ? clients.elbv2.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: lb.arn })) : undefined,
    lb ? clients.elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: lb.arn })) : undefined,
    Promise.all(groups.map((g) => clients.elbv2.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: g.arn })))),
  ]);
  return {
    loadBalancer: lb ? { description: lb.description!, attributes: attributeMap(lbAttributes?.Attributes), tags: lb.tags } : null,
    listeners: listeners?.Listeners ?? [],
    targetGroups: groups.map((g, i) => ({ description: g.description!, attributes: attributeMap(groupAttributes[i].Attributes), tags: g.tags })),
  };
}
