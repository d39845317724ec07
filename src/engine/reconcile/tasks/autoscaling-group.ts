// Auto scaling groups, one per instance group: sizes, subnets, the launch
// template at `$Latest` (a new template version needs no ASG change; the
// rollout replaces instances whose recorded version is older), and tags
// propagated to the instances at launch.
import {
  AttachLoadBalancerTargetGroupsCommand,
  CreateAutoScalingGroupCommand,
  CreateOrUpdateTagsCommand,
  DeleteAutoScalingGroupCommand,
  UpdateAutoScalingGroupCommand,
  type AutoScalingGroup,
} from '@aws-sdk/client-auto-scaling';
import type { TagMap } from '../../cloud/aws/tags.js';
import { isNotFoundError } from '../../cloud/aws/errors.js';
import { compareFields, compareTags, idOrPending, requireId, show, taskKey, type DeletionTask, type FieldChange, type Task } from '../task.js';
import { blocks } from '../../terraform/hcl.js';
import type { TerraformContext, TerraformOutput, TerraformResource } from '../../terraform/types.js';

export const LATEST_VERSION = '$Latest';

export interface AutoscalingGroupDesired {
  name: string;
  launchTemplateId: string;
  launchTemplateVersion: string;
  minSize: number;
  maxSize: number;
  subnetIds: string[];
  /** Target groups the group's instances are registered with (the API load balancer's, for the control plane). */
  targetGroupArns: string[];
  tags: TagMap;
}

export interface AutoscalingGroupInput {
  name: string;
  launchTemplateKey: string;
  subnetKeys: string[];
  minSize: number;
  maxSize: number;
  /** Keys of TargetGroup tasks to attach; target groups attached by someone else are left as they are. */
  targetGroupKeys?: string[];
  tags: TagMap;
}

export const autoscalingGroupKey = (name: string): string => taskKey('AutoscalingGroup', name);

export function autoscalingGroupTask(input: AutoscalingGroupInput): Task<AutoscalingGroupDesired, AutoScalingGroup> {
  return {
    key: autoscalingGroupKey(input.name),
    kind: 'AutoscalingGroup',
    name: input.name,
    dependencies: [input.launchTemplateKey, ...input.subnetKeys, ...(input.targetGroupKeys ?? [])],
    desired: (ctx) => ({
      name: input.name,
      launchTemplateId: idOrPending(ctx, input.launchTemplateKey),
      launchTemplateVersion: LATEST_VERSION,
      minSize: input.minSize,
      maxSize: input.maxSize,
      subnetIds: input.subnetKeys.map((k) => idOrPending(ctx, k)).sort(),
      targetGroupArns: (input.targetGroupKeys ?? []).map((k) => idOrPending(ctx, k)).sort(),
      tags: input.tags,
    }),
    find: (ctx) => ctx.snapshot.autoScalingGroups.find((g) => g.AutoScalingGroupName === input.name && g.Status !== 'Delete in progress') ?? null,
    idOf: (g) => g.AutoScalingGroupName!,
    diff: (desired, actual) => [
      ...compareFields([
        ['MinSize', desired.minSize, actual.MinSize],
        ['MaxSize', desired.maxSize, actual.MaxSize],
        ['Subnets', desired.subnetIds, splitZoneIdentifier(actual.VPCZoneIdentifier)],
        ['LaunchTemplate', desired.launchTemplateId, actual.LaunchTemplate?.LaunchTemplateId],
        ['LaunchTemplateVersion', desired.launchTemplateVersion, actual.LaunchTemplate?.Version],
      ]),
      ...targetGroupChanges(desired.targetGroupArns, actual.TargetGroupARNs ?? []),
      ...compareTags(desired.tags, asgTags(actual)),
    ],
    describe: (d) => ({
      MinSize: String(d.minSize),
      MaxSize: String(d.maxSize),
      Subnets: d.subnetIds.join(', '),
      LaunchTemplate: `${d.launchTemplateId} ${d.launchTemplateVersion}`,
      ...(d.targetGroupArns.length ? { TargetGroupARNs: d.targetGroupArns.join(', ') } : {}),
      Tags: Object.entries(d.tags).map(([k, v]) => `${k}: ${v}`).join(', '),
    }),
    async apply(ctx, change) {
      const launchTemplate = { LaunchTemplateId: requireId(ctx, input.launchTemplateKey), Version: LATEST_VERSION };
      const zoneIdentifier = input.subnetKeys.map((k) => requireId(ctx, k)).join(',');
      const tags = Object.entries(change.desired.tags).map(([Key, Value]) => ({
        Key,
        Value,
        PropagateAtLaunch: true,
        ResourceId: input.name,
        ResourceType: 'auto-scaling-group',
      }));
      if (!change.actual) {
        await ctx.clients.autoscaling.send(
          new CreateAutoScalingGroupCommand({
            AutoScalingGroupName: input.name,
            LaunchTemplate: launchTemplate,
            MinSize: input.minSize,
            MaxSize: input.maxSize,
            DesiredCapacity: input.minSize,
            VPCZoneIdentifier: zoneIdentifier,
            ...(input.targetGroupKeys?.length ? { TargetGroupARNs: input.targetGroupKeys.map((k) => requireId(ctx, k)) } : {}),
            Tags: tags,
          }),
        );
        return input.name;
      }
      if (change.changes.some((c) => c.field === 'TargetGroupARNs')) {
        const attached = new Set(change.actual.TargetGroupARNs ?? []);
        const missing = (input.targetGroupKeys ?? []).map((k) => requireId(ctx, k)).filter((arn) => !attached.has(arn));
        await ctx.clients.autoscaling.send(new AttachLoadBalancerTargetGroupsCommand({ AutoScalingGroupName: input.name, TargetGroupARNs: missing }));
      }
      if (change.changes.some((c) => !c.field.startsWith('Tags[') && c.field !== 'TargetGroupARNs')) {
        await ctx.clients.autoscaling.send(
          new UpdateAutoScalingGroupCommand({
            AutoScalingGroupName: input.name,
            LaunchTemplate: launchTemplate,
            MinSize: input.minSize,
            MaxSize: input.maxSize,
            VPCZoneIdentifier: zoneIdentifier,
          }),
        );
      }
      const changedTags = new Set(change.changes.filter((c) => c.field.startsWith('Tags[')).map((c) => c.field.slice(5, -1)));
      if (changedTags.size) {
        await ctx.clients.autoscaling.send(new CreateOrUpdateTagsCommand({ Tags: tags.filter((t) => changedTags.has(t.Key)) }));
      }
      return input.name;
    },
    terraform: (t, d) => [autoscalingGroupTerraform(t, input, d)],
  };
}

