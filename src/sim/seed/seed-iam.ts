// The IAM part of a kops layout, through the SDK, before the launch templates
// that name it (kops' order): per role, `masters.<cluster>` and
// `nodes.<cluster>`, a role trusting EC2, its inline policy named like it, and
// an instance profile holding it, all tagged as kops tags them
// (minimal-1.36/kubernetes.tf). The node policy is kops' own (ECR pulls); the
// control plane's is kops' in short: its state-store reads and the describe
// calls, enough to look like kops' and to differ from kopsdeck's.
import {
  AddRoleToInstanceProfileCommand,
  CreateInstanceProfileCommand,
  CreateRoleCommand,
  PutRolePolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { clusterTags, type KopsLayout } from './kops-layout.js';

const ASSUME_ROLE = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });

const ECR_PULL = ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:DescribeRepositories', 'ecr:GetAuthorizationToken', 'ecr:GetDownloadUrlForLayer', 'ecr:GetRepositoryPolicy', 'ecr:ListImages'];

function mastersPolicy(layout: KopsLayout): string {
  const base = layout.configBase.replace(/^s3:\/\//, '');
  const bucket = base.split('/')[0];
  return JSON.stringify({
    Statement: [
      { Action: ['s3:Get*'], Effect: 'Allow', Resource: `arn:aws:s3:::${base}/*` },
      { Action: ['s3:GetBucketLocation', 's3:GetEncryptionConfiguration', 's3:ListBucket', 's3:ListBucketVersions'], Effect: 'Allow', Resource: [`arn:aws:s3:::${bucket}`] },
      { Action: ['autoscaling:DescribeAutoScalingGroups', 'ec2:DescribeInstances', 'ec2:DescribeVolumes', ...ECR_PULL], Effect: 'Allow', Resource: '*' },
    ],
    Version: '2012-10-17',
  });
}

const nodesPolicy = (): string => JSON.stringify({ Statement: [{ Action: ECR_PULL, Effect: 'Allow', Resource: '*' }], Version: '2012-10-17' });

/** Creates kops' roles, policies and instance profiles; returns the profile names. */
export async function createIamProfiles(iam: IAMClient, layout: KopsLayout): Promise<string[]> {
  const roles: [string, string][] = [
    [`masters.${layout.cluster}`, mastersPolicy(layout)],
    [`nodes.${layout.cluster}`, nodesPolicy()],
  ];
  for (const [name, policy] of roles) {
    const Tags = Object.entries(clusterTags(layout.cluster, name)).map(([Key, Value]) => ({ Key, Value }));
    await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: ASSUME_ROLE, Tags }));
    await iam.send(new PutRolePolicyCommand({ RoleName: name, PolicyName: name, PolicyDocument: policy }));
    await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: name, Tags }));
    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: name, RoleName: name }));
  }
  return roles.map(([name]) => name);
}
