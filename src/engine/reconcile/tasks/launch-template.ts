// Launch templates, one per instance group, as kops makes them (kops
// pkg/model/awsmodel/autoscalinggroup.go, minimal-1.36/kubernetes.tf): image,
// machine type, the role's instance profile by name, an encrypted root volume
// (gp3 by default, kops' sizes by role), IMDSv2 with the group's hop limit, the
// role's security group and the group's additional ones on the network
// interface (with associatePublicIp), the SSH key pair, user-data, and tags on
// the template and on the instances, volumes and network interfaces launched
// from it. A change to any of them makes a new template version (set as
// default); the auto scaling group follows `$Latest`, so the rollout finds
// out-of-date instances by comparing each instance's version with the
// template's latest.
import {
  CreateLaunchTemplateCommand,
  CreateLaunchTemplateVersionCommand,
  ModifyLaunchTemplateCommand,
  type LaunchTemplateEbsBlockDevice,
  type LaunchTemplateVersion,
  type _InstanceType,
  type RequestLaunchTemplateData,
  type VolumeType,
} from '@aws-sdk/client-ec2';
import type { LaunchTemplateState } from '../../cloud/aws/discovery.js';
import { fromTagList, toTagList, type TagMap } from '../../cloud/aws/tags.js';
import { DescribeLoadBalancersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { decodeUserData, readableUserData, readBootstrapValues } from '../../bootstrap/user-data.js';
import { compareFields, compareTags, idOrPending, requireId, taskKey, type FieldChange, type ReconcileContext, type Task } from '../task.js';
import { applyTagChanges, tagSpecification } from './ec2-tags.js';
import { launchTemplateTerraform } from './launch-template-terraform.js';

export interface RootVolume {
  size: number;
  type: string;
  encrypted: boolean;
  /** gp3 and io1/io2 only. */
  iops?: number;
  /** gp3 only (MiB/s). */
  throughput?: number;
}

export interface LaunchTemplateDesired {
  name: string;
  imageRef: string;
  imageId?: string;
  instanceType: string;
  userData: string;
  httpTokens: 'required' | 'optional';
  httpPutResponseHopLimit: number;
  /** The role's group first, then the instance group's additional ones. */
  securityGroupIds: string[];
  associatePublicIp: boolean;
  instanceProfile?: string;
  /** The image's root device, where the root volume's size and type apply. */
  rootDeviceName: string;
  rootVolume: RootVolume;
  keyName?: string;
  /** On the template itself. */
  tags: TagMap;
  /** On instances, volumes and network interfaces launched from it. */
  instanceTags: TagMap;
}

/**
 * User-data that names the API load balancer's DNS name, known once the load
 * balancer exists: rendered from the discovery snapshot when it does, else
 * with a placeholder in the plan and for real when the template is written.
 */
export interface DeferredUserData {
  loadBalancerKey: string;
  /** base64 user-data for that API host name. */
  render(apiHost: string): string;
}

/** base64 user-data, or user-data waiting for the API load balancer's name. */
export type UserDataSource = string | DeferredUserData;

/** The API host shown in a plan before the load balancer exists (.invalid never resolves). */
export const PENDING_API_HOST = 'api-load-balancer.pending.invalid';

export interface LaunchTemplateInput {
  name: string;
  imageRef: string;
  instanceType: string;
  userData: UserDataSource;
  securityGroupKey: string;
  additionalSecurityGroupIds?: string[];
  associatePublicIp: boolean;
  httpTokens?: 'required' | 'optional';
  httpPutResponseHopLimit: number;
  rootVolume: RootVolume;
  /** The instance profile (by name) and its task, when kopsdeck makes it. */
  instanceProfile?: { name: string; key: string };
  keyName?: string;
  /** The key pair's task, when kopsdeck imports it. */
  sshKeyKey?: string;
  tags: TagMap;
}

/** Where launched instances, their volumes and their network interfaces get the instance tags (kops tags all three). */
export const LAUNCHED_RESOURCE_TYPES = ['instance', 'volume', 'network-interface'] as const;

export const launchTemplateKey = (name: string): string => taskKey('LaunchTemplate', name);

export function launchTemplateTask(input: LaunchTemplateInput): Task<LaunchTemplateDesired, LaunchTemplateState> {
  const key = launchTemplateKey(input.name);
  return {
    key,
    kind: 'LaunchTemplate',
    name: input.name,
    dependencies: [
      input.securityGroupKey,
      ...(input.instanceProfile ? [input.instanceProfile.key] : []),
      ...(input.sshKeyKey ? [input.sshKeyKey] : []),
      ...(typeof input.userData === 'string' ? [] : [input.userData.loadBalancerKey]),
    ],
    desired: (ctx) => {
      const image = ctx.snapshot.images.get(input.imageRef);
      return {
        name: input.name,
        imageRef: input.imageRef,
        imageId: image?.ImageId,
        instanceType: input.instanceType,
        userData: plannedUserData(ctx, input.userData),
        httpTokens: input.httpTokens ?? 'required',
        httpPutResponseHopLimit: input.httpPutResponseHopLimit,
        securityGroupIds: [idOrPending(ctx, input.securityGroupKey), ...(input.additionalSecurityGroupIds ?? [])],
        associatePublicIp: input.associatePublicIp,
        instanceProfile: input.instanceProfile?.name,
        rootDeviceName: image?.RootDeviceName ?? DEFAULT_ROOT_DEVICE,
        rootVolume: input.rootVolume,
        keyName: input.keyName,
        tags: input.tags,
        instanceTags: input.tags,
      };
    },
    find: (ctx) => ctx.snapshot.launchTemplates.find((t) => t.template.LaunchTemplateName === input.name) ?? null,
    idOf: (t) => t.template.LaunchTemplateId!,
    diff: (desired, actual) => [
      ...diffTemplateData(desired, actual.latest),
      ...compareTags(desired.tags, fromTagList(actual.template.Tags)),
    ],
    describe: (d) => ({
      ImageId: d.imageId ?? `<unresolved ${d.imageRef}>`,
      InstanceType: d.instanceType,
      IAMInstanceProfile: d.instanceProfile ?? '<none>',
      RootVolume: rootVolumeSummary(d.rootDeviceName, d.rootVolume),
      HttpTokens: d.httpTokens,
      HttpPutResponseHopLimit: String(d.httpPutResponseHopLimit),
      SecurityGroups: d.securityGroupIds.join(', '),
      AssociatePublicIP: String(d.associatePublicIp),
      SSHKey: d.keyName ?? '<none>',
      UserData: userDataSummary(d.userData),
    }),
    async apply(ctx, change) {
      const { desired } = change;
      if (!desired.imageId) throw new Error(`${key}: image ${desired.imageRef} was not found (DescribeImages)`);
      const userData = await finalUserData(ctx, input.userData, desired.userData);
      const data = templateData({ ...desired, userData, securityGroupIds: [requireId(ctx, input.securityGroupKey), ...desired.securityGroupIds.slice(1)] });
      if (!change.actual) {
        const out = await ctx.clients.ec2.send(
          new CreateLaunchTemplateCommand({
            LaunchTemplateName: desired.name,
            LaunchTemplateData: data,
            TagSpecifications: tagSpecification('launch-template', desired.tags),
          }),
        );
        return out.LaunchTemplate!.LaunchTemplateId!;
      }
      const id = change.actual.template.LaunchTemplateId!;
      if (change.changes.some((c) => !c.field.startsWith('Tags['))) {
        const out = await ctx.clients.ec2.send(new CreateLaunchTemplateVersionCommand({ LaunchTemplateId: id, LaunchTemplateData: data }));
        const version = out.LaunchTemplateVersion?.VersionNumber;
        if (version !== undefined) {
          await ctx.clients.ec2.send(new ModifyLaunchTemplateCommand({ LaunchTemplateId: id, DefaultVersion: String(version) }));
        }
      }
      await applyTagChanges(ctx, id, desired.tags, change.changes);
      return id;
    },
    terraform: (t, desired) => [launchTemplateTerraform(t, input, desired)],
  };
}

const DEFAULT_ROOT_DEVICE = '/dev/sda1';

const loadBalancerDnsName = (ctx: ReconcileContext): string | undefined => ctx.snapshot.apiLoadBalancing?.loadBalancer?.description.DNSName?.toLowerCase();

function plannedUserData(ctx: ReconcileContext, source: UserDataSource): string {
  if (typeof source === 'string') return source;
  return source.render(loadBalancerDnsName(ctx) ?? PENDING_API_HOST);
}

/** The user-data written: a load balancer created during this apply is asked for its DNS name. */
async function finalUserData(ctx: ReconcileContext, source: UserDataSource, planned: string): Promise<string> {
  if (typeof source === 'string' || loadBalancerDnsName(ctx)) return planned;
  const out = await ctx.clients.elbv2.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [requireId(ctx, source.loadBalancerKey)] }));
  const dnsName = out.LoadBalancers?.[0]?.DNSName;
  if (!dnsName) throw new Error(`the API load balancer ${source.loadBalancerKey} has no DNS name yet; machines could not reach the API`);
  return source.render(dnsName.toLowerCase());
}

