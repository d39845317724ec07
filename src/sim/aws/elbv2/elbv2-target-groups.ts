// Target groups: create (idempotent for the same settings), describe, delete,
// their attributes (the deregistration delay, 300 s unless changed, as AWS).
import { AwsError } from '../aws-error.js';
import type { Params } from '../query-params.js';
import type { HealthCheck, TargetGroup } from '../world/load-balancing-types.js';
import { arnPrefix, checkAttributeValue, checkName, intWithin, loadBalancerNamed, markerPage, need, stateOf, tagsOf, targetGroupNamed, type ElbHandler } from './elbv2-common.js';
import { APPLICATION_PROTOCOLS, NETWORK_PROTOCOLS } from './elbv2-listeners.js';
import { attributesXml, targetGroupXml } from './elbv2-xml.js';

const NETWORK_ATTRIBUTES: Record<string, string> = {
  'deregistration_delay.timeout_seconds': '300',
  'deregistration_delay.connection_termination.enabled': 'false',
  'preserve_client_ip.enabled': 'true',
  'proxy_protocol_v2.enabled': 'false',
  'stickiness.enabled': 'false',
  'stickiness.type': 'source_ip',
  'load_balancing.cross_zone.enabled': 'use_load_balancer_configuration',
  'target_health_state.unhealthy.connection_termination.enabled': 'true',
  'target_health_state.unhealthy.draining_interval_seconds': '0',
};

const APPLICATION_ATTRIBUTES: Record<string, string> = {
  'deregistration_delay.timeout_seconds': '300',
  'stickiness.enabled': 'false',
  'stickiness.type': 'lb_cookie',
  'stickiness.lb_cookie.duration_seconds': '86400',
  'load_balancing.algorithm.type': 'round_robin',
  'load_balancing.cross_zone.enabled': 'use_load_balancer_configuration',
  'slow_start.duration_seconds': '0',
};

const attributesFor = (protocol: string) => (APPLICATION_PROTOCOLS.includes(protocol) ? APPLICATION_ATTRIBUTES : NETWORK_ATTRIBUTES);

/** AWS's defaults differ between application (HTTP, HTTPS) and network (TCP, TLS, UDP) groups. */
function healthCheckOf(params: Params, protocol: string): HealthCheck {
  const application = APPLICATION_PROTOCOLS.includes(protocol);
  const checkProtocol = params.str('HealthCheckProtocol') ?? (application ? protocol : 'TCP');
  if (![...APPLICATION_PROTOCOLS, 'TCP'].includes(checkProtocol)) throw new AwsError('ValidationError', `Health check protocol '${checkProtocol}' must be one of [HTTP, HTTPS, TCP]`);
  if (application && checkProtocol === 'TCP') throw new AwsError('ValidationError', `Health check protocol 'TCP' is not supported for target groups with the ${protocol} protocol`);
  const overHttp = checkProtocol !== 'TCP';
  const path = params.str('HealthCheckPath') ?? (overHttp ? '/' : undefined);
  if (path !== undefined && !overHttp) throw new AwsError('ValidationError', 'Health check path is only supported for HTTP and HTTPS health checks');
  const port = params.str('HealthCheckPort') ?? 'traffic-port';
  if (port !== 'traffic-port' && !(Number.isInteger(Number(port)) && Number(port) >= 1 && Number(port) <= 65535)) {
    throw new AwsError('ValidationError', `Health check port '${port}' must be 'traffic-port' or a port between 1 and 65535`);
  }
  const matcher = params.object('Matcher')?.str('HttpCode') ?? (overHttp ? (application ? '200' : '200-399') : undefined);
  return {
    enabled: params.bool('HealthCheckEnabled') ?? true,
    protocol: checkProtocol,
    port,
    path,
    intervalSeconds: intWithin(params, 'HealthCheckIntervalSeconds', 5, 300) ?? 30,
    timeoutSeconds: intWithin(params, 'HealthCheckTimeoutSeconds', 2, 120) ?? (application ? 5 : overHttp ? 6 : 10),
    healthyThreshold: intWithin(params, 'HealthyThresholdCount', 2, 10) ?? 5,
    unhealthyThreshold: intWithin(params, 'UnhealthyThresholdCount', 2, 10) ?? 2,
    matcher,
  };
}

