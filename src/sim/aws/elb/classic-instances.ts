// Instances registered with a classic load balancer and their health. With
// connection draining on, a deregistered in-service instance is reported
// InService ("Instance deregistration currently in progress.") until its
// timeout, then is gone.
import { AwsError } from '../aws-error.js';
import type { ElbContext, ElbHandler } from '../elbv2/elbv2-common.js';
import type { ClassicLoadBalancer } from '../world/load-balancing-types.js';
import type { Instance } from '../world/types.js';
import { classicNamed, needClassic } from './classic-common.js';

function lbOf(ctx: ElbContext): ClassicLoadBalancer {
  return classicNamed(ctx, needClassic(ctx.params.str('LoadBalancerName'), 'LoadBalancerName'));
}

function instancesOf(ctx: ElbContext): Instance[] {
  return ctx.params.objects('Instances').map((i) => {
    const id = needClassic(i.str('InstanceId'), 'InstanceId');
    const instance = ctx.world.state.instances[id];
    if (!instance || instance.region !== ctx.region) throw new AwsError('InvalidInstance', `EC2 instance ${id} is not valid`);
    return instance;
  });
}

function registeredList(ctx: ElbContext, lb: ClassicLoadBalancer) {
  return { Instances: ctx.world.loadBalancing.instancesOf(lb).map((r) => ({ InstanceId: r.instanceId })) };
}

export const registerInstances: ElbHandler = (ctx) => {
  const lb = lbOf(ctx);
  const instances = instancesOf(ctx);
  if (instances.length === 0) throw new AwsError('ValidationError', 'Instances is required');
  for (const instance of instances) {
    if (instance.state !== 'running') throw new AwsError('InvalidInstance', `EC2 instance ${instance.id} is not in running state.`);
    if (lb.vpcId && instance.vpcId !== lb.vpcId) throw new AwsError('InvalidInstance', `EC2 instance ${instance.id} is not in the same VPC as ELB.`);
  }
  for (const instance of instances) ctx.world.loadBalancing.registerInstance(lb, instance.id);
  return registeredList(ctx, lb);
};

export const deregisterInstances: ElbHandler = (ctx) => {
  const lb = lbOf(ctx);
  const instances = instancesOf(ctx);
  if (instances.length === 0) throw new AwsError('ValidationError', 'Instances is required');
  const registered = new Set(ctx.world.loadBalancing.instancesOf(lb).map((r) => r.instanceId));
  const strangers = instances.filter((i) => !registered.has(i.id));
  if (strangers.length > 0) {
    throw new AwsError('InvalidInstance', `The following instances are not registered with the load balancer ${lb.name}: ${strangers.map((i) => i.id).join(', ')}`);
  }
  for (const instance of instances) ctx.world.loadBalancing.deregisterInstance(lb, instance.id);
  return registeredList(ctx, lb);
};

export const describeInstanceHealth: ElbHandler = (ctx) => {
  const lb = lbOf(ctx);
  const balancing = ctx.world.loadBalancing;
  const registrations = balancing.instancesOf(lb);
  const asked = instancesOf(ctx);
  const rows =
    asked.length === 0
      ? registrations.map((r) => ({ id: r.instanceId, health: balancing.instanceHealth(lb, r) }))
      : asked.map((instance) => {
          const registration = registrations.find((r) => r.instanceId === instance.id);
          const health = registration
            ? balancing.instanceHealth(lb, registration)
            : { state: 'OutOfService', reasonCode: 'N/A', description: 'Instance is not currently registered with the LoadBalancer.' };
          return { id: instance.id, health };
        });
  return {
    InstanceStates: rows.map(({ id, health }) => ({ InstanceId: id, State: health.state, ReasonCode: health.reasonCode, Description: health.description })),
  };
};
