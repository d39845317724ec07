// Classic load balancers: create (idempotent for the same settings), describe,
// delete, health check, attributes (connection draining off and 300 s, as AWS
// creates them through the API) and tags.
import { AwsError } from '../aws-error.js';
import type { Params } from '../query-params.js';
import { loadBalancerDnsName } from '../elbv2/elb-endpoints.js';
import { markerPage, type ElbContext, type ElbHandler } from '../elbv2/elbv2-common.js';
import type { ClassicHealthCheck, ClassicListener, ClassicLoadBalancer } from '../world/load-balancing-types.js';
import type { Tags } from '../world/types.js';
import { attributesXml, classicNamed, classicXml, healthCheckXml, needClassic } from './classic-common.js';

const PROTOCOLS = ['HTTP', 'HTTPS', 'TCP', 'SSL'];

function checkName(name: string): void {
  if (name.length > 32 || !/^[A-Za-z0-9-]+$/.test(name) || name.startsWith('-') || name.endsWith('-')) {
    throw new AwsError('ValidationError', `LoadBalancerName '${name}' must have at most 32 characters, only alphanumerics or hyphens, and must not begin or end with a hyphen`);
  }
}

function listenersOf(params: Params): ClassicListener[] {
  const listeners = params.objects('Listeners').map((l) => {
    const protocol = needClassic(l.str('Protocol'), 'Listener Protocol').toUpperCase();
    if (!PROTOCOLS.includes(protocol)) throw new AwsError('ValidationError', `Invalid protocol '${protocol}': must be one of HTTP, HTTPS, TCP, SSL`);
    const loadBalancerPort = l.int('LoadBalancerPort');
    const instancePort = l.int('InstancePort');
    if (loadBalancerPort === undefined || loadBalancerPort < 1 || loadBalancerPort > 65535) throw new AwsError('ValidationError', 'LoadBalancerPort must be between 1 and 65535');
    if (instancePort === undefined || instancePort < 1 || instancePort > 65535) throw new AwsError('ValidationError', 'InstancePort must be between 1 and 65535');
    const sslCertificateId = l.str('SSLCertificateId');
    if ((protocol === 'HTTPS' || protocol === 'SSL') && !sslCertificateId) throw new AwsError('ValidationError', `SSLCertificateId is required for ${protocol} listeners`);
    const plain = protocol === 'HTTPS' ? 'HTTP' : protocol === 'SSL' ? 'TCP' : protocol;
    return { protocol, loadBalancerPort, instanceProtocol: (l.str('InstanceProtocol') ?? plain).toUpperCase(), instancePort, sslCertificateId };
  });
  if (listeners.length === 0) throw new AwsError('ValidationError', 'At least one listener is required');
  return listeners;
}

function tagsOf(params: Params): Tags {
  const tags: Tags = {};
  for (const tag of params.objects('Tags')) {
    const key = needClassic(tag.str('Key'), 'Tag Key');
    if (key in tags) throw new AwsError('DuplicateTagKeys', `Tag key '${key}' is duplicated`);
    tags[key] = tag.str('Value') ?? '';
  }
  if (Object.keys(tags).length > 50) throw new AwsError('TooManyTags', 'You can have at most 50 tags per load balancer');
  return tags;
}

/** Subnets (a VPC load balancer) or zones (EC2-Classic style), not both. */
function placementOf(ctx: ElbContext): { subnetIds: string[]; zones: string[]; vpcId?: string } {
  const subnetIds = ctx.params.strings('Subnets');
  const asked = ctx.params.strings('AvailabilityZones');
  if (subnetIds.length > 0 && asked.length > 0) throw new AwsError('ValidationError', 'Subnets and AvailabilityZones cannot both be specified');
  if (subnetIds.length === 0 && asked.length === 0) throw new AwsError('ValidationError', 'Either AvailabilityZones or Subnets must be specified');
  if (subnetIds.length === 0) return { subnetIds, zones: asked };
  const subnets = subnetIds.map((id) => {
    const subnet = ctx.world.state.subnets[id];
    if (!subnet || subnet.region !== ctx.region) throw new AwsError('SubnetNotFound', `One or more subnets could not be found: '${id}'`);
    return subnet;
  });
  const vpcs = new Set(subnets.map((s) => s.vpcId));
  if (vpcs.size > 1) throw new AwsError('InvalidConfigurationRequest', 'All subnets must belong to the same VPC');
  const zones = subnets.map((s) => s.zone);
  if (new Set(zones).size !== zones.length) throw new AwsError('InvalidConfigurationRequest', 'Only one subnet per Availability Zone can be attached to a load balancer');
  return { subnetIds, zones, vpcId: subnets[0].vpcId };
}