const sameSettings = (a: TargetGroup, b: Omit<TargetGroup, 'arn' | 'targets' | 'createdAt' | 'tags' | 'attributes'>) =>
  a.protocol === b.protocol && a.port === b.port && a.vpcId === b.vpcId && JSON.stringify(a.healthCheck) === JSON.stringify(b.healthCheck);

export const createTargetGroup: ElbHandler = (ctx) => {
  const { params, region, world } = ctx;
  const name = need(params, 'Name');
  checkName(name, 'Target group');
  const targetType = params.str('TargetType') ?? 'instance';
  if (targetType !== 'instance') throw new AwsError('ValidationError', `Target type '${targetType}' is not served by the simulator (instance only)`);
  const protocol = need(params, 'Protocol');
  if (![...NETWORK_PROTOCOLS, ...APPLICATION_PROTOCOLS].includes(protocol)) throw new AwsError('ValidationError', `Protocol '${protocol}' must be one of [HTTP, HTTPS, TCP, TLS, UDP, TCP_UDP]`);
  const port = intWithin(params, 'Port', 1, 65535);
  if (port === undefined) need(params, 'Port');
  const vpcId = need(params, 'VpcId');
  const vpc = world.state.vpcs[vpcId];
  if (!vpc || vpc.region !== region) throw new AwsError('ValidationError', `The VPC ID '${vpcId}' is not found`);
  const settings = {
    name,
    region,
    protocol,
    protocolVersion: APPLICATION_PROTOCOLS.includes(protocol) ? (params.str('ProtocolVersion') ?? 'HTTP1') : undefined,
    port: port!,
    vpcId,
    targetType: 'instance' as const,
    ipAddressType: params.str('IpAddressType') ?? 'ipv4',
    healthCheck: healthCheckOf(params, protocol),
  };
  const tags = tagsOf(params);
  const existing = Object.values(stateOf(ctx).targetGroups).find((g) => g.region === region && g.name === name);
  if (existing) {
    if (!sameSettings(existing, settings)) throw new AwsError('DuplicateTargetGroupName', `A target group with the same name '${name}' exists, but with different settings`);
    return { TargetGroups: [targetGroupXml(world, existing)] };
  }
  const group: TargetGroup = {
    ...settings,
    arn: `${arnPrefix(region)}:targetgroup/${name}/${world.deps.random.hex(16)}`,
    attributes: { ...attributesFor(protocol) },
    targets: [],
    createdAt: world.now(),
    tags,
  };
  stateOf(ctx).targetGroups[group.arn] = group;
  world.changed();
  return { TargetGroups: [targetGroupXml(world, group)] };
};

/** By ARNs, by names, or by load balancer (one of them); all of the region otherwise. */
export const describeTargetGroups: ElbHandler = (ctx) => {
  const { params } = ctx;
  const arns = params.strings('TargetGroupArns');
  const names = params.strings('Names');
  const lbArn = params.str('LoadBalancerArn');
  if ([arns.length > 0, names.length > 0, Boolean(lbArn)].filter(Boolean).length > 1) {
    throw new AwsError('ValidationError', 'Only one of target group ARNs, names, or a load balancer ARN can be specified');
  }
  if (arns.length > 20 || names.length > 20) throw new AwsError('ValidationError', "You cannot describe more than '20' target groups at a time");
  const all = Object.values(stateOf(ctx).targetGroups)
    .filter((g) => g.region === ctx.region)
    .sort((a, b) => a.name.localeCompare(b.name));
  let chosen = all;
  if (arns.length > 0) {
    if (arns.some((arn) => !all.some((g) => g.arn === arn))) throw new AwsError('TargetGroupNotFound', 'One or more target groups not found');
    chosen = all.filter((g) => arns.includes(g.arn));
  } else if (names.length > 0) {
    if (names.some((n) => !all.some((g) => g.name === n))) throw new AwsError('TargetGroupNotFound', 'One or more target groups not found');
    chosen = all.filter((g) => names.includes(g.name));
  } else if (lbArn) {
    loadBalancerNamed(ctx, lbArn);
    chosen = all.filter((g) => ctx.world.loadBalancing.loadBalancersOf(g).some((lb) => lb.arn === lbArn));
  }
  const { page, NextMarker } = markerPage(params, chosen);
  return { TargetGroups: page.map((g) => targetGroupXml(ctx.world, g)), NextMarker };
};

