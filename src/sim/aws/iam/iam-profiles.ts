// IAM instance profiles: create, read, tag, hold one role, delete (refused
// with DeleteConflict while the profile still holds a role, as IAM does).
import { AwsError } from '../aws-error.js';
import { ACCOUNT_ID } from '../world/regions.js';
import type { IamInstanceProfile } from '../world/iam-types.js';
import { checkName, deleteConflict, iamId, iamOf, noSuchEntity, profileNamed, profileXml, readTags, roleNamed, type IamHandler } from './iam-common.js';

export const createInstanceProfile: IamHandler = (ctx) => {
  const name = checkName(ctx.params.required('InstanceProfileName'), 'instanceProfileName', 128);
  const profiles = iamOf(ctx.world).instanceProfiles;
  if (profiles[name]) throw new AwsError('EntityAlreadyExists', `Instance Profile ${name} already exists.`, 409);
  const path = ctx.params.str('Path') ?? '/';
  const profile: IamInstanceProfile = {
    name,
    id: iamId(ctx, 'AIPA'),
    arn: `arn:aws:iam::${ACCOUNT_ID}:instance-profile${path}${name}`,
    path,
    createdAt: ctx.world.now(),
    roles: [],
    tags: readTags(ctx.params),
  };
  profiles[name] = profile;
  ctx.world.changed();
  return { InstanceProfile: profileXml(ctx, profile) };
};

export const getInstanceProfile: IamHandler = (ctx) => ({ InstanceProfile: profileXml(ctx, profileNamed(ctx, ctx.params.required('InstanceProfileName'))) });

export const deleteInstanceProfile: IamHandler = (ctx) => {
  const profile = profileNamed(ctx, ctx.params.required('InstanceProfileName'));
  if (profile.roles.length) throw deleteConflict('Cannot delete entity, must remove roles from instance profile first.');
  delete iamOf(ctx.world).instanceProfiles[profile.name];
  ctx.world.changed();
  return null;
};

export const addRoleToInstanceProfile: IamHandler = (ctx) => {
  const profile = profileNamed(ctx, ctx.params.required('InstanceProfileName'));
  const role = roleNamed(ctx, ctx.params.required('RoleName'));
  if (profile.roles.length >= 1) throw new AwsError('LimitExceeded', 'Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1', 409);
  profile.roles.push(role.name);
  ctx.world.changed();
  return null;
};

export const removeRoleFromInstanceProfile: IamHandler = (ctx) => {
  const profile = profileNamed(ctx, ctx.params.required('InstanceProfileName'));
  const name = ctx.params.required('RoleName');
  if (!profile.roles.includes(name)) throw noSuchEntity(`The role with name ${name} cannot be found.`);
  profile.roles = profile.roles.filter((r) => r !== name);
  ctx.world.changed();
  return null;
};

export const tagInstanceProfile: IamHandler = (ctx) => {
  const profile = profileNamed(ctx, ctx.params.required('InstanceProfileName'));
  Object.assign(profile.tags, readTags(ctx.params));
  ctx.world.changed();
  return null;
};
