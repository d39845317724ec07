// EC2-style filters: every filter must match (AND); within one filter any value
// may match (OR); values may use the * and ? wildcards. Each resource kind says
// which values a filter name reads from it; tag:<key> and tag-key are common.
import { AwsError } from '../aws-error.js';
import type { Tags } from './types.js';

export interface Filter {
  name: string;
  values: string[];
}

/** The filter names a resource kind supports, each reading its values from a resource. */
export type Fields<T> = Record<string, (resource: T) => string[]>;

/** The resources matching every filter; an unknown filter name is refused even when nothing would match. */
export function filterResources<T extends { tags: Tags }>(resources: T[], filters: Filter[], fields: Fields<T>): T[] {
  for (const filter of filters) {
    if (!isTagFilter(filter.name) && !Object.hasOwn(fields, filter.name)) {
      throw new AwsError('InvalidParameterValue', `The filter '${filter.name}' is invalid`);
    }
  }
  return resources.filter((resource) => matchesFilters(resource, filters, fields));
}

function matchesFilters<T extends { tags: Tags }>(resource: T, filters: Filter[], fields: Fields<T>): boolean {
  return filters.every((filter) => {
    const actual = tagField(resource.tags, filter.name) ?? fields[filter.name](resource);
    return filter.values.some((wanted) => actual.some((value) => wildcardMatch(wanted, value)));
  });
}

function isTagFilter(name: string): boolean {
  return name.startsWith('tag:') || name === 'tag-key' || name === 'tag-value';
}

function tagField(tags: Tags, name: string): string[] | undefined {
  if (name.startsWith('tag:')) {
    const key = name.slice(4);
    return key in tags ? [tags[key]] : [];
  }
  if (name === 'tag-key') return Object.keys(tags);
  if (name === 'tag-value') return Object.values(tags);
  return undefined;
}

const patternCache = new Map<string, RegExp>();

export function wildcardMatch(pattern: string, value: string): boolean {
  if (!pattern.includes('*') && !pattern.includes('?')) return pattern === value;
  let regex = patternCache.get(pattern);
  if (!regex) {
    const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    regex = new RegExp(`^${source}$`);
    patternCache.set(pattern, regex);
  }
  return regex.test(value);
}

/** Shared by Describe* handlers: an opaque token is the index to resume from. */
export function pageOf<T>(items: T[], maxResults: number | undefined, nextToken: string | undefined, limit = 1000): { page: T[]; nextToken?: string } {
  let start = 0;
  if (nextToken) {
    const decoded = Number(Buffer.from(nextToken, 'base64url').toString('utf8'));
    if (!Number.isInteger(decoded) || decoded < 0) throw new AwsError('InvalidNextToken', 'The token is invalid');
    start = decoded;
  }
  const size = Math.min(maxResults ?? limit, limit);
  const end = start + size;
  const next = end < items.length ? Buffer.from(String(end), 'utf8').toString('base64url') : undefined;
  return { page: items.slice(start, end), nextToken: next };
}
