// Registrations with load balancers and their health, as AWS reports them.
// Nothing runs on a timer: a target's state is worked out from the simulated
// clock when asked (initial for the first health checks, healthy after the
// healthy threshold, draining for the deregistration delay, then gone), so a
// restored world needs nothing re-armed. Auto scaling groups register their
// instances as they go InService and deregister them as they leave, as AWS's
// Auto Scaling does for the target groups and classic ELBs attached to them.
import type { AwsWorld } from './aws-world.js';
import type { ClassicLoadBalancer, ClassicRegistration, LoadBalancerV2, LoadBalancingState, TargetGroup, TargetRegistration } from './load-balancing-types.js';
import type { AutoScalingGroup, Instance } from './types.js';

export interface TargetHealth {
  state: 'initial' | 'healthy' | 'unhealthy' | 'unused' | 'draining' | 'unavailable';
  reason?: string;
  description?: string;
}

export interface InstanceHealth {
  state: 'InService' | 'OutOfService';
  reasonCode: string;
  description: string;
}

const SERVING = new Set<TargetHealth['state']>(['initial', 'healthy', 'unhealthy']);

export const NOT_REGISTERED: TargetHealth = { state: 'unused', reason: 'Target.NotRegistered', description: 'Target is not registered to the target group' };

export class LoadBalancing {
  constructor(private readonly world: AwsWorld) {}

  get state(): LoadBalancingState {
    return this.world.state.loadBalancing;
  }

  classicKey(region: string, name: string): string {
    return `${region}/${name}`;
  }

  /** The load balancers whose listeners forward to the group. */
  loadBalancersOf(group: TargetGroup): LoadBalancerV2[] {
    const arns = new Set(
      Object.values(this.state.listeners)
        .filter((l) => l.defaultActions.some((a) => a.targetGroupArn === group.arn))
        .map((l) => l.loadBalancerArn),
    );
    return [...arns].map((arn) => this.state.loadBalancers[arn]).filter((lb): lb is LoadBalancerV2 => Boolean(lb));
  }

  /** The group's registrations, those whose draining has ended dropped. */
  targetsOf(group: TargetGroup): TargetRegistration[] {
    const now = this.world.now();
    const live = group.targets.filter((t) => t.drainingUntil === undefined || t.drainingUntil > now);
    if (live.length !== group.targets.length) group.targets = live;
    return live;
  }

  targetHealth(group: TargetGroup, target: TargetRegistration): TargetHealth {
    const now = this.world.now();
    if (target.drainingUntil !== undefined) {
      return { state: 'draining', reason: 'Target.DeregistrationInProgress', description: 'Target deregistration is in progress' };
    }
    const instance = this.world.state.instances[target.instanceId];
    if (!instance || instance.state !== 'running') {
      return { state: 'unused', reason: 'Target.InvalidState', description: 'Target is in the stopped or terminated state' };
    }
    const balancers = this.loadBalancersOf(group);
    if (balancers.length === 0) {
      return { state: 'unused', reason: 'Target.NotInUse', description: 'Target group is not configured to receive traffic from the load balancer' };
    }
    if (!balancers.some((lb) => this.zonesOf(lb.subnetIds).includes(instance.zone))) {
      return { state: 'unused', reason: 'Target.NotInUse', description: 'Target is in an Availability Zone that is not enabled for the load balancer' };
    }
    const check = group.healthCheck;
    if (!check.enabled) return { state: 'unavailable', reason: 'Target.HealthCheckDisabled', description: 'Health checks disabled' };
    const elapsed = now - target.registeredAt;
    const interval = check.intervalSeconds * 1000;
    if (elapsed < interval) return { state: 'initial', reason: 'Elb.RegistrationInProgress', description: 'Target registration is in progress' };
    if (elapsed < interval * check.healthyThreshold) return { state: 'initial', reason: 'Elb.InitialHealthChecking', description: 'Initial health checks in progress' };
    return { state: 'healthy' };
  }

  /** Registers (or re-registers a draining target, which starts its health checks over). */
  registerTarget(group: TargetGroup, instanceId: string, port: number): void {
    const targets = this.targetsOf(group);
    const existing = targets.find((t) => t.instanceId === instanceId && t.port === port);
    if (existing && existing.drainingUntil === undefined) return;
    const registration: TargetRegistration = { instanceId, port, registeredAt: this.world.now() };
    group.targets = [...targets.filter((t) => t !== existing), registration];
    this.world.changed();
  }

  /** A serving target drains for the group's deregistration delay; any other goes at once. */
  deregisterTarget(group: TargetGroup, instanceId: string, port: number): void {
    const target = this.targetsOf(group).find((t) => t.instanceId === instanceId && t.port === port);
    if (!target || target.drainingUntil !== undefined) return;
    const delayMs = Number(group.attributes['deregistration_delay.timeout_seconds'] ?? '300') * 1000;
    if (delayMs > 0 && SERVING.has(this.targetHealth(group, target).state)) target.drainingUntil = this.world.now() + delayMs;
    else group.targets = group.targets.filter((t) => t !== target);
    this.world.changed();
  }

