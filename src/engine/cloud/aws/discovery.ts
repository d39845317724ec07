// Finding what a cluster owns, by tags: one filtered, paginated call per kind
// of resource, so the number of calls grows with kinds and pages, never with
// the number of instances.
import {
  DescribeAddressesCommand,
  DescribeVpcAttributeCommand,
  DescribeImagesCommand,
  paginateDescribeInstances,
  paginateDescribeInternetGateways,
  paginateDescribeLaunchTemplateVersions,
  paginateDescribeLaunchTemplates,
  paginateDescribeNatGateways,
  paginateDescribeRouteTables,
  paginateDescribeSecurityGroups,
  paginateDescribeSubnets,
  paginateDescribeVpcs,
  type Address,
  type Filter,
  type Image,
  type Instance,
  type InternetGateway,
  type LaunchTemplate,
  type LaunchTemplateVersion,
  type NatGateway,
  type RouteTable,
  type SecurityGroup,
  type Subnet,
  type Vpc,
  type KeyPairInfo,
  type Volume as EbsVolume,
} from '@aws-sdk/client-ec2';
import { paginateDescribeAutoScalingGroups, type AutoScalingGroup } from '@aws-sdk/client-auto-scaling';
import {
  ListHostedZonesByNameCommand,
  ListResourceRecordSetsCommand,
  type HostedZone,
  type ResourceRecordSet,
} from '@aws-sdk/client-route-53';
import type { AwsClients } from './clients.js';
import { discoverIdentity, type IamRoleState } from './discovery-iam.js';
import type { ApiLoadBalancing } from './discovery-api-load-balancer.js';
import { TAG_CLUSTER, clusterFilter, roleTagKey } from './tags.js';

export type VpcWithAttributes = Vpc & { enableDnsHostnames?: boolean };

export interface LaunchTemplateState {
  template: LaunchTemplate;
  /** The newest version, with its data; null when it could not be read. */
  latest: LaunchTemplateVersion | null;
}

export interface ClusterSnapshot {
  clusterName: string;
  vpcs: VpcWithAttributes[];
  subnets: Subnet[];
  internetGateways: InternetGateway[];
  routeTables: RouteTable[];
  /** Elastic IPs (for NAT gateways). Optional so hand-made snapshots may leave it out. */
  addresses?: Address[];
  /** NAT gateways in any state but deleted. */
  natGateways?: NatGateway[];
  securityGroups: SecurityGroup[];
  launchTemplates: LaunchTemplateState[];
  autoScalingGroups: AutoScalingGroup[];
  /** Image references from the spec (`ami-…` or `owner/name`) resolved to images. */
  images: Map<string, Image>;
  /** Running control-plane instances (their addresses feed the api.<cluster> record). */
  controlPlaneInstances: Instance[];
  hostedZone: HostedZone | null;
  /** Record sets at api.<cluster> in hostedZone. */
  apiRecords: ResourceRecordSet[];
  /** The API load balancer, its listeners and target groups (absent when not looked up). */
  apiLoadBalancing?: ApiLoadBalancing;
  /** EBS volumes tagged for the cluster (absent when not looked up). */
  volumes?: EbsVolume[];
  /** The cluster's IAM roles, instance profiles and inline policies, by kops' names (absent when not looked up). */
  iamRoles?: IamRoleState[];
  /** EC2 key pairs named or tagged for the cluster (absent when not looked up). */
  keyPairs?: KeyPairInfo[];
}

/** A snapshot of a cluster that owns nothing yet; callers fill in what they looked up. */
export function emptyClusterSnapshot(clusterName: string, found: Partial<ClusterSnapshot> = {}): ClusterSnapshot {
  return {
    clusterName,
    vpcs: [],
    subnets: [],
    internetGateways: [],
    routeTables: [],
    securityGroups: [],
    launchTemplates: [],
    autoScalingGroups: [],
    images: new Map(),
    controlPlaneInstances: [],
    hostedZone: null,
    apiRecords: [],
    ...found,
  };
}

export interface DiscoverOptions {
  clusterName: string;
  imageRefs?: string[];
  dnsZone?: string;
  privateDns?: boolean;
}

const PAGE = { pageSize: 1000 };

async function collect<P, T>(pages: AsyncIterable<P>, pick: (page: P) => T[] | undefined): Promise<T[]> {
  const items: T[] = [];
  for await (const page of pages) items.push(...(pick(page) ?? []));
  return items;
}

