// Per-field validation for the wizard: each check says, in a sentence a person
// can act on, why a value is refused (error), what is risky about it
// (warning), or what it will mean (note).
import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseCidr, formatCidr } from '../spec/cidr.js';
import { clusterNameProblem, isMachineTypeShape } from '../spec/names.js';
import { isGossipClusterName } from '../spec/types.js';
import { shippedChannel } from '../channel/load-channel.js';
import { defaultKubernetesVersion, kubernetesVersionError, kubernetesVersionWarnings } from '../spec/kubernetes-version.js';
import { hostedZoneForName, splitCidrList, GOSSIP_SUFFIX, type WizardEnvironment } from './answers.js';

export interface FieldCheck {
  /** Why the value is refused; the wizard does not move on while there is one. */
  error?: string;
  /** Accepted, but worth a second thought. */
  warning?: string;
  /** What the value will mean. */
  note?: string;
}

export const MAX_NODES_PER_GROUP = 1000;

/** Machine types offered by Tab, and suggested when the cloud cannot list the region's. */
export const COMMON_MACHINE_TYPES: readonly string[] = [
  't3.small', 't3.medium', 't3.large', 't3.xlarge', 't3.2xlarge',
  't4g.medium', 't4g.large',
  'm6i.large', 'm6i.xlarge', 'm6i.2xlarge', 'm7i.large', 'm7i.xlarge',
  'm6g.large', 'm7g.large',
  'c6i.large', 'c6i.xlarge', 'c7i.large',
  'r6i.large', 'r6i.xlarge',
];

export function checkClusterName(name: string, env: WizardEnvironment): FieldCheck {
  const problem = clusterNameProblem(name);
  if (problem) return { error: problem };
  if (env.takenNames.includes(name)) {
    return { error: `a cluster named ${name} is already in the state store; choose another name (or delete it first)` };
  }
  if (isGossipClusterName(name)) {
    return { note: `needs no DNS: names ending in ${GOSSIP_SUFFIX} use no Route 53 zone; the API is reached through its load balancer` };
  }
  const zone = hostedZoneForName(name, env.hostedZones);
  if (zone) return { note: `the API record api.${name} goes in your Route 53 hosted zone ${zone.name}` };
  // As kops 1.36 without --dns-zone: no DNS at all, the API behind a load balancer.
  if (env.hostedZonesError) {
    return { warning: `could not list your Route 53 hosted zones (${env.hostedZonesError}); without one the cluster uses no DNS and its API is reached through its load balancer` };
  }
  return { note: `no Route 53 hosted zone of this account holds ${name}: the cluster uses no DNS and its API is reached through its load balancer` };
}

/**
 * The instance types EC2 offers in a region (DescribeInstanceTypeOfferings),
 * or why they could not be listed. See listMachineTypes.
 */
export interface MachineTypeOfferings {
  region: string;
  /** The offered types, sorted; undefined when the cloud could not be asked. */
  types?: readonly string[];
  /** Why the cloud could not be asked. */
  error?: string;
}

/**
 * EC2 sizes: nano ... xlarge, 2xlarge ... 224xlarge, metal and metal-24xl. AWS
 * names every instance type family.size with one of these, so a size outside
 * them is a typo even when the cloud cannot be asked.
 */
const EC2_SIZE = /^(?:nano|micro|small|medium|large|\d*xlarge|metal(?:-\d+xl)?)$/;
const EC2_SIZES_IN_WORDS = 'nano, micro, small, medium, large, xlarge, 2xlarge, 4xlarge ... or metal';

/** Levenshtein distance, for suggesting close names. */
function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length];
}

/**
 * Up to `count` names from `valid` closest to `typed`: other sizes of the same
 * family when the family is there, else the nearest names overall (within a
 * few edits, so that nothing far-fetched is suggested).
 */
export function closeMachineTypes(typed: string, valid: readonly string[], count = 3): string[] {
  const family = typed.split('.')[0];
  const sameFamily = valid.filter((t) => t.split('.')[0] === family && t !== typed);
  const pool = sameFamily.length > 0 ? sameFamily : valid.filter((t) => t !== typed);
  const limit = sameFamily.length > 0 ? Infinity : Math.max(2, Math.floor(typed.length / 3));
  return pool
    .map((name) => ({ name, distance: editDistance(typed, name) }))
    .filter((c) => c.distance <= limit)
    .sort((x, y) => x.distance - y.distance || x.name.localeCompare(y.name))
    .slice(0, count)
    .map((c) => c.name);
}