  /** The balancer's registrations, those whose connection draining has ended dropped. */
  instancesOf(lb: ClassicLoadBalancer): ClassicRegistration[] {
    const now = this.world.now();
    const live = lb.instances.filter((r) => r.drainingUntil === undefined || r.drainingUntil > now);
    if (live.length !== lb.instances.length) lb.instances = live;
    return live;
  }

  instanceHealth(lb: ClassicLoadBalancer, registration: ClassicRegistration): InstanceHealth {
    if (registration.drainingUntil !== undefined) return { state: 'InService', reasonCode: 'N/A', description: 'Instance deregistration currently in progress.' };
    const instance = this.world.state.instances[registration.instanceId];
    if (!instance || instance.state !== 'running') return { state: 'OutOfService', reasonCode: 'Instance', description: 'Instance is in stopped or terminated state.' };
    if (!lb.zones.includes(instance.zone)) {
      return { state: 'OutOfService', reasonCode: 'ELB', description: 'Instance is in an Availability Zone for which LoadBalancer is not configured to route traffic to.' };
    }
    const elapsed = this.world.now() - registration.registeredAt;
    if (elapsed < lb.healthCheck.interval * 1000 * lb.healthCheck.healthyThreshold) {
      return { state: 'OutOfService', reasonCode: 'ELB', description: 'Instance registration is still in progress.' };
    }
    return { state: 'InService', reasonCode: 'N/A', description: 'N/A' };
  }

  registerInstance(lb: ClassicLoadBalancer, instanceId: string): void {
    const registrations = this.instancesOf(lb);
    const existing = registrations.find((r) => r.instanceId === instanceId);
    if (existing && existing.drainingUntil === undefined) return;
    lb.instances = [...registrations.filter((r) => r !== existing), { instanceId, registeredAt: this.world.now() }];
    this.world.changed();
  }

  /** With connection draining on, an in-service instance stays InService (deregistering) for its timeout. */
  deregisterInstance(lb: ClassicLoadBalancer, instanceId: string): void {
    const registration = this.instancesOf(lb).find((r) => r.instanceId === instanceId);
    if (!registration || registration.drainingUntil !== undefined) return;
    const draining = lb.attributes.connectionDraining;
    if (draining.enabled && this.instanceHealth(lb, registration).state === 'InService') registration.drainingUntil = this.world.now() + draining.timeout * 1000;
    else lb.instances = lb.instances.filter((r) => r !== registration);
    this.world.changed();
  }

  /** A member went InService: it is registered with the group's target groups and classic load balancers. */
  instanceRunning(instance: Instance): void {
    const group = instance.asgName ? this.world.findAsg(instance.region, instance.asgName) : undefined;
    if (group && !group.deleting) this.registerMembers(group, [instance], group.targetGroupArns ?? [], group.loadBalancerNames ?? []);
  }

  /** A member is terminating or detached: the group deregisters it (it drains). */
  instanceLeaving(instance: Instance): void {
    const group = instance.asgName ? this.world.findAsg(instance.region, instance.asgName) : undefined;
    if (group) this.deregisterMembers(group, [instance], group.targetGroupArns ?? [], group.loadBalancerNames ?? []);
  }

  /** Registers the given members (the running ones) with target groups and classic load balancers that exist. */
  registerMembers(group: AutoScalingGroup, members: Instance[], targetGroupArns: string[], loadBalancerNames: string[]): void {
    const running = members.filter((i) => i.state === 'running');
    for (const arn of targetGroupArns) {
      const target = this.state.targetGroups[arn];
      if (target) for (const instance of running) this.registerTarget(target, instance.id, target.port);
    }
    for (const name of loadBalancerNames) {
      const lb = this.state.classic[this.classicKey(group.region, name)];
      if (lb) for (const instance of running) this.registerInstance(lb, instance.id);
    }
  }

  deregisterMembers(group: AutoScalingGroup, members: Instance[], targetGroupArns: string[], loadBalancerNames: string[]): void {
    for (const arn of targetGroupArns) {
      const target = this.state.targetGroups[arn];
      if (target) for (const instance of members) this.deregisterTarget(target, instance.id, target.port);
    }
    for (const name of loadBalancerNames) {
      const lb = this.state.classic[this.classicKey(group.region, name)];
      if (lb) for (const instance of members) this.deregisterInstance(lb, instance.id);
    }
  }

  zonesOf(subnetIds: string[]): string[] {
    return subnetIds.map((id) => this.world.state.subnets[id]?.zone).filter((z): z is string => Boolean(z));
  }
}
