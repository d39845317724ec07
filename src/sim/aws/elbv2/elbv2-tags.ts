// Tags on load balancers, target groups and listeners, found by ARN; an ARN
// that names nothing fails with the NotFound code of its kind.
import { AwsError } from '../aws-error.js';
import type { Tags } from '../world/types.js';
import { MAX_TAGS, listenerNamed, loadBalancerNamed, need, tagList, tagsOf, targetGroupNamed, type ElbContext, type ElbHandler } from './elbv2-common.js';

function taggable(ctx: ElbContext, arn: string): { tags: Tags } {
  const kind = arn.split(':').pop()?.split('/')[0];
  if (kind === 'targetgroup') return targetGroupNamed(ctx, arn);
  if (kind === 'listener') return listenerNamed(ctx, arn);
  return loadBalancerNamed(ctx, arn);
}

function resourceArns(ctx: ElbContext): string[] {
  const arns = ctx.params.strings('ResourceArns');
  if (arns.length === 0) need(ctx.params, 'ResourceArns');
  return arns;
}

export const addTags: ElbHandler = (ctx) => {
  const resources = resourceArns(ctx).map((arn) => taggable(ctx, arn));
  const tags = tagsOf(ctx.params);
  if (Object.keys(tags).length === 0) need(ctx.params, 'Tags');
  for (const resource of resources) {
    if (Object.keys({ ...resource.tags, ...tags }).length > MAX_TAGS) throw new AwsError('TooManyTags', `You can have at most ${MAX_TAGS} tags per resource`);
  }
  for (const resource of resources) Object.assign(resource.tags, tags);
  ctx.world.changed();
  return null;
};

export const removeTags: ElbHandler = (ctx) => {
  const resources = resourceArns(ctx).map((arn) => taggable(ctx, arn));
  const keys = ctx.params.strings('TagKeys');
  if (keys.length === 0) need(ctx.params, 'TagKeys');
  for (const resource of resources) for (const key of keys) delete resource.tags[key];
  ctx.world.changed();
  return null;
};

export const describeTags: ElbHandler = (ctx) => {
  const arns = resourceArns(ctx);
  if (arns.length > 20) throw new AwsError('ValidationError', 'You cannot describe tags for more than 20 resources at a time');
  return { TagDescriptions: arns.map((arn) => ({ ResourceArn: arn, Tags: tagList(taggable(ctx, arn).tags) })) };
};
