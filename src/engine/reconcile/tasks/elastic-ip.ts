// The Elastic IP a zone's NAT gateway egresses from (private topology), named
// `<zone>.<cluster>` as kops names it.
import { AllocateAddressCommand, type Address } from '@aws-sdk/client-ec2';
import { clusterTags, type TagMap } from '../../cloud/aws/tags.js';
import { compareTags, taskKey, type Task } from '../task.js';
import { applyTagChanges, nameTagIs, tagSpecification, tagsOf } from './ec2-tags.js';

export interface ElasticIpDesired {
  tags: TagMap;
}

export const zoneResourceName = (cluster: string, zone: string): string => `${zone}.${cluster}`;
export const elasticIpKey = (cluster: string, zone: string): string => taskKey('ElasticIP', zoneResourceName(cluster, zone));

export function elasticIpTask(cluster: string, zone: string): Task<ElasticIpDesired, Address> {
  const name = zoneResourceName(cluster, zone);
  return {
    key: elasticIpKey(cluster, zone),
    kind: 'ElasticIP',
    name,
    dependencies: [],
    desired: () => ({ tags: clusterTags(cluster, zone) }),
    find: (ctx) => (ctx.snapshot.addresses ?? []).find(nameTagIs(name)) ?? null,
    idOf: (address) => address.AllocationId!,
    diff: (desired, actual) => compareTags(desired.tags, tagsOf(actual)),
    describe: () => ({ Domain: 'vpc' }),
    async apply(ctx, change) {
      if (!change.actual) {
        const out = await ctx.clients.ec2.send(new AllocateAddressCommand({ Domain: 'vpc', TagSpecifications: tagSpecification('elastic-ip', change.desired.tags) }));
        return out.AllocationId!;
      }
      const id = change.actual.AllocationId!;
      await applyTagChanges(ctx, id, change.desired.tags, change.changes);
      return id;
    },
    terraform: (_t, d) => [{ type: 'aws_eip', name, body: { domain: 'vpc', tags: d.tags } }],
  };
}
