// One NAT gateway per zone of a private topology, in the zone's utility
// (public) subnet with the zone's Elastic IP: the private subnets' way out.
// Apply waits until the gateway is available, so nodes that boot behind it
// have egress from the start.
import { CreateNatGatewayCommand, DescribeNatGatewaysCommand, type NatGateway } from '@aws-sdk/client-ec2';
import { isNotFoundError, isRetryableError } from '../../cloud/aws/errors.js';
import { clusterTags, type TagMap } from '../../cloud/aws/tags.js';
import { compareFields, compareTags, idOrPending, requireId, taskKey, type ReconcileContext, type Task } from '../task.js';
import { applyTagChanges, nameTagIs, refuseImmutable, tagSpecification, tagsOf } from './ec2-tags.js';
import { elasticIpKey, zoneResourceName } from './elastic-ip.js';

export interface NatGatewayDesired {
  subnetId: string;
  allocationId: string;
  tags: TagMap;
}

/** How long (clock ms) apply waits for a new gateway to become available, and how often it looks. */
export const NAT_AVAILABLE_TIMEOUT_MS = 10 * 60_000;
export const NAT_POLL_INTERVAL_MS = 5_000;

export const natGatewayKey = (cluster: string, zone: string): string => taskKey('NatGateway', zoneResourceName(cluster, zone));

/** Gateways being deleted (or gone) are not reused: a new one is made. */
const usable = (gateway: NatGateway): boolean => gateway.State === 'pending' || gateway.State === 'available';

export function natGatewayTask(cluster: string, zone: string, utilitySubnetKey: string): Task<NatGatewayDesired, NatGateway> {
  const key = natGatewayKey(cluster, zone);
  const name = zoneResourceName(cluster, zone);
  const addressKey = elasticIpKey(cluster, zone);
  return {
    key,
    kind: 'NatGateway',
    name,
    dependencies: [utilitySubnetKey, addressKey],
    desired: (ctx) => ({ subnetId: idOrPending(ctx, utilitySubnetKey), allocationId: idOrPending(ctx, addressKey), tags: clusterTags(cluster, zone) }),
    find: (ctx) => (ctx.snapshot.natGateways ?? []).find((g) => usable(g) && nameTagIs(name)(g)) ?? null,
    idOf: (gateway) => gateway.NatGatewayId!,
    diff: (desired, actual) => [
      ...compareFields([
        ['Subnet', desired.subnetId, actual.SubnetId],
        ['ElasticIP', desired.allocationId, actual.NatGatewayAddresses?.[0]?.AllocationId],
      ]),
      ...compareTags(desired.tags, tagsOf(actual)),
    ],
    describe: (d) => ({ Subnet: d.subnetId, ElasticIP: d.allocationId }),
    async apply(ctx, change) {
      if (!change.actual) {
        const out = await ctx.clients.ec2.send(
          new CreateNatGatewayCommand({
            SubnetId: requireId(ctx, utilitySubnetKey),
            AllocationId: requireId(ctx, addressKey),
            TagSpecifications: tagSpecification('natgateway', change.desired.tags),
          }),
        );
        const id = out.NatGateway!.NatGatewayId!;
        await waitUntilAvailable(ctx, id);
        return id;
      }
      const id = change.actual.NatGatewayId!;
      refuseImmutable(key, change.changes, ['Subnet', 'ElasticIP']);
      await applyTagChanges(ctx, id, change.desired.tags, change.changes);
      return id;
    },
    terraform: (t, d) => [
      { type: 'aws_nat_gateway', name, body: { allocation_id: t.ref(addressKey, 'id'), subnet_id: t.ref(utilitySubnetKey, 'id'), tags: d.tags } },
    ],
  };
}

async function waitUntilAvailable(ctx: ReconcileContext, id: string): Promise<void> {
  const deadline = ctx.clock.now() + NAT_AVAILABLE_TIMEOUT_MS;
  for (;;) {
    const gateway = await describeGateway(ctx, id);
    if (gateway?.State === 'available') return;
    if (gateway?.State === 'failed' || gateway?.State === 'deleted' || gateway?.State === 'deleting') {
      throw new Error(`NAT gateway ${id} is ${gateway.State}${gateway.FailureMessage ? `: ${gateway.FailureMessage}` : ''}`);
    }
    if (ctx.clock.now() >= deadline) throw new Error(`NAT gateway ${id} is still ${gateway?.State ?? 'not visible'}; re-run to finish`);
    await ctx.clock.sleep(NAT_POLL_INTERVAL_MS, ctx.signal);
  }
}

/**
 * The gateway, or undefined while AWS does not show it yet. Throttling and
 * not-found are waited out here rather than failing the task: a retry of the
 * whole task would create a second gateway.
 */
async function describeGateway(ctx: ReconcileContext, id: string): Promise<NatGateway | undefined> {
  try {
    const out = await ctx.clients.ec2.send(new DescribeNatGatewaysCommand({ NatGatewayIds: [id] }));
    return out.NatGateways?.[0];
  } catch (error) {
    if (isRetryableError(error) || isNotFoundError(error)) return undefined;
    throw error;
  }
}
