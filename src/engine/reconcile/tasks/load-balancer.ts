// The API's Network Load Balancer and its TCP 443 listener, as kops makes them
// (pkg/model/awsmodel/api_loadbalancer.go): named `api-<cluster>-<hash>`
// (kops' 32-character names), internet-facing for a Public API and internal
// for an Internal one, one subnet per zone, its own security group
// `api-elb.<cluster>`, tagged Name=api.<cluster>. The security group is given
// only at creation: a network load balancer made without one can never get
// one, so it is not compared afterwards. Subnets and scheme cannot be changed
// here; cross-zone load balancing can.
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  ModifyLoadBalancerAttributesCommand,
  type Listener,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { FoundLoadBalancer } from '../../cloud/aws/discovery-api-load-balancer.js';
import type { TagMap } from '../../cloud/aws/tags.js';
import { compareFields, compareTags, idOrPending, requireId, taskKey, type Task } from '../task.js';
import { refuseImmutable } from './ec2-tags.js';
import { addChangedTags, changedAttributes, compareAttributes, keyValues } from './elbv2-common.js';
import { blocks } from '../../terraform/hcl.js';

export type LoadBalancerScheme = 'internet-facing' | 'internal';
const CROSS_ZONE = 'load_balancing.cross_zone.enabled';

export interface LoadBalancerDesired {
  name: string;
  scheme: LoadBalancerScheme;
  subnetIds: string[];
  securityGroupIds: string[];
  attributes: Record<string, string>;
  tags: TagMap;
}

export interface LoadBalancerInput {
  /** The task's name, kops' `api.<cluster>`. */
  taskName: string;
  /** The AWS name, `api-<cluster>-<hash>`. */
  name: string;
  scheme: LoadBalancerScheme;
  subnetKeys: string[];
  securityGroupKey: string;
  crossZone: boolean;
  tags: TagMap;
}

export const loadBalancerKey = (taskName: string): string => taskKey('NetworkLoadBalancer', taskName);

export function loadBalancerTask(input: LoadBalancerInput): Task<LoadBalancerDesired, FoundLoadBalancer> {
  return {
    key: loadBalancerKey(input.taskName),
    kind: 'NetworkLoadBalancer',
    name: input.taskName,
    dependencies: [...input.subnetKeys, input.securityGroupKey],
    desired: (ctx) => ({
      name: input.name,
      scheme: input.scheme,
      subnetIds: input.subnetKeys.map((k) => idOrPending(ctx, k)).sort(),
      securityGroupIds: [idOrPending(ctx, input.securityGroupKey)],
      attributes: { [CROSS_ZONE]: String(input.crossZone) },
      tags: input.tags,
    }),
    find: (ctx) => {
      const found = ctx.snapshot.apiLoadBalancing?.loadBalancer;
      return found?.description.LoadBalancerName === input.name ? found : null;
    },
    idOf: (lb) => lb.description.LoadBalancerArn!,
    diff: (d, actual) => [
      ...compareFields([
        ['Type', 'network', actual.description.Type],
        ['Scheme', d.scheme, actual.description.Scheme],
        ['Subnets', d.subnetIds, (actual.description.AvailabilityZones ?? []).map((z) => z.SubnetId ?? '').sort()],
      ]),
      ...compareAttributes(d.attributes, actual.attributes),
      ...compareTags(d.tags, actual.tags),
    ],
    describe: (d) => ({
      Name: d.name,
      Type: 'network',
      Scheme: d.scheme,
      Subnets: d.subnetIds.join(', '),
      SecurityGroups: d.securityGroupIds.join(', '),
      CrossZone: d.attributes[CROSS_ZONE],
    }),
    async apply(ctx, change) {
      const d = change.desired;
      if (!change.actual) {
        const out = await ctx.clients.elbv2.send(
          new CreateLoadBalancerCommand({
            Name: d.name,
            Type: 'network',
            Scheme: d.scheme,
            SubnetMappings: input.subnetKeys.map((k) => ({ SubnetId: requireId(ctx, k) })),
            SecurityGroups: [requireId(ctx, input.securityGroupKey)],
            Tags: keyValues(d.tags),
          }),
        );
        const arn = out.LoadBalancers![0].LoadBalancerArn!;
        // AWS's default is off: set only when wanted.
        if (input.crossZone) await ctx.clients.elbv2.send(new ModifyLoadBalancerAttributesCommand({ LoadBalancerArn: arn, Attributes: keyValues(d.attributes) }));
        return arn;
      }
      const arn = change.actual.description.LoadBalancerArn!;
      refuseImmutable(`NetworkLoadBalancer/${input.taskName}`, change.changes, ['Type', 'Scheme', 'Subnets']);
      const attributes = changedAttributes(d.attributes, change.changes);
      if (attributes.length) await ctx.clients.elbv2.send(new ModifyLoadBalancerAttributesCommand({ LoadBalancerArn: arn, Attributes: attributes }));
      await addChangedTags(ctx, arn, d.tags, change.changes);
      return arn;
    },
    terraform: (t, d) => [
      {
        type: 'aws_lb',
        name: input.taskName,
        body: {
          enable_cross_zone_load_balancing: input.crossZone,
          internal: d.scheme === 'internal',
          load_balancer_type: 'network',
          name: d.name,
          security_groups: [t.ref(input.securityGroupKey, 'id')],
          subnet_mapping: blocks(...input.subnetKeys.map((k) => ({ subnet_id: t.ref(k, 'id') }))),
          tags: d.tags,
        },
      },
    ],
  };
}

