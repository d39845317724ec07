// An instance profile per role, named like it and holding it (kops'
// IAMInstanceProfile and IAMInstanceProfileRole tasks in one): what a launch
// template names so that its instances get the role's credentials. IAM is
// eventually consistent: a role made a moment ago may not be addable yet, so
// that step is retried for a while before it counts as a failure.
import { AddRoleToInstanceProfileCommand, CreateInstanceProfileCommand, RemoveRoleFromInstanceProfileCommand, TagInstanceProfileCommand } from '@aws-sdk/client-iam';
import type { IamRoleState } from '../../cloud/aws/discovery-iam.js';
import { isNotFoundError } from '../../cloud/aws/errors.js';
import { fromTagList, type TagMap } from '../../cloud/aws/tags.js';
import { compareFields, compareTags, taskKey, type ReconcileContext, type Task } from '../task.js';
import { changedTags, iamRoleKey, iamTags } from './iam-role.js';

export interface InstanceProfileDesired {
  name: string;
  roleName: string;
  tags: TagMap;
}

export const instanceProfileKey = (name: string): string => taskKey('IAMInstanceProfile', name);

/** How long (clock ms) a just-made role may stay unknown to AddRoleToInstanceProfile. */
const PROPAGATION_WAIT_MS = 60_000;
const PROPAGATION_POLL_MS = 3_000;

export function instanceProfileTask(name: string, roleName: string, tags: TagMap): Task<InstanceProfileDesired, IamRoleState> {
  return {
    key: instanceProfileKey(name),
    kind: 'IAMInstanceProfile',
    name,
    dependencies: [iamRoleKey(roleName)],
    desired: () => ({ name, roleName, tags }),
    find: (ctx) => ctx.snapshot.iamRoles?.find((r) => r.name === name && r.profile) ?? null,
    idOf: (state) => state.profile!.Arn!,
    diff: (desired, actual) => [
      ...compareFields([['Roles', [desired.roleName], rolesOf(actual)]]),
      ...compareTags(desired.tags, fromTagList(actual.profile!.Tags)),
    ],
    describe: (d) => ({ Role: d.roleName, Tags: `${Object.keys(d.tags).length} tags` }),
    async apply(ctx, change) {
      const { desired } = change;
      let arn = change.actual?.profile?.Arn;
      if (!arn) {
        const out = await ctx.clients.iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: name, Tags: iamTags(desired.tags) }));
        arn = out.InstanceProfile!.Arn!;
      } else {
        const tags = changedTags(desired.tags, change.changes);
        if (tags.length) await ctx.clients.iam.send(new TagInstanceProfileCommand({ InstanceProfileName: name, Tags: tags }));
      }
      const roles = change.actual ? rolesOf(change.actual) : [];
      if (roles.length === 1 && roles[0] === desired.roleName) return arn;
      // A profile holds one role: another one (or none) is replaced by ours.
      for (const other of roles) await ctx.clients.iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: name, RoleName: other }));
      await addRoleWhenKnown(ctx, name, desired.roleName);
      return arn;
    },
    terraform: (t, d) => [{ type: 'aws_iam_instance_profile', name, body: { name, role: t.ref(iamRoleKey(d.roleName), 'name'), tags: d.tags } }],
  };
}

const rolesOf = (state: IamRoleState): string[] => (state.profile?.Roles ?? []).map((r) => r.RoleName!);

async function addRoleWhenKnown(ctx: ReconcileContext, profile: string, role: string): Promise<void> {
  const deadline = ctx.clock.now() + PROPAGATION_WAIT_MS;
  for (;;) {
    try {
      await ctx.clients.iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: profile, RoleName: role }));
      return;
    } catch (error) {
      if (!isNotFoundError(error) || ctx.clock.now() >= deadline) throw error;
      await ctx.clock.sleep(PROPAGATION_POLL_MS, ctx.signal);
    }
  }
}
