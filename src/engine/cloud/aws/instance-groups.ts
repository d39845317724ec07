// The one reader of a cluster's auto scaling groups, for the console, validate
// and the rollout: the groups found by tag (paginated DescribeAutoScalingGroups),
// the numbers of the launch templates they name as $Latest / $Default (one
// DescribeLaunchTemplates for all), and the instances an earlier surge
// detached (one DescribeInstances on kops' detached tag). Each member gets a
// needs-update verdict (needs-update.ts), as do the instances of a group's
// warm pool (one DescribeWarmPool per group that has one, as kops reads them),
// and every instance comes out as the
// one CloudInstance type (cloud/provider.ts) that the console's model and the
// rollout map from. The number of calls grows with pages, never with instances;
// a wave's look at one group asks for that group alone, with the same rules.
import { DescribeAutoScalingGroupsCommand, DescribeWarmPoolCommand, type AutoScalingGroup, type AutoScalingClient, type Instance as GroupMember } from '@aws-sdk/client-auto-scaling';
import { DescribeInstancesCommand, DescribeLaunchTemplatesCommand, type EC2Client, type Filter, type Instance } from '@aws-sdk/client-ec2';
import { inBatches } from './batches.js';
import { DETACHED_REASON, groupTemplate, groupTemplateSpec, isLeaving, memberVerdict, type GroupTemplate, type TemplateNumbers } from './needs-update.js';
import type { CloudInstance, GroupRole } from '../provider.js';
import { TAG_CLUSTER, TAG_DETACHED, TAG_INSTANCE_GROUP, clusterFilter, fromTagList, instanceGroupOfGroupName, kopsRoleOfGroupName, type TagMap } from './tags.js';

export type InstanceGroupClients = { autoscaling: AutoScalingClient; ec2: EC2Client };

export interface AwsInstanceGroup {
  /** The kops instance group (its tag, else its name in the group's name). */
  name: string;
  groupName: string;
  /** From the role tags (master counts as control plane, as in kops), else from a kops group name, else Node (kops' default role). */
  role: GroupRole;
  minSize: number;
  maxSize: number;
  desiredCapacity: number;
  zones: string[];
  tags: TagMap;
  /** What new instances launch from; undefined for a group without a launch template. */
  launchTemplate?: GroupTemplate;
  /** Members first, then instances detached from the group. */
  instances: CloudInstance[];
  /**
   * Its warm pool's instances (Warmed:Stopped, Warmed:Running...): booted
   * beside the group, not nodes, taken into service first when it grows.
   * Empty for a group without a warm pool.
   */
  warmInstances: CloudInstance[];
}

export interface ReadInstanceGroupsOptions {
  signal?: AbortSignal;
  /** Also describe every member in EC2 (addresses, state, launch time): one more paginated call. */
  ec2Details?: boolean;
  /** Only this auto scaling group (a wave's fresh look): smaller calls, same rules. */
  groupName?: string;
}

const ROLE_TAGS: [string, GroupRole][] = [
  ['k8s.io/role/control-plane', 'ControlPlane'],
  ['k8s.io/role/master', 'ControlPlane'],
  ['k8s.io/role/apiserver', 'APIServer'],
  ['k8s.io/role/bastion', 'Bastion'],
  ['k8s.io/role/node', 'Node'],
];

/** Instance states kops looks at for detached instances (awsup findInstances). */
const LIVE_STATES = ['pending', 'running', 'stopping', 'stopped'];
const NOT_TERMINATED = ['pending', 'running', 'shutting-down', 'stopping', 'stopped'];
/** Most values one EC2 filter takes. */
const FILTER_VALUES = 200;

export async function readInstanceGroups(clients: InstanceGroupClients, cluster: string, options: ReadInstanceGroupsOptions = {}): Promise<AwsInstanceGroup[]> {
  const { signal, groupName } = options;
  // For one group, only the instances detached from it (the tag's value is the group's name).
  const detachedTag = groupName ? { Name: `tag:${TAG_DETACHED}`, Values: [groupName] } : { Name: 'tag-key', Values: [TAG_DETACHED] };
  const detachedFilter = [...clusterFilter(cluster), detachedTag, { Name: 'instance-state-name', Values: LIVE_STATES }];
  const [groups, detached, details] = await Promise.all([
    describeClusterGroups(clients.autoscaling, cluster, groupName, signal),
    describeInstances(clients.ec2, detachedFilter, signal),
    options.ec2Details ? describeInstances(clients.ec2, [...clusterFilter(cluster), { Name: 'instance-state-name', Values: NOT_TERMINATED }], signal) : [],
  ]);
  const [numbers, warm] = await Promise.all([templateNumbers(clients.ec2, groups, signal), describeWarmPools(clients.autoscaling, groups, signal)]);
  const ec2ById = new Map(details.map((i) => [i.InstanceId!, i]));
  const result = groups.map((group) => toGroup(group, cluster, numbers, ec2ById, warm.get(group.AutoScalingGroupName ?? '') ?? [])).sort((a, b) => a.name.localeCompare(b.name));
  addDetached(result, detached);
  return result;
}

