// EC2 through the real SDK client against the simulator: every operation
// kopsdeck uses round-trips, filters and pagination work, and bad requests
// raise the SDK's typed exceptions with AWS's codes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as ec2 from '@aws-sdk/client-ec2';
import { clientConfig, rejection, startFixture, type SimFixture } from '../helpers/sim-aws.js';

describe('simulated EC2', () => {
  let f: SimFixture;
  before(async () => {
    f = await startFixture();
  });
  after(() => f.close());

  it('lists the zones of the region the client signs for, and images by owner and name', async () => {
    const zones = await f.ec2.send(new ec2.DescribeAvailabilityZonesCommand({}));
    assert.deepEqual(zones.AvailabilityZones?.map((z) => z.ZoneName), ['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d', 'us-east-1e', 'us-east-1f']);
    const tokyo = new ec2.EC2Client(clientConfig(f.sim, { region: 'ap-northeast-1' }));
    const tokyoZones = await tokyo.send(new ec2.DescribeAvailabilityZonesCommand({}));
    assert.deepEqual(tokyoZones.AvailabilityZones?.map((z) => z.ZoneName), ['ap-northeast-1a', 'ap-northeast-1c', 'ap-northeast-1d']);
    tokyo.destroy();
    const images = await f.ec2.send(
      new ec2.DescribeImagesCommand({ Owners: ['099720109477'], Filters: [{ Name: 'name', Values: ['ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-*'] }] }),
    );
    assert.ok(images.Images!.length >= 1);
    assert.ok(images.Images!.every((i) => i.Name!.includes('noble') && i.Architecture === 'x86_64'));
    const missing = await rejection(() => f.ec2.send(new ec2.DescribeImagesCommand({ ImageIds: ['ami-00000000000000000'] })));
    assert.equal(missing.name, 'InvalidAMIID.NotFound');
  });

  it('creates, tags, filters, modifies and deletes a VPC', async () => {
    const created = await f.ec2.send(
      new ec2.CreateVpcCommand({ CidrBlock: '172.20.0.0/16', TagSpecifications: [{ ResourceType: 'vpc', Tags: [{ Key: 'KubernetesCluster', Value: 'a.example.com' }] }] }),
    );
    const vpcId = created.Vpc!.VpcId!;
    assert.match(vpcId, /^vpc-[0-9a-f]{17}$/);
    await f.ec2.send(new ec2.ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsHostnames: { Value: true } }));
    const attribute = await f.ec2.send(new ec2.DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute: 'enableDnsHostnames' }));
    assert.equal(attribute.EnableDnsHostnames?.Value, true);
    const byTag = await f.ec2.send(new ec2.DescribeVpcsCommand({ Filters: [{ Name: 'tag:KubernetesCluster', Values: ['a.example.com'] }] }));
    assert.deepEqual(byTag.Vpcs?.map((v) => v.VpcId), [vpcId]);
    const byOtherTag = await f.ec2.send(new ec2.DescribeVpcsCommand({ Filters: [{ Name: 'tag:KubernetesCluster', Values: ['b.example.com'] }] }));
    assert.equal(byOtherTag.Vpcs?.length, 0);
    await f.ec2.send(new ec2.DeleteVpcCommand({ VpcId: vpcId }));
    const gone = await rejection(() => f.ec2.send(new ec2.DescribeVpcsCommand({ VpcIds: [vpcId] })));
    assert.equal(gone.name, 'InvalidVpcID.NotFound');
    assert.ok(gone instanceof ec2.EC2ServiceException);
  });

  it('builds a network: subnets, internet gateway, route table, routes and associations', async () => {
    const vpcId = (await f.ec2.send(new ec2.CreateVpcCommand({ CidrBlock: '10.1.0.0/16' }))).Vpc!.VpcId!;
    const subnet = await f.ec2.send(new ec2.CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.1.32.0/19', AvailabilityZone: 'us-east-1b' }));
    const subnetId = subnet.Subnet!.SubnetId!;
    assert.equal(subnet.Subnet!.AvailabilityZone, 'us-east-1b');
    const clash = await rejection(() => f.ec2.send(new ec2.CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.1.32.0/20', AvailabilityZone: 'us-east-1a' })));
    assert.equal(clash.name, 'InvalidSubnet.Conflict');
    const badZone = await rejection(() => f.ec2.send(new ec2.CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.1.64.0/19', AvailabilityZone: 'us-east-1z' })));
    assert.equal(badZone.name, 'InvalidParameterValue');
    const inVpc = await f.ec2.send(new ec2.DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }));
    assert.deepEqual(inVpc.Subnets?.map((s) => s.SubnetId), [subnetId]);

    const igwId = (await f.ec2.send(new ec2.CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
    await f.ec2.send(new ec2.AttachInternetGatewayCommand({ InternetGatewayId: igwId, VpcId: vpcId }));
    const attached = await f.ec2.send(new ec2.DescribeInternetGatewaysCommand({ Filters: [{ Name: 'attachment.vpc-id', Values: [vpcId] }] }));
    assert.deepEqual(attached.InternetGateways?.map((g) => g.InternetGatewayId), [igwId]);
    assert.equal(attached.InternetGateways?.[0].Attachments?.[0].State, 'available');

    const tableId = (await f.ec2.send(new ec2.CreateRouteTableCommand({ VpcId: vpcId }))).RouteTable!.RouteTableId!;
    await f.ec2.send(new ec2.CreateRouteCommand({ RouteTableId: tableId, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igwId }));
    const duplicate = await rejection(() => f.ec2.send(new ec2.CreateRouteCommand({ RouteTableId: tableId, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igwId })));
    assert.equal(duplicate.name, 'RouteAlreadyExists');
    const association = await f.ec2.send(new ec2.AssociateRouteTableCommand({ RouteTableId: tableId, SubnetId: subnetId }));
    const tables = await f.ec2.send(new ec2.DescribeRouteTablesCommand({ Filters: [{ Name: 'association.subnet-id', Values: [subnetId] }] }));
    assert.equal(tables.RouteTables?.[0].RouteTableId, tableId);
    assert.deepEqual(tables.RouteTables?.[0].Routes?.map((r) => [r.DestinationCidrBlock, r.GatewayId]), [['10.1.0.0/16', 'local'], ['0.0.0.0/0', igwId]]);

    const busy = await rejection(() => f.ec2.send(new ec2.DeleteVpcCommand({ VpcId: vpcId })));
    assert.equal(busy.name, 'DependencyViolation');
    await f.ec2.send(new ec2.DisassociateRouteTableCommand({ AssociationId: association.AssociationId }));
    await f.ec2.send(new ec2.DeleteRouteCommand({ RouteTableId: tableId, DestinationCidrBlock: '0.0.0.0/0' }));
    await f.ec2.send(new ec2.DeleteRouteTableCommand({ RouteTableId: tableId }));
    await f.ec2.send(new ec2.DetachInternetGatewayCommand({ InternetGatewayId: igwId, VpcId: vpcId }));
    await f.ec2.send(new ec2.DeleteInternetGatewayCommand({ InternetGatewayId: igwId }));
    await f.ec2.send(new ec2.DeleteSubnetCommand({ SubnetId: subnetId }));
    await f.ec2.send(new ec2.DeleteVpcCommand({ VpcId: vpcId }));
    const igwGone = await rejection(() => f.ec2.send(new ec2.DescribeInternetGatewaysCommand({ InternetGatewayIds: [igwId] })));
    assert.equal(igwGone.name, 'InvalidInternetGatewayID.NotFound');
  });

  it('manages security groups and their ingress and egress rules', async () => {
    const vpcId = (await f.ec2.send(new ec2.CreateVpcCommand({ CidrBlock: '10.2.0.0/16' }))).Vpc!.VpcId!;
    const nodes = await f.ec2.send(new ec2.CreateSecurityGroupCommand({ GroupName: 'nodes.x', Description: 'nodes', VpcId: vpcId, TagSpecifications: [{ ResourceType: 'security-group', Tags: [{ Key: 'KubernetesCluster', Value: 'x' }] }] }));
    const masters = await f.ec2.send(new ec2.CreateSecurityGroupCommand({ GroupName: 'masters.x', Description: 'masters', VpcId: vpcId }));
    await f.ec2.send(
      new ec2.AuthorizeSecurityGroupIngressCommand({
        GroupId: masters.GroupId,
        IpPermissions: [
          { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'api' }] },
          { IpProtocol: '-1', UserIdGroupPairs: [{ GroupId: nodes.GroupId }] },
        ],
      }),
    );
    const again = await rejection(() =>
      f.ec2.send(new ec2.AuthorizeSecurityGroupIngressCommand({ GroupId: masters.GroupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] })),
    );
    assert.equal(again.name, 'InvalidPermission.Duplicate');
    await f.ec2.send(new ec2.AuthorizeSecurityGroupEgressCommand({ GroupId: nodes.GroupId, IpPermissions: [{ IpProtocol: 'udp', FromPort: 53, ToPort: 53, IpRanges: [{ CidrIp: '10.0.0.0/8' }] }] }));
    const described = await f.ec2.send(new ec2.DescribeSecurityGroupsCommand({ GroupIds: [masters.GroupId!] }));
    const ingress = described.SecurityGroups![0].IpPermissions!;
    assert.deepEqual(ingress.find((p) => p.IpProtocol === 'tcp')?.IpRanges?.map((r) => r.CidrIp), ['0.0.0.0/0']);
    assert.deepEqual(ingress.find((p) => p.IpProtocol === '-1')?.UserIdGroupPairs?.map((g) => g.GroupId), [nodes.GroupId]);
    const rules = await f.ec2.send(new ec2.DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [nodes.GroupId!] }] }));
    assert.ok(rules.SecurityGroupRules!.some((r) => r.IsEgress && r.IpProtocol === 'udp' && r.FromPort === 53));
    const byTag = await f.ec2.send(new ec2.DescribeSecurityGroupsCommand({ Filters: [{ Name: 'tag-key', Values: ['KubernetesCluster'] }] }));
    assert.deepEqual(byTag.SecurityGroups?.map((g) => g.GroupId), [nodes.GroupId]);

    const referenced = await rejection(() => f.ec2.send(new ec2.DeleteSecurityGroupCommand({ GroupId: nodes.GroupId })));
    assert.equal(referenced.name, 'DependencyViolation');
    const apiRule = rules.SecurityGroupRules!.find((r) => r.IsEgress && r.IpProtocol === 'udp')!;
    await f.ec2.send(new ec2.RevokeSecurityGroupEgressCommand({ GroupId: nodes.GroupId, SecurityGroupRuleIds: [apiRule.SecurityGroupRuleId!] }));
    await f.ec2.send(new ec2.RevokeSecurityGroupIngressCommand({ GroupId: masters.GroupId, IpPermissions: [{ IpProtocol: '-1', UserIdGroupPairs: [{ GroupId: nodes.GroupId }] }] }));
    await f.ec2.send(new ec2.DeleteSecurityGroupCommand({ GroupId: nodes.GroupId }));
    const gone = await rejection(() => f.ec2.send(new ec2.DescribeSecurityGroupsCommand({ GroupIds: [nodes.GroupId!] })));
    assert.equal(gone.name, 'InvalidGroup.NotFound');
  });

  it('versions launch templates and resolves $Latest and $Default', async () => {
    const name = 'nodes.lt.example.com';
    const created = await f.ec2.send(
      new ec2.CreateLaunchTemplateCommand({
        LaunchTemplateName: name,
        LaunchTemplateData: {
          ImageId: 'ami-0a1b2c3d4e5f60001',
          InstanceType: 't3.medium',
          UserData: Buffer.from('export KUBERNETES_VERSION=1.30.0').toString('base64'),
          TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: name }] }],
        },
        TagSpecifications: [{ ResourceType: 'launch-template', Tags: [{ Key: 'KubernetesCluster', Value: 'lt.example.com' }] }],
      }),
    );
    const id = created.LaunchTemplate!.LaunchTemplateId!;
    const duplicate = await rejection(() => f.ec2.send(new ec2.CreateLaunchTemplateCommand({ LaunchTemplateName: name, LaunchTemplateData: {} })));
    assert.equal(duplicate.name, 'InvalidLaunchTemplateName.AlreadyExistsException');
    const v2 = await f.ec2.send(new ec2.CreateLaunchTemplateVersionCommand({ LaunchTemplateId: id, SourceVersion: '1', LaunchTemplateData: { InstanceType: 't3.large' } }));
    assert.equal(v2.LaunchTemplateVersion?.VersionNumber, 2);
    assert.equal(v2.LaunchTemplateVersion?.LaunchTemplateData?.ImageId, 'ami-0a1b2c3d4e5f60001', 'fields come from the source version');
    const latest = await f.ec2.send(new ec2.DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: id, Versions: ['$Latest'] }));
    assert.equal(latest.LaunchTemplateVersions?.[0].LaunchTemplateData?.InstanceType, 't3.large');
    let def = await f.ec2.send(new ec2.DescribeLaunchTemplateVersionsCommand({ LaunchTemplateName: name, Versions: ['$Default'] }));
    assert.equal(def.LaunchTemplateVersions?.[0].VersionNumber, 1);
    assert.equal(def.LaunchTemplateVersions?.[0].LaunchTemplateData?.TagSpecifications?.[0].Tags?.[0].Value, name);
    await f.ec2.send(new ec2.ModifyLaunchTemplateCommand({ LaunchTemplateId: id, DefaultVersion: '2' }));
    def = await f.ec2.send(new ec2.DescribeLaunchTemplateVersionsCommand({ LaunchTemplateName: name, Versions: ['$Default'] }));
    assert.equal(def.LaunchTemplateVersions?.[0].VersionNumber, 2);
    const listed = await f.ec2.send(new ec2.DescribeLaunchTemplatesCommand({ Filters: [{ Name: 'tag:KubernetesCluster', Values: ['lt.example.com'] }] }));
    assert.deepEqual(listed.LaunchTemplates?.map((t) => [t.LaunchTemplateName, t.DefaultVersionNumber, t.LatestVersionNumber]), [[name, 2, 2]]);
    await f.ec2.send(new ec2.DeleteLaunchTemplateCommand({ LaunchTemplateId: id }));
    const gone = await rejection(() => f.ec2.send(new ec2.DescribeLaunchTemplatesCommand({ LaunchTemplateNames: [name] })));
    assert.equal(gone.name, 'InvalidLaunchTemplateName.NotFoundException');
  });

  it('creates, describes and deletes tags on any resource', async () => {
    const vpcId = (await f.ec2.send(new ec2.CreateVpcCommand({ CidrBlock: '10.3.0.0/16' }))).Vpc!.VpcId!;
    await f.ec2.send(new ec2.CreateTagsCommand({ Resources: [vpcId], Tags: [{ Key: 'team', Value: 'infra' }, { Key: 'env', Value: 'dev' }] }));
    const tags = await f.ec2.send(new ec2.DescribeTagsCommand({ Filters: [{ Name: 'resource-id', Values: [vpcId] }] }));
    assert.deepEqual(tags.Tags?.map((t) => `${t.Key}=${t.Value}:${t.ResourceType}`).sort(), ['env=dev:vpc', 'team=infra:vpc']);
    await f.ec2.send(new ec2.DeleteTagsCommand({ Resources: [vpcId], Tags: [{ Key: 'team' }] }));
    const after = await f.ec2.send(new ec2.DescribeVpcsCommand({ VpcIds: [vpcId] }));
    assert.deepEqual(after.Vpcs?.[0].Tags, [{ Key: 'env', Value: 'dev' }]);
    const missing = await rejection(() => f.ec2.send(new ec2.CreateTagsCommand({ Resources: ['vpc-00000000000000000'], Tags: [{ Key: 'a', Value: 'b' }] })));
    assert.equal(missing.name, 'InvalidVpcID.NotFound');
    assert.equal(missing.$metadata?.httpStatusCode, 400);
  });

  it('answers unknown instances with InvalidInstanceID.NotFound and bad filters with InvalidParameterValue', async () => {
    const missing = await rejection(() => f.ec2.send(new ec2.TerminateInstancesCommand({ InstanceIds: ['i-0123456789abcdef0'] })));
    assert.equal(missing.name, 'InvalidInstanceID.NotFound');
    const badFilter = await rejection(() => f.ec2.send(new ec2.DescribeInstancesCommand({ Filters: [{ Name: 'no-such-filter', Values: ['x'] }] })));
    assert.equal(badFilter.name, 'InvalidParameterValue');
  });
});
