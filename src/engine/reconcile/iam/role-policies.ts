// The inline policy of each machine role, least privilege, with kops' policy
// for the control plane as the reference (kops pkg/model/iam/iam_builder.go:
// NodeRoleMaster, AddCCMPermissions, addEtcdManagerPermissions; its output in
// tests/integration/update_cluster/minimal-1.36). What differs from kops, and why:
// - State store: kops grants s3:Get* on the whole cluster prefix. Here the
//   control plane may only GetObject under pki/, secrets/, bootstrap/ and
//   addons/, PutObject the bootstrap lock files under bootstrap/ and the
//   bootstrap token (renewed by the control plane), and list the bucket's
//   key names, as kops allows (without ListBucket a missing key answers 403,
//   not 404).
//   Workers may read exactly two objects: the cluster CA certificate and the
//   bootstrap token, where the pki module keeps them.
// - No etcd-manager backups (kops' backups/etcd/*), no dns-controller
//   (Route 53), no EBS CSI driver, no cluster autoscaler, no node termination
//   handler (SQS), no ECR and no KMS grants: kopsdeck installs none of them;
//   each comes back with the add-on that needs it.
// - iam:CreateServiceLinkedRole (the cloud controller creating the first load
//   balancer of an account) is limited to Elastic Load Balancing's role.
// - Bastions get no policy at all (as kops).
import type { Cluster } from '../../spec/types.js';
import { TAG_CLUSTER } from '../../cloud/aws/tags.js';
import { arnPartition, type IamRoleKind } from '../../cloud/aws/iam-names.js';
import { secretEntry } from '../../pki/layout.js';
import { clusterConfigBase } from '../../bootstrap/user-data.js';
import { allow, policy, type PolicyDocument, type PolicyStatement } from './policy-document.js';

export interface RolePolicyInput {
  cluster: string;
  /** The region's ARN partition (aws, aws-cn, aws-us-gov). */
  partition: string;
  /** The state store URL; only an s3:// store is readable by instances. */
  stateStore?: string;
  networking?: string;
}

export function rolePolicyInput(cluster: Cluster, stateStore: string | undefined): RolePolicyInput {
  const zone = cluster.spec.subnets[0]?.zone;
  const networking = Object.keys(cluster.spec.networking ?? {})[0];
  return { cluster: cluster.metadata.name, partition: arnPartition(zone?.replace(/[a-z]$/, '')), stateStore, networking };
}

/** The trust policy of every role: EC2 instances may assume it (kops' aws_iam_role_*_policy). */
export const ASSUME_ROLE_POLICY: PolicyDocument = policy([{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }]);

/** The inline policy of a role; null for bastions, which need none. */
export function rolePolicy(kind: IamRoleKind, input: RolePolicyInput): PolicyDocument | null {
  if (kind === 'bastions') return null;
  return kind === 'masters' ? controlPlanePolicy(input) : nodePolicy(input);
}

interface S3Location {
  bucketArn: string;
  /** `<prefix>/<cluster>` inside the bucket. */
  base: string;
}

/** The cluster's ConfigBase (the folder its machines read, as their user-data names it), as a bucket and a key prefix. */
function s3Location(input: RolePolicyInput): S3Location | null {
  const configBase = clusterConfigBase(input.stateStore, input.cluster);
  if (!configBase) return null;
  const [bucket, ...base] = configBase.slice('s3://'.length).split('/');
  return { bucketArn: `arn:${input.partition}:s3:::${bucket}`, base: base.join('/') };
}

const CONTROL_PLANE_READS = ['pki', 'secrets', 'bootstrap', 'addons'];