/**
 * Groups tagged with the cluster. The filter is a request, the tag is the
 * truth; a group being deleted is skipped, as kops' FindAutoscalingGroups does.
 */
async function describeClusterGroups(client: AutoScalingClient, cluster: string, groupName: string | undefined, signal?: AbortSignal): Promise<AutoScalingGroup[]> {
  const found: AutoScalingGroup[] = [];
  const which = groupName ? { AutoScalingGroupNames: [groupName] } : { Filters: [{ Name: `tag:${TAG_CLUSTER}`, Values: [cluster] }] };
  let token: string | undefined;
  do {
    const page = await client.send(new DescribeAutoScalingGroupsCommand({ ...which, NextToken: token, MaxRecords: 100 }), { abortSignal: signal });
    for (const group of page.AutoScalingGroups ?? []) {
      if (fromTagList(group.Tags)[TAG_CLUSTER] === cluster && !group.Status) found.push(group);
    }
    token = page.NextToken;
  } while (token);
  return found;
}

/** The warm pool instances of the groups that have a warm pool, by group name: a call (or a page) per such group. */
async function describeWarmPools(client: AutoScalingClient, groups: AutoScalingGroup[], signal?: AbortSignal): Promise<Map<string, GroupMember[]>> {
  const withPool = groups.filter((g) => g.WarmPoolConfiguration && g.AutoScalingGroupName);
  const pools = await Promise.all(
    withPool.map(async (group) => {
      const found: GroupMember[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(new DescribeWarmPoolCommand({ AutoScalingGroupName: group.AutoScalingGroupName, NextToken: token }), { abortSignal: signal });
        found.push(...(page.Instances ?? []));
        token = page.NextToken;
      } while (token);
      return [group.AutoScalingGroupName!, found] as const;
    }),
  );
  return new Map(pools);
}

async function describeInstances(client: EC2Client, filters: Filter[], signal?: AbortSignal): Promise<Instance[]> {
  const found: Instance[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new DescribeInstancesCommand({ Filters: filters, NextToken: token, MaxResults: 1000 }), { abortSignal: signal });
    for (const reservation of page.Reservations ?? []) found.push(...(reservation.Instances ?? []));
    token = page.NextToken;
  } while (token);
  return found;
}

/**
 * Latest and default numbers of the templates whose version the groups name
 * as $Latest, $Default or not at all, keyed by id and by name. Asked by name
 * (a filter: a template that no longer exists is just absent) and, for a
 * specification without a name, by id.
 */
async function templateNumbers(client: EC2Client, groups: AutoScalingGroup[], signal?: AbortSignal): Promise<Map<string, TemplateNumbers>> {
  const specs = groups.map((g) => groupTemplateSpec(g)?.spec).filter((s) => s !== undefined && !/^\d+$/.test(s.Version ?? ''));
  const names = [...new Set(specs.map((s) => s!.LaunchTemplateName).filter((n): n is string => Boolean(n)))];
  const ids = [...new Set(specs.filter((s) => !s!.LaunchTemplateName).map((s) => s!.LaunchTemplateId).filter((id): id is string => Boolean(id)))];
  const queries = [
    ...inBatches(names, FILTER_VALUES).map((batch) => ({ Filters: [{ Name: 'launch-template-name', Values: batch }], MaxResults: 200 })),
    ...(ids.length ? [{ LaunchTemplateIds: ids }] : []),
  ];
  const numbers = new Map<string, TemplateNumbers>();
  for (const query of queries) {
    let token: string | undefined;
    do {
      const page = await client.send(new DescribeLaunchTemplatesCommand({ ...query, NextToken: token }), { abortSignal: signal });
      for (const lt of page.LaunchTemplates ?? []) {
        const entry = { latest: lt.LatestVersionNumber, default: lt.DefaultVersionNumber };
        if (lt.LaunchTemplateId) numbers.set(lt.LaunchTemplateId, entry);
        if (lt.LaunchTemplateName) numbers.set(lt.LaunchTemplateName, entry);
      }
      token = page.NextToken;
    } while (token);
  }
  return numbers;
}

