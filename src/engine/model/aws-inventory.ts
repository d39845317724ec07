// A CloudInventory over the AWS SDK: the cluster's auto scaling groups found by
// tag (one paginated DescribeAutoScalingGroups), their launch templates'
// current versions (one DescribeLaunchTemplates for all of them). The number
// of calls grows with pages, never with instances.
import {
  AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  type AutoScalingGroup,
} from '@aws-sdk/client-auto-scaling';
import { DescribeLaunchTemplatesCommand, EC2Client } from '@aws-sdk/client-ec2';
import type { CloudInstance, CloudInventory, IgCloudState, IgRole } from './types.js';

export interface AwsInventoryClients {
  autoscaling: AutoScalingClient;
  ec2: EC2Client;
}

const ROLE_TAGS: [string, IgRole][] = [
  ['k8s.io/role/control-plane', 'ControlPlane'],
  ['k8s.io/role/master', 'ControlPlane'],
  ['k8s.io/role/apiserver', 'APIServer'],
  ['k8s.io/role/bastion', 'Bastion'],
  ['k8s.io/role/node', 'Node'],
];

export function awsCloudInventory(clients: AwsInventoryClients): CloudInventory {
  return {
    async listInstanceGroups(cluster, signal) {
      const groups = await describeClusterGroups(clients.autoscaling, cluster, signal);
      const latest = await currentTemplateVersions(clients.ec2, groups, signal);
      return groups.map((group) => toIgState(group, cluster, latest)).sort((a, b) => a.name.localeCompare(b.name));
    },
  };
}

async function describeClusterGroups(client: AutoScalingClient, cluster: string, signal?: AbortSignal): Promise<AutoScalingGroup[]> {
  const found: AutoScalingGroup[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new DescribeAutoScalingGroupsCommand({ Filters: [{ Name: 'tag:KubernetesCluster', Values: [cluster] }], NextToken: token, MaxRecords: 100 }),
      { abortSignal: signal },
    );
    // Filter again by tag: the filter is a request, the tag is the truth.
    for (const group of page.AutoScalingGroups ?? []) if (tagOf(group, 'KubernetesCluster') === cluster) found.push(group);
    token = page.NextToken;
  } while (token);
  return found;
}

/** Resolves $Latest / $Default (or a missing version) to a number, for all groups at once. */
async function currentTemplateVersions(client: EC2Client, groups: AutoScalingGroup[], signal?: AbortSignal): Promise<Map<string, { latest: string; default: string }>> {
  const ids = [...new Set(groups.map((g) => g.LaunchTemplate?.LaunchTemplateId).filter((id): id is string => Boolean(id)))];
  const names = [...new Set(groups.filter((g) => !g.LaunchTemplate?.LaunchTemplateId).map((g) => g.LaunchTemplate?.LaunchTemplateName).filter((n): n is string => Boolean(n)))];
  const versions = new Map<string, { latest: string; default: string }>();
  for (const query of [ids.length ? { LaunchTemplateIds: ids } : undefined, names.length ? { LaunchTemplateNames: names } : undefined]) {
    if (!query) continue;
    let token: string | undefined;
    do {
      const page = await client.send(new DescribeLaunchTemplatesCommand({ ...query, NextToken: token }), { abortSignal: signal });
      for (const lt of page.LaunchTemplates ?? []) {
        const entry = { latest: String(lt.LatestVersionNumber ?? ''), default: String(lt.DefaultVersionNumber ?? '') };
        if (lt.LaunchTemplateId) versions.set(lt.LaunchTemplateId, entry);
        if (lt.LaunchTemplateName) versions.set(lt.LaunchTemplateName, entry);
      }
      token = page.NextToken;
    } while (token);
  }
  return versions;
}

function toIgState(group: AutoScalingGroup, cluster: string, templates: Map<string, { latest: string; default: string }>): IgCloudState {
  const groupName = group.AutoScalingGroupName ?? '';
  const name = tagOf(group, 'kops.k8s.io/instancegroup') ?? groupName.replace(new RegExp(`\\.${escapeRegExp(cluster)}$`), '');
  const role = ROLE_TAGS.find(([tag]) => tagOf(group, tag) !== undefined)?.[1] ?? 'Node';
  const template = group.LaunchTemplate;
  const known = templates.get(template?.LaunchTemplateId ?? '') ?? templates.get(template?.LaunchTemplateName ?? '');
  const current = resolveVersion(template?.Version, known);
  const instances: CloudInstance[] = (group.Instances ?? []).map((i) => {
    const version = resolveVersion(i.LaunchTemplate?.Version, known);
    const detached = i.LifecycleState === 'Detached' || i.LifecycleState === 'Detaching';
    const stale = current !== undefined && version !== undefined && version !== current;
    return {
      id: i.InstanceId ?? '',
      zone: i.AvailabilityZone,
      instanceType: i.InstanceType,
      state: i.LifecycleState ?? 'Unknown',
      launchTemplateVersion: version,
      needsUpdate: stale || detached,
      updateReason: detached ? 'detached by a surge' : stale ? `launch template version ${version} != ${current}` : undefined,
      detached,
    };
  });
  return {
    name,
    groupName,
    role,
    machineType: instances.find((i) => i.instanceType)?.instanceType,
    minSize: group.MinSize ?? 0,
    maxSize: group.MaxSize ?? 0,
    targetSize: group.DesiredCapacity ?? 0,
    zones: group.AvailabilityZones ?? [],
    launchTemplateVersion: current,
    instances,
  };
}

function resolveVersion(version: string | undefined, known: { latest: string; default: string } | undefined): string | undefined {
  if (!version || version === '$Default') return known?.default || version;
  if (version === '$Latest') return known?.latest || version;
  return version;
}

function tagOf(group: AutoScalingGroup, key: string): string | undefined {
  return group.Tags?.find((t) => t.Key === key)?.Value;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
