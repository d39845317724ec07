// Finding a cluster's IAM roles, instance profiles and inline policies, and its
// EC2 key pairs. IAM has no tag filter, so roles are looked up by the names
// kops gives them (three kinds, three calls each, whatever the cluster's
// size); key pairs are one DescribeKeyPairs call, kept when named for the
// cluster (`kubernetes.<cluster>-…`, kops' prefix) or tagged for it.
import { GetInstanceProfileCommand, GetRoleCommand, GetRolePolicyCommand, type InstanceProfile, type Role } from '@aws-sdk/client-iam';
import { DescribeKeyPairsCommand, type KeyPairInfo } from '@aws-sdk/client-ec2';
import type { AwsClients } from './clients.js';
import { isNotFoundError } from './errors.js';
import { IAM_ROLE_KINDS, iamName, type IamRoleKind } from './iam-names.js';
import { TAG_CLUSTER, fromTagList } from './tags.js';

export interface IamRoleState {
  kind: IamRoleKind;
  /** The role's (and its profile's and inline policy's) name. */
  name: string;
  role: Role | null;
  /** The inline policy named like the role, as IAM returns it (URL-encoded JSON); null when absent. */
  policy: string | null;
  profile: InstanceProfile | null;
}

async function orNull<T>(call: Promise<T>): Promise<T | null> {
  try {
    return await call;
  } catch (error) {
    if (isNotFoundError(error)) return null;
    throw error;
  }
}

/** The cluster's three roles by kops' names; every part null when missing. */
export async function findIamRoles(clients: AwsClients, cluster: string): Promise<IamRoleState[]> {
  return Promise.all(
    IAM_ROLE_KINDS.map(async (kind) => {
      const name = iamName(cluster, kind);
      const [role, policy, profile] = await Promise.all([
        orNull(clients.iam.send(new GetRoleCommand({ RoleName: name }))),
        orNull(clients.iam.send(new GetRolePolicyCommand({ RoleName: name, PolicyName: name }))),
        orNull(clients.iam.send(new GetInstanceProfileCommand({ InstanceProfileName: name }))),
      ]);
      return { kind, name, role: role?.Role ?? null, policy: policy?.PolicyDocument ?? null, profile: profile?.InstanceProfile ?? null };
    }),
  );
}

/** Key pairs named for the cluster (kops' `kubernetes.<cluster>-` prefix) or tagged for it. */
export async function findKeyPairs(clients: AwsClients, cluster: string): Promise<KeyPairInfo[]> {
  const out = await clients.ec2.send(new DescribeKeyPairsCommand({}));
  return (out.KeyPairs ?? []).filter((k) => k.KeyName?.startsWith(`kubernetes.${cluster}-`) || fromTagList(k.Tags)[TAG_CLUSTER] === cluster);
}

/** The machine identities a plan compares with: roles, profiles, inline policies and key pairs. */
export async function discoverIdentity(clients: AwsClients, cluster: string): Promise<{ iamRoles: IamRoleState[]; keyPairs: KeyPairInfo[] }> {
  const [iamRoles, keyPairs] = await Promise.all([findIamRoles(clients, cluster), findKeyPairs(clients, cluster)]);
  return { iamRoles, keyPairs };
}
