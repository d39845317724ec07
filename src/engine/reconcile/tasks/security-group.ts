// Security groups (masters, nodes, bastions, the API load balancer's) and
// their rules, one task per rule as kops does, so a plan names exactly which
// rule is added.
import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  RevokeSecurityGroupIngressCommand,
  type IpPermission,
  type SecurityGroup,
} from '@aws-sdk/client-ec2';
import { clusterTags, type TagMap } from '../../cloud/aws/tags.js';
import { errorCode } from '../../cloud/aws/errors.js';
import { compareFields, compareTags, idOrPending, requireId, taskKey, type DeletionTask, type ReconcileContext, type Task } from '../task.js';
import { applyTagChanges, tagSpecification, tagsOf } from './ec2-tags.js';
import { vpcKey } from './vpc.js';
import type { TerraformOutput } from '../../terraform/types.js';
import type { HclExpr } from '../../terraform/hcl.js';

export type GroupRole = 'masters' | 'nodes' | 'bastions';
/** The instance groups' security groups, and the API load balancer's (kops' `api-elb.<cluster>`). */
export type SecurityGroupRole = GroupRole | 'api-elb';

/** kops' descriptions (the bastions' kept as kopsdeck first wrote it: a description cannot change in place). */
const DESCRIPTIONS: Record<SecurityGroupRole, string> = {
  masters: 'Security group for masters',
  nodes: 'Security group for nodes',
  bastions: 'Security group for bastions',
  'api-elb': 'Security group for api ELB',
};

export const securityGroupName = (cluster: string, role: SecurityGroupRole): string => `${role}.${cluster}`;
export const securityGroupKey = (cluster: string, role: SecurityGroupRole): string => taskKey('SecurityGroup', securityGroupName(cluster, role));

export interface SecurityGroupDesired {
  vpcId: string;
  description: string;
  tags: TagMap;
}

export function securityGroupTask(cluster: string, role: SecurityGroupRole): Task<SecurityGroupDesired, SecurityGroup> {
  const name = securityGroupName(cluster, role);
  return {
    key: securityGroupKey(cluster, role),
    kind: 'SecurityGroup',
    name,
    dependencies: [vpcKey(cluster)],
    desired: (ctx) => ({ vpcId: idOrPending(ctx, vpcKey(cluster)), description: DESCRIPTIONS[role], tags: clusterTags(cluster, role) }),
    find: (ctx) => ctx.snapshot.securityGroups.find((g) => g.GroupName === name) ?? null,
    idOf: (g) => g.GroupId!,
    diff: (desired, actual) => [
      ...compareFields([['VPC', desired.vpcId, actual.VpcId], ['Description', desired.description, actual.Description]]),
      ...compareTags(desired.tags, tagsOf(actual)),
    ],
    describe: (d) => ({ VPC: d.vpcId, Description: d.description }),
    async apply(ctx, change) {
      if (!change.actual) {
        const out = await ctx.clients.ec2.send(
          new CreateSecurityGroupCommand({
            GroupName: name,
            Description: change.desired.description,
            VpcId: requireId(ctx, vpcKey(cluster)),
            TagSpecifications: tagSpecification('security-group', change.desired.tags),
          }),
        );
        return out.GroupId!;
      }
      const fixed = change.changes.filter((c) => c.field === 'VPC' || c.field === 'Description');
      if (fixed.length) throw new Error(`SecurityGroup/${name}: ${fixed.map((c) => c.field).join(', ')} cannot be changed; delete the group and re-run`);
      await applyTagChanges(ctx, change.actual.GroupId!, change.desired.tags, change.changes);
      return change.actual.GroupId!;
    },
    terraform: (t, d) => [
      {
        type: 'aws_security_group',
        name,
        body: { description: d.description, name, tags: d.tags, vpc_id: t.ref(vpcKey(cluster), 'id') },
        outputs: groupOutputs(role, t.ref(securityGroupKey(cluster, role), 'id')),
      },
    ],
  };
}

/** kops' master_security_group_ids, node_security_group_ids, bastion_security_group_ids. */
function groupOutputs(role: SecurityGroupRole, id: HclExpr): TerraformOutput[] {
  const prefix = { masters: 'master', nodes: 'node', bastions: 'bastion', 'api-elb': undefined }[role];
  return prefix ? [{ name: `${prefix}_security_group_ids`, value: id, list: true }] : [];
}

/**
 * kops' name for a rule in Terraform (pkg/model/awsmodel/firewall.go
 * generateName): `from-<source>-<direction>-<protocol>-<from>to<to>-<destination>`,
 * from the rule's own fields, so two rules never share one.
 */
export function ruleTerraformName(cluster: string, rule: RuleSpec): string {
  const group = securityGroupName(cluster, rule.group);
  const target = rule.sourceGroup ? securityGroupName(cluster, rule.sourceGroup) : (rule.cidr ?? rule.prefixListId ?? '0.0.0.0/0');
  const all = rule.protocol === '-1';
  const [from, to] = all ? [0, 0] : [rule.fromPort ?? 0, rule.toPort ?? 0];
  const [src, dst] = rule.egress ? [group, target] : [target, group];
  return `from-${src}-${rule.egress ? 'egress' : 'ingress'}-${all ? 'all' : rule.protocol}-${from}to${to}-${dst}`;
}

