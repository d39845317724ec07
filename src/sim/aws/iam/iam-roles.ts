// IAM roles: create, read, tag, trust policy, inline and attached policies,
// delete (refused with DeleteConflict while anything still hangs on the role,
// as IAM does). Inline policies of a role may hold 10,240 characters in all,
// whitespace not counted: IAM's quota, which a generated policy must fit.
import { AwsError } from '../aws-error.js';
import { ACCOUNT_ID } from '../world/regions.js';
import type { IamRole } from '../world/iam-types.js';
import { checkName, deleteConflict, iamId, iamOf, noSuchEntity, profileXml, readPolicyDocument, readTags, roleNamed, roleXml, type IamHandler } from './iam-common.js';

const INLINE_POLICY_QUOTA = 10_240;

export const createRole: IamHandler = (ctx) => {
  const name = checkName(ctx.params.required('RoleName'), 'roleName', 64);
  const roles = iamOf(ctx.world).roles;
  if (roles[name]) throw new AwsError('EntityAlreadyExists', `Role with name ${name} already exists.`, 409);
  const path = ctx.params.str('Path') ?? '/';
  const role: IamRole = {
    name,
    id: iamId(ctx, 'AROA'),
    arn: `arn:aws:iam::${ACCOUNT_ID}:role${path}${name}`,
    path,
    assumeRolePolicy: readPolicyDocument(ctx.params, 'AssumeRolePolicyDocument'),
    description: ctx.params.str('Description'),
    maxSessionDuration: ctx.params.int('MaxSessionDuration') ?? 3600,
    createdAt: ctx.world.now(),
    tags: readTags(ctx.params),
    inlinePolicies: {},
    attachedPolicies: [],
  };
  roles[name] = role;
  ctx.world.changed();
  return { Role: roleXml(role) };
};

export const getRole: IamHandler = (ctx) => ({ Role: roleXml(roleNamed(ctx, ctx.params.required('RoleName'))) });

export const deleteRole: IamHandler = (ctx) => {
  const role = roleNamed(ctx, ctx.params.required('RoleName'));
  const state = iamOf(ctx.world);
  if (Object.values(state.instanceProfiles).some((p) => p.roles.includes(role.name))) {
    throw deleteConflict('Cannot delete entity, must remove roles from instance profile first.');
  }
  if (Object.keys(role.inlinePolicies).length) throw deleteConflict('Cannot delete entity, must delete policies first.');
  if (role.attachedPolicies.length) throw deleteConflict('Cannot delete entity, must detach all policies first.');
  delete state.roles[role.name];
  ctx.world.changed();
  return null;
};

export const tagRole: IamHandler = (ctx) => {
  const role = roleNamed(ctx, ctx.params.required('RoleName'));
  Object.assign(role.tags, readTags(ctx.params));
  ctx.world.changed();
  return null;
};

export const untagRole: IamHandler = (ctx) => {
  const role = roleNamed(ctx, ctx.params.required('RoleName'));
  for (const key of ctx.params.strings('TagKeys')) delete role.tags[key];
  ctx.world.changed();
  return null;
};

export const updateAssumeRolePolicy: IamHandler = (ctx) => {
  const role = roleNamed(ctx, ctx.params.required('RoleName'));
  role.assumeRolePolicy = readPolicyDocument(ctx.params, 'PolicyDocument');
  ctx.world.changed();
  return null;
};

export const putRolePolicy: IamHandler = (ctx) => {
  const role = roleNamed(ctx, ctx.params.required('RoleName'));
  const name = checkName(ctx.params.required('PolicyName'), 'policyName', 128);
  const document = readPolicyDocument(ctx.params, 'PolicyDocument');
  const others = Object.entries(role.inlinePolicies).filter(([n]) => n !== name).map(([, text]) => text);
  const size = [...others, document].join('').replace(/\s/g, '').length;
  if (size > INLINE_POLICY_QUOTA) throw new AwsError('LimitExceeded', `Maximum policy size of ${INLINE_POLICY_QUOTA} bytes exceeded for role ${role.name}`, 409);
  role.inlinePolicies[name] = document;
  ctx.world.changed();
  return null;
};

export const getRolePolicy: IamHandler = (ctx) => {
  const role = roleNamed(ctx, ctx.params.required('RoleName'));
  const name = ctx.params.required('PolicyName');
  const document = role.inlinePolicies[name];
  if (document === undefined) throw noSuchEntity(`The role policy with name ${name} cannot be found.`);
  return { RoleName: role.name, PolicyName: name, PolicyDocument: encodeURIComponent(document) };
};

export const deleteRolePolicy: IamHandler = (ctx) => {
  const role = roleNamed(ctx, ctx.params.required('RoleName'));
  const name = ctx.params.required('PolicyName');
  if (role.inlinePolicies[name] === undefined) throw noSuchEntity(`The role policy with name ${name} cannot be found.`);
  delete role.inlinePolicies[name];
  ctx.world.changed();
  return null;
};

export const listRolePolicies: IamHandler = (ctx) => {
  const role = roleNamed(ctx, ctx.params.required('RoleName'));
  return { PolicyNames: Object.keys(role.inlinePolicies).sort(), IsTruncated: false };
};

export const attachRolePolicy: IamHandler = (ctx) => {
  const role = roleNamed(ctx, ctx.params.required('RoleName'));
  const arn = ctx.params.required('PolicyArn');
  if (!/^arn:aws:iam::(aws|\d{12}):policy\/.+/.test(arn)) throw noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
  if (!role.attachedPolicies.includes(arn)) role.attachedPolicies.push(arn);
  ctx.world.changed();
  return null;
};

export const detachRolePolicy: IamHandler = (ctx) => {
  const role = roleNamed(ctx, ctx.params.required('RoleName'));
  const arn = ctx.params.required('PolicyArn');
  if (!role.attachedPolicies.includes(arn)) throw noSuchEntity(`Policy ${arn} was not found.`);
  role.attachedPolicies = role.attachedPolicies.filter((a) => a !== arn);
  ctx.world.changed();
  return null;
};

export const listAttachedRolePolicies: IamHandler = (ctx) => {
  const role = roleNamed(ctx, ctx.params.required('RoleName'));
  return { AttachedPolicies: role.attachedPolicies.map((arn) => ({ PolicyArn: arn, PolicyName: arn.split('/').pop() })), IsTruncated: false };
};

export const listInstanceProfilesForRole: IamHandler = (ctx) => {
  const role = roleNamed(ctx, ctx.params.required('RoleName'));
  const profiles = Object.values(iamOf(ctx.world).instanceProfiles).filter((p) => p.roles.includes(role.name));
  return { InstanceProfiles: profiles.map((p) => profileXml(ctx, p)), IsTruncated: false };
};
