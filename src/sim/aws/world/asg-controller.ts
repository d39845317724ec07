// Auto scaling groups keep their desired capacity: a short while after any
// change, missing instances are launched (spread across the group's zones,
// from the launch template version resolved at launch; a mixed-instances group
// launches its first override's instance type) and surplus ones are
// terminated. A failed launch is recorded as a failed scaling activity and
// retried later, as AWS does.
import { AwsError } from '../aws-error.js';
import type { AwsWorld } from './aws-world.js';
import type { AutoScalingGroup, Instance, LaunchTemplate, LaunchTemplateVersion, ScalingActivity, Subnet } from './types.js';
import { takeFromWarmPool, warmMembers, warmPoolTarget } from './warm-pool.js';

const RECONCILE_DELAY_MS = 1_000;
const LAUNCH_RETRY_MS = 10_000;
const ACTIVITIES_KEPT = 50;

export class AsgController {
  private pending = new Set<string>();

  constructor(private readonly world: AwsWorld) {}

  reconcileSoon(region: string, name: string, delayMs = RECONCILE_DELAY_MS): void {
    const key = this.world.asgKey(region, name);
    if (this.pending.has(key)) return;
    this.pending.add(key);
    this.world.clock.after(delayMs, () => {
      this.pending.delete(key);
      const group = this.world.state.autoScalingGroups[key];
      if (group) this.reconcile(group);
    });
  }

  reconcileAll(): void {
    this.pending.clear();
    for (const group of Object.values(this.world.state.autoScalingGroups)) this.reconcileSoon(group.region, group.name);
  }

  /** Pending or running members: what counts toward desired capacity. */
  activeMembers(group: AutoScalingGroup): Instance[] {
    return Object.values(this.world.state.instances).filter(
      (i) => i.asgName === group.name && i.region === group.region && !i.warmPool && (i.state === 'pending' || i.state === 'running'),
    );
  }

  /** Members as DescribeAutoScalingGroups lists them (terminating ones included until gone). */
  listedMembers(group: AutoScalingGroup): Instance[] {
    return Object.values(this.world.state.instances).filter(
      (i) => i.asgName === group.name && i.region === group.region && !i.warmPool && i.state !== 'terminated',
    );
  }

  /** A member finished terminating: a deleting group disappears with its last instance. */
  instanceGone(region: string, name: string): void {
    const group = this.world.findAsg(region, name);
    if (group?.deleting && this.listedMembers(group).length === 0 && warmMembers(this.world, group, true).length === 0) {
      delete this.world.state.autoScalingGroups[this.world.asgKey(region, name)];
    }
  }

  recordActivity(group: AutoScalingGroup, activity: Omit<ScalingActivity, 'id' | 'startTime'>): void {
    const now = this.world.now();
    group.activities.unshift({ id: this.world.deps.random.hex(8) + '-' + this.world.deps.random.hex(4), startTime: now, endTime: now, ...activity });
    group.activities.length = Math.min(group.activities.length, ACTIVITIES_KEPT);
  }

  resolveTemplate(region: string, ref: { id?: string; name?: string }): LaunchTemplate | undefined {
    return Object.values(this.world.state.launchTemplates).find(
      (t) => t.region === region && (ref.id ? t.id === ref.id : t.name === ref.name),
    );
  }

  resolveVersion(template: LaunchTemplate, version: string): LaunchTemplateVersion | undefined {
    const wanted =
      version === '$Latest' ? Math.max(...template.versions.map((v) => v.number)) : version === '$Default' || version === '' ? template.defaultVersion : Number(version);
    return template.versions.find((v) => v.number === wanted);
  }

  private reconcile(group: AutoScalingGroup): void {
    if (group.deleting) return;
    const now = this.world.now();
    if (group.retryLaunchAt && group.retryLaunchAt > now) {
      this.reconcileSoon(group.region, group.name, group.retryLaunchAt - now);
      return;
    }
    group.retryLaunchAt = undefined;
    const members = this.activeMembers(group);
    if (members.length < group.desiredCapacity) {
      const warm = takeFromWarmPool(this.world, group, group.desiredCapacity - members.length);
      for (const instance of warm) this.recordWarmTaken(group, instance);
      members.push(...warm);
      if (members.length < group.desiredCapacity) this.launchMissing(group, members, group.desiredCapacity - members.length);
    } else if (members.length > group.desiredCapacity) this.terminateSurplus(group, members, members.length - group.desiredCapacity);
    this.keepWarmPool(group);
  }

  private recordWarmTaken(group: AutoScalingGroup, instance: Instance): void {
    this.recordActivity(group, {
      description: `Launching a new EC2 instance from warm pool: ${instance.id}`,
      cause: `An instance was taken from the warm pool in response to a difference between desired and actual capacity.`,
      status: 'Successful',
    });
  }

  /** Refills the warm pool to its size, or lets the surplus go (newest first). */
  private keepWarmPool(group: AutoScalingGroup): void {
    const warm = warmMembers(this.world, group);
    const target = warmPoolTarget(group);
    if (warm.length > target) {
      for (const instance of warm.sort((a, b) => b.launchTime - a.launchTime).slice(0, warm.length - target)) {
        this.world.instances.terminate(instance, 'Service initiated: warm pool shrunk');
      }
      return;
    }
    try {
      for (let n = warm.length; n < target; n++) warm.push(this.launchOne(group, warm, true));
    } catch {
      // A warm launch that fails is retried at the next reconcile, as AWS retries it.
      this.reconcileSoon(group.region, group.name, LAUNCH_RETRY_MS);
    }
    this.world.changed();
  }