/** One rule: a protocol and port range, from (or, egress, to) a CIDR, a managed prefix list or another group. */
export interface RuleSpec {
  name: string;
  group: SecurityGroupRole;
  /** An outbound rule (kops' Egress); inbound otherwise. */
  egress?: boolean;
  protocol: 'tcp' | 'udp' | 'icmp' | 'icmpv6' | '4' | '-1';
  fromPort?: number;
  toPort?: number;
  cidr?: string;
  prefixListId?: string;
  sourceGroup?: SecurityGroupRole;
}

export interface RuleDesired {
  groupId: string;
  egress?: boolean;
  protocol: string;
  fromPort?: number;
  toPort?: number;
  cidr?: string;
  prefixListId?: string;
  sourceGroupId?: string;
}

export function ruleTask(cluster: string, rule: RuleSpec): Task<RuleDesired, RuleDesired> {
  const groupKey = securityGroupKey(cluster, rule.group);
  const sourceKey = rule.sourceGroup ? securityGroupKey(cluster, rule.sourceGroup) : undefined;
  const desired = (ctx: ReconcileContext): RuleDesired => ({
    groupId: idOrPending(ctx, groupKey),
    ...(rule.egress ? { egress: true } : {}),
    protocol: rule.protocol,
    fromPort: rule.protocol === '-1' ? undefined : rule.fromPort,
    toPort: rule.protocol === '-1' ? undefined : rule.toPort,
    cidr: rule.cidr,
    prefixListId: rule.prefixListId,
    sourceGroupId: sourceKey ? idOrPending(ctx, sourceKey) : undefined,
  });
  return {
    key: taskKey('SecurityGroupRule', rule.name),
    kind: 'SecurityGroupRule',
    name: rule.name,
    dependencies: sourceKey ? [groupKey, sourceKey] : [groupKey],
    desired,
    find: (ctx) => {
      const want = desired(ctx);
      const group = ctx.snapshot.securityGroups.find((g) => g.GroupId === want.groupId);
      const rules = group ? (rule.egress ? egressRules(group) : ingressRules(group)) : [];
      return rules.some((have) => sameRule(have, want)) ? want : null;
    },
    idOf: ruleId,
    // A rule is its identity: it exists exactly as wanted, or it is created.
    diff: () => [],
    describe: (d) => ({
      SecurityGroup: d.groupId,
      ...(d.egress ? { Direction: 'egress' } : {}),
      Protocol: d.protocol === '-1' ? 'all' : d.protocol,
      ...(d.fromPort !== undefined ? { Ports: d.fromPort === d.toPort ? String(d.fromPort) : `${d.fromPort}-${d.toPort}` } : {}),
      Source: d.cidr ?? d.prefixListId ?? d.sourceGroupId ?? '',
    }),
    async apply(ctx, change) {
      const want = desired(ctx);
      requireId(ctx, groupKey);
      try {
        const input = { GroupId: want.groupId, IpPermissions: [toPermission(want)] };
        if (want.egress) await ctx.clients.ec2.send(new AuthorizeSecurityGroupEgressCommand(input));
        else await ctx.clients.ec2.send(new AuthorizeSecurityGroupIngressCommand(input));
      } catch (error) {
        // Already there (a retried call that had succeeded): that is what we wanted.
        if (errorCode(error) !== 'InvalidPermission.Duplicate') throw error;
      }
      return ruleId(change.desired.groupId.startsWith('<') ? want : change.desired);
    },
    terraform: (t, d) => {
      const all = d.protocol === '-1';
      const ipv6 = d.cidr?.includes(':');
      const name = ruleTerraformName(cluster, rule);
      return [
        {
          type: 'aws_security_group_rule',
          name,
          body: {
            cidr_blocks: d.cidr && !ipv6 ? [d.cidr] : undefined,
            ipv6_cidr_blocks: d.cidr && ipv6 ? [d.cidr] : undefined,
            prefix_list_ids: d.prefixListId ? [d.prefixListId] : undefined,
            source_security_group_id: sourceKey ? t.ref(sourceKey, 'id') : undefined,
            from_port: all ? 0 : (d.fromPort ?? 0),
            to_port: all ? 0 : (d.toPort ?? 0),
            protocol: d.protocol,
            security_group_id: t.ref(groupKey, 'id'),
            type: d.egress ? 'egress' : 'ingress',
          },
        },
      ];
    },
  };
}

export const ruleId = (r: RuleDesired): string =>
  `${r.egress ? 'egress:' : ''}${r.groupId}:${r.protocol}:${r.fromPort ?? ''}-${r.toPort ?? ''}:${r.cidr ?? r.prefixListId ?? r.sourceGroupId ?? ''}`;

export function sameRule(a: RuleDesired, b: RuleDesired): boolean {
  return ruleId(a) === ruleId(b);
}

/** A group's ingress permissions, one entry per source. */
export function ingressRules(group: SecurityGroup): RuleDesired[] {
  return permissionRules(group, group.IpPermissions ?? [], false);
}

