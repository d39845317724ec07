// `delete cluster`: find every resource the cluster owns by its tags, list it
// (TYPE NAME ID, as kops), and delete in reverse dependency order (refused as a
// whole for a kops-made cluster; a group or template kopsdeck did not make is
// left alone): DNS records
// and auto scaling groups, then the instances (waited for until terminated),
// launch templates, IAM instance profiles and roles, key pairs, security groups, NAT gateways (waited for until deleted),
// subnets, Elastic IPs and the internet gateway, route tables, and the VPC last. Every step tolerates "already gone", so a re-run
// after a partial failure finishes the job.
import {
  DeleteInternetGatewayCommand,
  DeleteNatGatewayCommand,
  DescribeNatGatewaysCommand,
  ReleaseAddressCommand,
  DeleteRouteTableCommand,
  DeleteSecurityGroupCommand,
  DeleteSubnetCommand,
  DeleteVpcCommand,
  DetachInternetGatewayCommand,
  DisassociateRouteTableCommand,
  RevokeSecurityGroupIngressCommand,
  TerminateInstancesCommand,
  type Address,
  type Instance,
  type InternetGateway,
  type NatGateway,
  type RouteTable,
  type SecurityGroup,
} from '@aws-sdk/client-ec2';
import { ChangeResourceRecordSetsCommand, paginateListHostedZones, type ResourceRecordSet } from '@aws-sdk/client-route-53';
import type { AwsClients } from '../cloud/aws/clients.js';
import {
  findAddresses,
  findAutoScalingGroups,
  findInstances,
  findInternetGateways,
  findLaunchTemplates,
  findNatGateways,
  findRouteTables,
  findSecurityGroups,
  findSubnets,
  findVpcs,
  listRecordsNamed,
  normalizeDnsName,
} from '../cloud/aws/discovery.js';
import { findLoadBalancers } from '../cloud/aws/discovery-load-balancers.js';
import { isNotFoundError } from '../cloud/aws/errors.js';
import { fromTagList } from '../cloud/aws/tags.js';
import type { ObjectStore } from '../store/object-store.js';
import { cloudEvidence, storeEvidence } from '../ownership/evidence.js';
import { decideOwnership, NotOwnedError } from '../ownership/decide.js';
import { readStoreFacts } from '../ownership/detect.js';
import { autoScalingGroupVerdict, launchTemplateVerdict } from '../ownership/resources.js';
import type { ClusterOwnership, LeftAlone } from '../ownership/types.js';
import { systemClock, type Clock } from '../clock.js';
import { runJobs, type ApplyOptions, type ApplyResult, type Job } from './apply-plan.js';
import { launchTemplateDeletion } from './model.js';
import { autoscalingGroupDeletion } from './tasks/autoscaling-group.js';
import { ingressRules, toPermission } from './tasks/security-group.js';
import { findOwnedIdentities, identityDeletions, identityResources, type OwnedIdentities } from './delete-identity.js';
import { deletionKey, findOwnedLoadBalancing, loadBalancingDeletions, loadBalancingResources, withoutShared, type OwnedLoadBalancing } from './delete-load-balancing.js';

export interface OwnedResource {
  type: string;
  name: string;
  id: string;
}

export interface DeletePlan {
  clusterName: string;
  /** Who manages the cluster; deleteCluster refuses a kops-made one. */
  ownership: ClusterOwnership;
  /** Tagged for the cluster, but not kopsdeck's to delete. */
  leftAlone: LeftAlone[];
  /** What will be deleted, in deletion order. */
  resources: OwnedResource[];
  records: { zoneId: string; record: ResourceRecordSet }[];
  autoScalingGroups: string[];
  instances: Instance[];
  launchTemplates: { name: string; id: string }[];
  securityGroups: SecurityGroup[];
  natGateways: NatGateway[];
  subnets: { name: string; id: string }[];
  addresses: Address[];
  internetGateways: InternetGateway[];
  routeTables: RouteTable[];
  vpcs: { name: string; id: string }[];
  /** IAM roles and instance profiles, key pairs: named for the cluster and tagged owned. */
  identities: OwnedIdentities;
  /** Load balancers, target groups and volumes tagged for the cluster (not shared). */
  loadBalancing: OwnedLoadBalancing;
}