export async function discoverCluster(clients: AwsClients, options: DiscoverOptions): Promise<ClusterSnapshot> {
  const { clusterName } = options;
  // Started first: IAM and key pairs are looked up alongside the rest.
  const identity = discoverIdentity(clients, clusterName);
  identity.catch(() => undefined); // awaited below; not unhandled if the rest fails first
  const [vpcs, subnets, internetGateways, routeTables, addresses, natGateways, securityGroups, launchTemplates, autoScalingGroups, images, controlPlaneInstances, dns] =
    await Promise.all([
      findVpcs(clients, clusterName),
      findSubnets(clients, clusterName),
      findInternetGateways(clients, clusterName),
      findRouteTables(clients, clusterName),
      findAddresses(clients, clusterName),
      findNatGateways(clients, clusterName),
      findSecurityGroups(clients, clusterName),
      findLaunchTemplates(clients, clusterName),
      findAutoScalingGroups(clients, clusterName),
      resolveImages(clients, options.imageRefs ?? []),
      options.dnsZone ? findInstances(clients, clusterName, { controlPlaneOnly: true, states: ['running'] }) : Promise.resolve([]),
      options.dnsZone ? findApiRecords(clients, clusterName, options.dnsZone, options.privateDns ?? false) : Promise.resolve({ zone: null, records: [] }),
    ]);
  return {
    clusterName,
    vpcs,
    subnets,
    internetGateways,
    routeTables,
    addresses,
    natGateways,
    securityGroups,
    launchTemplates,
    autoScalingGroups,
    images,
    controlPlaneInstances,
    hostedZone: dns.zone,
    apiRecords: dns.records,
    ...(await identity),
  };
}

export async function findVpcs(clients: AwsClients, cluster: string): Promise<VpcWithAttributes[]> {
  const vpcs = await collect(paginateDescribeVpcs({ client: clients.ec2, ...PAGE }, { Filters: clusterFilter(cluster) }), (p) => p.Vpcs);
  // One attribute call per VPC: a cluster owns one VPC.
  return Promise.all(
    vpcs.map(async (vpc) => {
      const attribute = await clients.ec2.send(new DescribeVpcAttributeCommand({ VpcId: vpc.VpcId, Attribute: 'enableDnsHostnames' }));
      return { ...vpc, enableDnsHostnames: attribute.EnableDnsHostnames?.Value ?? false };
    }),
  );
}

export function findSubnets(clients: AwsClients, cluster: string): Promise<Subnet[]> {
  return collect(paginateDescribeSubnets({ client: clients.ec2, ...PAGE }, { Filters: clusterFilter(cluster) }), (p) => p.Subnets);
}

export function findInternetGateways(clients: AwsClients, cluster: string): Promise<InternetGateway[]> {
  return collect(
    paginateDescribeInternetGateways({ client: clients.ec2, ...PAGE }, { Filters: clusterFilter(cluster) }),
    (p) => p.InternetGateways,
  );
}

export function findRouteTables(clients: AwsClients, cluster: string): Promise<RouteTable[]> {
  return collect(paginateDescribeRouteTables({ client: clients.ec2, ...PAGE }, { Filters: clusterFilter(cluster) }), (p) => p.RouteTables);
}

/** DescribeAddresses has no pagination: one call answers with every match. */
export async function findAddresses(clients: AwsClients, cluster: string): Promise<Address[]> {
  const out = await clients.ec2.send(new DescribeAddressesCommand({ Filters: clusterFilter(cluster) }));
  return out.Addresses ?? [];
}

/** NAT gateways not yet deleted (deleted ones stay visible on AWS for about an hour). */
export function findNatGateways(clients: AwsClients, cluster: string): Promise<NatGateway[]> {
  const filters = [...clusterFilter(cluster), { Name: 'state', Values: ['pending', 'available', 'deleting', 'failed'] }];
  return collect(paginateDescribeNatGateways({ client: clients.ec2, ...PAGE }, { Filter: filters }), (p) => p.NatGateways);
}

export function findSecurityGroups(clients: AwsClients, cluster: string): Promise<SecurityGroup[]> {
  return collect(
    paginateDescribeSecurityGroups({ client: clients.ec2, ...PAGE }, { Filters: clusterFilter(cluster) }),
    (p) => p.SecurityGroups,
  );
}

export async function findLaunchTemplates(clients: AwsClients, cluster: string): Promise<LaunchTemplateState[]> {
  const templates = await collect(
    paginateDescribeLaunchTemplates({ client: clients.ec2, pageSize: 200 }, { Filters: clusterFilter(cluster) }),
    (p) => p.LaunchTemplates,
  );
  if (templates.length === 0) return [];
  // Every template's latest version in one paginated call: without a template
  // id, EC2 describes the $Latest version of every template in the region; we
  // keep the cluster's. A single template is asked for by id.
  const wanted = new Set(templates.map((t) => t.LaunchTemplateId!));
  const input = templates.length === 1 ? { LaunchTemplateId: templates[0].LaunchTemplateId, Versions: ['$Latest'] } : { Versions: ['$Latest'] };
  const versions = await collect(
    paginateDescribeLaunchTemplateVersions({ client: clients.ec2, pageSize: 200 }, input),
    (p) => p.LaunchTemplateVersions,
  );
  const latest = new Map(versions.filter((v) => wanted.has(v.LaunchTemplateId!)).map((v) => [v.LaunchTemplateId!, v]));
  return templates.map((template) => ({ template, latest: latest.get(template.LaunchTemplateId!) ?? null }));
}

export function findAutoScalingGroups(clients: AwsClients, cluster: string): Promise<AutoScalingGroup[]> {
  return collect(
    paginateDescribeAutoScalingGroups(
      { client: clients.autoscaling, pageSize: 100 },
      { Filters: [{ Name: `tag:${TAG_CLUSTER}`, Values: [cluster] }] },
    ),
    (p) => p.AutoScalingGroups,
  );
}