/** Refused while a listener forwards to it; one that is not there is already deleted. */
export const deleteTargetGroup: ElbHandler = (ctx) => {
  const arn = need(ctx.params, 'TargetGroupArn');
  const state = stateOf(ctx);
  const group = state.targetGroups[arn];
  if (!group || group.region !== ctx.region) return null;
  if (ctx.world.loadBalancing.loadBalancersOf(group).length > 0) {
    throw new AwsError('ResourceInUse', `Target group '${arn}' is currently in use by a listener or a rule`);
  }
  delete state.targetGroups[arn];
  ctx.world.changed();
  return null;
};

export const describeTargetGroupAttributes: ElbHandler = (ctx) => {
  const group = targetGroupNamed(ctx, need(ctx.params, 'TargetGroupArn'));
  return { Attributes: attributesXml(group.attributes) };
};

export const modifyTargetGroupAttributes: ElbHandler = (ctx) => {
  const group = targetGroupNamed(ctx, need(ctx.params, 'TargetGroupArn'));
  const changes = ctx.params.objects('Attributes').map((a) => ({ key: need(a, 'Key'), value: a.str('Value') ?? '' }));
  if (changes.length === 0) throw new AwsError('ValidationError', 'At least one attribute must be specified');
  for (const { key, value } of changes) {
    checkAttributeValue(key, value, attributesFor(group.protocol));
    if (key === 'deregistration_delay.timeout_seconds' && !(/^\d+$/.test(value) && Number(value) <= 3600)) {
      throw new AwsError('ValidationError', `'${value}' is not a valid value for 'deregistration_delay.timeout_seconds': it must be an integer between 0 and 3600`);
    }
  }
  for (const { key, value } of changes) group.attributes[key] = value;
  ctx.world.changed();
  return { Attributes: attributesXml(group.attributes) };
};

/** Changes the health check; what is not given stays as it is. */
export const modifyTargetGroup: ElbHandler = (ctx) => {
  const { params } = ctx;
  const group = targetGroupNamed(ctx, need(params, 'TargetGroupArn'));
  const given = ['HealthCheckProtocol', 'HealthCheckPort', 'HealthCheckPath', 'HealthCheckEnabled', 'HealthCheckIntervalSeconds', 'HealthCheckTimeoutSeconds', 'HealthyThresholdCount', 'UnhealthyThresholdCount'];
  if (!given.some((name) => params.str(name) !== undefined) && !params.object('Matcher')) {
    throw new AwsError('ValidationError', 'At least one health check setting must be specified');
  }
  const current = group.healthCheck;
  const protocol = params.str('HealthCheckProtocol') ?? current.protocol;
  if (![...APPLICATION_PROTOCOLS, 'TCP'].includes(protocol)) throw new AwsError('ValidationError', `Health check protocol '${protocol}' must be one of [HTTP, HTTPS, TCP]`);
  if (APPLICATION_PROTOCOLS.includes(group.protocol) && protocol === 'TCP') {
    throw new AwsError('ValidationError', `Health check protocol 'TCP' is not supported for target groups with the ${group.protocol} protocol`);
  }
  const overHttp = protocol !== 'TCP';
  group.healthCheck = {
    enabled: params.bool('HealthCheckEnabled') ?? current.enabled,
    protocol,
    port: params.str('HealthCheckPort') ?? current.port,
    path: overHttp ? (params.str('HealthCheckPath') ?? current.path ?? '/') : undefined,
    intervalSeconds: intWithin(params, 'HealthCheckIntervalSeconds', 5, 300) ?? current.intervalSeconds,
    timeoutSeconds: intWithin(params, 'HealthCheckTimeoutSeconds', 2, 120) ?? current.timeoutSeconds,
    healthyThreshold: intWithin(params, 'HealthyThresholdCount', 2, 10) ?? current.healthyThreshold,
    unhealthyThreshold: intWithin(params, 'UnhealthyThresholdCount', 2, 10) ?? current.unhealthyThreshold,
    matcher: overHttp ? (params.object('Matcher')?.str('HttpCode') ?? current.matcher ?? '200-399') : undefined,
  };
  ctx.world.changed();
  return { TargetGroups: [targetGroupXml(ctx.world, group)] };
};
