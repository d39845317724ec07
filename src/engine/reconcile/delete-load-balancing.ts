// `delete cluster`'s part for load balancing and volumes, as kops' delete
// finds them (pkg/resources/aws/aws.go ListELBV2s, ListTargetGroups, ListELBs,
// ListVolumes): the network and application load balancers, target groups and
// classic load balancers tagged for the cluster (its API load balancer and
// those Kubernetes made for Services), the security groups Kubernetes made
// for those Services (tagged kubernetes.io/cluster/<cluster>=owned), and the
// EBS volumes tagged for the cluster (etcd's, and persistent volumes), except
// root volumes that go with their instance. Anything tagged
// kubernetes.io/cluster/<cluster>=shared is the cluster's to use, not to
// delete: it is left alone (kops' HasSharedTag).
//
// Order: a load balancer (its listeners go with it) before its security group
// and its subnets; target groups once no load balancer forwards to them and
// no auto scaling group holds them; volumes once the instances are gone.
import { DeleteLoadBalancerCommand, DeleteTargetGroupCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  DeleteLoadBalancerCommand as DeleteClassicLoadBalancerCommand,
  DescribeTagsCommand as DescribeClassicTagsCommand,
  paginateDescribeLoadBalancers as paginateDescribeClassicLoadBalancers,
} from '@aws-sdk/client-elastic-load-balancing';
import { DeleteVolumeCommand, paginateDescribeSecurityGroups, type SecurityGroup, type Volume } from '@aws-sdk/client-ec2';
import type { AwsClients } from '../cloud/aws/clients.js';
import { inBatches } from '../cloud/aws/batches.js';
import { isTaggedFor, type ClusterLoadBalancers } from '../cloud/aws/discovery-load-balancers.js';
import { findOwnedVolumes } from '../cloud/aws/discovery-volumes.js';
import { isNotFoundError } from '../cloud/aws/errors.js';
import { clusterOwnershipTag, fromTagList, type TagMap } from '../cloud/aws/tags.js';
import type { LeftAlone } from '../ownership/types.js';

export interface OwnedLoadBalancing {
  loadBalancers: { name: string; arn: string }[];
  classicLoadBalancers: { name: string }[];
  targetGroups: { name: string; arn: string }[];
  volumes: { name: string; id: string }[];
  /** Security groups Kubernetes made for Services (not tagged KubernetesCluster). */
  serviceSecurityGroups: SecurityGroup[];
  /** Tagged shared: never deleted. */
  leftAlone: LeftAlone[];
}

export const isShared = (cluster: string, tags: TagMap): boolean => tags[clusterOwnershipTag(cluster)] === 'shared';

export const SHARED_REASON = 'it is tagged shared (kubernetes.io/cluster/<cluster>=shared): the cluster uses it, it does not own it';

/** Splits a list into what may be deleted and what is shared (recorded as left alone). */
export function withoutShared<T>(cluster: string, items: T[], tagsOf: (item: T) => TagMap, describe: (item: T) => { kind: string; name: string }, leftAlone: LeftAlone[]): T[] {
  return items.filter((item) => {
    if (!isShared(cluster, tagsOf(item))) return true;
    leftAlone.push({ ...describe(item), reason: SHARED_REASON });
    return false;
  });
}

export async function findOwnedLoadBalancing(clients: AwsClients, cluster: string, found: ClusterLoadBalancers, knownGroups: SecurityGroup[]): Promise<OwnedLoadBalancing> {
  const [classic, volumes, serviceGroups] = await Promise.all([findClassicLoadBalancers(clients, cluster), findOwnedVolumes(clients, cluster), findServiceSecurityGroups(clients, cluster)]);
  const leftAlone: LeftAlone[] = [];
  const known = new Set(knownGroups.map((g) => g.GroupId));
  const deletable = volumes.filter((v) => !(v.Attachments ?? []).some((a) => a.DeleteOnTermination));
  const volumeName = (v: Volume) => fromTagList(v.Tags).Name ?? v.VolumeId!;
  return {
    loadBalancers: withoutShared(cluster, found.loadBalancers, (lb) => lb.tags, (lb) => ({ kind: 'load-balancer', name: lb.name }), leftAlone).map(({ name, arn }) => ({ name, arn })),
    classicLoadBalancers: withoutShared(cluster, classic, (lb) => lb.tags, (lb) => ({ kind: 'load-balancer', name: lb.name }), leftAlone).map(({ name }) => ({ name })),
    targetGroups: withoutShared(cluster, found.targetGroups, (tg) => tg.tags, (tg) => ({ kind: 'target-group', name: tg.name }), leftAlone).map(({ name, arn }) => ({ name, arn })),
    volumes: withoutShared(cluster, deletable, (v) => fromTagList(v.Tags), (v) => ({ kind: 'volume', name: volumeName(v) }), leftAlone).map((v) => ({ name: volumeName(v), id: v.VolumeId! })),
    serviceSecurityGroups: serviceGroups.filter((g) => !known.has(g.GroupId)),
    leftAlone,
  };
}

