// The bootstrap token joining workers present to the API server, in kubeadm's
// format ([a-z0-9]{6}.[a-z0-9]{16}: a public id and a secret) and with the
// fields of kubeadm's BootstrapToken, so a control plane can hand the stored
// object to `kubeadm init` as it is.
import { randomInt } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
export const TOKEN_PATTERN = /^([a-z0-9]{6})\.([a-z0-9]{16})$/;
/** kubeadm's default token TTL. */
export const DEFAULT_TOKEN_TTL_MS = 24 * 3600_000;

export interface BootstrapToken {
  /** id.secret */
  token: string;
  /** RFC 3339 */
  expires: string;
  description: string;
  usages: string[];
  groups: string[];
}

export function generateBootstrapToken(now: Date, ttlMs = DEFAULT_TOKEN_TTL_MS): BootstrapToken {
  return {
    token: `${randomText(6)}.${randomText(16)}`,
    expires: new Date(now.getTime() + ttlMs).toISOString(),
    description: 'kopsdeck: joins worker nodes',
    // kubeadm's defaults for the token of `kubeadm init`.
    usages: ['signing', 'authentication'],
    groups: ['system:bootstrappers:kubeadm:default-node-token'],
  };
}

export function serialiseBootstrapToken(token: BootstrapToken): string {
  return JSON.stringify(token, null, 2) + '\n';
}

/** Throws (without quoting the body, which holds the secret) when the object is not a token. */
export function parseBootstrapToken(body: string, where: string): BootstrapToken {
  let value: Partial<BootstrapToken> | null = null;
  try {
    value = JSON.parse(body) as Partial<BootstrapToken>;
  } catch {
    // reported below
  }
  if (!value || typeof value.token !== 'string' || !TOKEN_PATTERN.test(value.token) || typeof value.expires !== 'string' || Number.isNaN(Date.parse(value.expires))) {
    throw new Error(`${where} is not a bootstrap token kopsdeck wrote (it needs a token id.secret and an expiry); rotate it with \`kopsdeck rotate bootstrap-token\``);
  }
  return value as BootstrapToken;
}

function randomText(length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) text += ALPHABET[randomInt(ALPHABET.length)];
  return text;
}