function toGroup(group: AutoScalingGroup, cluster: string, numbers: Map<string, TemplateNumbers>, ec2ById: Map<string, Instance>, warm: GroupMember[]): AwsInstanceGroup {
  const groupName = group.AutoScalingGroupName ?? '';
  const tags = fromTagList(group.Tags);
  const spec = groupTemplateSpec(group)?.spec;
  // An id names one template; a name found by the filter may belong to a newer one of that name.
  const known = spec?.LaunchTemplateId ? numbers.get(spec.LaunchTemplateId) : numbers.get(spec?.LaunchTemplateName ?? '');
  const current = groupTemplate(group, known);
  const name = tags[TAG_INSTANCE_GROUP] ?? instanceGroupOfGroupName(cluster, groupName) ?? groupName;
  const asInstance = (member: GroupMember): CloudInstance => {
    const verdict = memberVerdict(member, current);
    return {
      ...ec2Fields(ec2ById.get(member.InstanceId ?? '')),
      id: member.InstanceId ?? '',
      instanceGroup: name,
      lifecycleState: member.LifecycleState ?? 'Unknown',
      healthStatus: member.HealthStatus,
      zone: member.AvailabilityZone,
      instanceType: member.InstanceType,
      launchTemplateId: member.LaunchTemplate?.LaunchTemplateId,
      launchTemplateVersion: member.LaunchTemplate?.Version ?? null,
      needsUpdate: verdict.needsUpdate,
      updateReason: verdict.reason,
      detached: isLeaving(member.LifecycleState),
      member: true,
    };
  };
  const instances = (group.Instances ?? []).map(asInstance);
  // Not members (the group does not list them) and never detached.
  const warmInstances = warm.map((member) => ({ ...asInstance(member), member: false }));
  return {
    name,
    groupName,
    role: ROLE_TAGS.find(([tag]) => tag in tags)?.[1] ?? kopsRoleOfGroupName(cluster, groupName) ?? 'Node',
    minSize: group.MinSize ?? 0,
    maxSize: group.MaxSize ?? 0,
    desiredCapacity: group.DesiredCapacity ?? 0,
    zones: group.AvailabilityZones ?? [],
    tags,
    launchTemplate: current,
    instances,
    warmInstances,
  };
}

/**
 * AWS no longer lists an instance once DetachInstances is done: kops finds it
 * by its detached tag (the group's name), or by its instance group tag, and
 * replaces it whatever it runs.
 */
function addDetached(groups: AwsInstanceGroup[], detached: Instance[]): void {
  const members = new Set(groups.flatMap((g) => g.instances.map((i) => i.id)));
  for (const instance of detached) {
    if (!instance.InstanceId || members.has(instance.InstanceId)) continue;
    const tags = fromTagList(instance.Tags);
    const group = groups.find((g) => g.groupName === tags[TAG_DETACHED]) ?? groups.find((g) => g.name === tags[TAG_INSTANCE_GROUP]);
    group?.instances.push({
      ...ec2Fields(instance),
      id: instance.InstanceId,
      instanceGroup: group.name,
      lifecycleState: 'Detached',
      zone: instance.Placement?.AvailabilityZone,
      instanceType: instance.InstanceType,
      launchTemplateId: tags['aws:ec2launchtemplate:id'],
      launchTemplateVersion: tags['aws:ec2launchtemplate:version'] ?? null,
      needsUpdate: true,
      updateReason: DETACHED_REASON,
      detached: true,
      member: false,
    });
  }
}

/** What EC2 says of an instance, in the cloud-neutral shape; nothing when EC2 was not asked. */
function ec2Fields(instance: Instance | undefined): Pick<CloudInstance, 'state' | 'privateIp' | 'privateDnsName' | 'publicIp' | 'launchTime'> {
  if (!instance) return {};
  return {
    state: instance.State?.Name,
    privateIp: instance.PrivateIpAddress,
    privateDnsName: instance.PrivateDnsName,
    publicIp: instance.PublicIpAddress,
    launchTime: instance.LaunchTime,
  };
}
