// IAM roles and their inline policies, one per kind of machine, as kops'
// IAMRole and IAMRolePolicy tasks: the role trusts EC2, is tagged for the
// cluster, and holds one inline policy named like itself. Documents are sent
// as stable JSON and compared in that form, so a re-run plans no change.
import { CreateRoleCommand, PutRolePolicyCommand, TagRoleCommand, UpdateAssumeRolePolicyCommand } from '@aws-sdk/client-iam';
import type { IamRoleState } from '../../cloud/aws/discovery-iam.js';
import { fromTagList, type TagMap } from '../../cloud/aws/tags.js';
import { compareTags, taskKey, type FieldChange, type ReconcileContext, type Task } from '../task.js';
import { grantLines, normalisePolicyText, stableJson, type PolicyDocument } from '../iam/policy-document.js';
import { dataFile, type TerraformOutput } from '../../terraform/types.js';
import type { HclExpr } from '../../terraform/hcl.js';

export interface IamRoleDesired {
  name: string;
  assumeRolePolicy: string;
  tags: TagMap;
}

export interface IamRolePolicyDesired {
  roleName: string;
  policyName: string;
  document: string;
}

export const iamRoleKey = (name: string): string => taskKey('IAMRole', name);
export const iamRolePolicyKey = (name: string): string => taskKey('IAMRolePolicy', name);

const roleStateOf = (ctx: ReconcileContext, name: string): IamRoleState | undefined => ctx.snapshot.iamRoles?.find((r) => r.name === name);

export function iamRoleTask(name: string, assumeRolePolicy: PolicyDocument, tags: TagMap): Task<IamRoleDesired, IamRoleState> {
  return {
    key: iamRoleKey(name),
    kind: 'IAMRole',
    name,
    dependencies: [],
    desired: () => ({ name, assumeRolePolicy: stableJson(assumeRolePolicy), tags }),
    find: (ctx) => {
      const state = roleStateOf(ctx, name);
      return state?.role ? state : null;
    },
    idOf: (state) => state.role!.Arn!,
    diff: (desired, actual) => [
      ...policyChanges('AssumeRolePolicy', desired.assumeRolePolicy, actual.role!.AssumeRolePolicyDocument),
      ...compareTags(desired.tags, fromTagList(actual.role!.Tags)),
    ],
    describe: (d) => ({ AssumeRolePolicy: grantLines(d.assumeRolePolicy).join('; ').replace(/ on \*$/, ''), Tags: `${Object.keys(d.tags).length} tags` }),
    async apply(ctx, change) {
      const { desired } = change;
      if (!change.actual) {
        const out = await ctx.clients.iam.send(
          new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: desired.assumeRolePolicy, Tags: iamTags(desired.tags) }),
        );
        return out.Role!.Arn!;
      }
      if (change.changes.some((c) => c.field === 'AssumeRolePolicy')) {
        await ctx.clients.iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: name, PolicyDocument: desired.assumeRolePolicy }));
      }
      const tags = changedTags(desired.tags, change.changes);
      if (tags.length) await ctx.clients.iam.send(new TagRoleCommand({ RoleName: name, Tags: tags }));
      return change.actual.role!.Arn!;
    },
    terraform: (t, d) => {
      const policyFile = dataFile('aws_iam_role', name, 'policy', prettyPolicy(d.assumeRolePolicy));
      const ref = (attribute: string) => t.ref(iamRoleKey(name), attribute);
      return [{ type: 'aws_iam_role', name, body: { assume_role_policy: policyFile.value, name, tags: d.tags }, files: [policyFile.file], outputs: roleOutputs(name, ref) }];
    },
  };
}

/** A policy document in data/, indented for review (IAM compares documents, not their layout). */
const prettyPolicy = (document: string): string => `${JSON.stringify(JSON.parse(document), null, 2)}\n`;

/** kops' masters_role_arn, masters_role_name (nodes_, bastions_ likewise). */
function roleOutputs(name: string, ref: (attribute: string) => HclExpr): TerraformOutput[] {
  const kind = ['masters', 'nodes', 'bastions'].find((k) => name.startsWith(`${k}.`));
  return kind ? [{ name: `${kind}_role_arn`, value: ref('arn') }, { name: `${kind}_role_name`, value: ref('name') }] : [];
}

export function iamRolePolicyTask(name: string, document: PolicyDocument): Task<IamRolePolicyDesired, IamRoleState> {
  return {
    key: iamRolePolicyKey(name),
    kind: 'IAMRolePolicy',
    name,
    dependencies: [iamRoleKey(name)],
    desired: () => ({ roleName: name, policyName: name, document: stableJson(document) }),
    find: (ctx) => {
      const state = roleStateOf(ctx, name);
      return state?.role && state.policy !== null ? state : null;
    },
    idOf: () => name,
    diff: (desired, actual) => policyChanges('PolicyDocument', desired.document, actual.policy ?? undefined),
    describe: (d) => {
      const grants = grantLines(d.document);
      return { RoleName: d.roleName, Statements: String(document.Statement.length), Grants: `${grants.length} (action, resource) pairs` };
    },
    async apply(ctx, change) {
      const { desired } = change;
      await ctx.clients.iam.send(new PutRolePolicyCommand({ RoleName: desired.roleName, PolicyName: desired.policyName, PolicyDocument: desired.document }));
      return name;
    },
    terraform: (t, d) => {
      const policyFile = dataFile('aws_iam_role_policy', name, 'policy', prettyPolicy(d.document));
      return [{ type: 'aws_iam_role_policy', name, body: { name: d.policyName, policy: policyFile.value, role: t.ref(iamRoleKey(d.roleName), 'name') }, files: [policyFile.file] }];
    },
  };
}

/** A policy difference as the grants removed and added, readable in a preview. */
export function policyChanges(field: string, desired: string, actualText: string | undefined): FieldChange[] {
  const actual = normalisePolicyText(actualText);
  if (actual === stableJson(JSON.parse(desired))) return [];
  const want = grantLines(desired);
  const have = grantLines(actual);
  const removed = have.filter((line) => !want.includes(line));
  const added = want.filter((line) => !have.includes(line));
  if (removed.length === 0 && added.length === 0) return [{ field, old: '<same grants, other layout>', new: '<rewritten>' }];
  return [{ field, old: removed.join('; ') || '<none>', new: added.join('; ') || '<none>' }];
}

/** The tags whose Tags[...] field changed, as IAM's tag list. */
export function changedTags(desired: TagMap, changes: FieldChange[]): { Key: string; Value: string }[] {
  const keys = changes.filter((c) => c.field.startsWith('Tags[')).map((c) => c.field.slice(5, -1));
  return keys.filter((key) => desired[key] !== undefined).map((key) => ({ Key: key, Value: desired[key] }));
}

/** Tags as IAM takes them, sorted by key. */
export const iamTags = (tags: TagMap): { Key: string; Value: string }[] =>
  Object.keys(tags)
    .sort()
    .map((Key) => ({ Key, Value: tags[Key] }));
