// IAM over awsQuery (version 2010-05-08, signed as `iam`): roles, their trust
// and inline policies, instance profiles, with IAM's error codes
// (NoSuchEntity 404, EntityAlreadyExists and DeleteConflict 409). IAM is
// global: the request's region does not matter.
import { AwsError } from '../aws-error.js';
import type { AwsRequest, AwsService } from '../aws-service.js';
import { queryAction, queryParams, sendAwsQuery, sendAwsQueryError } from '../query-protocol.js';
import { IAM_XMLNS, type IamHandler } from './iam-common.js';
import * as profiles from './iam-profiles.js';
import * as roles from './iam-roles.js';

const ACTIONS: Record<string, IamHandler> = {
  CreateRole: roles.createRole,
  GetRole: roles.getRole,
  DeleteRole: roles.deleteRole,
  TagRole: roles.tagRole,
  UntagRole: roles.untagRole,
  UpdateAssumeRolePolicy: roles.updateAssumeRolePolicy,
  PutRolePolicy: roles.putRolePolicy,
  GetRolePolicy: roles.getRolePolicy,
  DeleteRolePolicy: roles.deleteRolePolicy,
  ListRolePolicies: roles.listRolePolicies,
  AttachRolePolicy: roles.attachRolePolicy,
  DetachRolePolicy: roles.detachRolePolicy,
  ListAttachedRolePolicies: roles.listAttachedRolePolicies,
  ListInstanceProfilesForRole: roles.listInstanceProfilesForRole,
  CreateInstanceProfile: profiles.createInstanceProfile,
  GetInstanceProfile: profiles.getInstanceProfile,
  DeleteInstanceProfile: profiles.deleteInstanceProfile,
  AddRoleToInstanceProfile: profiles.addRoleToInstanceProfile,
  RemoveRoleFromInstanceProfile: profiles.removeRoleFromInstanceProfile,
  TagInstanceProfile: profiles.tagInstanceProfile,
};

export class IamService implements AwsService {
  readonly name = 'iam';
  readonly throttleError = { code: 'Throttling', status: 400 };

  action(request: AwsRequest): string {
    return queryAction(request);
  }

  handle(request: AwsRequest, action: string): void {
    const handler = ACTIONS[action];
    if (!handler) throw new AwsError('InvalidAction', `Could not find operation ${action} for version 2010-05-08`);
    sendAwsQuery(request, action, handler({ params: queryParams(request), world: request.world }), IAM_XMLNS);
  }

  sendError(request: AwsRequest, error: AwsError): void {
    sendAwsQueryError(request, error, IAM_XMLNS);
  }
}