const nameOf = (tags: { Key?: string; Value?: string }[] | undefined, fallback: string): string => fromTagList(tags).Name ?? fallback;

export async function planDelete(input: { clusterName: string; clients: AwsClients; store?: ObjectStore }): Promise<DeletePlan> {
  const { clusterName, clients } = input;
  // Looked up alongside the rest (IAM has no tag filter: by kops' names).
  const identities = findOwnedIdentities(clients, clusterName);
  identities.catch(() => undefined);
  const [storeFacts, loadBalancers, records, allGroups, allInstances, allTemplates, taggedGroups, taggedNatGateways, taggedSubnets, taggedAddresses, taggedInternetGateways, taggedRouteTables, taggedVpcs] = await Promise.all([
    input.store ? readStoreFacts(input.store, clusterName) : Promise.resolve({ completedSpec: false }),
    findLoadBalancers(clients, clusterName),
    findClusterRecords(clients, clusterName),
    findAutoScalingGroups(clients, clusterName),
    findInstances(clients, clusterName, { states: ['pending', 'running', 'stopping', 'stopped', 'shutting-down'] }),
    findLaunchTemplates(clients, clusterName),
    findSecurityGroups(clients, clusterName),
    findNatGateways(clients, clusterName),
    findSubnets(clients, clusterName),
    findAddresses(clients, clusterName),
    findInternetGateways(clients, clusterName),
    findRouteTables(clients, clusterName),
    findVpcs(clients, clusterName),
  ]);
  const ownership = decideOwnership(clusterName, [
    ...storeEvidence(clusterName, storeFacts),
    ...cloudEvidence({ clusterName, launchTemplates: allTemplates, autoScalingGroups: allGroups, loadBalancers }),
  ]);
  // On a kops-made cluster nothing is deleted at all (deleteCluster refuses); the
  // listing still shows everything tagged for it. On kopsdeck's own, a group or
  // template it did not make is left alone, with its instances.
  const leftAlone: LeftAlone[] = [];
  const mine = ownership.manager === 'kopsdeck';
  // Tagged shared: the cluster uses it, someone else owns it.
  const owned = <T extends { Tags?: { Key?: string; Value?: string }[] }>(items: T[], kind: string, id: (item: T) => string): T[] =>
    withoutShared(clusterName, items, (item) => fromTagList(item.Tags), (item) => ({ kind, name: nameOf(item.Tags, id(item)) }), leftAlone);
  const securityGroups = owned(taggedGroups, 'security-group', (g) => g.GroupName ?? g.GroupId!);
  const natGateways = owned(taggedNatGateways, 'nat-gateway', (g) => g.NatGatewayId!);
  const subnets = owned(taggedSubnets, 'subnet', (s) => s.SubnetId!);
  const addresses = owned(taggedAddresses, 'elastic-ip', (a) => a.AllocationId!);
  const internetGateways = owned(taggedInternetGateways, 'internet-gateway', (g) => g.InternetGatewayId!);
  const routeTables = owned(taggedRouteTables, 'route-table', (t) => t.RouteTableId!);
  const vpcs = owned(taggedVpcs, 'vpc', (v) => v.VpcId!);
  const loadBalancing = await findOwnedLoadBalancing(clients, clusterName, loadBalancers, taggedGroups);
  leftAlone.push(...loadBalancing.leftAlone);
  const templates = allTemplates.filter((t) => {
    const verdict = launchTemplateVerdict(ownership, t);
    if (mine && !verdict.owned) leftAlone.push({ kind: 'autoscaling-config', name: t.template.LaunchTemplateName!, reason: verdict.reason });
    return !mine || verdict.owned;
  });
  const groups = allGroups.filter((g) => {
    const verdict = autoScalingGroupVerdict(ownership, g, allTemplates);
    if (mine && !verdict.owned) leftAlone.push({ kind: 'autoscaling-group', name: g.AutoScalingGroupName!, reason: verdict.reason });
    return !mine || verdict.owned;
  });
  const keptGroups = new Set(leftAlone.filter((l) => l.kind === 'autoscaling-group').map((l) => l.name));
  const instances = allInstances.filter((i) => !keptGroups.has(fromTagList(i.Tags)['aws:autoscaling:groupName'] ?? ''));
  const plan: DeletePlan = {
    clusterName,
    ownership,
    leftAlone,
    resources: [],
    records,
    autoScalingGroups: groups.map((g) => g.AutoScalingGroupName!),
    instances,
    launchTemplates: templates.map(({ template }) => ({ name: template.LaunchTemplateName!, id: template.LaunchTemplateId! })),
    securityGroups: [...securityGroups, ...loadBalancing.serviceSecurityGroups],
    natGateways,
    subnets: subnets.map((s) => ({ name: nameOf(s.Tags, s.SubnetId!), id: s.SubnetId! })),
    addresses,
    internetGateways,
    routeTables,
    vpcs: vpcs.map((v) => ({ name: nameOf(v.Tags, v.VpcId!), id: v.VpcId! })),
    identities: await identities,
    loadBalancing,
  };
  plan.resources = [
    ...records.map((r) => ({ type: 'route53-record', name: r.record.Name!, id: `${r.zoneId}/${r.record.Name}` })),
    ...plan.autoScalingGroups.map((name) => ({ type: 'autoscaling-group', name, id: name })),
    ...instances.map((i) => ({ type: 'instance', name: nameOf(i.Tags, i.InstanceId!), id: i.InstanceId! })),
    ...plan.launchTemplates.map((t) => ({ type: 'autoscaling-config', name: t.name, id: t.id })),
    ...identityResources(plan.identities),
    ...loadBalancingResources(loadBalancing),
    ...plan.securityGroups.map((g) => ({ type: 'security-group', name: g.GroupName!, id: g.GroupId! })),
    ...natGateways.map((g) => ({ type: 'nat-gateway', name: nameOf(g.Tags, g.NatGatewayId!), id: g.NatGatewayId! })),
    ...plan.subnets.map((s) => ({ type: 'subnet', ...s })),
    ...addresses.map((a) => ({ type: 'elastic-ip', name: nameOf(a.Tags, a.AllocationId!), id: a.AllocationId! })),
    ...internetGateways.map((g) => ({ type: 'internet-gateway', name: nameOf(g.Tags, g.InternetGatewayId!), id: g.InternetGatewayId! })),
    ...routeTables.map((t) => ({ type: 'route-table', name: nameOf(t.Tags, t.RouteTableId!), id: t.RouteTableId! })),
    ...plan.vpcs.map((v) => ({ type: 'vpc', ...v })),
  ];
  return plan;
}

