// The identities machines launch with: per kind of machine in use, an IAM role
// (trusting EC2), its inline policy (none for bastions) and an instance
// profile, all named as kops names them; and the cluster's SSH key pair.
// kops' rules for the key (pkg/model/context.go UseSSHKey, names.go
// SSHKeyName): spec.sshKeyName names an existing key pair kopsdeck neither
// imports nor deletes; an empty sshKeyName means no key at all; otherwise the
// one admin key in the state store is imported as `kubernetes.<cluster>-<fp>`.
import type { Cluster } from '../../spec/types.js';
import { clusterTags, type TagMap } from '../../cloud/aws/tags.js';
import { iamName, type IamRoleKind } from '../../cloud/aws/iam-names.js';
import { keyPairName, sshAdminKeysPrefix, type SshPublicKey } from '../../ssh/public-key.js';
import type { ObjectStore } from '../../store/object-store.js';
import { readSshPublicKeys } from '../../ssh/key-store.js';
import type { Task } from '../task.js';
import { iamRolePolicyTask, iamRoleTask } from '../tasks/iam-role.js';
import { instanceProfileKey, instanceProfileTask } from '../tasks/iam-instance-profile.js';
import { sshKeyKey, sshKeyTask } from '../tasks/ssh-key.js';
import { ASSUME_ROLE_POLICY, rolePolicy, rolePolicyInput } from './role-policies.js';

export interface IdentityOptions {
  /** The state store's URL: an s3:// store is what the policies let instances read. */
  stateStore?: string;
  /** The region of the state store's bucket, which the machines sign their requests to it for. */
  storeRegion?: string;
  /** The cluster's admin SSH public keys from the state store. */
  sshPublicKeys?: SshPublicKey[];
}

export interface Identities {
  tasks: Task[];
  /** The instance profile each kind of machine launches with. */
  profiles: Map<IamRoleKind, { name: string; key: string }>;
  /** The key pair launch templates name, and its task when kopsdeck imports it. */
  keyName?: string;
  sshKeyKey?: string;
}

export function identityTasks(cluster: Cluster, kinds: Iterable<IamRoleKind>, options: IdentityOptions): Identities {
  const clusterName = cluster.metadata.name;
  const input = rolePolicyInput(cluster, options.stateStore);
  const tasks: Task[] = [];
  const profiles = new Map<IamRoleKind, { name: string; key: string }>();
  for (const kind of kinds) {
    const name = iamName(clusterName, kind);
    const tags: TagMap = { ...clusterTags(clusterName), Name: name };
    tasks.push(iamRoleTask(name, ASSUME_ROLE_POLICY, tags));
    const document = rolePolicy(kind, input);
    if (document) tasks.push(iamRolePolicyTask(name, document));
    tasks.push(instanceProfileTask(name, name, tags));
    profiles.set(kind, { name, key: instanceProfileKey(name) });
  }
  const identities: Identities = { tasks, profiles };
  const sshKeyName = cluster.spec.sshKeyName;
  if (sshKeyName !== undefined) return { ...identities, keyName: sshKeyName || undefined };
  const [key] = options.sshPublicKeys ?? [];
  if (!key) return identities;
  const name = keyPairName(clusterName, key);
  tasks.push(sshKeyTask(name, key, clusterTags(clusterName, clusterName)));
  return { ...identities, keyName: name, sshKeyKey: sshKeyKey(name) };
}

/** kops refuses several admin keys on AWS (an instance takes one key pair); so does kopsdeck. */
export function sshKeyProblems(cluster: Cluster, keys: SshPublicKey[] | undefined): string[] {
  if (cluster.spec.sshKeyName !== undefined || (keys?.length ?? 0) <= 1) return [];
  return [`the state store holds ${keys!.length} admin SSH public keys under ${sshAdminKeysPrefix(cluster.metadata.name)}; EC2 instances take one key pair: remove all but one`];
}

/**
 * What the identities of a plan depend on besides the spec: the store's URL
 * and its admin SSH keys (or keys given outright, for a cluster not stored yet).
 */
export async function identityOptionsOf(input: { cluster: Cluster; store?: ObjectStore; sshPublicKeys?: SshPublicKey[] }): Promise<IdentityOptions> {
  const sshPublicKeys = input.sshPublicKeys ?? (input.store ? await readSshPublicKeys(input.store, input.cluster.metadata.name) : []);
  return { stateStore: input.store?.url, storeRegion: await input.store?.region?.(), sshPublicKeys };
}
