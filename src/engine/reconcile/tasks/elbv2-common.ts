// Shared by the load balancer and target group tasks: ELBv2 tags and
// attributes, one changed field each (`Tags[Name]`, `Attributes[key]`).
import { AddTagsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { compareFields, type FieldChange, type ReconcileContext } from '../task.js';
import type { TagMap } from '../../cloud/aws/tags.js';

export const keyValues = (tags: TagMap) => Object.keys(tags).sort().map((Key) => ({ Key, Value: tags[Key] }));

/** Adds or overwrites the tags whose Tags[...] field changed; tags someone else added stay. */
export async function addChangedTags(ctx: ReconcileContext, arn: string, desired: TagMap, changes: FieldChange[]): Promise<void> {
  const keys = changes.filter((c) => c.field.startsWith('Tags[')).map((c) => c.field.slice(5, -1));
  if (keys.length === 0) return;
  await ctx.clients.elbv2.send(new AddTagsCommand({ ResourceArns: [arn], Tags: keyValues(Object.fromEntries(keys.map((k) => [k, desired[k]]))) }));
}

/** Only the attributes we set are compared: AWS has many more, with its defaults. */
export function compareAttributes(desired: Record<string, string>, actual: Record<string, string>): FieldChange[] {
  return compareFields(Object.keys(desired).sort().map((key) => [`Attributes[${key}]`, desired[key], actual[key]]));
}

export function changedAttributes(desired: Record<string, string>, changes: FieldChange[]): { Key: string; Value: string }[] {
  return changes.filter((c) => c.field.startsWith('Attributes[')).map((c) => c.field.slice(11, -1)).map((Key) => ({ Key, Value: desired[Key] }));
}
