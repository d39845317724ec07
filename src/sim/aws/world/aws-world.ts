// The AWS half of the world: its state (saved and restored as one JSON tree),
// id generation, and the two behaviours that run on their own: instance
// lifecycles and auto scaling groups keeping their capacity.
import type { NodeLifecycle, Persistent, SimClock, SimFaults, SimRandom } from '../../contracts.js';
import { AsgController } from './asg-controller.js';
import { InstanceLifecycle } from './instance-lifecycle.js';
import { LoadBalancing } from './load-balancing.js';
import { NatGatewayLifecycle } from './nat-gateway-lifecycle.js';
import { VolumeLifecycle } from './volume-lifecycle.js';
import { createHash } from 'node:crypto';
import { emptyWorldState, type AutoScalingGroup, type AwsWorldState, type Bucket, type S3Object } from './types.js';

export interface AwsWorldDeps {
  clock: SimClock;
  random: SimRandom;
  faults: SimFaults;
  kube: NodeLifecycle;
  /** Called after every change, so the world gets saved. */
  onChange: () => void;
}

export class AwsWorld implements Persistent {
  state: AwsWorldState = emptyWorldState();
  readonly instances: InstanceLifecycle;
  readonly scaling: AsgController;
  readonly natGateways: NatGatewayLifecycle;
  readonly loadBalancing: LoadBalancing;
  readonly volumes: VolumeLifecycle;

  constructor(readonly deps: AwsWorldDeps) {
    this.instances = new InstanceLifecycle(this);
    this.scaling = new AsgController(this);
    this.natGateways = new NatGatewayLifecycle(this);
    this.loadBalancing = new LoadBalancing(this);
    this.volumes = new VolumeLifecycle(this);
  }

  get clock(): SimClock {
    return this.deps.clock;
  }

  now(): number {
    return this.deps.clock.now();
  }

  /** An AWS-looking id: `vpc-0123456789abcdef0`. */
  newId(prefix: string, length = 17): string {
    return `${prefix}-${this.deps.random.hex(length)}`;
  }

  changed(): void {
    this.deps.onChange();
  }

  /** Writes an object as S3 stores a PUT (its ETag is the MD5 of the body). */
  putObject(bucket: Bucket, key: string, data: Buffer, extra: Pick<S3Object, 'contentType' | 'serverSideEncryption'> = {}): S3Object {
    const object: S3Object = { body: data.toString('base64'), etag: `"${createHash('md5').update(data).digest('hex')}"`, lastModified: this.now(), ...extra };
    bucket.objects[key] = object;
    this.changed();
    return object;
  }

  asgKey(region: string, name: string): string {
    return `${region}/${name}`;
  }

  findAsg(region: string, name: string): AutoScalingGroup | undefined {
    return this.state.autoScalingGroups[this.asgKey(region, name)];
  }

  snapshot(): unknown {
    return this.state;
  }

  restore(data: unknown): void {
    this.state = { ...emptyWorldState(), ...(data as Partial<AwsWorldState>) };
    this.instances.resumeTransitions();
    this.natGateways.resumeTransitions();
    this.volumes.resumeTransitions();
    this.scaling.reconcileAll();
  }
}
