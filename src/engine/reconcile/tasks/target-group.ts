// The API load balancer's target group, as kops makes it
// (pkg/model/awsmodel/api_loadbalancer.go): TCP on 443 to the control-plane
// instances, a TCP health check every 10 s with thresholds 2/2, a 30 s
// deregistration delay that closes connections at its end. Client IP
// preservation is turned off (CAPA's default for its API load balancer): with
// it on, a control-plane node that reaches the API through the load balancer
// and is routed to itself drops the reply (NLB hairpinning).
import {
  CreateTargetGroupCommand,
  ModifyTargetGroupAttributesCommand,
  ModifyTargetGroupCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { FoundTargetGroup } from '../../cloud/aws/discovery-api-load-balancer.js';
import type { TagMap } from '../../cloud/aws/tags.js';
import { compareFields, compareTags, idOrPending, requireId, taskKey, type Task } from '../task.js';
import { refuseImmutable } from './ec2-tags.js';
import { addChangedTags, changedAttributes, compareAttributes, keyValues } from './elbv2-common.js';
import { blocks } from '../../terraform/hcl.js';

export interface HealthCheckSpec {
  protocol: 'TCP';
  intervalSeconds: number;
  healthyThreshold: number;
  unhealthyThreshold: number;
}

export interface TargetGroupDesired {
  vpcId: string;
  protocol: 'TCP';
  port: number;
  healthCheck: HealthCheckSpec;
  attributes: Record<string, string>;
  tags: TagMap;
}

export const API_HEALTH_CHECK: HealthCheckSpec = { protocol: 'TCP', intervalSeconds: 10, healthyThreshold: 2, unhealthyThreshold: 2 };
export const API_TARGET_GROUP_ATTRIBUTES: Record<string, string> = {
  'deregistration_delay.timeout_seconds': '30',
  'deregistration_delay.connection_termination.enabled': 'true',
  'preserve_client_ip.enabled': 'false',
};

export const targetGroupKey = (name: string): string => taskKey('TargetGroup', name);

export interface TargetGroupInput {
  name: string;
  port: number;
  vpcKey: string;
  tags: TagMap;
}

export function targetGroupTask(input: TargetGroupInput): Task<TargetGroupDesired, FoundTargetGroup> {
  const { name } = input;
  return {
    key: targetGroupKey(name),
    kind: 'TargetGroup',
    name,
    dependencies: [input.vpcKey],
    desired: (ctx) => ({
      vpcId: idOrPending(ctx, input.vpcKey),
      protocol: 'TCP',
      port: input.port,
      healthCheck: API_HEALTH_CHECK,
      attributes: API_TARGET_GROUP_ATTRIBUTES,
      tags: input.tags,
    }),
    find: (ctx) => ctx.snapshot.apiLoadBalancing?.targetGroups.find((g) => g.description.TargetGroupName === name) ?? null,
    idOf: (g) => g.description.TargetGroupArn!,
    diff: (d, actual) => {
      const g = actual.description;
      return [
        ...compareFields([
          ['VPC', d.vpcId, g.VpcId],
          ['Protocol', d.protocol, g.Protocol],
          ['Port', d.port, g.Port],
          ['HealthCheckProtocol', d.healthCheck.protocol, g.HealthCheckProtocol],
          ['HealthCheckIntervalSeconds', d.healthCheck.intervalSeconds, g.HealthCheckIntervalSeconds],
          ['HealthyThresholdCount', d.healthCheck.healthyThreshold, g.HealthyThresholdCount],
          ['UnhealthyThresholdCount', d.healthCheck.unhealthyThreshold, g.UnhealthyThresholdCount],
        ]),
        ...compareAttributes(d.attributes, actual.attributes),
        ...compareTags(d.tags, actual.tags),
      ];
    },
    describe: (d) => ({
      VPC: d.vpcId,
      Protocol: d.protocol,
      Port: String(d.port),
      HealthCheck: `${d.healthCheck.protocol} every ${d.healthCheck.intervalSeconds}s, healthy ${d.healthCheck.healthyThreshold}, unhealthy ${d.healthCheck.unhealthyThreshold}`,
      Attributes: Object.entries(d.attributes).map(([k, v]) => `${k}=${v}`).join(', '),
    }),
    async apply(ctx, change) {
      const d = change.desired;
      if (!change.actual) {
        const out = await ctx.clients.elbv2.send(
          new CreateTargetGroupCommand({
            Name: name,
            Protocol: d.protocol,
            Port: d.port,
            VpcId: requireId(ctx, input.vpcKey),
            TargetType: 'instance',
            HealthCheckProtocol: d.healthCheck.protocol,
            HealthCheckIntervalSeconds: d.healthCheck.intervalSeconds,
            HealthyThresholdCount: d.healthCheck.healthyThreshold,
            UnhealthyThresholdCount: d.healthCheck.unhealthyThreshold,
            Tags: keyValues(d.tags),
          }),
        );
        const arn = out.TargetGroups![0].TargetGroupArn!;
        await ctx.clients.elbv2.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: arn, Attributes: keyValues(d.attributes) }));
        return arn;
      }
      const arn = change.actual.description.TargetGroupArn!;
      refuseImmutable(`TargetGroup/${name}`, change.changes, ['VPC', 'Protocol', 'Port']);
      if (change.changes.some((c) => /^(HealthCheck|HealthyThreshold|UnhealthyThreshold)/.test(c.field))) {
        await ctx.clients.elbv2.send(
          new ModifyTargetGroupCommand({
            TargetGroupArn: arn,
            HealthCheckProtocol: d.healthCheck.protocol,
            HealthCheckIntervalSeconds: d.healthCheck.intervalSeconds,
            HealthyThresholdCount: d.healthCheck.healthyThreshold,
            UnhealthyThresholdCount: d.healthCheck.unhealthyThreshold,
          }),
        );
      }
      const attributes = changedAttributes(d.attributes, change.changes);
      if (attributes.length) await ctx.clients.elbv2.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: arn, Attributes: attributes }));
      await addChangedTags(ctx, arn, d.tags, change.changes);
      return arn;
    },
    // The attributes as the provider's arguments; one the provider has no argument for stops the render rather than being lost.
    terraform: (t, d) => {
      const { 'deregistration_delay.timeout_seconds': delay, 'deregistration_delay.connection_termination.enabled': termination, 'preserve_client_ip.enabled': preserve, ...rest } = d.attributes;
      if (Object.keys(rest).length) throw new Error(`TargetGroup/${name}: attributes ${Object.keys(rest).join(', ')} have no Terraform argument here`);
      return [
        {
          type: 'aws_lb_target_group',
          name,
          body: {
            connection_termination: termination,
            deregistration_delay: delay,
            health_check: blocks({
              healthy_threshold: d.healthCheck.healthyThreshold,
              interval: d.healthCheck.intervalSeconds,
              protocol: d.healthCheck.protocol,
              unhealthy_threshold: d.healthCheck.unhealthyThreshold,
            }),
            name,
            port: d.port,
            preserve_client_ip: preserve,
            protocol: d.protocol,
            tags: d.tags,
            vpc_id: t.ref(input.vpcKey, 'id'),
          },
        },
      ];
    },
  };
}
