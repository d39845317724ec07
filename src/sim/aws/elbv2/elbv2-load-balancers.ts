// Network and application load balancers: create (idempotent for the same
// settings, as AWS), describe, delete, and their attributes.
import { AwsError } from '../aws-error.js';
import type { LoadBalancerScheme, LoadBalancerType, LoadBalancerV2 } from '../world/load-balancing-types.js';
import { loadBalancerDnsName } from './elb-endpoints.js';
import { arnPrefix, checkAttributeValue, checkName, loadBalancerNamed, markerPage, need, stateOf, tagsOf, type ElbContext, type ElbHandler } from './elbv2-common.js';
import { attributesXml, loadBalancerXml } from './elbv2-xml.js';

const COMMON_ATTRIBUTES: Record<string, string> = {
  'access_logs.s3.enabled': 'false',
  'access_logs.s3.bucket': '',
  'access_logs.s3.prefix': '',
  'deletion_protection.enabled': 'false',
};

export const LOAD_BALANCER_ATTRIBUTES: Record<LoadBalancerType, Record<string, string>> = {
  network: {
    ...COMMON_ATTRIBUTES,
    'load_balancing.cross_zone.enabled': 'false',
    'ipv6.deny_all_igw_traffic': 'false',
    'dns_record.client_routing_policy': 'any_availability_zone',
  },
  application: {
    ...COMMON_ATTRIBUTES,
    'idle_timeout.timeout_seconds': '60',
    'routing.http2.enabled': 'true',
    'routing.http.drop_invalid_header_fields.enabled': 'false',
    'routing.http.desync_mitigation_mode': 'defensive',
    'routing.http.preserve_host_header.enabled': 'false',
    'routing.http.xff_header_processing.mode': 'append',
    'load_balancing.cross_zone.enabled': 'true',
    'waf.fail_open.enabled': 'false',
    'client_keep_alive.seconds': '3600',
  },
};

function subnetsOf(ctx: ElbContext): string[] {
  const plain = ctx.params.strings('Subnets');
  const mapped = ctx.params.objects('SubnetMappings').map((m) => need(m, 'SubnetId'));
  if (plain.length > 0 && mapped.length > 0) throw new AwsError('ValidationError', 'You can specify subnets or subnet mappings, not both');
  const ids = plain.length > 0 ? plain : mapped;
  for (const id of ids) {
    const subnet = ctx.world.state.subnets[id];
    if (!subnet || subnet.region !== ctx.region) throw new AwsError('SubnetNotFound', `The subnet ID '${id}' is not valid`);
  }
  return ids;
}

function checkSubnets(ctx: ElbContext, type: LoadBalancerType, subnetIds: string[]): string {
  const subnets = subnetIds.map((id) => ctx.world.state.subnets[id]);
  const vpcs = [...new Set(subnets.map((s) => s.vpcId))];
  if (vpcs.length > 1) throw new AwsError('InvalidConfigurationRequest', `All subnets must belong to the same VPC: ${vpcs.map((v) => `'${v}'`).join(', ')}`);
  const zones = subnets.map((s) => s.zone);
  if (new Set(zones).size !== zones.length) throw new AwsError('InvalidConfigurationRequest', 'A load balancer cannot be attached to multiple subnets in the same Availability Zone');
  if (type === 'application' && zones.length < 2) throw new AwsError('ValidationError', 'At least two subnets in two different Availability Zones must be specified');
  if (zones.length === 0) throw new AwsError('ValidationError', 'At least one subnet must be specified');
  return vpcs[0];
}

function securityGroupsOf(ctx: ElbContext, type: LoadBalancerType, vpcId: string): string[] {
  const ids = ctx.params.strings('SecurityGroups');
  for (const id of ids) {
    const group = ctx.world.state.securityGroups[id];
    if (!group || group.region !== ctx.region || group.vpcId !== vpcId) throw new AwsError('InvalidSecurityGroup', `Security group '${id}' does not exist`);
  }
  if (ids.length > 0 || type === 'network') return ids;
  // An application load balancer with none given gets the VPC's default group, as on AWS.
  const fallback = Object.values(ctx.world.state.securityGroups).find((g) => g.vpcId === vpcId && g.name === 'default');
  return fallback ? [fallback.id] : [];
}

const sameList = (a: string[], b: string[]) => a.length === b.length && [...a].sort().every((v, i) => v === [...b].sort()[i]);