/** api.<cluster> and api.internal.<cluster> in every zone the cluster's name falls under. */
async function findClusterRecords(clients: AwsClients, clusterName: string): Promise<{ zoneId: string; record: ResourceRecordSet }[]> {
  const cluster = normalizeDnsName(clusterName);
  const found: { zoneId: string; record: ResourceRecordSet }[] = [];
  for await (const page of paginateListHostedZones({ client: clients.route53 }, {})) {
    for (const zone of page.HostedZones ?? []) {
      const zoneName = normalizeDnsName(zone.Name ?? '');
      if (cluster !== zoneName && !cluster.endsWith(`.${zoneName}`)) continue;
      const zoneId = (zone.Id ?? '').replace(/^\/hostedzone\//, '');
      const records = await listRecordsNamed(clients, zoneId, [`api.${cluster}`, `api.internal.${cluster}`]);
      found.push(...records.filter((r) => r.Type === 'A' || r.Type === 'AAAA').map((record) => ({ zoneId, record })));
    }
  }
  return found;
}

export interface DeleteOptions extends ApplyOptions {
  clients: AwsClients;
  clock?: Clock;
  signal?: AbortSignal;
  /** How long (clock ms) to wait for instances to terminate. */
  instanceTimeoutMs?: number;
  /** How long (clock ms) to wait for each NAT gateway to be deleted. */
  natGatewayTimeoutMs?: number;
  /** Poll interval (clock ms) while waiting. */
  pollIntervalMs?: number;
}

export async function deleteCluster(plan: DeletePlan, options: DeleteOptions): Promise<ApplyResult> {
  if (plan.ownership.manager !== 'kopsdeck') throw new NotOwnedError(plan.ownership, 'delete');
  const { clients } = options;
  const env = { clock: options.clock ?? systemClock, signal: options.signal };
  const ctx = { clients };
  const jobs: Job[] = [];
  const job = (kind: string, name: string, id: string, dependencies: string[], run: () => Promise<void>): string => {
    const key = `${kind}/${name}`;
    jobs.push({ ref: { key, kind, name, action: 'delete' }, dependencies, run: async () => (await run(), id) });
    return key;
  };
  for (const { zoneId, record } of plan.records) {
    job('route53-record', record.Name!, `${zoneId}/${record.Name}`, [], () => deleteRecord(clients, zoneId, record));
  }
  const groupKeys = plan.autoScalingGroups.map((name) => {
    const deletion = autoscalingGroupDeletion(name);
    return job('autoscaling-group', name, name, [], () => deletion.remove(ctx));
  });
  const instancesKey = job('instance', 'all', `${plan.instances.length} instances`, groupKeys, () =>
    terminateAndWait(clients, plan, env.clock, options, env.signal),
  );
  for (const t of plan.launchTemplates) {
    const deletion = launchTemplateDeletion(t.name, t.id, []);
    job('autoscaling-config', t.name, t.id, [instancesKey], () => deletion.remove(ctx));
  }
  // Once no instance runs with them.
  for (const d of identityDeletions(plan.identities, clients)) job(d.kind, d.name, d.id, [instancesKey, ...d.after], d.run);
  // Load balancers hold their security groups and subnets until deleted; target groups and volumes wait for the instances.
  const balancing = loadBalancingDeletions(plan.loadBalancing, clients, instancesKey);
  for (const d of balancing) job(d.kind, d.name, d.id, d.after, d.run);
  const balancerKeys = balancing.filter((d) => d.kind === 'load-balancer').map(deletionKey);
  const rulesKey = job('security-group-rules', 'all', 'ingress', [instancesKey], () => revokeIngress(clients, plan.securityGroups));
  const groupDeletions = plan.securityGroups.map((g) =>
    job('security-group', g.GroupName!, g.GroupId!, [rulesKey, ...balancerKeys], () => ignoreNotFound(clients.ec2.send(new DeleteSecurityGroupCommand({ GroupId: g.GroupId })))),
  );
  // A NAT gateway holds its subnet and its Elastic IP until it is deleted.
  const natKeys = plan.natGateways.map((g) =>
    job('nat-gateway', nameOf(g.Tags, g.NatGatewayId!), g.NatGatewayId!, [], () => deleteNatGatewayAndWait(clients, g.NatGatewayId!, env.clock, options, env.signal)),
  );
  const subnetKeys = plan.subnets.map((s) =>
    job('subnet', s.name, s.id, [instancesKey, ...groupDeletions, ...natKeys, ...balancerKeys], () => ignoreNotFound(clients.ec2.send(new DeleteSubnetCommand({ SubnetId: s.id })))),
  );
  for (const a of plan.addresses) {
    job('elastic-ip', nameOf(a.Tags, a.AllocationId!), a.AllocationId!, natKeys, () => ignoreNotFound(clients.ec2.send(new ReleaseAddressCommand({ AllocationId: a.AllocationId }))));
  }
  const gatewayKeys = plan.internetGateways.map((g) =>
    job('internet-gateway', nameOf(g.Tags, g.InternetGatewayId!), g.InternetGatewayId!, [instancesKey], () => deleteInternetGateway(clients, g)),
  );
  const tableKeys = plan.routeTables.map((t) =>
    job('route-table', nameOf(t.Tags, t.RouteTableId!), t.RouteTableId!, subnetKeys, () => deleteRouteTable(clients, t)),
  );
  const before = jobs.map((j) => j.ref.key).filter((k) => k !== instancesKey);
  for (const v of plan.vpcs) {
    job('vpc', v.name, v.id, [...before, ...subnetKeys, ...gatewayKeys, ...tableKeys], () => ignoreNotFound(clients.ec2.send(new DeleteVpcCommand({ VpcId: v.id }))));
  }
  const result: ApplyResult = { ok: true, done: [], failed: [], skipped: [], ids: new Map() };
  // A group or volume still in use (DependencyViolation, VolumeInUse, ...) is
  // retried by runJobs within its time budget, not a count of attempts.
  await runJobs(jobs, env, options, result);
  result.ok = result.failed.length === 0 && result.skipped.length === 0;
  return result;
}

async function ignoreNotFound(call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch (error) {
    if (!isNotFoundError(error)) throw error;
  }
}

async function deleteRecord(clients: AwsClients, zoneId: string, record: ResourceRecordSet): Promise<void> {
  await ignoreNotFound(
    clients.route53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zoneId, ChangeBatch: { Changes: [{ Action: 'DELETE', ResourceRecordSet: record }] } })),
  );
}