function securityGroupsOf(ctx: ElbContext, vpcId: string | undefined): string[] {
  const ids = ctx.params.strings('SecurityGroups');
  for (const id of ids) {
    const group = ctx.world.state.securityGroups[id];
    if (!group || group.region !== ctx.region || group.vpcId !== vpcId) throw new AwsError('InvalidSecurityGroup', 'One or more of the specified security groups do not exist.');
  }
  if (ids.length > 0 || !vpcId) return ids;
  const fallback = Object.values(ctx.world.state.securityGroups).find((g) => g.vpcId === vpcId && g.name === 'default');
  return fallback ? [fallback.id] : [];
}

export const createLoadBalancer: ElbHandler = (ctx) => {
  const { params, region, world } = ctx;
  const name = needClassic(params.str('LoadBalancerName'), 'LoadBalancerName');
  checkName(name);
  const listeners = listenersOf(params);
  const placement = placementOf(ctx);
  const scheme = params.str('Scheme') === 'internal' ? 'internal' : 'internet-facing';
  if (scheme === 'internal' && !placement.vpcId) throw new AwsError('InvalidScheme', 'Internal load balancers can only be created in a VPC');
  const securityGroupIds = securityGroupsOf(ctx, placement.vpcId);
  const tags = tagsOf(params);
  const state = world.loadBalancing.state;
  const key = world.loadBalancing.classicKey(region, name);
  const existing = state.classic[key];
  if (existing) {
    const same = JSON.stringify(existing.listeners) === JSON.stringify(listeners) && existing.scheme === scheme && existing.subnetIds.join() === placement.subnetIds.join();
    if (!same) throw new AwsError('DuplicateLoadBalancerName', `Load balancer named '${name}' already exists and it is configured with different parameters.`);
    return { DNSName: existing.dnsName };
  }
  const lb: ClassicLoadBalancer = {
    name,
    region,
    scheme,
    dnsName: loadBalancerDnsName('classic', name, scheme === 'internal', region, world.deps.random),
    vpcId: placement.vpcId,
    subnetIds: placement.subnetIds,
    zones: placement.zones,
    securityGroupIds,
    listeners,
    healthCheck: { target: `TCP:${listeners[0].instancePort}`, interval: 30, timeout: 5, unhealthyThreshold: 2, healthyThreshold: 10 },
    instances: [],
    attributes: { connectionDraining: { enabled: false, timeout: 300 }, crossZone: false, idleTimeout: 60, accessLog: { enabled: false } },
    createdAt: world.now(),
    tags,
  };
  state.classic[key] = lb;
  world.changed();
  return { DNSName: lb.dnsName };
};

export const describeLoadBalancers: ElbHandler = (ctx) => {
  const names = ctx.params.strings('LoadBalancerNames');
  const all = Object.values(ctx.world.loadBalancing.state.classic)
    .filter((lb) => lb.region === ctx.region)
    .sort((a, b) => a.name.localeCompare(b.name));
  const chosen = names.length > 0 ? names.map((n) => classicNamed(ctx, n)) : all;
  const { page, NextMarker } = markerPage(ctx.params, chosen);
  return { LoadBalancerDescriptions: page.map((lb) => classicXml(ctx, lb)), NextMarker };
};

/** One that is not there is already deleted, as AWS answers. */
export const deleteLoadBalancer: ElbHandler = (ctx) => {
  const name = needClassic(ctx.params.str('LoadBalancerName'), 'LoadBalancerName');
  const state = ctx.world.loadBalancing.state;
  const key = ctx.world.loadBalancing.classicKey(ctx.region, name);
  if (state.classic[key]) {
    delete state.classic[key];
    ctx.world.changed();
  }
  return null;
};

function healthCheckOf(params: Params): ClassicHealthCheck {
  const spec = params.object('HealthCheck');
  if (!spec) throw new AwsError('ValidationError', 'HealthCheck is required');
  const target = needClassic(spec.str('Target'), 'HealthCheck Target');
  if (!/^(TCP|SSL):\d+$|^(HTTP|HTTPS):\d+\/.*$/.test(target)) {
    throw new AwsError('ValidationError', `Invalid health check target '${target}': use TCP:port, SSL:port, HTTP:port/path or HTTPS:port/path`);
  }
  const read = (name: string, min: number, max: number) => {
    const value = spec.int(name);
    if (value === undefined || value < min || value > max) throw new AwsError('ValidationError', `HealthCheck ${name} must be between ${min} and ${max}`);
    return value;
  };
  const check = { target, interval: read('Interval', 5, 300), timeout: read('Timeout', 2, 60), unhealthyThreshold: read('UnhealthyThreshold', 2, 10), healthyThreshold: read('HealthyThreshold', 2, 10) };
  if (check.timeout >= check.interval) throw new AwsError('ValidationError', 'HealthCheck Timeout must be less than Interval');
  return check;
}