export const createLoadBalancer: ElbHandler = (ctx) => {
  const { params, region, world } = ctx;
  const name = need(params, 'Name');
  checkName(name, 'Load balancer');
  const type = (params.str('Type') ?? 'application') as LoadBalancerType;
  if (type !== 'network' && type !== 'application') throw new AwsError('ValidationError', `Load balancer type '${type}' is not served by the simulator (network or application)`);
  const scheme = (params.str('Scheme') ?? 'internet-facing') as LoadBalancerScheme;
  if (scheme !== 'internet-facing' && scheme !== 'internal') throw new AwsError('ValidationError', `Scheme '${scheme}' must be one of [internet-facing, internal]`);
  const ipAddressType = params.str('IpAddressType') ?? 'ipv4';
  if (!['ipv4', 'dualstack'].includes(ipAddressType)) throw new AwsError('ValidationError', `IP address type '${ipAddressType}' must be one of [ipv4, dualstack]`);
  const subnetIds = subnetsOf(ctx);
  const vpcId = checkSubnets(ctx, type, subnetIds);
  const securityGroupIds = securityGroupsOf(ctx, type, vpcId);
  const tags = tagsOf(params);
  const existing = Object.values(stateOf(ctx).loadBalancers).find((lb) => lb.region === region && lb.name === name);
  if (existing) {
    const same = existing.type === type && existing.scheme === scheme && sameList(existing.subnetIds, subnetIds) && sameList(existing.securityGroupIds, securityGroupIds);
    if (!same) throw new AwsError('DuplicateLoadBalancerName', `A load balancer with the same name '${name}' exists, but with different settings`);
    return { LoadBalancers: [loadBalancerXml(world, existing)] };
  }
  const lb: LoadBalancerV2 = {
    arn: `${arnPrefix(region)}:loadbalancer/${type === 'network' ? 'net' : 'app'}/${name}/${world.deps.random.hex(16)}`,
    name,
    region,
    type,
    scheme,
    vpcId,
    subnetIds,
    securityGroupIds,
    ipAddressType,
    dnsName: loadBalancerDnsName(type, name, scheme === 'internal', region, world.deps.random),
    createdAt: world.now(),
    attributes: { ...LOAD_BALANCER_ATTRIBUTES[type] },
    tags,
  };
  stateOf(ctx).loadBalancers[lb.arn] = lb;
  world.changed();
  return { LoadBalancers: [loadBalancerXml(world, lb)] };
};

export const describeLoadBalancers: ElbHandler = (ctx) => {
  const arns = ctx.params.strings('LoadBalancerArns');
  const names = ctx.params.strings('Names');
  if (arns.length > 0 && names.length > 0) throw new AwsError('ValidationError', 'Load balancer names and load balancer ARNs cannot be specified at the same time');
  const all = Object.values(stateOf(ctx).loadBalancers).filter((lb) => lb.region === ctx.region);
  let chosen = all.sort((a, b) => a.name.localeCompare(b.name));
  if (arns.length > 0) {
    if (arns.some((arn) => !all.some((lb) => lb.arn === arn))) throw new AwsError('LoadBalancerNotFound', 'One or more load balancers not found');
    chosen = all.filter((lb) => arns.includes(lb.arn));
  } else if (names.length > 0) {
    const missing = names.filter((n) => !all.some((lb) => lb.name === n));
    if (missing.length > 0) throw new AwsError('LoadBalancerNotFound', `Load balancers '[${missing.join(', ')}]' not found`);
    chosen = all.filter((lb) => names.includes(lb.name));
  }
  const { page, NextMarker } = markerPage(ctx.params, chosen);
  return { LoadBalancers: page.map((lb) => loadBalancerXml(ctx.world, lb)), NextMarker };
};

/** Deleting one that is not there succeeds, as on AWS; its listeners go with it, its target groups stay. */
export const deleteLoadBalancer: ElbHandler = (ctx) => {
  const arn = need(ctx.params, 'LoadBalancerArn');
  const state = stateOf(ctx);
  const lb = state.loadBalancers[arn];
  if (!lb || lb.region !== ctx.region) return null;
  if (lb.attributes['deletion_protection.enabled'] === 'true') {
    throw new AwsError('OperationNotPermitted', `Load balancer '${arn}' cannot be deleted because deletion protection is enabled`);
  }
  for (const listener of Object.values(state.listeners)) if (listener.loadBalancerArn === arn) delete state.listeners[listener.arn];
  delete state.loadBalancers[arn];
  ctx.world.changed();
  return null;
};

export const describeLoadBalancerAttributes: ElbHandler = (ctx) => {
  const lb = loadBalancerNamed(ctx, need(ctx.params, 'LoadBalancerArn'));
  return { Attributes: attributesXml(lb.attributes) };
};

export const modifyLoadBalancerAttributes: ElbHandler = (ctx) => {
  const lb = loadBalancerNamed(ctx, need(ctx.params, 'LoadBalancerArn'));
  const changes = ctx.params.objects('Attributes').map((a) => ({ key: need(a, 'Key'), value: a.str('Value') ?? '' }));
  if (changes.length === 0) throw new AwsError('ValidationError', 'At least one attribute must be specified');
  for (const { key, value } of changes) checkAttributeValue(key, value, LOAD_BALANCER_ATTRIBUTES[lb.type]);
  for (const { key, value } of changes) lb.attributes[key] = value;
  ctx.world.changed();
  return { Attributes: attributesXml(lb.attributes) };
};
