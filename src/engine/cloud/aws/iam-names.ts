// IAM names as kops gives them: one role and one instance profile per kind of
// machine, `masters.<cluster>`, `nodes.<cluster>`, `bastions.<cluster>`, the
// inline policy named like its role, cut to IAM's 64 characters with kops'
// hash suffix when the cluster name is long (kops pkg/model/names.go IAMName,
// pkg/truncate TruncateString).
import { hashString } from './kops-names.js';

export type IamRoleKind = 'masters' | 'nodes' | 'bastions';
export const IAM_ROLE_KINDS: readonly IamRoleKind[] = ['masters', 'nodes', 'bastions'];

const MAX_ROLE_NAME = 64;

export function iamName(cluster: string, kind: IamRoleKind): string {
  const name = `${kind}.${cluster}`;
  if (name.length <= MAX_ROLE_NAME) return name;
  const hash = hashString(name, 6);
  return `${name.slice(0, MAX_ROLE_NAME - hash.length - 1)}-${hash}`;
}

/** The ARN partition of a region (aws, aws-cn, aws-us-gov), for policy resources. */
export function arnPartition(region: string | undefined): string {
  if (region?.startsWith('cn-')) return 'aws-cn';
  if (region?.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}
