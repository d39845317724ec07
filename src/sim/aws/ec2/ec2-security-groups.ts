// Security groups and their rules (ingress and egress), addressed either as
// IpPermissions or by rule id, with EC2's duplicate / not-found codes.
import { AwsError } from '../aws-error.js';
import { ec2Tags } from '../query-protocol.js';
import type { Params } from '../query-params.js';
import { filterResources, pageOf, type Fields } from '../world/filters.js';
import { ACCOUNT_ID } from '../world/regions.js';
import type { SecurityGroup, SecurityGroupRule } from '../world/types.js';
import { describePage, ec2ResultReturn, filtersOf, findIn, inRegion, tagSpecTags, type Ec2Context, type Ec2Handler } from './ec2-common.js';

const PROTOCOL_NAMES: Record<string, string> = { '6': 'tcp', '17': 'udp', '1': 'icmp', all: '-1' };

function permissionsXml(rules: SecurityGroupRule[]) {
  const grouped = new Map<string, SecurityGroupRule[]>();
  for (const rule of rules) {
    const key = `${rule.protocol}/${rule.fromPort}/${rule.toPort}`;
    grouped.set(key, [...(grouped.get(key) ?? []), rule]);
  }
  return [...grouped.values()].map((same) => ({
    ipProtocol: same[0].protocol,
    fromPort: same[0].fromPort,
    toPort: same[0].toPort,
    groups: same.filter((r) => r.sourceGroupId).map((r) => ({ groupId: r.sourceGroupId, userId: ACCOUNT_ID, description: r.description })),
    ipRanges: same.filter((r) => r.cidr && !r.cidr.includes(':')).map((r) => ({ cidrIp: r.cidr, description: r.description })),
    ipv6Ranges: same.filter((r) => r.cidr?.includes(':')).map((r) => ({ cidrIpv6: r.cidr, description: r.description })),
    prefixListIds: same.filter((r) => r.prefixListId).map((r) => ({ prefixListId: r.prefixListId, description: r.description })),
  }));
}

function groupXml(group: SecurityGroup) {
  return {
    ownerId: ACCOUNT_ID,
    groupId: group.id,
    groupName: group.name,
    groupDescription: group.description,
    vpcId: group.vpcId,
    securityGroupArn: `arn:aws:ec2:${group.region}:${ACCOUNT_ID}:security-group/${group.id}`,
    ipPermissions: permissionsXml(group.rules.filter((r) => !r.egress)),
    ipPermissionsEgress: permissionsXml(group.rules.filter((r) => r.egress)),
    tagSet: ec2Tags(group.tags),
  };
}

function ruleXml(group: SecurityGroup, rule: SecurityGroupRule) {
  return {
    securityGroupRuleId: rule.id,
    groupId: group.id,
    groupOwnerId: ACCOUNT_ID,
    isEgress: rule.egress,
    ipProtocol: rule.protocol,
    fromPort: rule.fromPort ?? -1,
    toPort: rule.toPort ?? -1,
    cidrIpv4: rule.cidr,
    prefixListId: rule.prefixListId,
    referencedGroupInfo: rule.sourceGroupId ? { groupId: rule.sourceGroupId, userId: ACCOUNT_ID } : undefined,
    description: rule.description,
    securityGroupRuleArn: `arn:aws:ec2:${group.region}:${ACCOUNT_ID}:security-group-rule/${rule.id}`,
    tagSet: [],
  };
}

const readGroup: Fields<SecurityGroup> = {
  'group-id': (group) => [group.id],
  'group-name': (group) => [group.name],
  'vpc-id': (group) => [group.vpcId],
  description: (group) => [group.description],
  'owner-id': () => [ACCOUNT_ID],
};