/** Terminates what the groups did not take with them, then waits (batched polls) until nothing of the cluster runs. */
async function terminateAndWait(clients: AwsClients, plan: DeletePlan, clock: Clock, options: DeleteOptions, signal?: AbortSignal): Promise<void> {
  const deadline = clock.now() + (options.instanceTimeoutMs ?? 20 * 60_000);
  const interval = options.pollIntervalMs ?? 5_000;
  for (;;) {
    const kept = new Set(plan.leftAlone.filter((l) => l.kind === 'autoscaling-group').map((l) => l.name));
    const [found, allGroups] = await Promise.all([findInstances(clients, plan.clusterName), findAutoScalingGroups(clients, plan.clusterName)]);
    const instances = found.filter((i) => !kept.has(fromTagList(i.Tags)['aws:autoscaling:groupName'] ?? ''));
    const groups = allGroups.filter((g) => !kept.has(g.AutoScalingGroupName!));
    const alive = instances.filter((i) => i.State?.Name !== 'shutting-down' && i.State?.Name !== 'terminated');
    for (let start = 0; start < alive.length; start += 1000) {
      const ids = alive.slice(start, start + 1000).map((i) => i.InstanceId!);
      await ignoreNotFound(clients.ec2.send(new TerminateInstancesCommand({ InstanceIds: ids })));
    }
    if (instances.length === 0 && groups.length === 0) return;
    if (clock.now() >= deadline) {
      throw new Error(`${instances.length} instances and ${groups.length} auto scaling groups of ${plan.clusterName} are still terminating; re-run delete to finish`);
    }
    await clock.sleep(interval, signal);
  }
}

