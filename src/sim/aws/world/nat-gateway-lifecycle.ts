// NAT gateways: created pending, available after a short delay; deleted
// through deleting, then still visible as deleted for an hour, as on AWS. The
// Elastic IP a gateway holds is let go only once the gateway is deleted.
import type { AwsWorld } from './aws-world.js';
import { allocateIp } from './instance-lifecycle.js';
import type { ElasticAddress, NatGateway, Subnet, Tags } from './types.js';

export const NAT_CREATE_DELAY_MS = 15_000;
export const NAT_DELETE_DELAY_MS = 10_000;
export const NAT_DELETED_VISIBLE_MS = 60 * 60_000;

export class NatGatewayLifecycle {
  constructor(private readonly world: AwsWorld) {}

  create(region: string, subnet: Subnet, address: ElasticAddress, tags: Tags): NatGateway {
    const { world } = this;
    const gateway: NatGateway = {
      id: world.newId('nat'),
      region,
      vpcId: subnet.vpcId,
      subnetId: subnet.id,
      allocationId: address.id,
      publicIp: address.publicIp,
      privateIp: allocateIp(subnet),
      state: 'pending',
      createdAt: world.now(),
      tags,
    };
    address.natGatewayId = gateway.id;
    address.associationId = world.newId('eipassoc');
    world.state.natGateways[gateway.id] = gateway;
    this.scheduleTransition(gateway, world.now() + NAT_CREATE_DELAY_MS);
    world.changed();
    return gateway;
  }

  delete(gateway: NatGateway): void {
    if (gateway.state === 'deleting' || gateway.state === 'deleted') return;
    gateway.state = 'deleting';
    this.scheduleTransition(gateway, this.world.now() + NAT_DELETE_DELAY_MS);
    this.world.changed();
  }

  /** Gateways of a region as DescribeNatGateways shows them (old deleted ones purged). */
  visible(region: string): Record<string, NatGateway> {
    const cutoff = this.world.now() - NAT_DELETED_VISIBLE_MS;
    const result: Record<string, NatGateway> = {};
    for (const gateway of Object.values(this.world.state.natGateways)) {
      if (gateway.state === 'deleted' && (gateway.deletedAt ?? 0) < cutoff) {
        delete this.world.state.natGateways[gateway.id];
        continue;
      }
      if (gateway.region === region) result[gateway.id] = gateway;
    }
    return result;
  }

  /** A gateway that is not deleted still holds its subnet and address. */
  live(gateway: NatGateway): boolean {
    return gateway.state !== 'deleted' && gateway.state !== 'failed';
  }

  /** After a restore: timers do not survive a restart, so re-arm them from the saved due times. */
  resumeTransitions(): void {
    for (const gateway of Object.values(this.world.state.natGateways)) {
      if (gateway.state === 'pending' || gateway.state === 'deleting') this.scheduleTransition(gateway, gateway.transitionAt ?? this.world.now());
    }
  }

  private scheduleTransition(gateway: NatGateway, at: number): void {
    gateway.transitionAt = at;
    this.world.clock.after(at - this.world.now(), () => this.advance(gateway.id));
  }

  private advance(id: string): void {
    const gateway = this.world.state.natGateways[id];
    if (!gateway) return;
    if (gateway.state === 'pending') {
      gateway.state = 'available';
    } else if (gateway.state === 'deleting') {
      gateway.state = 'deleted';
      gateway.deletedAt = this.world.now();
      const address = this.world.state.addresses[gateway.allocationId];
      if (address?.natGatewayId === gateway.id) {
        address.natGatewayId = undefined;
        address.associationId = undefined;
      }
    } else {
      return;
    }
    gateway.transitionAt = undefined;
    this.world.changed();
  }
}