/** kops' aws_autoscaling_group: the template at latest_version, one propagated `tag` block per tag. */
function autoscalingGroupTerraform(t: TerraformContext, input: AutoscalingGroupInput, d: AutoscalingGroupDesired): TerraformResource {
  const template = (attribute: string) => t.ref(input.launchTemplateKey, attribute);
  const subnets = input.subnetKeys.map((k) => t.ref(k, 'id'));
  const id = t.ref(autoscalingGroupKey(input.name), 'id');
  const role = Object.keys(d.tags).find((k) => k.startsWith('k8s.io/role/'))?.slice('k8s.io/role/'.length);
  const prefix = role === 'control-plane' ? 'master' : role;
  const outputs: TerraformOutput[] = prefix ? [{ name: `${prefix}_autoscaling_group_ids`, value: id, list: true }] : [];
  if (role === 'node') outputs.push(...subnets.map((value) => ({ name: 'node_subnet_ids', value, list: true })));
  const tags = Object.keys(d.tags).sort().map((key) => ({ key, propagate_at_launch: true, value: d.tags[key] }));
  return {
    type: 'aws_autoscaling_group',
    name: input.name,
    body: {
      launch_template: blocks({ id: template('id'), version: template('latest_version') }),
      max_size: d.maxSize,
      min_size: d.minSize,
      name: input.name,
      tag: blocks(...tags),
      target_group_arns: input.targetGroupKeys?.length ? input.targetGroupKeys.map((k) => t.ref(k, 'id')) : undefined,
      vpc_zone_identifier: subnets,
    },
    outputs,
  };
}

/** Wanted target groups the group is not attached to: one change listing what it will be attached to. */
function targetGroupChanges(wanted: string[], attached: string[]): FieldChange[] {
  const missing = wanted.filter((arn) => !attached.includes(arn));
  if (missing.length === 0) return [];
  const old = [...attached].sort();
  return [{ field: 'TargetGroupARNs', old: show(old), new: show([...old, ...missing].sort()) }];
}

export function splitZoneIdentifier(value: string | undefined): string[] {
  return (value ?? '').split(',').map((s) => s.trim()).filter(Boolean).sort();
}

export function asgTags(group: AutoScalingGroup): TagMap {
  const tags: TagMap = {};
  for (const tag of group.Tags ?? []) if (tag.Key) tags[tag.Key] = tag.Value ?? '';
  return tags;
}

/** Removes a group and, with ForceDelete, its instances. */
export function autoscalingGroupDeletion(name: string, dependencies: string[] = []): DeletionTask {
  return {
    key: autoscalingGroupKey(name),
    kind: 'AutoscalingGroup',
    name,
    id: name,
    dependencies,
    async remove(ctx) {
      try {
        await ctx.clients.autoscaling.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: name, ForceDelete: true }));
      } catch (error) {
        if (!isNotFoundError(error)) throw error;
      }
    },
  };
}
