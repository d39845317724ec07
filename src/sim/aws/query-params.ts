// Form-encoded query-protocol parameters (EC2 and AutoScaling) turned into a
// nested object: `Filter.1.Value.2=x` -> { Filter: [{ Value: [, 'x'] }] } with
// numbering made dense, and AutoScaling's `.member.` segments dropped.

import { AwsError } from './aws-error.js';

export type QueryValue = string | QueryValue[] | { [key: string]: QueryValue };
export type QueryParams = { [key: string]: QueryValue };

export function parseQueryParams(body: string): QueryParams {
  const root: QueryParams = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = key.split('.').filter((part) => part !== 'member' && part !== 'entry');
    insert(root, path, value);
  }
  return densify(root) as QueryParams;
}

function insert(node: Record<string, QueryValue>, path: string[], value: string): void {
  const [head, ...rest] = path;
  if (rest.length === 0) {
    node[head] = value;
    return;
  }
  let child = node[head];
  if (child === undefined || typeof child === 'string') {
    child = {};
    node[head] = child;
  }
  insert(child as Record<string, QueryValue>, rest, value);
}

/** Objects whose keys are all numbers become arrays, in numeric order. */
function densify(value: QueryValue): QueryValue {
  if (typeof value === 'string' || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  const converted = Object.fromEntries(keys.map((k) => [k, densify(value[k] as QueryValue)]));
  if (keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) {
    return keys.sort((a, b) => Number(a) - Number(b)).map((k) => converted[k]);
  }
  return converted;
}

/** Typed readers for the parsed parameters. */
export class Params {
  constructor(readonly raw: QueryParams) {}

  str(name: string): string | undefined {
    const value = this.raw[name];
    return typeof value === 'string' ? value : undefined;
  }

  required(name: string): string {
    const value = this.str(name);
    if (value === undefined || value === '') throw missingParameter(name);
    return value;
  }

  int(name: string): number | undefined {
    const value = this.str(name);
    if (value === undefined) return undefined;
    const parsed = Number(value);
    if (!Number.isInteger(parsed)) throw invalidParameter(name, value);
    return parsed;
  }

  bool(name: string): boolean | undefined {
    const value = this.str(name);
    return value === undefined ? undefined : value === 'true';
  }

  list(name: string): QueryValue[] {
    const value = this.raw[name];
    if (value === undefined) return [];
    return Array.isArray(value) ? value : [value];
  }

  strings(name: string): string[] {
    return this.list(name).filter((v): v is string => typeof v === 'string');
  }

  objects(name: string): Params[] {
    return this.list(name)
      .filter((v): v is QueryParams => typeof v === 'object' && !Array.isArray(v))
      .map((v) => new Params(v));
  }

  object(name: string): Params | undefined {
    const value = this.raw[name];
    return value && typeof value === 'object' && !Array.isArray(value) ? new Params(value) : undefined;
  }
}


function missingParameter(name: string): AwsError {
  return new AwsError('MissingParameter', `The request must contain the parameter ${name}`);
}

function invalidParameter(name: string, value: string): AwsError {
  return new AwsError('InvalidParameterValue', `Invalid value '${value}' for ${name}`);
}