function templateData(d: LaunchTemplateDesired): RequestLaunchTemplateData {
  const volume = d.rootVolume;
  return {
    ImageId: d.imageId,
    InstanceType: d.instanceType as _InstanceType,
    UserData: d.userData,
    ...(d.keyName ? { KeyName: d.keyName } : {}),
    ...(d.instanceProfile ? { IamInstanceProfile: { Name: d.instanceProfile } } : {}),
    BlockDeviceMappings: [
      {
        DeviceName: d.rootDeviceName,
        Ebs: {
          VolumeSize: volume.size,
          VolumeType: volume.type as VolumeType,
          Encrypted: volume.encrypted,
          DeleteOnTermination: true,
          ...(volume.iops !== undefined ? { Iops: volume.iops } : {}),
          ...(volume.throughput !== undefined ? { Throughput: volume.throughput } : {}),
        },
      },
    ],
    MetadataOptions: { HttpTokens: d.httpTokens, HttpEndpoint: 'enabled', HttpPutResponseHopLimit: d.httpPutResponseHopLimit, HttpProtocolIpv6: 'disabled' },
    NetworkInterfaces: [{ DeviceIndex: 0, AssociatePublicIpAddress: d.associatePublicIp, DeleteOnTermination: true, Groups: d.securityGroupIds }],
    TagSpecifications: LAUNCHED_RESOURCE_TYPES.map((type) => ({ ResourceType: type, Tags: toTagList(d.instanceTags) })),
  };
}

