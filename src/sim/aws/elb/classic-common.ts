// Shared by the classic load balancer handlers: lookups by name with ELB's
// own NotFound code, and how a classic load balancer looks on the wire.
import { AwsError } from '../aws-error.js';
import { isoTime } from '../query-protocol.js';
import type { XmlValue } from '../xml.js';
import type { ElbContext } from '../elbv2/elbv2-common.js';
import { canonicalHostedZoneId } from '../elbv2/elb-endpoints.js';
import type { ClassicLoadBalancer } from '../world/load-balancing-types.js';
import { ACCOUNT_ID } from '../world/regions.js';

export const ELB_XMLNS = 'http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/';

export function classicNamed(ctx: ElbContext, name: string): ClassicLoadBalancer {
  const lb = ctx.world.loadBalancing.state.classic[ctx.world.loadBalancing.classicKey(ctx.region, name)];
  if (!lb) throw new AwsError('LoadBalancerNotFound', `There is no ACTIVE Load Balancer named '${name}'`);
  return lb;
}

/** A required parameter, refused with ELB's ValidationError when absent. */
export function needClassic(value: string | undefined, name: string): string {
  if (value === undefined || value === '') throw new AwsError('ValidationError', `${name} is required`);
  return value;
}

export function classicXml(ctx: ElbContext, lb: ClassicLoadBalancer): { [key: string]: XmlValue } {
  const group = lb.securityGroupIds[0] ? ctx.world.state.securityGroups[lb.securityGroupIds[0]] : undefined;
  return {
    LoadBalancerName: lb.name,
    DNSName: lb.dnsName,
    CanonicalHostedZoneName: lb.scheme === 'internal' ? undefined : lb.dnsName,
    CanonicalHostedZoneNameID: canonicalHostedZoneId('classic', lb.region),
    ListenerDescriptions: lb.listeners.map((l) => ({
      Listener: { Protocol: l.protocol, LoadBalancerPort: l.loadBalancerPort, InstanceProtocol: l.instanceProtocol, InstancePort: l.instancePort, SSLCertificateId: l.sslCertificateId },
      PolicyNames: [],
    })),
    Policies: { AppCookieStickinessPolicies: [], LBCookieStickinessPolicies: [], OtherPolicies: [] },
    BackendServerDescriptions: [],
    AvailabilityZones: lb.zones,
    Subnets: lb.subnetIds,
    VPCId: lb.vpcId,
    Instances: ctx.world.loadBalancing.instancesOf(lb).map((r) => ({ InstanceId: r.instanceId })),
    HealthCheck: healthCheckXml(lb),
    SourceSecurityGroup: group ? { OwnerAlias: ACCOUNT_ID, GroupName: group.name } : undefined,
    SecurityGroups: lb.securityGroupIds,
    CreatedTime: isoTime(lb.createdAt),
    Scheme: lb.scheme,
  };
}

export function healthCheckXml(lb: ClassicLoadBalancer): { [key: string]: XmlValue } {
  const h = lb.healthCheck;
  return { Target: h.target, Interval: h.interval, Timeout: h.timeout, UnhealthyThreshold: h.unhealthyThreshold, HealthyThreshold: h.healthyThreshold };
}

export function attributesXml(lb: ClassicLoadBalancer): { [key: string]: XmlValue } {
  const a = lb.attributes;
  return {
    CrossZoneLoadBalancing: { Enabled: a.crossZone },
    AccessLog: { Enabled: a.accessLog.enabled, S3BucketName: a.accessLog.bucketName, EmitInterval: a.accessLog.emitInterval, S3BucketPrefix: a.accessLog.bucketPrefix },
    ConnectionDraining: { Enabled: a.connectionDraining.enabled, Timeout: a.connectionDraining.timeout },
    ConnectionSettings: { IdleTimeout: a.idleTimeout },
    AdditionalAttributes: [],
  };
}
