// Small EC2 tagging helpers shared by the network tasks.
import { CreateTagsCommand, type ResourceType, type TagSpecification } from '@aws-sdk/client-ec2';
import { fromTagList, toTagList, type TagMap } from '../../cloud/aws/tags.js';
import type { FieldChange, ReconcileContext } from '../task.js';

export function tagSpecification(resourceType: ResourceType, tags: TagMap): TagSpecification[] {
  return [{ ResourceType: resourceType, Tags: toTagList(tags) }];
}

/** Adds or overwrites the tags whose Tags[...] field changed. */
export async function applyTagChanges(ctx: ReconcileContext, resourceId: string, desired: TagMap, changes: FieldChange[]): Promise<void> {
  const keys = changes.filter((c) => c.field.startsWith('Tags[')).map((c) => c.field.slice(5, -1));
  if (keys.length === 0) return;
  const wanted: TagMap = {};
  for (const key of keys) if (desired[key] !== undefined) wanted[key] = desired[key];
  await ctx.clients.ec2.send(new CreateTagsCommand({ Resources: [resourceId], Tags: toTagList(wanted) }));
}

export const tagsOf = (resource: { Tags?: { Key?: string; Value?: string }[] }): TagMap => fromTagList(resource.Tags);

export const nameTagIs = (name: string) => (resource: { Tags?: { Key?: string; Value?: string }[] }): boolean =>
  tagsOf(resource).Name === name;

/** Fields other than tags changed: the resource itself must change. */
export const nonTagChanges = (changes: FieldChange[]): FieldChange[] => changes.filter((c) => !c.field.startsWith('Tags['));

export function refuseImmutable(key: string, changes: FieldChange[], immutable: string[]): void {
  const bad = changes.filter((c) => immutable.includes(c.field));
  if (bad.length) {
    throw new Error(
      `${key}: ${bad.map((c) => `${c.field} ${c.old} -> ${c.new}`).join(', ')} cannot be changed in place; delete and re-create the resource`,
    );
  }
}
