// Shared by the Elastic Load Balancing v2 handlers: the handler shape, lookups
// that fail with ELB's own NotFound codes, name and tag rules, ARNs, paging.
import { AwsError } from '../aws-error.js';
import type { Params } from '../query-params.js';
import type { XmlValue } from '../xml.js';
import type { AwsWorld } from '../world/aws-world.js';
import type { Listener, LoadBalancerV2, LoadBalancingState, TargetGroup } from '../world/load-balancing-types.js';
import { ACCOUNT_ID } from '../world/regions.js';
import type { Tags } from '../world/types.js';

export const ELBV2_XMLNS = 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/';

export interface ElbContext {
  params: Params;
  region: string;
  world: AwsWorld;
}

export type ElbResult = { [key: string]: XmlValue } | null;
export type ElbHandler = (ctx: ElbContext) => ElbResult;

export function stateOf(ctx: ElbContext): LoadBalancingState {
  return ctx.world.loadBalancing.state;
}

export function loadBalancerNamed(ctx: ElbContext, arn: string): LoadBalancerV2 {
  const lb = stateOf(ctx).loadBalancers[arn];
  if (!lb || lb.region !== ctx.region) throw new AwsError('LoadBalancerNotFound', `Load balancer '${arn}' not found`);
  return lb;
}

export function targetGroupNamed(ctx: ElbContext, arn: string): TargetGroup {
  const group = stateOf(ctx).targetGroups[arn];
  if (!group || group.region !== ctx.region) throw new AwsError('TargetGroupNotFound', `Target groups '${arn}' not found`);
  return group;
}

export function listenerNamed(ctx: ElbContext, arn: string): Listener {
  const listener = stateOf(ctx).listeners[arn];
  if (!listener || listener.region !== ctx.region) throw new AwsError('ListenerNotFound', `Listener '${arn}' not found`);
  return listener;
}

/** Load balancer and target group names: 1-32 alphanumerics or hyphens, no hyphen at either end. */
export function checkName(name: string, what: 'Load balancer' | 'Target group'): void {
  if (name.length > 32) throw new AwsError('ValidationError', `${what} name '${name}' cannot be longer than '32' characters`);
  if (!/^[A-Za-z0-9-]+$/.test(name)) throw new AwsError('ValidationError', `${what} name '${name}' can only contain characters that are alphanumeric characters or hyphens(-)`);
  if (name.startsWith('-') || name.endsWith('-')) throw new AwsError('ValidationError', `${what} name '${name}' cannot begin or end with '-'`);
  if (what === 'Load balancer' && name.startsWith('internal-')) throw new AwsError('ValidationError', `Load balancer name '${name}' cannot begin with 'internal-'`);
}

export const MAX_TAGS = 50;

/** Tags.member.N.{Key,Value}: a key given twice is refused, as is going over 50. */
export function tagsOf(params: Params, field = 'Tags'): Tags {
  const tags: Tags = {};
  for (const tag of params.objects(field)) {
    const key = tag.required('Key');
    if (key in tags) throw new AwsError('DuplicateTagKeys', `Tag key '${key}' is duplicated`);
    tags[key] = tag.str('Value') ?? '';
  }
  if (Object.keys(tags).length > MAX_TAGS) throw new AwsError('TooManyTags', `You can have at most ${MAX_TAGS} tags per resource`);
  return tags;
}

export function tagList(tags: Tags): XmlValue[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

export function arnPrefix(region: string): string {
  return `arn:aws:elasticloadbalancing:${region}:${ACCOUNT_ID}`;
}

/** Page of a Describe* call: Marker in, NextMarker out; PageSize 1..400. */
export function markerPage<T>(params: Params, items: T[]): { page: T[]; NextMarker?: string } {
  const size = params.int('PageSize') ?? 400;
  if (size < 1 || size > 400) throw new AwsError('ValidationError', `Page size must be between 1 and 400`);
  const marker = params.str('Marker');
  const start = marker === undefined ? 0 : Number(Buffer.from(marker, 'base64url').toString('utf8'));
  if (!Number.isInteger(start) || start < 0) throw new AwsError('ValidationError', 'Invalid marker');
  const end = start + size;
  return { page: items.slice(start, end), NextMarker: end < items.length ? Buffer.from(String(end), 'utf8').toString('base64url') : undefined };
}

/** An integer parameter within bounds, as ELB validates them. */
export function intWithin(params: Params, name: string, min: number, max: number): number | undefined {
  const value = params.int(name);
  if (value !== undefined && (value < min || value > max)) {
    throw new AwsError('ValidationError', `1 validation error detected: Value '${value}' at '${name.charAt(0).toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must have value between ${min} and ${max}`);
  }
  return value;
}

/** A required parameter: ELB answers a missing one with a ValidationError. */
export function need(params: Params, name: string): string {
  const value = params.str(name);
  if (value === undefined || value === '') {
    throw new AwsError('ValidationError', `1 validation error detected: Value null at '${name.charAt(0).toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must not be null`);
  }
  return value;
}

/** Boolean-valued attributes take only 'true' or 'false'. */
export function checkAttributeValue(key: string, value: string, defaults: Record<string, string>): void {
  if (!(key in defaults)) throw new AwsError('ValidationError', `Attribute key '${key}' is not recognized`);
  const fallback = defaults[key];
  if ((fallback === 'true' || fallback === 'false') && value !== 'true' && value !== 'false') {
    throw new AwsError('ValidationError', `Attribute '${key}' must be 'true' or 'false'`);
  }
}