  private launchMissing(group: AutoScalingGroup, members: Instance[], count: number): void {
    for (let n = 0; n < count; n++) {
      try {
        members.push(this.launchOne(group, members));
      } catch (error) {
        const message = error instanceof AwsError ? `${error.code}: ${error.message}` : String(error);
        this.recordActivity(group, {
          description: 'Launching a new EC2 instance.  Status Reason: ' + message,
          cause: `An instance was started in response to a difference between desired and actual capacity, increasing the capacity from ${members.length} to ${group.desiredCapacity}.`,
          status: 'Failed',
          statusMessage: message + ' Launching EC2 instance failed.',
        });
        group.retryLaunchAt = this.world.now() + LAUNCH_RETRY_MS;
        this.reconcileSoon(group.region, group.name, LAUNCH_RETRY_MS);
        break;
      }
    }
    this.world.changed();
  }

  private launchOne(group: AutoScalingGroup, members: Instance[], warmPool = false): Instance {
    const template = this.resolveTemplate(group.region, group.launchTemplate);
    if (!template) throw new AwsError('InvalidLaunchTemplateId.NotFound', `The specified launch template, with template ID ${group.launchTemplate.id}, does not exist.`);
    const version = this.resolveVersion(template, group.launchTemplate.version);
    if (!version) throw new AwsError('InvalidLaunchTemplateId.VersionNotFound', `Could not find launch template version ${group.launchTemplate.version}.`);
    if (!version.data.imageId) throw new AwsError('MissingParameter', 'The request must contain the parameter ImageId');
    // A mixed-instances group launches its first override's type (AWS's "prioritized"), on demand.
    const data = { ...version.data, instanceType: group.mixedInstances?.overrides[0]?.instanceType ?? version.data.instanceType };
    const subnet = this.leastUsedSubnet(group, members);
    const faults = this.world.deps.faults;
    if (faults.failLaunches > 0) {
      faults.failLaunches -= 1;
      throw new AwsError(
        'InsufficientInstanceCapacity',
        `We currently do not have sufficient ${data.instanceType ?? 'm1.small'} capacity in the Availability Zone you requested (${subnet.zone}).`,
      );
    }
    const instanceTags = version.data.tagSpecifications?.find((s) => s.resourceType === 'instance')?.tags ?? {};
    const tags: Record<string, string> = { ...instanceTags };
    for (const tag of group.tags) if (tag.propagateAtLaunch) tags[tag.key] = tag.value;
    tags['aws:autoscaling:groupName'] = group.name;
    tags['aws:ec2launchtemplate:id'] = template.id;
    tags['aws:ec2launchtemplate:version'] = String(version.number);
    const instance = this.world.instances.launch({
      region: group.region,
      subnet,
      data,
      launchTemplate: { id: template.id, name: template.name, version: String(version.number) },
      asgName: group.name,
      tags,
      warmPool,
    });
    this.recordActivity(group, {
      description: `Launching a new EC2 instance${warmPool ? ' into the warm pool' : ''}: ${instance.id}`,
      cause: warmPool
        ? `An instance was started to fill the warm pool, increasing its size from ${members.length} to ${members.length + 1}.`
        : `An instance was started in response to a difference between desired and actual capacity, increasing the capacity from ${members.length} to ${members.length + 1}.`,
      status: 'Successful',
    });
    return instance;
  }

  private leastUsedSubnet(group: AutoScalingGroup, members: Instance[]): Subnet {
    const subnets = group.subnetIds.map((id) => this.world.state.subnets[id]).filter((s): s is Subnet => !!s);
    if (subnets.length === 0) throw new AwsError('InvalidSubnetID.NotFound', `No subnet of ${group.subnetIds.join(',')} exists.`);
    const perZone = (zone: string) => members.filter((m) => m.zone === zone).length;
    return subnets.reduce((best, s) => (perZone(s.zone) < perZone(best.zone) ? s : best));
  }

  /** AWS's default policy in short: balance zones first, then the oldest instance goes. */
  private terminateSurplus(group: AutoScalingGroup, members: Instance[], count: number): void {
    const remaining = [...members];
    for (let n = 0; n < count; n++) {
      const counts = new Map<string, number>();
      for (const m of remaining) counts.set(m.zone, (counts.get(m.zone) ?? 0) + 1);
      const busiest = Math.max(...counts.values());
      const candidates = remaining.filter((m) => counts.get(m.zone) === busiest).sort((a, b) => a.launchTime - b.launchTime);
      const victim = candidates[0];
      remaining.splice(remaining.indexOf(victim), 1);
      this.world.instances.terminate(victim, 'Service initiated: terminated by auto scaling');
      this.recordActivity(group, {
        description: `Terminating EC2 instance: ${victim.id}`,
        cause: `An instance was taken out of service in response to a difference between desired and actual capacity, shrinking the capacity from ${remaining.length + 1} to ${remaining.length}.`,
        status: 'Successful',
      });
    }
    this.world.changed();
  }
}
