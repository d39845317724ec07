// `delete cluster`'s part for machine identities: the cluster's IAM instance
// profiles and roles (with their inline and attached policies) and its EC2 key
// pairs. Only what is named for the cluster (kops' names) and tagged
// `kubernetes.io/cluster/<cluster>=owned` is deleted, as kops decides
// (pkg/resources/aws/aws.go ListIAMRoles, ListIAMInstanceProfiles,
// ListKeypairs): a role someone else made, or one tagged `shared`, stays.
import {
  DeleteInstanceProfileCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListInstanceProfilesForRoleCommand,
  ListRolePoliciesCommand,
  RemoveRoleFromInstanceProfileCommand,
  type InstanceProfile,
} from '@aws-sdk/client-iam';
import { DeleteKeyPairCommand, type KeyPairInfo } from '@aws-sdk/client-ec2';
import type { AwsClients } from '../cloud/aws/clients.js';
import { findIamRoles, findKeyPairs } from '../cloud/aws/discovery-iam.js';
import { isNotFoundError } from '../cloud/aws/errors.js';
import { clusterOwnershipTag, fromTagList } from '../cloud/aws/tags.js';

export interface OwnedIdentities {
  /** Role names. */
  roles: string[];
  profiles: InstanceProfile[];
  keyPairs: KeyPairInfo[];
}

const owned = (cluster: string, tags: { Key?: string; Value?: string }[] | undefined): boolean => fromTagList(tags)[clusterOwnershipTag(cluster)] === 'owned';

export async function findOwnedIdentities(clients: AwsClients, cluster: string): Promise<OwnedIdentities> {
  const [roles, keyPairs] = await Promise.all([findIamRoles(clients, cluster), findKeyPairs(clients, cluster)]);
  return {
    roles: roles.filter((r) => r.role && owned(cluster, r.role.Tags)).map((r) => r.name),
    profiles: roles.flatMap((r) => (r.profile && owned(cluster, r.profile.Tags) ? [r.profile] : [])),
    keyPairs: keyPairs.filter((k) => k.KeyName?.startsWith(`kubernetes.${cluster}-`) && owned(cluster, k.Tags)),
  };
}

/** As `delete cluster` lists them (kops' resource types). */
export function identityResources(found: OwnedIdentities): { type: string; name: string; id: string }[] {
  return [
    ...found.profiles.map((p) => ({ type: 'iam-instance-profile', name: p.InstanceProfileName!, id: p.InstanceProfileName! })),
    ...found.roles.map((name) => ({ type: 'iam-role', name, id: name })),
    ...found.keyPairs.map((k) => ({ type: 'keypair', name: k.KeyName!, id: k.KeyPairId! })),
  ];
}

export interface IdentityDeletion {
  kind: 'iam-instance-profile' | 'iam-role' | 'keypair';
  name: string;
  id: string;
  /** Keys (`<kind>/<name>`) of deletions to finish first. */
  after: string[];
  run(): Promise<void>;
}

/** Profiles before their roles (a role in a profile cannot be deleted); key pairs on their own. */
export function identityDeletions(found: OwnedIdentities, clients: AwsClients): IdentityDeletion[] {
  const profileKeys = found.profiles.map((p) => `iam-instance-profile/${p.InstanceProfileName}`);
  return [
    ...found.profiles.map((p): IdentityDeletion => ({ kind: 'iam-instance-profile', name: p.InstanceProfileName!, id: p.InstanceProfileName!, after: [], run: () => deleteInstanceProfile(clients, p) })),
    ...found.roles.map((name): IdentityDeletion => ({ kind: 'iam-role', name, id: name, after: profileKeys, run: () => deleteRole(clients, name) })),
    ...found.keyPairs.map((k): IdentityDeletion => ({ kind: 'keypair', name: k.KeyName!, id: k.KeyPairId!, after: [], run: () => gone(clients.ec2.send(new DeleteKeyPairCommand({ KeyPairId: k.KeyPairId }))) })),
  ];
}

async function gone(call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch (error) {
    if (!isNotFoundError(error)) throw error;
  }
}

async function deleteInstanceProfile(clients: AwsClients, profile: InstanceProfile): Promise<void> {
  const name = profile.InstanceProfileName!;
  for (const role of profile.Roles ?? []) {
    await gone(clients.iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: name, RoleName: role.RoleName })));
  }
  await gone(clients.iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: name })));
}

/** Everything that holds the role goes first: profiles it is in, its inline and attached policies (kops' DeleteIAMRole). */
async function deleteRole(clients: AwsClients, name: string): Promise<void> {
  const iam = clients.iam;
  try {
    const [profiles, inline, attached] = await Promise.all([
      iam.send(new ListInstanceProfilesForRoleCommand({ RoleName: name })),
      iam.send(new ListRolePoliciesCommand({ RoleName: name })),
      iam.send(new ListAttachedRolePoliciesCommand({ RoleName: name })),
    ]);
    for (const p of profiles.InstanceProfiles ?? []) await gone(iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: p.InstanceProfileName, RoleName: name })));
    for (const policy of inline.PolicyNames ?? []) await gone(iam.send(new DeleteRolePolicyCommand({ RoleName: name, PolicyName: policy })));
    for (const policy of attached.AttachedPolicies ?? []) await gone(iam.send(new DetachRolePolicyCommand({ RoleName: name, PolicyArn: policy.PolicyArn })));
  } catch (error) {
    if (isNotFoundError(error)) return;
    throw error;
  }
  await gone(iam.send(new DeleteRoleCommand({ RoleName: name })));
}