/** Rules without ids, read from IpPermissions (or the legacy flat CidrIp/IpProtocol form). */
function requestedRules(params: Params, egress: boolean): Omit<SecurityGroupRule, 'id'>[] {
  const permissions = params.objects('IpPermissions');
  if (permissions.length === 0 && params.str('IpProtocol')) permissions.push(params);
  const rules: Omit<SecurityGroupRule, 'id'>[] = [];
  for (const permission of permissions) {
    const rawProtocol = permission.required('IpProtocol').toLowerCase();
    const protocol = PROTOCOL_NAMES[rawProtocol] ?? rawProtocol;
    const ports = protocol === '-1' ? {} : { fromPort: permission.int('FromPort'), toPort: permission.int('ToPort') };
    const base = { egress, protocol, ...ports };
    const cidrs = permission.objects('IpRanges').map((r) => ({ cidr: r.required('CidrIp'), description: r.str('Description') }));
    cidrs.push(...permission.objects('Ipv6Ranges').map((r) => ({ cidr: r.required('CidrIpv6'), description: r.str('Description') })));
    if (permission.str('CidrIp')) cidrs.push({ cidr: permission.str('CidrIp')!, description: undefined });
    const pairs = [...permission.objects('Groups'), ...permission.objects('UserIdGroupPairs')];
    const prefixLists = permission.objects('PrefixListIds').map((p) => ({ prefixListId: prefixListIdOf(p.required('PrefixListId')), description: p.str('Description') }));
    for (const cidr of cidrs) rules.push({ ...base, ...cidr });
    for (const pair of pairs) rules.push({ ...base, sourceGroupId: pair.required('GroupId'), description: pair.str('Description') });
    for (const list of prefixLists) rules.push({ ...base, ...list });
  }
  if (rules.length === 0) throw new AwsError('MissingParameter', 'No ip permissions were specified');
  return rules;
}

/**
 * EC2 refuses a malformed prefix list id (InvalidPrefixListId.Malformed). The
 * simulator does not model managed prefix lists, so a well-formed id is taken
 * as one that exists (AWS would answer InvalidPrefixListID.NotFound for an
 * unknown one).
 */
function prefixListIdOf(id: string): string {
  if (!/^pl-[0-9a-f]{8}(?:[0-9a-f]{9})?$/.test(id)) throw new AwsError('InvalidPrefixListId.Malformed', `Invalid id: "${id}" (expecting "pl-...")`);
  return id;
}

const sameRule = (a: Omit<SecurityGroupRule, 'id'>, b: Omit<SecurityGroupRule, 'id'>): boolean =>
  a.egress === b.egress &&
  a.protocol === b.protocol &&
  a.fromPort === b.fromPort &&
  a.toPort === b.toPort &&
  a.cidr === b.cidr &&
  a.sourceGroupId === b.sourceGroupId &&
  a.prefixListId === b.prefixListId;

function groupOf(ctx: Ec2Context): SecurityGroup {
  const id = ctx.params.str('GroupId');
  if (id) return findIn(ctx.world.state.securityGroups, id, ctx.region, 'InvalidGroup.NotFound', 'security group');
  const name = ctx.params.required('GroupName');
  const group = inRegion(ctx.world.state.securityGroups, ctx.region).find((g) => g.name === name);
  if (!group) throw new AwsError('InvalidGroup.NotFound', `The security group '${name}' does not exist`);
  return group;
}

function authorize(egress: boolean): Ec2Handler {
  return (ctx) => {
    const group = groupOf(ctx);
    const added: SecurityGroupRule[] = [];
    for (const rule of requestedRules(ctx.params, egress)) {
      if (rule.sourceGroupId) findIn(ctx.world.state.securityGroups, rule.sourceGroupId, ctx.region, 'InvalidGroup.NotFound', 'security group');
      if ([...group.rules, ...added].some((r) => sameRule(r, rule))) {
        throw new AwsError('InvalidPermission.Duplicate', `the specified rule "peer: ${rule.cidr ?? rule.sourceGroupId ?? rule.prefixListId}, ${rule.protocol.toUpperCase()}, from port: ${rule.fromPort}, to port: ${rule.toPort}, ALLOW" already exists`);
      }
      added.push({ id: ctx.world.newId('sgr'), ...rule });
    }
    group.rules.push(...added);
    ctx.world.changed();
    return { return: true, securityGroupRuleSet: added.map((r) => ruleXml(group, r)) };
  };
}

