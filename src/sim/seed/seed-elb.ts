// kops' API load balancer (api.loadBalancer class Network), through the SDK:
// a network load balancer named `api-<cluster>-<hash>`, a TCP target group on
// 443 for the API and one on 3988 for kops-controller (HTTPS /healthz health
// check), 30 s deregistration delay with connection termination, and a
// listener for each (kubernetes.tf of minimal-dns-none in kubernetes/kops).
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  ModifyLoadBalancerAttributesCommand,
  ModifyTargetGroupAttributesCommand,
  type ElasticLoadBalancingV2Client,
  type ProtocolEnum,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { clusterTags, type KopsLayout } from './kops-layout.js';
import { resourceName32 } from '../../engine/cloud/aws/kops-names.js';

export interface SeededLoadBalancer {
  name: string;
  arn: string;
  dnsName: string;
  targetGroups: { name: string; arn: string; port: number }[];
}

const tagList = (tags: Record<string, string>) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

export async function createApiLoadBalancer(
  elbv2: ElasticLoadBalancingV2Client,
  layout: KopsLayout,
  refs: { vpcId: string; subnetIds: string[]; securityGroupId: string },
): Promise<SeededLoadBalancer> {
  const c = layout.cluster;
  const name = resourceName32(c, 'api');
  const created = await elbv2.send(
    new CreateLoadBalancerCommand({
      Name: name,
      Type: 'network',
      Scheme: 'internet-facing',
      SubnetMappings: refs.subnetIds.map((SubnetId) => ({ SubnetId })),
      SecurityGroups: [refs.securityGroupId],
      Tags: tagList(clusterTags(c, `api.${c}`)),
    }),
  );
  const lb = created.LoadBalancers![0];
  await elbv2.send(new ModifyLoadBalancerAttributesCommand({ LoadBalancerArn: lb.LoadBalancerArn, Attributes: [{ Key: 'load_balancing.cross_zone.enabled', Value: 'true' }] }));
  const targetGroups: SeededLoadBalancer['targetGroups'] = [];
  const groups: { prefix: string; port: number; health: { protocol: ProtocolEnum; path?: string } }[] = [
    { prefix: 'tcp', port: 443, health: { protocol: 'TCP' } },
    { prefix: 'kops-controller', port: 3988, health: { protocol: 'HTTPS', path: '/healthz' } },
  ];
  for (const group of groups) {
    const groupName = resourceName32(c, group.prefix);
    const out = await elbv2.send(
      new CreateTargetGroupCommand({
        Name: groupName,
        Protocol: 'TCP',
        Port: group.port,
        VpcId: refs.vpcId,
        TargetType: 'instance',
        HealthCheckProtocol: group.health.protocol,
        ...(group.health.path ? { HealthCheckPath: group.health.path } : {}),
        HealthCheckIntervalSeconds: 10,
        HealthyThresholdCount: 2,
        UnhealthyThresholdCount: 2,
        Tags: tagList(clusterTags(c, groupName)),
      }),
    );
    const arn = out.TargetGroups![0].TargetGroupArn!;
    await elbv2.send(
      new ModifyTargetGroupAttributesCommand({
        TargetGroupArn: arn,
        Attributes: [
          { Key: 'deregistration_delay.timeout_seconds', Value: '30' },
          { Key: 'deregistration_delay.connection_termination.enabled', Value: 'true' },
        ],
      }),
    );
    await elbv2.send(new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn, Protocol: 'TCP', Port: group.port, DefaultActions: [{ Type: 'forward', TargetGroupArn: arn }] }));
    targetGroups.push({ name: groupName, arn, port: group.port });
  }
  return { name, arn: lb.LoadBalancerArn!, dnsName: lb.DNSName!, targetGroups };
}
