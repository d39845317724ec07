// Seeds a cluster into the simulator exactly as kops lays one out, through the
// AWS SDK against the simulator's own endpoint (the calls kops makes, in kops'
// order): the state store in S3, then the network, security groups and rules,
// launch templates with nodeup user-data, auto scaling groups, the DNS records
// kops pre-creates, and last the API's network load balancer with its target
// groups when the layout has one. The IAM roles, inline policies and
// instance profiles the launch templates name are made first, through IAM, as
// kops makes them. Key pairs, etcd volumes, lifecycle hooks, SQS and
// EventBridge are left out.
import { AutoScalingClient, AttachLoadBalancerTargetGroupsCommand, CreateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { S3Client, CreateBucketCommand, HeadBucketCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { EC2Client } from '@aws-sdk/client-ec2';
import { Route53Client } from '@aws-sdk/client-route-53';
import { IAMClient } from '@aws-sdk/client-iam';
import { findImage, newClusterKubernetesVersion, KOPS_COMPATIBLE_VERSION, shippedChannel } from '../../engine/channel/index.js';
import { buildKopsLayout, groupName, instanceGroupTags, type KopsLayout, type KopsLayoutKind } from './kops-layout.js';
import { kopsStoreObjects } from './kops-store.js';
import { createLaunchTemplate, createNetwork, createSecurityGroups, resolveImageId, type Network } from './seed-ec2.js';
import { createApiLoadBalancer, type SeededLoadBalancer } from './seed-elb.js';
import { createDnsRecords } from './seed-dns.js';
import { createIamProfiles } from './seed-iam.js';

export interface SeedKopsOptions {
  /** The simulator's URL, region and credentials (its world's token as the key id). */
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  cluster: string;
  layout?: KopsLayoutKind;
  /** Default: what kops gives a new cluster (the shipped channel's stable). */
  kubernetesVersion?: string;
  /** `s3://bucket[/prefix]`; the bucket is created when missing. Default s3://kops-state-store. */
  stateStore?: string;
}

export interface SeededKopsCluster {
  cluster: string;
  layout: KopsLayout;
  stateStore: string;
  /** Store keys written, under the store's prefix. */
  storeKeys: string[];
  autoScalingGroups: string[];
  launchTemplates: string[];
  /** The API load balancer, for layouts that have one. */
  loadBalancer?: SeededLoadBalancer;
}

export const DEFAULT_STATE_STORE = 's3://kops-state-store';

export async function seedKopsCluster(options: SeedKopsOptions): Promise<SeededKopsCluster> {
  const common = { endpoint: options.endpoint, region: options.region, credentials: options.credentials };
  const clients = {
    ec2: new EC2Client(common),
    autoscaling: new AutoScalingClient(common),
    route53: new Route53Client(common),
    s3: new S3Client({ ...common, forcePathStyle: true }),
    elbv2: new ElasticLoadBalancingV2Client(common),
    iam: new IAMClient(common),
  };
  try {
    const channel = shippedChannel();
    const kubernetesVersion = (options.kubernetesVersion ?? newClusterKubernetesVersion(channel) ?? '').replace(/^v/, '');
    if (!kubernetesVersion) throw new Error('no Kubernetes version given and the shipped channel names none');
    const image = findImage(channel, 'aws', 'amd64', kubernetesVersion)?.name;
    if (!image) throw new Error(`the shipped channel has no amd64 image for Kubernetes ${kubernetesVersion}`);
    const stateStore = (options.stateStore ?? DEFAULT_STATE_STORE).replace(/\/+$/, '');
    const layout = buildKopsLayout({
      cluster: options.cluster,
      kind: options.layout ?? 'minimal',
      region: options.region,
      kubernetesVersion,
      kopsVersion: KOPS_COMPATIBLE_VERSION,
      image,
      stateStore,
    });
    const storeKeys = await writeStateStore(clients.s3, layout, options.region);
    const imageId = await resolveImageId(clients.ec2, image);
    const network: Network = await createNetwork(clients.ec2, layout);
    const groups = await createSecurityGroups(clients.ec2, layout, network.vpcId);
    await createIamProfiles(clients.iam, layout);
    const autoScalingGroups: string[] = [];
    for (const ig of layout.instanceGroups) {
      const name = groupName(layout, ig);
      const templateId = await createLaunchTemplate(clients.ec2, layout, ig, { imageId, securityGroupId: groups[ig.role === 'ControlPlane' ? 'masters' : 'nodes'] });
      const tags = instanceGroupTags(layout, ig);
      await clients.autoscaling.send(
        new CreateAutoScalingGroupCommand({
          AutoScalingGroupName: name,
          // kops pins the version it just made (terraform: latest_version), not $Latest.
          LaunchTemplate: { LaunchTemplateId: templateId, Version: '1' },
          MinSize: ig.minSize,
          MaxSize: ig.maxSize,
          DesiredCapacity: ig.minSize,
          VPCZoneIdentifier: network.subnetIds.get(ig.zone),
          Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value, PropagateAtLaunch: true, ResourceId: name, ResourceType: 'auto-scaling-group' })),
        }),
      );
      autoScalingGroups.push(name);
    }
    if (layout.dnsZone) await createDnsRecords(clients.route53, layout);
    // Last, so that everything before it stands on its own.
    let loadBalancer: SeededLoadBalancer | undefined;
    if (layout.apiLoadBalancer) {
      loadBalancer = await createApiLoadBalancer(clients.elbv2, layout, { vpcId: network.vpcId, subnetIds: [...network.subnetIds.values()], securityGroupId: groups['api-elb']! });
      const controlPlane = layout.instanceGroups.filter((ig) => ig.role === 'ControlPlane').map((ig) => groupName(layout, ig));
      for (const AutoScalingGroupName of controlPlane) {
        await clients.autoscaling.send(new AttachLoadBalancerTargetGroupsCommand({ AutoScalingGroupName, TargetGroupARNs: loadBalancer.targetGroups.map((t) => t.arn) }));
      }
    }
    return { cluster: layout.cluster, layout, stateStore, storeKeys, autoScalingGroups, launchTemplates: [...autoScalingGroups], loadBalancer };
  } finally {
    for (const client of Object.values(clients)) client.destroy();
  }
}