function revoke(egress: boolean): Ec2Handler {
  return (ctx) => {
    const group = groupOf(ctx);
    const ruleIds = ctx.params.strings('SecurityGroupRuleId');
    const doomed = ruleIds.length
      ? ruleIds.map((id) => {
          const rule = group.rules.find((r) => r.id === id && r.egress === egress);
          if (!rule) throw new AwsError('InvalidSecurityGroupRuleId.NotFound', `The security group rule ID '${id}' does not exist`);
          return rule;
        })
      : requestedRules(ctx.params, egress).map((wanted) => {
          const rule = group.rules.find((r) => sameRule(r, wanted));
          if (!rule) throw new AwsError('InvalidPermission.NotFound', 'The specified rule does not exist in this security group.');
          return rule;
        });
    group.rules = group.rules.filter((r) => !doomed.includes(r));
    ctx.world.changed();
    return ec2ResultReturn();
  };
}

export const authorizeSecurityGroupIngress = authorize(false);
export const authorizeSecurityGroupEgress = authorize(true);
export const revokeSecurityGroupIngress = revoke(false);
export const revokeSecurityGroupEgress = revoke(true);

export const createSecurityGroup: Ec2Handler = ({ params, region, world }) => {
  const name = params.required('GroupName');
  const description = params.required('GroupDescription');
  const vpc = findIn(world.state.vpcs, params.required('VpcId'), region, 'InvalidVpcID.NotFound', 'vpc');
  if (Object.values(world.state.securityGroups).some((g) => g.vpcId === vpc.id && g.name === name)) {
    throw new AwsError('InvalidGroup.Duplicate', `The security group '${name}' already exists for VPC '${vpc.id}'`);
  }
  const group: SecurityGroup = {
    id: world.newId('sg'),
    region,
    vpcId: vpc.id,
    name,
    description,
    rules: [{ id: world.newId('sgr'), egress: true, protocol: '-1', cidr: '0.0.0.0/0' }],
    tags: tagSpecTags(params, 'security-group'),
  };
  world.state.securityGroups[group.id] = group;
  world.changed();
  return { return: true, groupId: group.id, securityGroupArn: groupXml(group).securityGroupArn, tagSet: ec2Tags(group.tags) };
};

export const describeSecurityGroups: Ec2Handler = (ctx) => {
  const names = ctx.params.strings('GroupName');
  const lookup = { idParam: 'GroupId', notFound: 'InvalidGroup.NotFound', kind: 'security group' };
  const { page, nextToken } = describePage(ctx, ctx.world.state.securityGroups, lookup, readGroup, (g) => names.length === 0 || names.includes(g.name));
  return { securityGroupInfo: page.map(groupXml), nextToken };
};

export const describeSecurityGroupRules: Ec2Handler = ({ params, region, world }) => {
  const ruleIds = params.strings('SecurityGroupRuleId');
  const filters = filtersOf(params);
  const rows: { group: SecurityGroup; rule: SecurityGroupRule; tags: Record<string, string> }[] = [];
  for (const group of inRegion(world.state.securityGroups, region)) {
    for (const rule of group.rules) rows.push({ group, rule, tags: {} });
  }
  const read: Fields<(typeof rows)[number]> = {
  'group-id': (row) => [row.group.id],
  'security-group-rule-id': (row) => [row.rule.id],
};
  const matching = filterResources(rows.filter((row) => (ruleIds.length === 0 || ruleIds.includes(row.rule.id))), filters, read);
  const { page, nextToken } = pageOf(matching, params.int('MaxResults'), params.str('NextToken'));
  return { securityGroupRuleSet: page.map((row) => ruleXml(row.group, row.rule)), nextToken };
};

export const deleteSecurityGroup: Ec2Handler = (ctx) => {
  const group = groupOf(ctx);
  const { state } = ctx.world;
  if (group.name === 'default') throw new AwsError('CannotDelete', `the specified group: "${group.id}" name: "default" cannot be deleted by a user`);
  const referenced = Object.values(state.securityGroups).some((g) => g.id !== group.id && g.rules.some((r) => r.sourceGroupId === group.id));
  const used = Object.values(state.instances).some((i) => i.state !== 'terminated' && i.securityGroupIds.includes(group.id));
  // A load balancer's network interfaces hold its groups until it is deleted.
  const balancing = state.loadBalancing;
  const loadBalanced = [...Object.values(balancing.loadBalancers), ...Object.values(balancing.classic)].some((lb) => lb.securityGroupIds.includes(group.id));
  if (referenced || used || loadBalanced) throw new AwsError('DependencyViolation', `resource ${group.id} has a dependent object`);
  delete state.securityGroups[group.id];
  ctx.world.changed();
  return ec2ResultReturn();
};
