// EC2 instances: launched pending, running after a boot delay (when the
// Kubernetes side hears of them), shutting-down then terminated on terminate,
// and still visible for an hour after, as on AWS.
import type { SimInstanceInfo } from '../../contracts.js';
import { privateDnsName } from './regions.js';
import type { AwsWorld } from './aws-world.js';
import { checkLaunchIdentity } from './launch-checks.js';
import type { Instance, LaunchTemplateData, Subnet, Tags } from './types.js';
import { userDataText } from './user-data-text.js';

export const BOOT_DELAY_MS = 20_000;
export const SHUTDOWN_DELAY_MS = 5_000;
export const TERMINATED_VISIBLE_MS = 60 * 60_000;

export interface LaunchRequest {
  region: string;
  subnet: Subnet;
  data: LaunchTemplateData;
  launchTemplate?: Instance['launchTemplate'];
  asgName?: string;
  tags: Tags;
  /** Seeded instances start running with no boot (scale mode). */
  alreadyRunning?: boolean;
  /** Launched into its group's warm pool: it boots, then waits stopped (or running) and never joins until taken into service. */
  warmPool?: boolean;
}

/** A warm instance taken into service from stopped starts again, faster than a first boot. */
export const WARM_START_DELAY_MS = 8_000;

export class InstanceLifecycle {
  constructor(private readonly world: AwsWorld) {}

  launch(request: LaunchRequest): Instance {
    const { world } = this;
    // Refused as EC2 refuses: before any address or id is taken.
    const iamInstanceProfile = checkLaunchIdentity(world, request.region, request.data);
    const now = world.now();
    const privateIp = allocateIp(request.subnet);
    const instance: Instance = {
      id: world.newId('i'),
      region: request.region,
      reservationId: world.newId('r'),
      zone: request.subnet.zone,
      subnetId: request.subnet.id,
      vpcId: request.subnet.vpcId,
      state: request.alreadyRunning ? 'running' : 'pending',
      launchTime: now,
      imageId: request.data.imageId ?? '',
      instanceType: request.data.instanceType ?? 'm1.small',
      keyName: request.data.keyName,
      privateIp,
      privateDnsName: privateDnsName(privateIp, request.region),
      securityGroupIds: request.data.securityGroupIds ?? [],
      launchTemplate: request.launchTemplate,
      iamInstanceProfile,
      userData: request.data.userData,
      asgName: request.asgName,
      ...(request.warmPool ? { warmPool: true } : {}),
      tags: request.tags,
    };
    world.state.instances[instance.id] = instance;
    if (!request.alreadyRunning) {
      const jitter = Math.round((world.deps.random.next() - 0.5) * 6_000);
      this.scheduleTransition(instance, now + BOOT_DELAY_MS + jitter);
    }
    world.changed();
    return instance;
  }

  /**
   * Its group grows and takes it from the warm pool: a running warm instance
   * is in service at once (its node joins now), a stopped one starts again.
   */
  takeFromWarmPool(instance: Instance): void {
    instance.warmPool = undefined;
    if (instance.state === 'running') this.cameIntoService(instance);
    else if (instance.state === 'stopped') {
      instance.state = 'pending';
      this.scheduleTransition(instance, this.world.now() + WARM_START_DELAY_MS);
    }
    this.world.changed();
  }

  /** Starts termination; returns the state before, or undefined when already going. */
  terminate(instance: Instance, reason = 'User initiated'): Instance['state'] {
    const previous = instance.state;
    if (previous === 'shutting-down' || previous === 'terminated') return previous;
    // While it still serves: its group's load balancers drain it.
    this.world.loadBalancing.instanceLeaving(instance);
    instance.state = 'shutting-down';
    instance.stateReason = reason;
    this.scheduleTransition(instance, this.world.now() + SHUTDOWN_DELAY_MS);
    this.notify(() => this.world.deps.kube.instanceTerminated(instance.id));
    if (instance.asgName) this.world.scaling.reconcileSoon(instance.region, instance.asgName);
    this.world.changed();
    return previous;
  }

  /** Instances of a region as DescribeInstances shows them (old terminated ones purged). */
  visible(region: string): Instance[] {
    const cutoff = this.world.now() - TERMINATED_VISIBLE_MS;
    const result: Instance[] = [];
    for (const instance of Object.values(this.world.state.instances)) {
      if (instance.state === 'terminated' && (instance.terminatedAt ?? 0) < cutoff) {
        delete this.world.state.instances[instance.id];
        continue;
      }
      if (instance.region === region) result.push(instance);
    }
    return result;
  }

  /** After a restore: timers do not survive a restart, so re-arm them from the saved due times. */
  resumeTransitions(): void {
    for (const instance of Object.values(this.world.state.instances)) {
      if (instance.state === 'pending' || instance.state === 'shutting-down') {
        this.scheduleTransition(instance, instance.transitionAt ?? this.world.now());
      }
    }
  }

  info(instance: Instance): SimInstanceInfo {
    return {
      instanceId: instance.id,
      zone: instance.zone,
      instanceType: instance.instanceType,
      imageId: instance.imageId,
      privateIp: instance.privateIp,
      privateDnsName: instance.privateDnsName,
      launchTemplateId: instance.launchTemplate?.id,
      launchTemplateVersion: instance.launchTemplate?.version,
      userData: userDataText(instance.userData),
      tags: { ...instance.tags },
      launchTime: instance.launchTime,
    };
  }

  private scheduleTransition(instance: Instance, at: number): void {
    instance.transitionAt = at;
    this.world.clock.after(at - this.world.now(), () => this.advance(instance.id));
  }

  private advance(id: string): void {
    const instance = this.world.state.instances[id];
    if (!instance) return;
    if (instance.state === 'pending' && instance.warmPool) {
      // Warmed: booted once, then stopped (or kept running) as its pool says; kops' nodeup does not join a warm instance.
      const pool = instance.asgName ? this.world.findAsg(instance.region, instance.asgName)?.warmPool : undefined;
      instance.state = pool?.poolState === 'Running' ? 'running' : 'stopped';
      instance.transitionAt = undefined;
    } else if (instance.state === 'pending') {
      instance.state = 'running';
      instance.transitionAt = undefined;
      this.cameIntoService(instance);
    } else if (instance.state === 'shutting-down') {
      instance.state = 'terminated';
      instance.transitionAt = undefined;
      instance.terminatedAt = this.world.now();
      // Its EBS volumes are let go, so a replacement can attach them.
      this.world.volumes.instanceTerminated(instance);
      if (instance.asgName) this.world.scaling.instanceGone(instance.region, instance.asgName);
    } else {
      return;
    }
    this.world.changed();
  }

  private cameIntoService(instance: Instance): void {
    this.world.volumes.attachEtcdVolumes(instance);
    this.world.loadBalancing.instanceRunning(instance);
    this.notify(() => this.world.deps.kube.instanceRunning(this.info(instance)));
  }

  /** The Kubernetes side's failures must not stop the AWS side. */
  private notify(call: () => void): void {
    try {
      call();
    } catch (error) {
      process.emitWarning(`simulator: kubernetes side failed on an instance event: ${String(error)}`);
    }
  }
}

export function allocateIp(subnet: Subnet): string {
  const [base, bits] = subnet.cidr.split('/');
  const start = base.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
  const size = 2 ** (32 - Number(bits));
  // AWS reserves the first four addresses and the last one of every subnet.
  const offset = 4 + (subnet.allocated % Math.max(1, size - 5));
  subnet.allocated += 1;
  const ip = start + offset;
  return [24, 16, 8, 0].map((shift) => (ip >>> shift) & 255).join('.');
}
