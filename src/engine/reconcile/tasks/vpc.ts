// VPC: the cluster's network, DNS hostnames on (instances get resolvable names).
import { CreateVpcCommand, ModifyVpcAttributeCommand } from '@aws-sdk/client-ec2';
import type { VpcWithAttributes } from '../../cloud/aws/discovery.js';
import { clusterTags, type TagMap } from '../../cloud/aws/tags.js';
import { compareFields, compareTags, taskKey, type Task } from '../task.js';
import { applyTagChanges, nameTagIs, nonTagChanges, refuseImmutable, tagSpecification, tagsOf } from './ec2-tags.js';
import { expr } from '../../terraform/hcl.js';
import { terraformLabel } from '../../terraform/types.js';

export interface VpcDesired {
  cidr: string;
  enableDnsHostnames: boolean;
  tags: TagMap;
}

export const vpcKey = (cluster: string): string => taskKey('VPC', cluster);

export function vpcTask(cluster: string, cidr: string): Task<VpcDesired, VpcWithAttributes> {
  const key = vpcKey(cluster);
  return {
    key,
    kind: 'VPC',
    name: cluster,
    dependencies: [],
    desired: () => ({ cidr, enableDnsHostnames: true, tags: clusterTags(cluster, cluster) }),
    find: (ctx) => ctx.snapshot.vpcs.find(nameTagIs(cluster)) ?? null,
    idOf: (vpc) => vpc.VpcId!,
    diff: (desired, actual) => [
      ...compareFields([
        ['CIDR', desired.cidr, actual.CidrBlock],
        ['EnableDNSHostnames', desired.enableDnsHostnames, actual.enableDnsHostnames ?? false],
      ]),
      ...compareTags(desired.tags, tagsOf(actual)),
    ],
    describe: (desired) => ({ CIDR: desired.cidr, EnableDNSHostnames: String(desired.enableDnsHostnames), Tags: String(Object.keys(desired.tags).length) + ' tags' }),
    async apply(ctx, change) {
      const { desired } = change;
      let id = change.actual?.VpcId;
      if (!id) {
        const out = await ctx.clients.ec2.send(new CreateVpcCommand({ CidrBlock: desired.cidr, TagSpecifications: tagSpecification('vpc', desired.tags) }));
        id = out.Vpc!.VpcId!;
        await ctx.clients.ec2.send(new ModifyVpcAttributeCommand({ VpcId: id, EnableDnsHostnames: { Value: true } }));
        return id;
      }
      refuseImmutable(key, change.changes, ['CIDR']);
      if (nonTagChanges(change.changes).some((c) => c.field === 'EnableDNSHostnames')) {
        await ctx.clients.ec2.send(new ModifyVpcAttributeCommand({ VpcId: id, EnableDnsHostnames: { Value: desired.enableDnsHostnames } }));
      }
      await applyTagChanges(ctx, id, desired.tags, change.changes);
      return id;
    },
    // DNS support is AWS's default, written out as kops does.
    terraform: (_t, d) => [
      {
        type: 'aws_vpc',
        name: cluster,
        body: { cidr_block: d.cidr, enable_dns_hostnames: d.enableDnsHostnames, enable_dns_support: true, tags: d.tags },
        outputs: [
          { name: 'vpc_id', value: expr(`aws_vpc.${terraformLabel(cluster)}.id`) },
          { name: 'vpc_cidr_block', value: expr(`aws_vpc.${terraformLabel(cluster)}.cidr_block`) },
        ],
      },
    ],
  };
}