/** What the cloud controller manager reads, with etcd volume discovery and the bootstrap's instance checks. */
const CONTROL_PLANE_DESCRIBE = [
  'autoscaling:DescribeAutoScalingGroups',
  'autoscaling:DescribeTags',
  'ec2:DescribeAvailabilityZones',
  'ec2:DescribeInstanceTopology',
  'ec2:DescribeInstances',
  'ec2:DescribeRegions',
  'ec2:DescribeRouteTables',
  'ec2:DescribeSecurityGroups',
  'ec2:DescribeSubnets',
  'ec2:DescribeVolumes',
  'ec2:DescribeVpcs',
  'elasticloadbalancing:DescribeListeners',
  'elasticloadbalancing:DescribeLoadBalancerAttributes',
  'elasticloadbalancing:DescribeLoadBalancerPolicies',
  'elasticloadbalancing:DescribeLoadBalancers',
  'elasticloadbalancing:DescribeTargetGroupAttributes',
  'elasticloadbalancing:DescribeTargetGroups',
  'elasticloadbalancing:DescribeTargetHealth',
  'kms:DescribeKey',
];

/** What the cloud controller manager changes, only on resources tagged for this cluster. */
const CONTROL_PLANE_TAGGED = [
  'ec2:AuthorizeSecurityGroupIngress',
  'ec2:DeleteSecurityGroup',
  'ec2:ModifyInstanceAttribute',
  'ec2:RevokeSecurityGroupIngress',
  'elasticloadbalancing:AddTags',
  'elasticloadbalancing:ApplySecurityGroupsToLoadBalancer',
  'elasticloadbalancing:AttachLoadBalancerToSubnets',
  'elasticloadbalancing:ConfigureHealthCheck',
  'elasticloadbalancing:CreateLoadBalancerListeners',
  'elasticloadbalancing:CreateLoadBalancerPolicy',
  'elasticloadbalancing:DeleteListener',
  'elasticloadbalancing:DeleteLoadBalancer',
  'elasticloadbalancing:DeleteLoadBalancerListeners',
  'elasticloadbalancing:DeleteTargetGroup',
  'elasticloadbalancing:DeregisterInstancesFromLoadBalancer',
  'elasticloadbalancing:DeregisterTargets',
  'elasticloadbalancing:DetachLoadBalancerFromSubnets',
  'elasticloadbalancing:ModifyListener',
  'elasticloadbalancing:ModifyLoadBalancerAttributes',
  'elasticloadbalancing:ModifyTargetGroup',
  'elasticloadbalancing:ModifyTargetGroupAttributes',
  'elasticloadbalancing:RegisterInstancesWithLoadBalancer',
  'elasticloadbalancing:RegisterTargets',
  'elasticloadbalancing:SetLoadBalancerPoliciesForBackendServer',
  'elasticloadbalancing:SetLoadBalancerPoliciesOfListener',
];

/** What it creates, only when the request tags the new resource for this cluster. */
const CONTROL_PLANE_TAGGED_CREATE = ['ec2:CreateSecurityGroup', 'elasticloadbalancing:CreateListener', 'elasticloadbalancing:CreateLoadBalancer', 'elasticloadbalancing:CreateTargetGroup'];

/** The Amazon VPC CNI on every machine (kops addAmazonVPCCNIPermissions). */
const AMAZON_VPC_CNI = [
  'ec2:AssignPrivateIpAddresses',
  'ec2:AttachNetworkInterface',
  'ec2:CreateNetworkInterface',
  'ec2:DeleteNetworkInterface',
  'ec2:DescribeInstanceTypes',
  'ec2:DescribeInstances',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeSecurityGroups',
  'ec2:DescribeSubnets',
  'ec2:DescribeTags',
  'ec2:DetachNetworkInterface',
  'ec2:ModifyNetworkInterfaceAttribute',
  'ec2:UnassignPrivateIpAddresses',
];