export const configureHealthCheck: ElbHandler = (ctx) => {
  const lb = classicNamed(ctx, needClassic(ctx.params.str('LoadBalancerName'), 'LoadBalancerName'));
  lb.healthCheck = healthCheckOf(ctx.params);
  ctx.world.changed();
  return { HealthCheck: healthCheckXml(lb) };
};

export const describeLoadBalancerAttributes: ElbHandler = (ctx) => {
  const lb = classicNamed(ctx, needClassic(ctx.params.str('LoadBalancerName'), 'LoadBalancerName'));
  return { LoadBalancerAttributes: attributesXml(lb) };
};

export const modifyLoadBalancerAttributes: ElbHandler = (ctx) => {
  const lb = classicNamed(ctx, needClassic(ctx.params.str('LoadBalancerName'), 'LoadBalancerName'));
  const spec = ctx.params.object('LoadBalancerAttributes');
  if (!spec) throw new AwsError('ValidationError', 'LoadBalancerAttributes is required');
  const next = structuredClone(lb.attributes);
  const draining = spec.object('ConnectionDraining');
  if (draining) {
    next.connectionDraining.enabled = needClassic(draining.str('Enabled'), 'ConnectionDraining Enabled') === 'true';
    const timeout = draining.int('Timeout');
    if (timeout !== undefined && (timeout < 1 || timeout > 3600)) throw new AwsError('ValidationError', 'ConnectionDraining Timeout must be between 1 and 3600 seconds');
    if (timeout !== undefined) next.connectionDraining.timeout = timeout;
  }
  const crossZone = spec.object('CrossZoneLoadBalancing');
  if (crossZone) next.crossZone = needClassic(crossZone.str('Enabled'), 'CrossZoneLoadBalancing Enabled') === 'true';
  const settings = spec.object('ConnectionSettings');
  if (settings) {
    const idle = settings.int('IdleTimeout');
    if (idle === undefined || idle < 1 || idle > 4000) throw new AwsError('ValidationError', 'ConnectionSettings IdleTimeout must be between 1 and 4000 seconds');
    next.idleTimeout = idle;
  }
  const log = spec.object('AccessLog');
  if (log) {
    next.accessLog = { enabled: needClassic(log.str('Enabled'), 'AccessLog Enabled') === 'true', bucketName: log.str('S3BucketName'), emitInterval: log.int('EmitInterval'), bucketPrefix: log.str('S3BucketPrefix') };
  }
  lb.attributes = next;
  ctx.world.changed();
  return { LoadBalancerName: lb.name, LoadBalancerAttributes: attributesXml(lb) };
};

export const addTags: ElbHandler = (ctx) => {
  const names = ctx.params.strings('LoadBalancerNames');
  if (names.length !== 1) throw new AwsError('ValidationError', 'Exactly one load balancer name must be specified');
  const lb = classicNamed(ctx, names[0]);
  const tags = tagsOf(ctx.params);
  if (Object.keys({ ...lb.tags, ...tags }).length > 50) throw new AwsError('TooManyTags', 'You can have at most 50 tags per load balancer');
  Object.assign(lb.tags, tags);
  ctx.world.changed();
  return null;
};

export const removeTags: ElbHandler = (ctx) => {
  const names = ctx.params.strings('LoadBalancerNames');
  if (names.length !== 1) throw new AwsError('ValidationError', 'Exactly one load balancer name must be specified');
  const lb = classicNamed(ctx, names[0]);
  for (const tag of ctx.params.objects('Tags')) delete lb.tags[needClassic(tag.str('Key'), 'Tag Key')];
  ctx.world.changed();
  return null;
};

export const describeTags: ElbHandler = (ctx) => {
  const names = ctx.params.strings('LoadBalancerNames');
  if (names.length === 0 || names.length > 20) throw new AwsError('ValidationError', 'Between 1 and 20 load balancer names must be specified');
  return {
    TagDescriptions: names.map((name) => ({ LoadBalancerName: name, Tags: Object.entries(classicNamed(ctx, name).tags).map(([Key, Value]) => ({ Key, Value })) })),
  };
};