/** Whether the state store already holds kops' objects for the cluster (a saved world seeded before). */
export async function kopsClusterSeeded(options: Pick<SeedKopsOptions, 'endpoint' | 'region' | 'credentials' | 'cluster' | 'stateStore'>): Promise<boolean> {
  const { bucket, prefix } = splitStore((options.stateStore ?? DEFAULT_STATE_STORE).replace(/\/+$/, ''));
  const s3 = new S3Client({ endpoint: options.endpoint, region: options.region, credentials: options.credentials, forcePathStyle: true });
  try {
    const key = `${prefix ? `${prefix}/` : ''}${options.cluster}/kops-version.txt`;
    return await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })).then(
      () => true,
      () => false,
    );
  } finally {
    s3.destroy();
  }
}

function splitStore(stateStore: string): { bucket: string; prefix: string } {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(stateStore);
  if (!match) throw new Error(`the state store must be s3://bucket[/prefix], not ${stateStore}`);
  return { bucket: match[1], prefix: match[2] };
}

async function writeStateStore(s3: S3Client, layout: KopsLayout, region: string): Promise<string[]> {
  const { bucket, prefix } = splitStore(layout.stateStore);
  const exists = await s3.send(new HeadBucketCommand({ Bucket: bucket })).then(
    () => true,
    () => false,
  );
  if (!exists) await s3.send(new CreateBucketCommand({ Bucket: bucket, ...(region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: region as never } }) }));
  const keys: string[] = [];
  for (const [key, body] of kopsStoreObjects(layout, new Date().toISOString().replace(/\.\d+Z$/, 'Z'))) {
    const full = prefix ? `${prefix}/${key}` : key;
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: full, Body: body, ServerSideEncryption: 'AES256' }));
    keys.push(full);
  }
  return keys;
}