function controlPlanePolicy(input: RolePolicyInput): PolicyDocument {
  const { cluster, partition } = input;
  const tagged = { StringEquals: { [`aws:ResourceTag/${TAG_CLUSTER}`]: cluster } };
  const ec2 = (type: string) => `arn:${partition}:ec2:*:*:${type}/*`;
  const statements: PolicyStatement[] = [
    allow([...CONTROL_PLANE_DESCRIBE, ...cniActions(input)], '*'),
    allow(CONTROL_PLANE_TAGGED, '*', tagged),
    allow(CONTROL_PLANE_TAGGED_CREATE, '*', { StringEquals: { [`aws:RequestTag/${TAG_CLUSTER}`]: cluster } }),
    // The cloud controller's security groups: tagged at creation, retagged only while they stay this cluster's.
    allow(['ec2:CreateSecurityGroup'], ec2('vpc')),
    allow(['ec2:CreateTags'], [ec2('security-group')], { StringEquals: { [`aws:RequestTag/${TAG_CLUSTER}`]: cluster, 'ec2:CreateAction': ['CreateSecurityGroup'] } }),
    allow(['ec2:CreateTags', 'ec2:DeleteTags'], [ec2('security-group')], { Null: { [`aws:RequestTag/${TAG_CLUSTER}`]: 'true' }, ...tagged }),
    // etcd volumes: a control-plane instance attaches the cluster's own, kops' tags.
    allow(['ec2:AttachVolume'], ['*'], { StringEquals: { [`aws:ResourceTag/${TAG_CLUSTER}`]: cluster, 'aws:ResourceTag/k8s.io/role/master': '1' } }),
    allow(['iam:CreateServiceLinkedRole'], `arn:${partition}:iam::*:role/aws-service-role/elasticloadbalancing.amazonaws.com/*`, {
      StringEquals: { 'iam:AWSServiceName': 'elasticloadbalancing.amazonaws.com' },
    }),
    ...cniStatements(input),
  ];
  const store = s3Location(input);
  if (store) {
    const paths = CONTROL_PLANE_READS.map((dir) => `${store.base}/${dir}/*`);
    statements.push(
      allow(['s3:GetObject'], paths.map((path) => `${store.bucketArn}/${path}`)),
      // The bootstrap's lock files, and the workers' token, which the control plane renews before it expires.
      allow(['s3:PutObject'], [`${store.bucketArn}/${store.base}/bootstrap/*`, `${store.bucketArn}/${store.base}/${secretEntry('bootstrap-token').privatePath}`]),
      // Unconditioned, as kops grants it: S3 answers a missing key with 404 only to a principal that may list the
      // bucket, and a GET or HEAD carries no s3:prefix a condition could match (the bootstrap checks bootstrap/initialized).
      allow(['s3:ListBucket'], [store.bucketArn]),
    );
  }
  return policy(statements);
}

function nodePolicy(input: RolePolicyInput): PolicyDocument {
  const statements: PolicyStatement[] = [allow(['ec2:DescribeInstances', 'ec2:DescribeRegions', ...cniActions(input)], '*'), ...cniStatements(input)];
  const store = s3Location(input);
  if (store) {
    const objects = [secretEntry('ca').publicPath!, secretEntry('bootstrap-token').privatePath];
    statements.push(allow(['s3:GetObject'], objects.map((path) => `${store.bucketArn}/${store.base}/${path}`)));
  }
  return policy(statements);
}

const cniActions = (input: RolePolicyInput): string[] => (input.networking === 'amazonvpc' ? AMAZON_VPC_CNI : []);

function cniStatements(input: RolePolicyInput): PolicyStatement[] {
  if (input.networking === 'amazonvpc') return [allow(['ec2:CreateTags'], [`arn:${input.partition}:ec2:*:*:network-interface/*`])];
  // kindnet routes between machines: it turns off their source/destination check (kops addKindnetSrcDstCheckPermissions).
  if (input.networking === 'kindnet') return [allow(['ec2:ModifyInstanceAttribute'], '*', { StringEquals: { [`aws:ResourceTag/${TAG_CLUSTER}`]: input.cluster } })];
  return [];
}
