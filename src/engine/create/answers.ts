// The wizard's answers: what the user chose at each step, kept exactly as
// typed (text fields stay strings) so that going back and forward never loses
// or rewrites anything. Defaults are the sensible ones for a first cluster: a
// highly available control plane across three zones.
import {
  DEFAULT_CONTROL_PLANE_MACHINE_TYPE,
  DEFAULT_NETWORKING,
  DEFAULT_NODE_MACHINE_TYPE,
} from '../spec/defaults.js';
import { isGossipClusterName, type NetworkingName } from '../spec/types.js';
import { defaultKubernetesVersion } from '../spec/kubernetes-version.js';

export interface WizardAnswers {
  name: string;
  region: string;
  zones: string[];
  controlPlaneCount: number;
  controlPlaneSize: string;
  topology: 'public' | 'private';
  bastion: boolean;
  networking: NetworkingName;
  /** A Route 53 hosted zone name, or null for none (no DNS: the API is reached through its load balancer, as kops without --dns-zone). */
  dnsZone: string | null;
  /** False until the user picks a DNS answer: until then it follows the name. */
  dnsChosen: boolean;
  nodeSize: string;
  /** Nodes per node group (one group per zone), as typed. */
  nodeMin: string;
  nodeMax: string;
  kubernetesVersion: string;
  /** Path of an SSH public key, as typed; '' for none. */
  sshPublicKey: string;
  /** CIDRs allowed to reach the API and SSH, comma separated, as typed. */
  adminAccess: string;
}

export interface HostedZoneInfo {
  /** Without the trailing dot, lowercase. */
  name: string;
  id: string;
  private: boolean;
}

/** What the wizard knows about the world before it asks anything. */
export interface WizardEnvironment {
  defaultRegion: string;
  /** Clusters already in the state store (their names are taken). */
  takenNames: readonly string[];
  /** Route 53 hosted zones of the account. */
  hostedZones: readonly HostedZoneInfo[];
  /** Why hosted zones could not be listed, if they could not. */
  hostedZonesError?: string;
}

export const DEFAULT_ADMIN_ACCESS = '0.0.0.0/0, ::/0';
export const GOSSIP_SUFFIX = '.k8s.local';

/** A name nobody has yet: demo.<first public zone>, else demo.k8s.local; -2, -3 ... when taken. */
export function suggestName(env: WizardEnvironment): string {
  const zone = env.hostedZones.find((z) => !z.private) ?? env.hostedZones[0];
  const domain = zone ? zone.name : 'k8s.local';
  for (let i = 1; ; i++) {
    const name = `${i === 1 ? 'demo' : `demo-${i}`}.${domain}`;
    if (!env.takenNames.includes(name)) return name;
  }
}

/** The hosted zone a cluster name sits under (the longest match), or null. */
export function hostedZoneForName(name: string, zones: readonly HostedZoneInfo[]): HostedZoneInfo | null {
  const lower = name.toLowerCase();
  const matches = zones.filter((z) => lower.endsWith(`.${z.name}`));
  matches.sort((a, b) => b.name.length - a.name.length);
  return matches[0] ?? null;
}

/** The DNS answer a name implies: none for *.k8s.local, else the zone it is under. */
export function dnsZoneForName(name: string, zones: readonly HostedZoneInfo[]): string | null {
  if (isGossipClusterName(name)) return null;
  return hostedZoneForName(name, zones)?.name ?? null;
}

/** The zones picked by default: the first three (or all, when fewer). */
export function defaultZones(available: readonly string[]): string[] {
  return available.slice(0, 3);
}

export function defaultAnswers(env: WizardEnvironment, zonesOfRegion: readonly string[] = []): WizardAnswers {
  const name = suggestName(env);
  const zones = defaultZones(zonesOfRegion);
  return {
    name,
    region: env.defaultRegion,
    zones,
    controlPlaneCount: zones.length >= 2 ? 3 : 1,
    controlPlaneSize: DEFAULT_CONTROL_PLANE_MACHINE_TYPE,
    topology: 'public',
    bastion: false,
    networking: DEFAULT_NETWORKING,
    dnsZone: dnsZoneForName(name, env.hostedZones),
    dnsChosen: false,
    nodeSize: DEFAULT_NODE_MACHINE_TYPE,
    nodeMin: '1',
    nodeMax: '1',
    kubernetesVersion: defaultKubernetesVersion(),
    sshPublicKey: '',
    adminAccess: DEFAULT_ADMIN_ACCESS,
  };
}

/**
 * Sets one answer and keeps the answers that depend on it consistent: the DNS
 * zone follows the name until chosen, a new region resets the zones, a public
 * topology has no bastion.
 */
export function withAnswer<K extends keyof WizardAnswers>(
  answers: WizardAnswers,
  key: K,
  value: WizardAnswers[K],
  env: WizardEnvironment,
): WizardAnswers {
  const next: WizardAnswers = { ...answers, [key]: value };
  if (key === 'name' && !answers.dnsChosen) next.dnsZone = dnsZoneForName(String(value), env.hostedZones);
  if (key === 'dnsZone') next.dnsChosen = true;
  if (key === 'region' && value !== answers.region) next.zones = [];
  if (key === 'topology' && value === 'public') next.bastion = false;
  return next;
}

/** Parses the admin CIDR text: "a, b c" -> ['a', 'b', 'c']. */
export function splitCidrList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((item) => item.trim())
    .filter(Boolean);
}
