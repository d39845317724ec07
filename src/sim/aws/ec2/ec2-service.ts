// EC2 over its query protocol: the action table and the response envelope.
import { AwsError } from '../aws-error.js';
import type { AwsRequest, AwsService } from '../aws-service.js';
import { queryAction, queryParams, sendEc2, sendEc2Error } from '../query-protocol.js';
import type { Ec2Handler } from './ec2-common.js';
import * as instances from './ec2-instances.js';
import * as keyPairs from './ec2-key-pairs.js';
import * as nat from './ec2-nat-gateways.js';
import * as templates from './ec2-launch-templates.js';
import * as routing from './ec2-routing.js';
import * as groups from './ec2-security-groups.js';
import * as tags from './ec2-tags.js';
import * as volumes from './ec2-volumes.js';
import * as vpcs from './ec2-vpcs.js';

const ACTIONS: Record<string, Ec2Handler> = {
  DescribeAvailabilityZones: instances.describeAvailabilityZones,
  DescribeImages: instances.describeImages,
  DescribeInstances: instances.describeInstances,
  TerminateInstances: instances.terminateInstances,
  GetConsoleOutput: instances.getConsoleOutput,
  DescribeInstanceTypeOfferings: instances.describeInstanceTypeOfferings,
  CreateVpc: vpcs.createVpc,
  DescribeVpcs: vpcs.describeVpcs,
  DeleteVpc: vpcs.deleteVpc,
  ModifyVpcAttribute: vpcs.modifyVpcAttribute,
  DescribeVpcAttribute: vpcs.describeVpcAttribute,
  CreateSubnet: vpcs.createSubnet,
  DescribeSubnets: vpcs.describeSubnets,
  DeleteSubnet: vpcs.deleteSubnet,
  CreateInternetGateway: routing.createInternetGateway,
  AttachInternetGateway: routing.attachInternetGateway,
  DetachInternetGateway: routing.detachInternetGateway,
  DescribeInternetGateways: routing.describeInternetGateways,
  DeleteInternetGateway: routing.deleteInternetGateway,
  CreateRouteTable: routing.createRouteTable,
  DescribeRouteTables: routing.describeRouteTables,
  DeleteRouteTable: routing.deleteRouteTable,
  CreateRoute: routing.createRoute,
  DeleteRoute: routing.deleteRoute,
  ReplaceRoute: routing.replaceRoute,
  AssociateRouteTable: routing.associateRouteTable,
  DisassociateRouteTable: routing.disassociateRouteTable,
  AllocateAddress: nat.allocateAddress,
  DescribeAddresses: nat.describeAddresses,
  ReleaseAddress: nat.releaseAddress,
  CreateNatGateway: nat.createNatGateway,
  DescribeNatGateways: nat.describeNatGateways,
  DeleteNatGateway: nat.deleteNatGateway,
  CreateSecurityGroup: groups.createSecurityGroup,
  DescribeSecurityGroups: groups.describeSecurityGroups,
  DeleteSecurityGroup: groups.deleteSecurityGroup,
  AuthorizeSecurityGroupIngress: groups.authorizeSecurityGroupIngress,
  AuthorizeSecurityGroupEgress: groups.authorizeSecurityGroupEgress,
  RevokeSecurityGroupIngress: groups.revokeSecurityGroupIngress,
  RevokeSecurityGroupEgress: groups.revokeSecurityGroupEgress,
  DescribeSecurityGroupRules: groups.describeSecurityGroupRules,
  CreateLaunchTemplate: templates.createLaunchTemplate,
  CreateLaunchTemplateVersion: templates.createLaunchTemplateVersion,
  DescribeLaunchTemplates: templates.describeLaunchTemplates,
  DescribeLaunchTemplateVersions: templates.describeLaunchTemplateVersions,
  ModifyLaunchTemplate: templates.modifyLaunchTemplate,
  DeleteLaunchTemplate: templates.deleteLaunchTemplate,
  CreateVolume: volumes.createVolume,
  DescribeVolumes: volumes.describeVolumes,
  DeleteVolume: volumes.deleteVolume,
  AttachVolume: volumes.attachVolume,
  DetachVolume: volumes.detachVolume,
  ImportKeyPair: keyPairs.importKeyPair,
  DescribeKeyPairs: keyPairs.describeKeyPairs,
  DeleteKeyPair: keyPairs.deleteKeyPair,
  CreateTags: tags.createTags,
  DeleteTags: tags.deleteTags,
  DescribeTags: tags.describeTags,
};

export class Ec2Service implements AwsService {
  readonly name = 'ec2';
  readonly throttleError = { code: 'RequestLimitExceeded', status: 503 };

  action(request: AwsRequest): string {
    return queryAction(request);
  }

  handle(request: AwsRequest, action: string): void {
    const handler = ACTIONS[action];
    if (!handler) throw new AwsError('InvalidAction', `The action ${action} is not valid for this web service.`);
    const params = queryParams(request);
    if (params.bool('DryRun')) {
      throw new AwsError('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', 412);
    }
    const result = handler({ params, region: request.region, world: request.world });
    sendEc2(request, action, result);
  }

  sendError(request: AwsRequest, error: AwsError): void {
    sendEc2Error(request, error);
  }
}