/** Deletes a NAT gateway and waits (on the clock) until AWS reports it deleted. */
async function deleteNatGatewayAndWait(clients: AwsClients, id: string, clock: Clock, options: DeleteOptions, signal?: AbortSignal): Promise<void> {
  await ignoreNotFound(clients.ec2.send(new DeleteNatGatewayCommand({ NatGatewayId: id })));
  const deadline = clock.now() + (options.natGatewayTimeoutMs ?? 10 * 60_000);
  const interval = options.pollIntervalMs ?? 5_000;
  for (;;) {
    let state: string | undefined;
    try {
      state = (await clients.ec2.send(new DescribeNatGatewaysCommand({ NatGatewayIds: [id] }))).NatGateways?.[0]?.State;
    } catch (error) {
      if (!isNotFoundError(error)) throw error;
    }
    if (state === undefined || state === 'deleted') return;
    if (clock.now() >= deadline) throw new Error(`NAT gateway ${id} is still ${state}; re-run delete to finish`);
    await clock.sleep(interval, signal);
  }
}

/** Rules that name another group block that group's deletion: revoke every ingress rule first. */
async function revokeIngress(clients: AwsClients, groups: SecurityGroup[]): Promise<void> {
  await Promise.all(
    groups.map(async (group) => {
      const rules = ingressRules(group);
      if (rules.length === 0) return;
      await ignoreNotFound(clients.ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: group.GroupId, IpPermissions: rules.map(toPermission) })));
    }),
  );
}

async function deleteInternetGateway(clients: AwsClients, gateway: InternetGateway): Promise<void> {
  for (const attachment of gateway.Attachments ?? []) {
    if (attachment.VpcId) {
      await ignoreNotFound(clients.ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: gateway.InternetGatewayId, VpcId: attachment.VpcId })));
    }
  }
  await ignoreNotFound(clients.ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: gateway.InternetGatewayId })));
}

async function deleteRouteTable(clients: AwsClients, table: RouteTable): Promise<void> {
  for (const association of table.Associations ?? []) {
    if (association.Main || !association.RouteTableAssociationId) continue;
    await ignoreNotFound(clients.ec2.send(new DisassociateRouteTableCommand({ AssociationId: association.RouteTableAssociationId })));
  }
  await ignoreNotFound(clients.ec2.send(new DeleteRouteTableCommand({ RouteTableId: table.RouteTableId })));
}
