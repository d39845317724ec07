// The internet gateway and its attachment to the cluster's VPC.
import { AttachInternetGatewayCommand, CreateInternetGatewayCommand, DetachInternetGatewayCommand, type InternetGateway } from '@aws-sdk/client-ec2';
import { clusterTags, type TagMap } from '../../cloud/aws/tags.js';
import { compareFields, compareTags, idOrPending, requireId, taskKey, type Task } from '../task.js';
import { applyTagChanges, nameTagIs, tagSpecification, tagsOf } from './ec2-tags.js';
import { vpcKey } from './vpc.js';

export interface InternetGatewayDesired {
  vpcId: string;
  tags: TagMap;
}

export const internetGatewayKey = (cluster: string): string => taskKey('InternetGateway', cluster);

export function internetGatewayTask(cluster: string): Task<InternetGatewayDesired, InternetGateway> {
  return {
    key: internetGatewayKey(cluster),
    kind: 'InternetGateway',
    name: cluster,
    dependencies: [vpcKey(cluster)],
    desired: (ctx) => ({ vpcId: idOrPending(ctx, vpcKey(cluster)), tags: clusterTags(cluster, cluster) }),
    find: (ctx) => ctx.snapshot.internetGateways.find(nameTagIs(cluster)) ?? null,
    idOf: (igw) => igw.InternetGatewayId!,
    diff: (desired, actual) => [
      ...compareFields([['VPC', desired.vpcId, attachedVpc(actual)]]),
      ...compareTags(desired.tags, tagsOf(actual)),
    ],
    describe: (d) => ({ VPC: d.vpcId }),
    async apply(ctx, change) {
      const vpcId = requireId(ctx, vpcKey(cluster));
      let id = change.actual?.InternetGatewayId;
      if (!id) {
        const out = await ctx.clients.ec2.send(new CreateInternetGatewayCommand({ TagSpecifications: tagSpecification('internet-gateway', change.desired.tags) }));
        id = out.InternetGateway!.InternetGatewayId!;
        await ctx.clients.ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: id, VpcId: vpcId }));
        return id;
      }
      const current = attachedVpc(change.actual!);
      if (current !== vpcId) {
        if (current) await ctx.clients.ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: id, VpcId: current }));
        await ctx.clients.ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: id, VpcId: vpcId }));
      }
      await applyTagChanges(ctx, id, change.desired.tags, change.changes);
      return id;
    },
    terraform: (t, d) => [{ type: 'aws_internet_gateway', name: cluster, body: { tags: d.tags, vpc_id: t.ref(vpcKey(cluster), 'id') } }],
  };
}

function attachedVpc(igw: InternetGateway): string | undefined {
  return igw.Attachments?.find((a) => a.State !== 'detached' && a.State !== 'detaching')?.VpcId;
}