function diffTemplateData(desired: LaunchTemplateDesired, latest: LaunchTemplateVersion | null): FieldChange[] {
  const data = latest?.LaunchTemplateData ?? {};
  const nic = data.NetworkInterfaces?.[0];
  // Groups sit on the network interface when one is given, else at the top level.
  const groups = nic?.Groups?.length ? nic.Groups : data.SecurityGroupIds ?? [];
  const root = data.BlockDeviceMappings?.find((m) => m.DeviceName === desired.rootDeviceName)?.Ebs;
  const changes = compareFields([
    ['ImageId', desired.imageId ?? `<unresolved ${desired.imageRef}>`, data.ImageId],
    ['InstanceType', desired.instanceType, data.InstanceType],
    ['IAMInstanceProfile', desired.instanceProfile, data.IamInstanceProfile?.Name],
    ['RootVolume', rootVolumeSummary(desired.rootDeviceName, desired.rootVolume), root ? rootVolumeSummary(desired.rootDeviceName, actualRootVolume(root)) : undefined],
    ['HttpTokens', desired.httpTokens, data.MetadataOptions?.HttpTokens],
    ['HttpPutResponseHopLimit', desired.httpPutResponseHopLimit, data.MetadataOptions?.HttpPutResponseHopLimit],
    ['SecurityGroups', desired.securityGroupIds, groups],
    ['AssociatePublicIP', desired.associatePublicIp, nic?.AssociatePublicIpAddress ?? false],
    ['KeyName', desired.keyName, data.KeyName],
  ]);
  changes.push(...diffUserData(desired.userData, data.UserData));
  for (const type of LAUNCHED_RESOURCE_TYPES) {
    const actual = fromTagList(data.TagSpecifications?.find((s) => s.ResourceType === type)?.Tags);
    changes.push(...compareTags(desired.instanceTags, actual).map((c) => ({ ...c, field: `${TAG_FIELD_PREFIX[type]}${c.field}` })));
  }
  return changes;
}

/** `InstanceTags[...]` as before; `VolumeTags[...]` and `NetworkInterfaceTags[...]` for the other two. */
const TAG_FIELD_PREFIX: Record<(typeof LAUNCHED_RESOURCE_TYPES)[number], string> = { instance: 'Instance', volume: 'Volume', 'network-interface': 'NetworkInterface' };

function actualRootVolume(ebs: LaunchTemplateEbsBlockDevice): RootVolume {
  return { size: ebs.VolumeSize ?? 0, type: ebs.VolumeType ?? '', encrypted: ebs.Encrypted ?? false, iops: ebs.Iops, throughput: ebs.Throughput };
}

function rootVolumeSummary(device: string, v: RootVolume): string {
  const performance = [v.iops !== undefined ? `${v.iops} IOPS` : '', v.throughput !== undefined ? `${v.throughput} MiB/s` : ''].filter(Boolean).join(', ');
  return `${device} ${v.size} GiB ${v.type}${v.encrypted ? ' encrypted' : ' unencrypted'}${performance ? ` (${performance})` : ''}`;
}

/** User-data differences as the lines that changed, readable in a preview. */
export function diffUserData(desiredBase64: string, actualBase64: string | undefined): FieldChange[] {
  if (desiredBase64 === (actualBase64 ?? '')) return [];
  const want = readableUserData(decodeUserData(desiredBase64));
  const have = readableUserData(decodeUserData(actualBase64));
  const removed = have.filter((line) => !want.includes(line) && line.trim());
  const added = want.filter((line) => !have.includes(line) && line.trim());
  if (removed.length === 0 && added.length === 0) return [{ field: 'UserData', old: '<whitespace differs>', new: '<rewritten>' }];
  return [{ field: 'UserData', old: removed.join('; ') || '<none>', new: added.join('; ') || '<none>' }];
}

function userDataSummary(base64: string): string {
  const values = readBootstrapValues(decodeUserData(base64)) ?? {};
  return Object.entries(values)
    .map(([name, value]) => `${name}=${value}`)
    .join(' ');
}
