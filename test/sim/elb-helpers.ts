// Shared by the load-balancer simulator tests: ELB clients beside a fixture's
// EC2 and AutoScaling ones, and a network load balancer laid out as kops lays
// out its API load balancer (tests/integration/update_cluster/minimal-dns-none
// in kubernetes/kops): a TCP 443 target group with 10 s checks, a listener.
import * as elbv2 from '@aws-sdk/client-elastic-load-balancing-v2';
import * as elb from '@aws-sdk/client-elastic-load-balancing';
import * as ec2 from '@aws-sdk/client-ec2';
import { clientConfig, type SimFixture } from '../helpers/sim-aws.js';

export interface ElbClients {
  elbv2: elbv2.ElasticLoadBalancingV2Client;
  elb: elb.ElasticLoadBalancingClient;
  destroy(): void;
}

export function elbClients(f: SimFixture): ElbClients {
  const config = clientConfig(f.sim, { maxAttempts: 1 });
  const clients = { elbv2: new elbv2.ElasticLoadBalancingV2Client(config), elb: new elb.ElasticLoadBalancingClient(config) };
  return { ...clients, destroy: () => Object.values(clients).forEach((c) => c.destroy()) };
}

export interface NetworkLoadBalancer {
  loadBalancerArn: string;
  targetGroupArn: string;
  listenerArn: string;
}

export interface NlbOptions {
  name: string;
  vpcId: string;
  subnetIds: string[];
  /** Health check interval and healthy threshold (kops: 10 s, 2). */
  intervalSeconds?: number;
  healthyThreshold?: number;
  deregistrationDelaySeconds?: number;
  tags?: Record<string, string>;
}

export async function createNetworkLoadBalancer(f: SimFixture, c: ElbClients, o: NlbOptions): Promise<NetworkLoadBalancer> {
  const group = await f.ec2.send(new ec2.CreateSecurityGroupCommand({ GroupName: `${o.name}-elb`, Description: 'load balancer', VpcId: o.vpcId }));
  const tags = Object.entries(o.tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
  const lb = await c.elbv2.send(
    new elbv2.CreateLoadBalancerCommand({ Name: o.name, Type: 'network', Scheme: 'internet-facing', Subnets: o.subnetIds, SecurityGroups: [group.GroupId!], Tags: tags.length ? tags : undefined }),
  );
  const tg = await c.elbv2.send(
    new elbv2.CreateTargetGroupCommand({
      Name: `tcp-${o.name}`.slice(0, 32),
      Protocol: 'TCP',
      Port: 443,
      VpcId: o.vpcId,
      HealthCheckProtocol: 'TCP',
      HealthCheckIntervalSeconds: o.intervalSeconds ?? 10,
      HealthyThresholdCount: o.healthyThreshold ?? 2,
      UnhealthyThresholdCount: 2,
      Tags: tags.length ? tags : undefined,
    }),
  );
  const targetGroupArn = tg.TargetGroups![0].TargetGroupArn!;
  await c.elbv2.send(
    new elbv2.ModifyTargetGroupAttributesCommand({
      TargetGroupArn: targetGroupArn,
      Attributes: [
        { Key: 'deregistration_delay.timeout_seconds', Value: String(o.deregistrationDelaySeconds ?? 30) },
        { Key: 'deregistration_delay.connection_termination.enabled', Value: 'true' },
      ],
    }),
  );
  const loadBalancerArn = lb.LoadBalancers![0].LoadBalancerArn!;
  const listener = await c.elbv2.send(
    new elbv2.CreateListenerCommand({ LoadBalancerArn: loadBalancerArn, Protocol: 'TCP', Port: 443, DefaultActions: [{ Type: 'forward', TargetGroupArn: targetGroupArn }] }),
  );
  return { loadBalancerArn, targetGroupArn, listenerArn: listener.Listeners![0].ListenerArn! };
}

/** The target group's targets as DescribeTargetHealth lists them: instance id -> state. */
export async function targetStates(c: ElbClients, targetGroupArn: string): Promise<Map<string, string>> {
  const out = await c.elbv2.send(new elbv2.DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }));
  return new Map((out.TargetHealthDescriptions ?? []).map((d) => [d.Target!.Id!, d.TargetHealth!.State!]));
}