/** As `delete cluster` lists them (kops' resource types). */
export function loadBalancingResources(owned: OwnedLoadBalancing): { type: string; name: string; id: string }[] {
  return [
    ...owned.loadBalancers.map((lb) => ({ type: 'load-balancer', name: lb.name, id: lb.arn })),
    ...owned.classicLoadBalancers.map((lb) => ({ type: 'load-balancer', name: lb.name, id: lb.name })),
    ...owned.targetGroups.map((tg) => ({ type: 'target-group', name: tg.name, id: tg.arn })),
    ...owned.volumes.map((v) => ({ type: 'volume', name: v.name, id: v.id })),
  ];
}

export interface LoadBalancingDeletion {
  kind: 'load-balancer' | 'target-group' | 'volume';
  name: string;
  id: string;
  /** Keys (`<kind>/<name>`) of deletions to finish first. */
  after: string[];
  run(): Promise<void>;
}

export const deletionKey = (d: Pick<LoadBalancingDeletion, 'kind' | 'name'>): string => `${d.kind}/${d.name}`;

/** `instancesKey`: the job that finishes once the cluster's instances and auto scaling groups are gone. */
export function loadBalancingDeletions(owned: OwnedLoadBalancing, clients: AwsClients, instancesKey: string): LoadBalancingDeletion[] {
  const balancers: LoadBalancingDeletion[] = [
    ...owned.loadBalancers.map((lb) => ({
      kind: 'load-balancer' as const,
      name: lb.name,
      id: lb.arn,
      after: [],
      run: () => ignoreNotFound(clients.elbv2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: lb.arn }))),
    })),
    ...owned.classicLoadBalancers.map((lb) => ({
      kind: 'load-balancer' as const,
      name: lb.name,
      id: lb.name,
      after: [],
      run: () => ignoreNotFound(clients.elb.send(new DeleteClassicLoadBalancerCommand({ LoadBalancerName: lb.name }))),
    })),
  ];
  const balancerKeys = balancers.map(deletionKey);
  return [
    ...balancers,
    ...owned.targetGroups.map((tg) => ({
      kind: 'target-group' as const,
      name: tg.name,
      id: tg.arn,
      after: [...balancerKeys, instancesKey],
      run: () => ignoreNotFound(clients.elbv2.send(new DeleteTargetGroupCommand({ TargetGroupArn: tg.arn }))),
    })),
    ...owned.volumes.map((v) => ({
      kind: 'volume' as const,
      name: v.name,
      id: v.id,
      // An attached volume answers VolumeInUse (retried) until its instance has let it go.
      after: [instancesKey],
      run: () => ignoreNotFound(clients.ec2.send(new DeleteVolumeCommand({ VolumeId: v.id }))),
    })),
  ];
}

async function ignoreNotFound(call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch (error) {
    if (!isNotFoundError(error)) throw error;
  }
}

/** Classic load balancers cannot be filtered by tag either: one listing, then DescribeTags by 20 names. */
async function findClassicLoadBalancers(clients: AwsClients, cluster: string): Promise<{ name: string; tags: TagMap }[]> {
  const names: string[] = [];
  for await (const page of paginateDescribeClassicLoadBalancers({ client: clients.elb, pageSize: 400 }, {})) {
    names.push(...(page.LoadBalancerDescriptions ?? []).map((lb) => lb.LoadBalancerName!));
  }
  const found: { name: string; tags: TagMap }[] = [];
  for (const batch of inBatches(names, 20)) {
    const out = await clients.elb.send(new DescribeClassicTagsCommand({ LoadBalancerNames: batch }));
    for (const description of out.TagDescriptions ?? []) {
      const tags = fromTagList(description.Tags);
      if (isTaggedFor(tags, cluster)) found.push({ name: description.LoadBalancerName!, tags });
    }
  }
  return found;
}

/** Groups tagged kubernetes.io/cluster/<cluster>=owned (what the cloud controller makes for a Service's load balancer). */
async function findServiceSecurityGroups(clients: AwsClients, cluster: string): Promise<SecurityGroup[]> {
  const groups: SecurityGroup[] = [];
  const filters = [{ Name: `tag:${clusterOwnershipTag(cluster)}`, Values: ['owned'] }];
  for await (const page of paginateDescribeSecurityGroups({ client: clients.ec2, pageSize: 1000 }, { Filters: filters })) groups.push(...(page.SecurityGroups ?? []));
  return groups;
}