const orList = (names: readonly string[]): string => (names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`);

/**
 * A machine type: its shape, then the region's offerings when the cloud
 * listed them. `offerings` is 'loading' while they are being listed, and
 * undefined where nobody asked (the shape and size are still checked).
 */
export function checkMachineType(value: string, role: string, offerings?: MachineTypeOfferings | 'loading', region?: string): FieldCheck {
  const text = value.trim();
  if (text === '') return { error: `give a machine type for ${role}, such as t3.medium` };
  if (!isMachineTypeShape(text)) return { error: `"${text}" is not an EC2 instance type; use family.size such as t3.medium or m6i.large` };
  const where = region ?? (offerings !== undefined && offerings !== 'loading' ? offerings.region : undefined);
  if (offerings === 'loading' || (offerings && where && offerings.region !== where)) {
    return { error: `still listing the instance types EC2 offers in ${where ?? 'the region'}; press Enter again in a moment` };
  }
  if (offerings?.types) {
    if (offerings.types.includes(text)) return { note: `${role} run on ${text} instances (offered in ${offerings.region})` };
    const close = closeMachineTypes(text, offerings.types);
    const suggestion = close.length > 0 ? `; close names it offers: ${close.join(', ')}` : '';
    return { error: `EC2 does not offer ${text} in ${offerings.region}${suggestion}` };
  }
  const size = text.slice(text.indexOf('.') + 1);
  if (!EC2_SIZE.test(size)) {
    const close = closeMachineTypes(text, COMMON_MACHINE_TYPES);
    const suggestion = close.length > 0 ? `; did you mean ${orList(close)}?` : '';
    return { error: `"${text}" is not an EC2 instance type: EC2 has no size "${size}" (sizes are ${EC2_SIZES_IN_WORDS})${suggestion}` };
  }
  if (offerings?.error) {
    return { warning: `could not check ${text} against the instance types EC2 offers in ${offerings.region} (${offerings.error}); ${role} run on ${text} instances if it is offered there` };
  }
  return { note: `${role} run on ${text} instances` };
}

/** A whole number typed in a field, or the reason it is not one. */
export function parseCount(text: string, what: string, min: number, max: number): { value?: number; error?: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { error: `type the ${what} as a whole number` };
  if (!/^\d+$/.test(trimmed)) return { error: `"${trimmed}" is not a whole number; type the ${what} with digits only, e.g. 2` };
  const value = Number(trimmed);
  if (value < min) return { error: `the ${what} must be at least ${min}` };
  if (value > max) return { error: `the ${what} can be at most ${max}` };
  return { value };
}

export function checkKubernetesVersion(version: string): FieldCheck {
  const error = kubernetesVersionError(version);
  if (error) return { error };
  const channel = shippedChannel();
  const warnings = kubernetesVersionWarnings(version, channel);
  if (warnings.length > 0) return { warning: warnings.join('; ') };
  const newest = defaultKubernetesVersion(channel);
  return version === newest ? { note: `${version} is the newest stable release (the stable channel's version for new clusters)` } : { note: `newest stable is ${newest}` };
}

export function expandHome(path: string): string {
  if (path === '~') return homedir();
  return path.startsWith('~/') ? join(homedir(), path.slice(2)) : path;
}

const PUBLIC_KEY_PREFIXES = ['ssh-rsa', 'ssh-ed25519', 'ecdsa-sha2-', 'sk-ssh-ed25519', 'sk-ecdsa-sha2-', 'ssh-dss'];

export function checkSshPublicKey(path: string): FieldCheck {
  const text = path.trim();
  if (text === '') return { note: 'none: instances get no SSH key (you can add one later with kopsdeck edit cluster)' };
  const full = expandHome(text);
  let content: string;
  try {
    if (!statSync(full).isFile()) return { error: `${text} is not a file; give the path of a public key such as ~/.ssh/id_ed25519.pub` };
    content = readFileSync(full, 'utf8').slice(0, 4096).trim();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { error: `${text} does not exist; give the path of a public key such as ~/.ssh/id_ed25519.pub, or leave it empty` };
    return { error: `${text} cannot be read (${code ?? (error as Error).message})` };
  }
  if (content.includes('PRIVATE KEY')) return { error: `${text} is a private key; give the public one (usually the same path ending in .pub)` };
  if (!PUBLIC_KEY_PREFIXES.some((prefix) => content.startsWith(prefix))) {
    return { error: `${text} does not look like an SSH public key (it should start with ssh-ed25519, ssh-rsa or ecdsa-sha2-...)` };
  }
  return { note: `installs the ${content.split(/\s+/)[0]} key from ${text} on every instance` };
}

const OPEN = new Set(['0.0.0.0/0', '::/0']);

export function checkAdminAccess(text: string): FieldCheck {
  const items = splitCidrList(text);
  if (items.length === 0) return { error: 'give at least one CIDR allowed to reach the API and SSH, e.g. 203.0.113.0/24 (your office) or 0.0.0.0/0 (anyone)' };
  for (const item of items) {
    const cidr = parseCidr(item);
    if (!cidr) return { error: `"${item}" is not a CIDR; write an address and a prefix length, e.g. 203.0.113.0/24` };
    if (cidr.hadHostBits) return { error: `"${item}" has host bits set; did you mean ${formatCidr(cidr)}?` };
  }
  const open = items.filter((item) => OPEN.has(item));
  if (open.length > 0) {
    return { warning: `${open.join(' and ')} is open to the world: anyone on the internet can reach the API and SSH ports (they still need credentials); narrow it to your own addresses when you can` };
  }
  return { note: `only ${items.join(', ')} can reach the API and SSH` };
}
