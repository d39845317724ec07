// IAM and EC2 key pairs as the simulated world keeps them: plain JSON, saved
// with the rest of the world. IAM is global (one account, no region); key
// pairs are regional, as in EC2. Times are simulated epoch ms.
import type { Tags } from './types.js';

export interface IamRole {
  name: string;
  /** AROA…, as IAM makes them. */
  id: string;
  arn: string;
  path: string;
  /** The trust policy, as sent (IAM returns it URL-encoded). */
  assumeRolePolicy: string;
  description?: string;
  maxSessionDuration: number;
  createdAt: number;
  tags: Tags;
  /** Inline policies by name, as sent. */
  inlinePolicies: Record<string, string>;
  /** ARNs of the managed policies attached to it. */
  attachedPolicies: string[];
}

export interface IamInstanceProfile {
  name: string;
  /** AIPA…, as IAM makes them. */
  id: string;
  arn: string;
  path: string;
  createdAt: number;
  /** Role names; IAM allows at most one. */
  roles: string[];
  tags: Tags;
}

export interface IamState {
  roles: Record<string, IamRole>;
  instanceProfiles: Record<string, IamInstanceProfile>;
}

export function emptyIamState(): IamState {
  return { roles: {}, instanceProfiles: {} };
}

export interface KeyPair {
  /** key-…, the id CreateTags and DeleteKeyPair take. */
  id: string;
  region: string;
  name: string;
  keyType: 'rsa' | 'ed25519';
  /** As EC2 shows it for an imported key: MD5 of the DER public key (RSA), base64 SHA-256 (ED25519). */
  fingerprint: string;
  /** The OpenSSH public key line. */
  publicKey: string;
  createdAt: number;
  tags: Tags;
}
