// Elastic Load Balancing as the simulated world keeps it: network and
// application load balancers, their listeners and target groups (v2), and
// classic load balancers. Plain JSON, saved with the rest of the world. Times
// are simulated epoch ms; target health is worked out from them when asked.
import type { Tags } from './types.js';

export type LoadBalancerType = 'network' | 'application';
export type LoadBalancerScheme = 'internet-facing' | 'internal';

export interface LoadBalancerV2 {
  arn: string;
  name: string;
  region: string;
  type: LoadBalancerType;
  scheme: LoadBalancerScheme;
  vpcId: string;
  subnetIds: string[];
  securityGroupIds: string[];
  ipAddressType: string;
  dnsName: string;
  createdAt: number;
  attributes: Record<string, string>;
  tags: Tags;
}

export interface ForwardAction {
  type: 'forward';
  targetGroupArn: string;
}

export interface Listener {
  arn: string;
  region: string;
  loadBalancerArn: string;
  protocol: string;
  port: number;
  certificateArns: string[];
  sslPolicy?: string;
  alpnPolicy?: string[];
  defaultActions: ForwardAction[];
  tags: Tags;
}

export interface HealthCheck {
  enabled: boolean;
  protocol: string;
  /** A port number, or 'traffic-port'. */
  port: string;
  path?: string;
  intervalSeconds: number;
  timeoutSeconds: number;
  healthyThreshold: number;
  unhealthyThreshold: number;
  matcher?: string;
}

/** One registration of an instance (at a port) with a target group. */
export interface TargetRegistration {
  instanceId: string;
  port: number;
  /** Health checks start here (only running instances can be registered). */
  registeredAt: number;
  /** Set once deregistered: the target drains until then, and is gone after. */
  drainingUntil?: number;
}

export interface TargetGroup {
  arn: string;
  name: string;
  region: string;
  protocol: string;
  protocolVersion?: string;
  port: number;
  vpcId: string;
  targetType: 'instance';
  ipAddressType: string;
  healthCheck: HealthCheck;
  attributes: Record<string, string>;
  targets: TargetRegistration[];
  createdAt: number;
  tags: Tags;
}

export interface ClassicListener {
  protocol: string;
  loadBalancerPort: number;
  instanceProtocol: string;
  instancePort: number;
  sslCertificateId?: string;
}

export interface ClassicHealthCheck {
  target: string;
  interval: number;
  timeout: number;
  unhealthyThreshold: number;
  healthyThreshold: number;
}

export interface ClassicRegistration {
  instanceId: string;
  registeredAt: number;
  /** Set once deregistered with connection draining on: InService (deregistering) until then. */
  drainingUntil?: number;
}

export interface ClassicAttributes {
  connectionDraining: { enabled: boolean; timeout: number };
  crossZone: boolean;
  idleTimeout: number;
  accessLog: { enabled: boolean; bucketName?: string; emitInterval?: number; bucketPrefix?: string };
}

export interface ClassicLoadBalancer {
  name: string;
  region: string;
  scheme: LoadBalancerScheme;
  dnsName: string;
  vpcId?: string;
  subnetIds: string[];
  zones: string[];
  securityGroupIds: string[];
  listeners: ClassicListener[];
  healthCheck: ClassicHealthCheck;
  instances: ClassicRegistration[];
  attributes: ClassicAttributes;
  createdAt: number;
  tags: Tags;
}

export interface LoadBalancingState {
  loadBalancers: Record<string, LoadBalancerV2>;
  listeners: Record<string, Listener>;
  targetGroups: Record<string, TargetGroup>;
  /** Keyed `<region>/<name>`. */
  classic: Record<string, ClassicLoadBalancer>;
}

export function emptyLoadBalancingState(): LoadBalancingState {
  return { loadBalancers: {}, listeners: {}, targetGroups: {}, classic: {} };
}
