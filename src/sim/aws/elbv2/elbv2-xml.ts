// How ELBv2 load balancers, listeners, target groups and target health look on
// the wire (awsQuery: PascalCase elements, lists of <member>).
import { isoTime } from '../query-protocol.js';
import type { XmlValue } from '../xml.js';
import type { AwsWorld } from '../world/aws-world.js';
import type { TargetHealth } from '../world/load-balancing.js';
import type { Listener, LoadBalancerV2, TargetGroup } from '../world/load-balancing-types.js';
import { canonicalHostedZoneId } from './elb-endpoints.js';

type Xml = { [key: string]: XmlValue };

/** AWS takes a moment to provision a new load balancer; it is active after this long. */
export const PROVISIONING_MS = 60_000;

export function loadBalancerXml(world: AwsWorld, lb: LoadBalancerV2): Xml {
  return {
    LoadBalancerArn: lb.arn,
    DNSName: lb.dnsName,
    CanonicalHostedZoneId: canonicalHostedZoneId(lb.type, lb.region),
    CreatedTime: isoTime(lb.createdAt),
    LoadBalancerName: lb.name,
    Scheme: lb.scheme,
    VpcId: lb.vpcId,
    State: { Code: world.now() - lb.createdAt < PROVISIONING_MS ? 'provisioning' : 'active' },
    Type: lb.type,
    AvailabilityZones: lb.subnetIds.map((id) => ({ ZoneName: world.state.subnets[id]?.zone, SubnetId: id, LoadBalancerAddresses: [] })),
    SecurityGroups: lb.securityGroupIds.length > 0 ? lb.securityGroupIds : undefined,
    IpAddressType: lb.ipAddressType,
  };
}

export function listenerXml(listener: Listener): Xml {
  return {
    ListenerArn: listener.arn,
    LoadBalancerArn: listener.loadBalancerArn,
    Port: listener.port,
    Protocol: listener.protocol,
    Certificates: listener.certificateArns.length > 0 ? listener.certificateArns.map((CertificateArn) => ({ CertificateArn })) : undefined,
    SslPolicy: listener.sslPolicy,
    AlpnPolicy: listener.alpnPolicy,
    DefaultActions: listener.defaultActions.map((action) => ({
      Type: action.type,
      TargetGroupArn: action.targetGroupArn,
      ForwardConfig: { TargetGroups: [{ TargetGroupArn: action.targetGroupArn, Weight: 1 }], TargetGroupStickinessConfig: { Enabled: false } },
    })),
  };
}

export function targetGroupXml(world: AwsWorld, group: TargetGroup): Xml {
  const check = group.healthCheck;
  return {
    TargetGroupArn: group.arn,
    TargetGroupName: group.name,
    Protocol: group.protocol,
    Port: group.port,
    VpcId: group.vpcId,
    HealthCheckProtocol: check.protocol,
    HealthCheckPort: check.port,
    HealthCheckEnabled: check.enabled,
    HealthCheckIntervalSeconds: check.intervalSeconds,
    HealthCheckTimeoutSeconds: check.timeoutSeconds,
    HealthyThresholdCount: check.healthyThreshold,
    UnhealthyThresholdCount: check.unhealthyThreshold,
    HealthCheckPath: check.path,
    Matcher: check.matcher ? { HttpCode: check.matcher } : undefined,
    LoadBalancerArns: world.loadBalancing.loadBalancersOf(group).map((lb) => lb.arn),
    TargetType: group.targetType,
    ProtocolVersion: group.protocolVersion,
    IpAddressType: group.ipAddressType,
  };
}

/** Instance targets are listed by id and port (AvailabilityZone is only for IP targets). */
export function targetHealthXml(group: TargetGroup, instanceId: string, port: number, health: TargetHealth): Xml {
  return {
    Target: { Id: instanceId, Port: port },
    HealthCheckPort: group.healthCheck.port === 'traffic-port' ? String(port) : group.healthCheck.port,
    TargetHealth: { State: health.state, Reason: health.reason, Description: health.description },
  };
}

export function attributesXml(attributes: Record<string, string>): XmlValue[] {
  return Object.entries(attributes).map(([Key, Value]) => ({ Key, Value }));
}