export interface ListenerDesired {
  loadBalancerArn: string;
  port: number;
  protocol: 'TCP';
  targetGroupArn: string;
}

/** kops' NetworkLoadBalancerListener `api.<cluster>-443`: TCP, forwarding to the target group. */
export function listenerTask(input: { taskName: string; port: number; loadBalancerKey: string; targetGroupKey: string }): Task<ListenerDesired, Listener> {
  const name = `${input.taskName}-${input.port}`;
  return {
    key: taskKey('NetworkLoadBalancerListener', name),
    kind: 'NetworkLoadBalancerListener',
    name,
    dependencies: [input.loadBalancerKey, input.targetGroupKey],
    desired: (ctx) => ({
      loadBalancerArn: idOrPending(ctx, input.loadBalancerKey),
      port: input.port,
      protocol: 'TCP',
      targetGroupArn: idOrPending(ctx, input.targetGroupKey),
    }),
    find: (ctx) => {
      const arn = ctx.ids.get(input.loadBalancerKey);
      return ctx.snapshot.apiLoadBalancing?.listeners.find((l) => l.LoadBalancerArn === arn && l.Port === input.port) ?? null;
    },
    idOf: (l) => l.ListenerArn!,
    diff: (d, actual) =>
      compareFields([
        ['Protocol', d.protocol, actual.Protocol],
        ['TargetGroup', d.targetGroupArn, actual.DefaultActions?.find((a) => a.Type === 'forward')?.TargetGroupArn],
      ]),
    describe: (d) => ({ LoadBalancer: d.loadBalancerArn, Port: String(d.port), Protocol: d.protocol, TargetGroup: d.targetGroupArn }),
    async apply(ctx, change) {
      if (change.actual) {
        refuseImmutable(`NetworkLoadBalancerListener/${name}`, change.changes, ['Protocol', 'TargetGroup']);
        return change.actual.ListenerArn!;
      }
      const out = await ctx.clients.elbv2.send(
        new CreateListenerCommand({
          LoadBalancerArn: requireId(ctx, input.loadBalancerKey),
          Port: input.port,
          Protocol: 'TCP',
          DefaultActions: [{ Type: 'forward', TargetGroupArn: requireId(ctx, input.targetGroupKey) }],
        }),
      );
      return out.Listeners![0].ListenerArn!;
    },
    terraform: (t, d) => [
      {
        type: 'aws_lb_listener',
        name,
        body: {
          default_action: blocks({ target_group_arn: t.ref(input.targetGroupKey, 'id'), type: 'forward' }),
          load_balancer_arn: t.ref(input.loadBalancerKey, 'id'),
          port: d.port,
          protocol: d.protocol,
        },
      },
    ],
  };
}
