// Subnets, one per spec subnet (a zone each): Public, Private, or Utility (the
// public subnets that sit in front of private ones).
import { CreateSubnetCommand, type Subnet } from '@aws-sdk/client-ec2';
import type { ClusterSubnet } from '../../spec/types.js';
import { clusterTags, type TagMap } from '../../cloud/aws/tags.js';
import { compareFields, compareTags, idOrPending, requireId, taskKey, type Task } from '../task.js';
import { applyTagChanges, nameTagIs, refuseImmutable, tagSpecification, tagsOf } from './ec2-tags.js';
import { vpcKey } from './vpc.js';

export interface SubnetDesired {
  vpcId: string;
  cidr: string;
  zone: string;
  tags: TagMap;
}

export const subnetName = (cluster: string, subnet: { name: string }): string => `${subnet.name}.${cluster}`;
export const subnetKey = (cluster: string, subnet: { name: string }): string => taskKey('Subnet', subnetName(cluster, subnet));

export function subnetTags(cluster: string, subnet: ClusterSubnet): TagMap {
  const tags = clusterTags(cluster, subnet.name);
  tags.SubnetType = subnet.type;
  // Where Kubernetes puts load balancers, as kops tags them.
  if (subnet.type === 'Private') tags['kubernetes.io/role/internal-elb'] = '1';
  else tags['kubernetes.io/role/elb'] = '1';
  return tags;
}

export function subnetTask(cluster: string, subnet: ClusterSubnet): Task<SubnetDesired, Subnet> {
  const key = subnetKey(cluster, subnet);
  const name = subnetName(cluster, subnet);
  return {
    key,
    kind: 'Subnet',
    name,
    dependencies: [vpcKey(cluster)],
    // Present: checkModel refuses a subnet without an IPv4 range before any task is built.
    desired: (ctx) => ({ vpcId: idOrPending(ctx, vpcKey(cluster)), cidr: subnet.cidr!, zone: subnet.zone, tags: subnetTags(cluster, subnet) }),
    find: (ctx) => ctx.snapshot.subnets.find(nameTagIs(name)) ?? null,
    idOf: (s) => s.SubnetId!,
    diff: (desired, actual) => [
      ...compareFields([
        ['VPC', desired.vpcId, actual.VpcId],
        ['CIDR', desired.cidr, actual.CidrBlock],
        ['AvailabilityZone', desired.zone, actual.AvailabilityZone],
      ]),
      ...compareTags(desired.tags, tagsOf(actual)),
    ],
    describe: (d) => ({ VPC: d.vpcId, CIDR: d.cidr, AvailabilityZone: d.zone, SubnetType: subnet.type }),
    async apply(ctx, change) {
      const { desired } = change;
      if (!change.actual) {
        const out = await ctx.clients.ec2.send(
          new CreateSubnetCommand({
            VpcId: requireId(ctx, vpcKey(cluster)),
            CidrBlock: desired.cidr,
            AvailabilityZone: desired.zone,
            TagSpecifications: tagSpecification('subnet', desired.tags),
          }),
        );
        return out.Subnet!.SubnetId!;
      }
      const id = change.actual.SubnetId!;
      refuseImmutable(key, change.changes, ['VPC', 'CIDR', 'AvailabilityZone']);
      await applyTagChanges(ctx, id, desired.tags, change.changes);
      return id;
    },
    terraform: (t, d) => [
      {
        type: 'aws_subnet',
        name,
        body: { availability_zone: d.zone, cidr_block: d.cidr, tags: d.tags, vpc_id: t.ref(vpcKey(cluster), 'id') },
        outputs: [{ name: `subnet_${subnet.name}_id`, value: t.ref(key, 'id') }],
      },
    ],
  };
}
