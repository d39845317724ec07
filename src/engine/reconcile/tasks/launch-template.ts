// Launch templates, one per instance group: image, machine type, IMDSv2
// required, user-data and tags. A change to any of them makes a new template
// version (set as default); the auto scaling group follows `$Latest`, so the
// rollout finds out-of-date instances by comparing each instance's version
// with the template's latest.
import {
  CreateLaunchTemplateCommand,
  CreateLaunchTemplateVersionCommand,
  ModifyLaunchTemplateCommand,
  type LaunchTemplateVersion,
  type _InstanceType,
  type RequestLaunchTemplateData,
} from '@aws-sdk/client-ec2';
import type { LaunchTemplateState } from '../../cloud/aws/discovery.js';
import { fromTagList, toTagList, type TagMap } from '../../cloud/aws/tags.js';
import { decodeUserData } from '../../bootstrap/user-data.js';
import { compareFields, compareTags, idOrPending, requireId, taskKey, type FieldChange, type Task } from '../task.js';
import { applyTagChanges, tagSpecification } from './ec2-tags.js';

export interface LaunchTemplateDesired {
  name: string;
  imageRef: string;
  imageId?: string;
  instanceType: string;
  userData: string;
  httpTokens: 'required';
  securityGroupId: string;
  associatePublicIp: boolean;
  keyName?: string;
  /** On the template itself. */
  tags: TagMap;
  /** On instances and volumes launched from it. */
  instanceTags: TagMap;
}

export interface LaunchTemplateInput {
  name: string;
  imageRef: string;
  instanceType: string;
  userData: string;
  securityGroupKey: string;
  associatePublicIp: boolean;
  keyName?: string;
  tags: TagMap;
}

export const launchTemplateKey = (name: string): string => taskKey('LaunchTemplate', name);

export function launchTemplateTask(input: LaunchTemplateInput): Task<LaunchTemplateDesired, LaunchTemplateState> {
  const key = launchTemplateKey(input.name);
  return {
    key,
    kind: 'LaunchTemplate',
    name: input.name,
    dependencies: [input.securityGroupKey],
    desired: (ctx) => ({
      name: input.name,
      imageRef: input.imageRef,
      imageId: ctx.snapshot.images.get(input.imageRef)?.ImageId,
      instanceType: input.instanceType,
      userData: input.userData,
      httpTokens: 'required',
      securityGroupId: idOrPending(ctx, input.securityGroupKey),
      associatePublicIp: input.associatePublicIp,
      keyName: input.keyName,
      tags: input.tags,
      instanceTags: input.tags,
    }),
    find: (ctx) => ctx.snapshot.launchTemplates.find((t) => t.template.LaunchTemplateName === input.name) ?? null,
    idOf: (t) => t.template.LaunchTemplateId!,
    diff: (desired, actual) => [
      ...diffTemplateData(desired, actual.latest),
      ...compareTags(desired.tags, fromTagList(actual.template.Tags)),
    ],
    describe: (d) => ({
      ImageId: d.imageId ?? `<unresolved ${d.imageRef}>`,
      InstanceType: d.instanceType,
      HttpTokens: d.httpTokens,
      SecurityGroups: d.securityGroupId,
      AssociatePublicIP: String(d.associatePublicIp),
      UserData: userDataSummary(d.userData),
    }),
    async apply(ctx, change) {
      const { desired } = change;
      if (!desired.imageId) throw new Error(`${key}: image ${desired.imageRef} was not found (DescribeImages)`);
      const data = templateData({ ...desired, securityGroupId: requireId(ctx, input.securityGroupKey) });
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
  };
}

function templateData(d: LaunchTemplateDesired): RequestLaunchTemplateData {
  return {
    ImageId: d.imageId,
    InstanceType: d.instanceType as _InstanceType,
    UserData: d.userData,
    ...(d.keyName ? { KeyName: d.keyName } : {}),
    MetadataOptions: { HttpTokens: d.httpTokens, HttpEndpoint: 'enabled', HttpPutResponseHopLimit: 1 },
    NetworkInterfaces: [{ DeviceIndex: 0, AssociatePublicIpAddress: d.associatePublicIp, DeleteOnTermination: true, Groups: [d.securityGroupId] }],
    TagSpecifications: [
      { ResourceType: 'instance', Tags: toTagList(d.instanceTags) },
      { ResourceType: 'volume', Tags: toTagList(d.instanceTags) },
    ],
  };
}

function diffTemplateData(desired: LaunchTemplateDesired, latest: LaunchTemplateVersion | null): FieldChange[] {
  const data = latest?.LaunchTemplateData ?? {};
  const nic = data.NetworkInterfaces?.[0];
  // Groups sit on the network interface when one is given, else at the top level.
  const groups = nic?.Groups?.length ? nic.Groups : data.SecurityGroupIds ?? [];
  const instanceTags = fromTagList(data.TagSpecifications?.find((s) => s.ResourceType === 'instance')?.Tags);
  const changes = compareFields([
    ['ImageId', desired.imageId ?? `<unresolved ${desired.imageRef}>`, data.ImageId],
    ['InstanceType', desired.instanceType, data.InstanceType],
    ['HttpTokens', desired.httpTokens, data.MetadataOptions?.HttpTokens],
    ['SecurityGroups', [desired.securityGroupId], groups],
    ['AssociatePublicIP', desired.associatePublicIp, nic?.AssociatePublicIpAddress ?? false],
    ['KeyName', desired.keyName, data.KeyName],
  ]);
  changes.push(...diffUserData(desired.userData, data.UserData));
  changes.push(...compareTags(desired.instanceTags, instanceTags).map((c) => ({ ...c, field: `Instance${c.field}` })));
  return changes;
}

/** User-data differences as the lines that changed, readable in a preview. */
export function diffUserData(desiredBase64: string, actualBase64: string | undefined): FieldChange[] {
  if (desiredBase64 === (actualBase64 ?? '')) return [];
  const want = decodeUserData(desiredBase64).split('\n');
  const have = decodeUserData(actualBase64).split('\n');
  const removed = have.filter((line) => !want.includes(line) && line.trim());
  const added = want.filter((line) => !have.includes(line) && line.trim());
  if (removed.length === 0 && added.length === 0) return [{ field: 'UserData', old: '<whitespace differs>', new: '<rewritten>' }];
  return [{ field: 'UserData', old: removed.join('; ') || '<none>', new: added.join('; ') || '<none>' }];
}

function userDataSummary(base64: string): string {
  const text = decodeUserData(base64);
  const exports = [...text.matchAll(/^export ([A-Z_]+)=(.*)$/gm)].map((m) => `${m[1]}=${m[2]}`);
  return exports.join(' ');
}