export interface FindInstancesOptions {
  controlPlaneOnly?: boolean;
  /** Instance states to include; default every state but terminated. */
  states?: string[];
}

export function findInstances(clients: AwsClients, cluster: string, options: FindInstancesOptions = {}): Promise<Instance[]> {
  const filters: Filter[] = [
    ...clusterFilter(cluster),
    { Name: 'instance-state-name', Values: options.states ?? ['pending', 'running', 'shutting-down', 'stopping', 'stopped'] },
  ];
  if (options.controlPlaneOnly) filters.push({ Name: 'tag-key', Values: [roleTagKey('ControlPlane')] });
  return collect(paginateDescribeInstances({ client: clients.ec2, ...PAGE }, { Filters: filters }), (p) =>
    (p.Reservations ?? []).flatMap((r) => r.Instances ?? []),
  );
}

/** Well-known image owners kops accepts by alias. */
const OWNER_ALIASES: Record<string, string> = { ubuntu: '099720109477', debian: '136693071363', redhat: '309956199498' };

export function parseImageRef(ref: string): { imageId: string } | { owner: string; name: string } {
  if (/^ami-[0-9a-f]+$/i.test(ref)) return { imageId: ref };
  const slash = ref.indexOf('/');
  if (slash <= 0) return { owner: 'self', name: ref };
  const owner = ref.slice(0, slash);
  return { owner: OWNER_ALIASES[owner] ?? owner, name: ref.slice(slash + 1) };
}

/** Resolves every image reference with at most two DescribeImages calls (by id, by owner+name). */
export async function resolveImages(clients: AwsClients, refs: string[]): Promise<Map<string, Image>> {
  const unique = [...new Set(refs)];
  const resolved = new Map<string, Image>();
  if (unique.length === 0) return resolved;
  const parsed = unique.map((ref) => ({ ref, parsed: parseImageRef(ref) }));
  const ids = parsed.flatMap((p) => ('imageId' in p.parsed ? [p.parsed.imageId] : []));
  const named = parsed.flatMap((p) => ('name' in p.parsed ? [{ ref: p.ref, ...p.parsed }] : []));
  const [byId, byName] = await Promise.all([
    ids.length ? clients.ec2.send(new DescribeImagesCommand({ ImageIds: ids })) : Promise.resolve({ Images: [] as Image[] }),
    named.length
      ? clients.ec2.send(
          new DescribeImagesCommand({
            Owners: [...new Set(named.map((n) => n.owner))],
            Filters: [{ Name: 'name', Values: [...new Set(named.map((n) => n.name))] }],
          }),
        )
      : Promise.resolve({ Images: [] as Image[] }),
  ]);
  for (const image of byId.Images ?? []) if (image.ImageId) resolved.set(image.ImageId, image);
  for (const n of named) {
    const candidates = (byName.Images ?? []).filter(
      (image) => image.Name === n.name && (n.owner === 'self' || image.OwnerId === n.owner || image.ImageOwnerAlias === n.owner),
    );
    // The newest image wins when a name matches several.
    candidates.sort((a, b) => String(b.CreationDate ?? '').localeCompare(String(a.CreationDate ?? '')));
    if (candidates[0]) resolved.set(n.ref, candidates[0]);
  }
  return resolved;
}

export const normalizeDnsName = (name: string): string => (name.endsWith('.') ? name : `${name}.`).toLowerCase();

export async function findHostedZone(clients: AwsClients, zoneName: string, privateZone: boolean): Promise<HostedZone | null> {
  const wanted = normalizeDnsName(zoneName);
  const out = await clients.route53.send(new ListHostedZonesByNameCommand({ DNSName: wanted, MaxItems: 10 }));
  const zones = (out.HostedZones ?? []).filter((zone) => normalizeDnsName(zone.Name ?? '') === wanted);
  return zones.find((zone) => Boolean(zone.Config?.PrivateZone) === privateZone) ?? zones[0] ?? null;
}

export async function listRecordsNamed(clients: AwsClients, zoneId: string, names: string[]): Promise<ResourceRecordSet[]> {
  const wanted = new Set(names.map(normalizeDnsName));
  const found: ResourceRecordSet[] = [];
  for (const name of wanted) {
    const out = await clients.route53.send(
      new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, StartRecordName: name, MaxItems: 10 }),
    );
    found.push(...(out.ResourceRecordSets ?? []).filter((r) => normalizeDnsName(r.Name ?? '') === name));
  }
  return found;
}

export const apiRecordName = (cluster: string): string => normalizeDnsName(`api.${cluster}`);

async function findApiRecords(clients: AwsClients, cluster: string, dnsZone: string, privateZone: boolean) {
  const zone = await findHostedZone(clients, dnsZone, privateZone);
  if (!zone?.Id) return { zone: null, records: [] };
  return { zone, records: await listRecordsNamed(clients, zone.Id, [apiRecordName(cluster)]) };
}
