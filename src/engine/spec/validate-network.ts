// Network rules: the VPC CIDR, the subnets carved from it, their zones and
// region, and the access lists. Accepts any value; never throws.
import { cidrContains, cidrsOverlap, formatCidr, parseCidr, type Cidr } from './cidr.js';
import { isKnownRegion, isKnownZone, isRegionName, regionOfZone, zonesOfRegion } from './regions.js';
import { describe, isRecord } from './shape.js';
import { specError, type SpecError } from './spec-error.js';
import type { Unknown } from './types.js';

export interface NetworkContext {
  /** The region the cluster must live in; when absent, the first subnet's zone decides. */
  region?: string;
  /**
   * Zones the state store already holds for this cluster: one the built-in
   * table does not list only warns (a stored cluster is never blocked by the
   * table; the zones an account sees differ), while a zone being added is refused.
   */
  storedZones?: readonly string[];
}

const asString = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Parses a CIDR field, reporting unparsable text and host bits; returns the CIDR when usable. */
function usableCidr(text: string, path: string, what: string, family: 4 | 6 | 'any', errors: SpecError[]): Cidr | null {
  const cidr = parseCidr(text);
  if (!cidr || (family !== 'any' && cidr.family !== family)) {
    const example = family === 6 ? '2001:db8::/56' : '172.20.0.0/16';
    errors.push(specError(path, `${what} "${text}" is not a valid ${family === 'any' ? '' : `IPv${family} `}CIDR; write it like ${example}`));
    return null;
  }
  if (cidr.hadHostBits) {
    errors.push(specError(path, `${what} "${text}" has bits set outside its mask; did you mean ${formatCidr(cidr)}?`));
    return null;
  }
  return cidr;
}

/** An AWS managed prefix list id, accepted in access lists as kops accepts it. */
export function isPrefixListId(text: string): boolean {
  return text.startsWith('pl-');
}

export interface NetworkProblems {
  errors: SpecError[];
  /** Accepted, but worth a look (e.g. a zone kopsdeck's table does not list). */
  warnings: SpecError[];
}

export function validateNetwork(spec: Unknown, context: NetworkContext = {}): NetworkProblems {
  const errors: SpecError[] = [];
  const warnings: SpecError[] = [];
  const networkText = asString(spec.networkCIDR);
  const network = networkText !== undefined ? usableCidr(networkText, 'spec.networkCIDR', 'networkCIDR', 4, errors) : null;
  const additional = (Array.isArray(spec.additionalNetworkCIDRs) ? spec.additionalNetworkCIDRs : [])
    .map((t) => parseCidr(t))
    .filter((c): c is Cidr => c !== null);
  if (Array.isArray(spec.subnets)) {
    errors.push(...validateSubnets(spec.subnets, network, additional, networkText));
    validateZones(spec.subnets, context, errors, warnings);
  }
  for (const key of ['sshAccess', 'kubernetesApiAccess']) {
    const list = spec[key];
    if (!Array.isArray(list)) continue;
    list.forEach((item, i) => {
      // kops accepts AWS prefix list ids (pl-...) there too; they become security group rules by prefix list.
      if (typeof item === 'string' && !isPrefixListId(item)) usableCidr(item, `spec.${key}[${i}]`, 'access range', 'any', errors);
    });
  }
  return { errors, warnings };
}

function validateSubnets(subnets: unknown[], network: Cidr | null, additional: Cidr[], networkText?: string): SpecError[] {
  const errors: SpecError[] = [];
  if (subnets.length === 0) {
    errors.push(specError('spec.subnets', 'is empty; the cluster needs at least one subnet (one per zone, e.g. --zones us-east-1a)'));
  }
  const seenNames = new Map<string, number>();
  const placed: { cidr: Cidr; name: string; index: number }[] = [];
  subnets.forEach((subnet, i) => {
    if (!isRecord(subnet)) return;
    const path = `spec.subnets[${i}]`;
    const name = asString(subnet.name) ?? `#${i}`;
    const earlier = seenNames.get(name);
    if (earlier !== undefined) {
      errors.push(specError(`${path}.name`, `subnet name "${name}" is already used by spec.subnets[${earlier}]; give each subnet its own name`));
    } else seenNames.set(name, i);
    const cidrText = asString(subnet.cidr);
    if (cidrText === undefined) return;
    const cidr = usableCidr(cidrText, `${path}.cidr`, `subnet ${name} CIDR`, 4, errors);
    if (!cidr) return;
    const inside = [network, ...additional].some((outer) => outer !== null && cidrContains(outer, cidr));
    if (network && !inside) {
      errors.push(
        specError(`${path}.cidr`, `subnet ${name} (${cidrText}) is not inside the network ${networkText}; pick a range inside it or widen networkCIDR`),
      );
    }
    for (const other of placed) {
      if (cidrsOverlap(other.cidr, cidr)) {
        errors.push(
          specError(`${path}.cidr`, `subnet ${name} (${cidrText}) overlaps subnet ${other.name} (${formatCidr(other.cidr)}); give each subnet its own range`),
        );
      }
    }
    placed.push({ cidr, name, index: i });
  });
  errors.push(...validateUtilityCoverage(subnets));
  return errors;
}

/** A private subnet reaches the internet through a NAT gateway that lives in a utility subnet of its zone. */
function validateUtilityCoverage(subnets: unknown[]): SpecError[] {
  const records = subnets.filter(isRecord);
  const utilityZones = new Set(records.filter((s) => s.type === 'Utility').map((s) => s.zone));
  const errors: SpecError[] = [];
  subnets.forEach((s, i) => {
    if (isRecord(s) && s.type === 'Private' && typeof s.zone === 'string' && !utilityZones.has(s.zone)) {
      errors.push(
        specError(`spec.subnets[${i}].type`, `private subnet ${typeof s.name === 'string' ? s.name : describe(s.name)} has no Utility subnet in ${s.zone} for its NAT gateway; add one (e.g. utility-${s.zone})`),
      );
    }
  });
  return errors;
}

function validateZones(subnets: unknown[], context: NetworkContext, errors: SpecError[], warnings: SpecError[]): void {
  const zones = subnets.filter(isRecord).map((s) => s.zone);
  const firstZone = zones.find((z): z is string => typeof z === 'string' && regionOfZone(z) !== undefined);
  const region = context.region ?? (firstZone ? regionOfZone(firstZone) : undefined);
  if (context.region !== undefined && !isRegionName(context.region)) {
    errors.push(specError('', `"${context.region}" is not an AWS region name; regions look like us-east-1 or eu-central-2`));
  }
  subnets.forEach((subnet, i) => {
    if (!isRecord(subnet) || typeof subnet.zone !== 'string') return;
    const zone = subnet.zone;
    const path = `spec.subnets[${i}].zone`;
    const zoneRegion = regionOfZone(zone);
    if (!zoneRegion) {
      errors.push(specError(path, `"${zone}" is not an availability zone name; zones look like us-east-1a`));
    } else if (region && zoneRegion !== region) {
      errors.push(specError(path, `zone ${zone} is in ${zoneRegion}, but the cluster is in ${region}; all zones must be in one region`));
    } else if (isKnownRegion(zoneRegion) && !isKnownZone(zone)) {
      const known = `${zoneRegion} has ${zonesOfRegion(zoneRegion).join(', ')}`;
      if (context.storedZones?.includes(zone)) warnings.push(specError(path, `zone ${zone} is not one kopsdeck knows (${known})`));
      else errors.push(specError(path, `zone ${zone} does not exist; ${known}`));
    }
  });
}