/** A group's egress permissions, one entry per destination. */
export function egressRules(group: SecurityGroup): RuleDesired[] {
  return permissionRules(group, group.IpPermissionsEgress ?? [], true);
}

function permissionRules(group: SecurityGroup, permissions: IpPermission[], egress: boolean): RuleDesired[] {
  const rules: RuleDesired[] = [];
  for (const p of permissions) {
    const protocol = p.IpProtocol === '-1' || p.IpProtocol === 'all' ? '-1' : p.IpProtocol ?? '-1';
    const ports = protocol === '-1' ? {} : { fromPort: p.FromPort, toPort: p.ToPort };
    const base = { groupId: group.GroupId!, ...(egress ? { egress: true } : {}), protocol, ...ports };
    for (const r of p.IpRanges ?? []) rules.push({ ...base, cidr: r.CidrIp });
    for (const r of p.Ipv6Ranges ?? []) rules.push({ ...base, cidr: r.CidrIpv6 });
    for (const r of p.UserIdGroupPairs ?? []) rules.push({ ...base, sourceGroupId: r.GroupId });
    for (const r of p.PrefixListIds ?? []) rules.push({ ...base, prefixListId: r.PrefixListId });
  }
  return rules;
}

export function toPermission(rule: RuleDesired): IpPermission {
  const permission: IpPermission = { IpProtocol: rule.protocol };
  if (rule.protocol !== '-1') {
    permission.FromPort = rule.fromPort;
    permission.ToPort = rule.toPort;
  }
  if (rule.cidr?.includes(':')) permission.Ipv6Ranges = [{ CidrIpv6: rule.cidr }];
  else if (rule.cidr) permission.IpRanges = [{ CidrIp: rule.cidr }];
  if (rule.sourceGroupId) permission.UserIdGroupPairs = [{ GroupId: rule.sourceGroupId }];
  if (rule.prefixListId) permission.PrefixListIds = [{ PrefixListId: rule.prefixListId }];
  return permission;
}

/**
 * The extra rules kopsdeck removes, after kops' RemoveExtraRules: only rules on
 * the ports it manages in that group (SSH everywhere, the API on the control
 * plane), never any other rule someone added (or the load balancer needs).
 */
export const REMOVE_EXTRA_RULE_PORTS: Record<SecurityGroupRole, number[]> = { masters: [22, 443], nodes: [22], bastions: [22], 'api-elb': [443] };

/**
 * kops' `port=N` removal rule: the rule filters exactly that one port (any
 * protocol). Also kopsdeck's own former all-traffic rule from the nodes to the
 * control plane (it opened etcd's ports; kops opens port ranges around them).
 */
export function isRemovableExtraRule(cluster: string, group: SecurityGroup, rule: RuleDesired, groups: SecurityGroup[] = []): boolean {
  const role = (Object.keys(REMOVE_EXTRA_RULE_PORTS) as SecurityGroupRole[]).find((r) => group.GroupName === securityGroupName(cluster, r));
  if (!role) return false;
  if (role === 'masters' && rule.protocol === '-1' && rule.sourceGroupId) {
    const source = groups.find((g) => g.GroupId === rule.sourceGroupId);
    if (source?.GroupName === securityGroupName(cluster, 'nodes')) return true;
  }
  return REMOVE_EXTRA_RULE_PORTS[role].some((port) => rule.fromPort === port && rule.toPort === port);
}

export interface StaleRules {
  deletions: DeletionTask[];
  /** Rules no task wants that are not of a kind kopsdeck manages: kept, with a label each. */
  kept: { group: string; label: string }[];
}

/** Ingress rules on the cluster's groups that no rule task wants any more (removable ones only). */
export function staleRuleDeletions(ctx: ReconcileContext, wanted: RuleDesired[], mayRemove: (group: SecurityGroup, rule: RuleDesired) => boolean): StaleRules {
  const wantedIds = new Set(wanted.map(ruleId));
  const deletions: DeletionTask[] = [];
  const kept: StaleRules['kept'] = [];
  for (const group of ctx.snapshot.securityGroups) {
    for (const rule of ingressRules(group)) {
      const id = ruleId(rule);
      if (wantedIds.has(id)) continue;
      const label = `${group.GroupName}:${rule.protocol === '-1' ? 'all' : `${rule.protocol}/${rule.fromPort}-${rule.toPort}`}:${rule.cidr ?? rule.prefixListId ?? rule.sourceGroupId}`;
      if (!mayRemove(group, rule)) {
        kept.push({ group: group.GroupName ?? group.GroupId!, label });
        continue;
      }
      deletions.push({
        key: taskKey('SecurityGroupRule', label),
        kind: 'SecurityGroupRule',
        name: label,
        id,
        dependencies: [],
        async remove(c) {
          try {
            await c.clients.ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: rule.groupId, IpPermissions: [toPermission(rule)] }));
          } catch (error) {
            if (!/NotFound/.test(errorCode(error))) throw error;
          }
        },
      });
    }
  }
  return { deletions, kept };
}
