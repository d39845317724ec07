// Shared by the EC2 handlers: the handler shape, filters and tag
// specifications read from the request, and lookups that fail with EC2's
// own NotFound codes.
import { AwsError } from '../aws-error.js';
import type { Params } from '../query-params.js';
import type { XmlValue } from '../xml.js';
import type { AwsWorld } from '../world/aws-world.js';
import { filterResources, pageOf, type Fields, type Filter } from '../world/filters.js';
import type { Tags } from '../world/types.js';

export interface Ec2Context {
  params: Params;
  region: string;
  world: AwsWorld;
}

export type Ec2Result = { [key: string]: XmlValue };
export type Ec2Handler = (ctx: Ec2Context) => Ec2Result;

export function filtersOf(params: Params): Filter[] {
  return params.objects('Filter').map((f) => ({ name: f.required('Name'), values: f.strings('Value') }));
}

/** Tags from TagSpecification.N.{ResourceType,Tag.M.{Key,Value}} for one resource type. */
export function tagSpecTags(params: Params, resourceType: string, field = 'TagSpecification'): Tags {
  const tags: Tags = {};
  for (const spec of params.objects(field)) {
    if (spec.str('ResourceType') !== resourceType) continue;
    Object.assign(tags, tagsOf(spec));
  }
  return tags;
}

/** Tag.N.{Key,Value} pairs. */
export function tagsOf(params: Params, field = 'Tag'): Tags {
  const tags: Tags = {};
  for (const tag of params.objects(field)) tags[tag.required('Key')] = tag.str('Value') ?? '';
  return tags;
}

/** Looks a resource up by id in the caller's region, or throws `<code>` (e.g. InvalidVpcID.NotFound). */
export function findIn<T extends { region: string }>(table: Record<string, T>, id: string, region: string, code: string, kind: string): T {
  const found = table[id];
  if (!found || found.region !== region) throw new AwsError(code, `The ${kind} ID '${id}' does not exist`);
  return found;
}

/** Resources named in an Xxx.N id list must all exist, as EC2 insists. */
export function requireAll<T extends { region: string }>(table: Record<string, T>, ids: string[], region: string, code: string, kind: string): void {
  for (const id of ids) findIn(table, id, region, code, kind);
}

/**
 * What every Describe* shares: the ids named in `idParam` must all exist, then
 * the request's filters (and `also`) narrow the region's resources, then one page.
 */
export function describePage<T extends { id: string; region: string; tags: Tags }>(
  { params, region }: Pick<Ec2Context, 'params' | 'region'>,
  table: Record<string, T>,
  lookup: { idParam: string; notFound: string; kind: string },
  fields: Fields<T>,
  also: (item: T) => boolean = () => true,
): { page: T[]; nextToken?: string } {
  const ids = params.strings(lookup.idParam);
  requireAll(table, ids, region, lookup.notFound, lookup.kind);
  const filters = filtersOf(params);
  const matching = filterResources(inRegion(table, region).filter((item) => (ids.length === 0 || ids.includes(item.id)) && also(item)), filters, fields);
  return pageOf(matching, params.int('MaxResults'), params.str('NextToken'));
}

export function inRegion<T extends { region: string }>(table: Record<string, T>, region: string): T[] {
  return Object.values(table).filter((item) => item.region === region);
}

export function ec2ResultReturn(): Ec2Result {
  return { return: true };
}

export function validateCidr(cidr: string | undefined, minBits = 16, maxBits = 28): string {
  const match = cidr ? /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr) : null;
  if (!cidr || !match || match.slice(1, 5).some((o) => Number(o) > 255)) {
    throw new AwsError('InvalidParameterValue', `Value (${cidr}) for parameter cidrBlock is invalid. This is not a valid CIDR block.`);
  }
  const bits = Number(match[5]);
  if (bits < minBits || bits > maxBits) throw new AwsError('InvalidVpc.Range', `The CIDR '${cidr}' is invalid.`);
  return cidr;
}

export function cidrRange(cidr: string): [number, number] {
  const [base, bits] = cidr.split('/');
  const start = base.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
  const size = 2 ** (32 - Number(bits));
  const aligned = start - (start % size);
  return [aligned, aligned + size - 1];
}

export function cidrWithin(inner: string, outer: string): boolean {
  const [a, b] = cidrRange(inner);
  const [c, d] = cidrRange(outer);
  return a >= c && b <= d;
}

export function cidrsOverlap(x: string, y: string): boolean {
  const [a, b] = cidrRange(x);
  const [c, d] = cidrRange(y);
  return a <= d && c <= b;
}
