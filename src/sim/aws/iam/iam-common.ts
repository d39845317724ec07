// Shared by the IAM handlers: the handler shape, lookups failing with IAM's
// own codes, tags and policy documents read from the request, and the XML
// shapes of a role and an instance profile.
import { AwsError } from '../aws-error.js';
import type { Params } from '../query-params.js';
import { isoTime } from '../query-protocol.js';
import type { XmlValue } from '../xml.js';
import type { AwsWorld } from '../world/aws-world.js';
import type { IamInstanceProfile, IamRole, IamState } from '../world/iam-types.js';
import type { Tags } from '../world/types.js';

export const IAM_XMLNS = 'https://iam.amazonaws.com/doc/2010-05-08/';

export interface IamContext {
  params: Params;
  world: AwsWorld;
}

export type IamResult = { [key: string]: XmlValue } | null;
export type IamHandler = (ctx: IamContext) => IamResult;

export const iamOf = (world: AwsWorld): IamState => world.state.iam;

export const noSuchEntity = (message: string) => new AwsError('NoSuchEntity', message, 404);
export const deleteConflict = (message: string) => new AwsError('DeleteConflict', message, 409);

export function roleNamed(ctx: IamContext, name: string): IamRole {
  const role = iamOf(ctx.world).roles[name];
  if (!role) throw noSuchEntity(`The role with name ${name} cannot be found.`);
  return role;
}

export function profileNamed(ctx: IamContext, name: string): IamInstanceProfile {
  const profile = iamOf(ctx.world).instanceProfiles[name];
  if (!profile) throw noSuchEntity(`Instance Profile ${name} cannot be found.`);
  return profile;
}

/** IAM's name rule, with its own wording of the refusal. */
export function checkName(value: string, field: string, max: number): string {
  if (!/^[\w+=,.@-]+$/.test(value) || value.length > max) {
    throw new AwsError(
      'ValidationError',
      `1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+ and have length less than or equal to ${max}`,
    );
  }
  return value;
}

export function readTags(params: Params): Tags {
  const tags: Tags = {};
  for (const tag of params.objects('Tags')) tags[tag.required('Key')] = tag.str('Value') ?? '';
  if (Object.keys(tags).length > 50) throw new AwsError('LimitExceeded', 'Cannot exceed quota for TagsPerRole: 50', 409);
  return tags;
}

/** A policy document must be JSON with statements, as IAM insists. */
export function readPolicyDocument(params: Params, field: string): string {
  const text = params.required(field);
  let doc: { Statement?: unknown };
  try {
    doc = JSON.parse(text) as { Statement?: unknown };
  } catch {
    throw new AwsError('MalformedPolicyDocument', 'Syntax errors in policy.');
  }
  const statements = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
  if (statements.length === 0) throw new AwsError('MalformedPolicyDocument', 'Policy document must contain at least one statement.');
  return text;
}

const tagsXml = (tags: Tags) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

export function roleXml(role: IamRole) {
  return {
    Path: role.path,
    RoleName: role.name,
    RoleId: role.id,
    Arn: role.arn,
    CreateDate: isoTime(role.createdAt),
    // IAM returns policy documents URL-encoded.
    AssumeRolePolicyDocument: encodeURIComponent(role.assumeRolePolicy),
    Description: role.description,
    MaxSessionDuration: role.maxSessionDuration,
    Tags: Object.keys(role.tags).length ? tagsXml(role.tags) : undefined,
  };
}

export function profileXml(ctx: IamContext, profile: IamInstanceProfile) {
  const roles = iamOf(ctx.world).roles;
  return {
    Path: profile.path,
    InstanceProfileName: profile.name,
    InstanceProfileId: profile.id,
    Arn: profile.arn,
    CreateDate: isoTime(profile.createdAt),
    Roles: profile.roles.filter((name) => roles[name]).map((name) => roleXml(roles[name])),
    Tags: Object.keys(profile.tags).length ? tagsXml(profile.tags) : undefined,
  };
}

/** IAM's unique ids: a 4-letter kind prefix and 17 upper-case characters. */
export const iamId = (ctx: IamContext, prefix: string): string => `${prefix}${ctx.world.deps.random.hex(17).toUpperCase()}`;
