// Registering instances with a target group and reading their health. Only
// running instances in the group's VPC can be registered; a deregistered
// target drains for the group's deregistration delay, then is gone (asked
// about by id, it is then `unused`: Target.NotRegistered).
import { AwsError } from '../aws-error.js';
import type { Params } from '../query-params.js';
import { NOT_REGISTERED } from '../world/load-balancing.js';
import type { TargetGroup } from '../world/load-balancing-types.js';
import { need, targetGroupNamed, type ElbContext, type ElbHandler } from './elbv2-common.js';
import { targetHealthXml } from './elbv2-xml.js';

interface TargetRef {
  id: string;
  port: number;
}

function targetsOf(params: Params, group: TargetGroup): TargetRef[] {
  const targets = params.objects('Targets').map((t) => {
    const port = t.int('Port') ?? group.port;
    if (port < 1 || port > 65535) throw new AwsError('ValidationError', `Port ${port} must be between 1 and 65535`);
    return { id: need(t, 'Id'), port };
  });
  return targets;
}

/** Every id must be an instance the account has. */
function checkInstancesExist(ctx: ElbContext, targets: TargetRef[]): void {
  const unknown = targets.filter((t) => {
    const instance = ctx.world.state.instances[t.id];
    return !instance || instance.region !== ctx.region;
  });
  if (unknown.length > 0) throw new AwsError('InvalidTarget', `The following targets are not valid instances: ${unknown.map((t) => `'${t.id}'`).join(', ')}`);
}

export const registerTargets: ElbHandler = (ctx) => {
  const group = targetGroupNamed(ctx, need(ctx.params, 'TargetGroupArn'));
  const targets = targetsOf(ctx.params, group);
  if (targets.length === 0) throw new AwsError('ValidationError', 'At least one target must be specified');
  checkInstancesExist(ctx, targets);
  const instances = ctx.world.state.instances;
  const notRunning = targets.filter((t) => instances[t.id].state !== 'running');
  if (notRunning.length > 0) {
    throw new AwsError('InvalidTarget', `The following targets are not in a running state and cannot be registered: ${notRunning.map((t) => `'${t.id}'`).join(', ')}`);
  }
  const elsewhere = targets.filter((t) => instances[t.id].vpcId !== group.vpcId);
  if (elsewhere.length > 0) {
    throw new AwsError('InvalidTarget', `The following targets are not in the target group VPC '${group.vpcId}': ${elsewhere.map((t) => `'${t.id}'`).join(', ')}`);
  }
  for (const target of targets) ctx.world.loadBalancing.registerTarget(group, target.id, target.port);
  return null;
};

/** A target that is not registered (or already draining) is left as it is, without an error, as AWS does. */
export const deregisterTargets: ElbHandler = (ctx) => {
  const group = targetGroupNamed(ctx, need(ctx.params, 'TargetGroupArn'));
  const targets = targetsOf(ctx.params, group);
  if (targets.length === 0) throw new AwsError('ValidationError', 'At least one target must be specified');
  checkInstancesExist(ctx, targets);
  for (const target of targets) ctx.world.loadBalancing.deregisterTarget(group, target.id, target.port);
  return null;
};

/** Every registered (or draining) target; or the ones asked about, `unused` when not registered. */
export const describeTargetHealth: ElbHandler = (ctx) => {
  const lb = ctx.world.loadBalancing;
  const group = targetGroupNamed(ctx, need(ctx.params, 'TargetGroupArn'));
  const registered = lb.targetsOf(group);
  const asked = ctx.params.objects('Targets');
  if (asked.length === 0) {
    return { TargetHealthDescriptions: registered.map((t) => targetHealthXml(group, t.instanceId, t.port, lb.targetHealth(group, t))) };
  }
  const refs = asked.map((t) => ({ id: need(t, 'Id'), port: t.int('Port') }));
  checkInstancesExist(ctx, refs.map((r) => ({ id: r.id, port: r.port ?? group.port })));
  const rows = refs.flatMap((ref) => {
    const matches = registered.filter((t) => t.instanceId === ref.id && (ref.port === undefined || t.port === ref.port));
    if (matches.length === 0) return [targetHealthXml(group, ref.id, ref.port ?? group.port, NOT_REGISTERED)];
    return matches.map((t) => targetHealthXml(group, t.instanceId, t.port, lb.targetHealth(group, t)));
  });
  return { TargetHealthDescriptions: rows };
};
