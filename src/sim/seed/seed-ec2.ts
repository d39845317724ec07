// The EC2 part of a kops layout, through the SDK: the VPC and its public
// subnets, internet gateway and route table; the masters/nodes (and api-elb)
// security groups with kops' rules; one launch template per instance group.
import {
  AssociateRouteTableCommand,
  AttachInternetGatewayCommand,
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateInternetGatewayCommand,
  CreateLaunchTemplateCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeImagesCommand,
  ModifyVpcAttributeCommand,
  type EC2Client,
  type IpPermission,
  type ResourceType,
  type TagSpecification,
  type _InstanceType,
} from '@aws-sdk/client-ec2';
import { clusterTags, groupName, instanceGroupTags, kopsRules, securityGroupName, subnetCidr, type KopsInstanceGroup, type KopsLayout, type KopsRule, type Tags } from './kops-layout.js';
import { nodeupConfig, nodeupConfigHash, nodeupUserData } from './nodeup.js';

const tagList = (tags: Tags) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
const tagSpec = (type: ResourceType, tags: Tags): TagSpecification[] => [{ ResourceType: type, Tags: tagList(tags) }];

/** kops resolves `<owner>/<name>` to the newest image of that name (DescribeImages). */
export async function resolveImageId(ec2: EC2Client, image: string): Promise<string> {
  const slash = image.indexOf('/');
  const out = await ec2.send(new DescribeImagesCommand({ Owners: [image.slice(0, slash)], Filters: [{ Name: 'name', Values: [image.slice(slash + 1)] }] }));
  const newest = (out.Images ?? []).sort((a, b) => String(b.CreationDate).localeCompare(String(a.CreationDate)))[0];
  if (!newest?.ImageId) throw new Error(`image ${image} was not found`);
  return newest.ImageId;
}

export interface Network {
  vpcId: string;
  /** Subnet id by zone. */
  subnetIds: Map<string, string>;
}

export async function createNetwork(ec2: EC2Client, layout: KopsLayout): Promise<Network> {
  const c = layout.cluster;
  const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: layout.networkCIDR, TagSpecifications: tagSpec('vpc', clusterTags(c, c)) }));
  const vpcId = vpc.Vpc!.VpcId!;
  await ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsSupport: { Value: true } }));
  await ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsHostnames: { Value: true } }));
  const gateway = await ec2.send(new CreateInternetGatewayCommand({ TagSpecifications: tagSpec('internet-gateway', clusterTags(c, c)) }));
  const gatewayId = gateway.InternetGateway!.InternetGatewayId!;
  await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: gatewayId, VpcId: vpcId }));
  const table = await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId, TagSpecifications: tagSpec('route-table', { ...clusterTags(c, c), 'kubernetes.io/kops/role': 'public' }) }));
  const tableId = table.RouteTable!.RouteTableId!;
  await ec2.send(new CreateRouteCommand({ RouteTableId: tableId, DestinationCidrBlock: '0.0.0.0/0', GatewayId: gatewayId }));
  const subnetIds = new Map<string, string>();
  for (const [i, zone] of layout.zones.entries()) {
    const tags = { ...clusterTags(c, `${zone}.${c}`), SubnetType: 'Public', 'kubernetes.io/role/elb': '1', 'kubernetes.io/role/internal-elb': '1' };
    const subnet = await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: subnetCidr(i), AvailabilityZone: zone, TagSpecifications: tagSpec('subnet', tags) }));
    subnetIds.set(zone, subnet.Subnet!.SubnetId!);
    await ec2.send(new AssociateRouteTableCommand({ RouteTableId: tableId, SubnetId: subnet.Subnet!.SubnetId! }));
  }
  return { vpcId, subnetIds };
}

export type GroupIds = Partial<Record<KopsRule['group'], string>> & { masters: string; nodes: string };

const DESCRIPTIONS: Record<KopsRule['group'], string> = { masters: 'Security group for masters', nodes: 'Security group for nodes', 'api-elb': 'Security group for api ELB' };

export async function createSecurityGroups(ec2: EC2Client, layout: KopsLayout, vpcId: string): Promise<GroupIds> {
  const roles: KopsRule['group'][] = layout.apiLoadBalancer ? ['api-elb', 'masters', 'nodes'] : ['masters', 'nodes'];
  const ids: Partial<Record<KopsRule['group'], string>> = {};
  for (const role of roles) {
    const name = securityGroupName(layout, role);
    const out = await ec2.send(new CreateSecurityGroupCommand({ GroupName: name, Description: DESCRIPTIONS[role], VpcId: vpcId, TagSpecifications: tagSpec('security-group', clusterTags(layout.cluster, name)) }));
    ids[role] = out.GroupId!;
  }
  for (const rule of kopsRules(layout)) {
    const permission: IpPermission = { IpProtocol: rule.protocol };
    if (rule.protocol !== '-1') Object.assign(permission, { FromPort: rule.fromPort, ToPort: rule.toPort });
    if (rule.cidr?.includes(':')) permission.Ipv6Ranges = [{ CidrIpv6: rule.cidr }];
    else if (rule.cidr) permission.IpRanges = [{ CidrIp: rule.cidr }];
    if (rule.sourceGroup) permission.UserIdGroupPairs = [{ GroupId: ids[rule.sourceGroup] }];
    const input = { GroupId: ids[rule.group], IpPermissions: [permission] };
    if (rule.egress) await ec2.send(new AuthorizeSecurityGroupEgressCommand(input));
    else await ec2.send(new AuthorizeSecurityGroupIngressCommand(input));
  }
  return ids as GroupIds;
}

/** A launch template as kops makes it: nodeup user-data, its instance profile, an encrypted gp3 root volume, IMDSv2. */
export async function createLaunchTemplate(ec2: EC2Client, layout: KopsLayout, ig: KopsInstanceGroup, refs: { imageId: string; securityGroupId: string }): Promise<string> {
  const name = groupName(layout, ig);
  const tags = instanceGroupTags(layout, ig);
  const userData = nodeupUserData(layout, ig, nodeupConfigHash(nodeupConfig(layout, ig)));
  const out = await ec2.send(
    new CreateLaunchTemplateCommand({
      LaunchTemplateName: name,
      TagSpecifications: tagSpec('launch-template', tags),
      LaunchTemplateData: {
        ImageId: refs.imageId,
        InstanceType: ig.machineType as _InstanceType,
        IamInstanceProfile: { Name: `${ig.role === 'ControlPlane' ? 'masters' : 'nodes'}.${layout.cluster}` },
        BlockDeviceMappings: [
          { DeviceName: '/dev/sda1', Ebs: { DeleteOnTermination: true, Encrypted: true, Iops: 3000, Throughput: 125, VolumeSize: ig.rootVolumeSize, VolumeType: 'gp3' } },
        ],
        MetadataOptions: { HttpEndpoint: 'enabled', HttpProtocolIpv6: 'disabled', HttpPutResponseHopLimit: ig.hopLimit, HttpTokens: 'required' },
        Monitoring: { Enabled: false },
        NetworkInterfaces: [{ DeviceIndex: 0, AssociatePublicIpAddress: true, DeleteOnTermination: true, Ipv6AddressCount: 0, Groups: [refs.securityGroupId] }],
        TagSpecifications: [
          { ResourceType: 'instance', Tags: tagList(tags) },
          { ResourceType: 'volume', Tags: tagList(tags) },
          { ResourceType: 'network-interface', Tags: tagList(tags) },
        ],
        UserData: Buffer.from(userData, 'utf8').toString('base64'),
      },
    }),
  );
  return out.LaunchTemplate!.LaunchTemplateId!;
}
