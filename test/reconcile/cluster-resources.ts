// Reading back what a cluster has in the simulator, in forms a test can
// compare with kops' golden files: security group rules as one line each
// (`<group> <in|out> <protocol> <ports> <source>`, groups by name), and the
// cluster's EBS volumes.
import { DescribeSecurityGroupsCommand, DescribeVolumesCommand, type IpPermission, type SecurityGroup, type Volume } from '@aws-sdk/client-ec2';
import type { AwsClients } from '../../src/engine/cloud/aws/clients.js';

const ownerFilter = (cluster: string) => [{ Name: 'tag:KubernetesCluster', Values: [cluster] }];

export async function clusterSecurityGroups(clients: AwsClients, cluster: string): Promise<SecurityGroup[]> {
  return (await clients.ec2.send(new DescribeSecurityGroupsCommand({ Filters: ownerFilter(cluster) }))).SecurityGroups ?? [];
}

/** Every rule of the cluster's groups, sorted: `masters.x in tcp 1-2379 nodes.x`, `nodes.x out all - ::/0`. */
export async function ruleLines(clients: AwsClients, cluster: string): Promise<string[]> {
  const groups = await clusterSecurityGroups(clients, cluster);
  const nameOf = new Map(groups.map((g) => [g.GroupId!, g.GroupName!]));
  const lines: string[] = [];
  const add = (group: SecurityGroup, direction: string, permissions: IpPermission[] | undefined) => {
    for (const p of permissions ?? []) {
      const protocol = p.IpProtocol === '-1' ? 'all' : p.IpProtocol!;
      const ports = protocol === 'all' || p.FromPort === undefined ? '-' : `${p.FromPort}-${p.ToPort}`;
      const sources = [
        ...(p.IpRanges ?? []).map((r) => r.CidrIp!),
        ...(p.Ipv6Ranges ?? []).map((r) => r.CidrIpv6!),
        ...(p.UserIdGroupPairs ?? []).map((r) => nameOf.get(r.GroupId!) ?? r.GroupId!),
        ...(p.PrefixListIds ?? []).map((r) => r.PrefixListId!),
      ];
      for (const source of sources) lines.push(`${group.GroupName} ${direction} ${protocol} ${ports} ${source}`);
    }
  };
  for (const group of groups) {
    add(group, 'in', group.IpPermissions);
    add(group, 'out', group.IpPermissionsEgress);
  }
  return lines.sort();
}

export async function clusterVolumes(clients: AwsClients, cluster: string): Promise<Volume[]> {
  return (await clients.ec2.send(new DescribeVolumesCommand({ Filters: ownerFilter(cluster) }))).Volumes ?? [];
}

export const tagMap = (tags: { Key?: string; Value?: string }[] | undefined): Record<string, string> =>
  Object.fromEntries((tags ?? []).map((t) => [t.Key!, t.Value ?? '']));
