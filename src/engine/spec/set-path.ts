// `--set path=value` for scripts, as in kops: `spec.kubernetesVersion=1.32.5`,
// `spec.subnets[0].cidr=172.20.32.0/19`, `spec.sshAccess=10.0.0.0/8,192.168.0.0/16`.
// Returns a changed copy; the input is never modified; errors are returned.
import { isRecord } from './shape.js';
import { fail, ok, specError, type SpecResult } from './spec-error.js';

type Segment = string | number;

const FORBIDDEN_KEYS = new Set(['__proto__', 'prototype', 'constructor']);

/** Splits `spec.subnets[0].cidr` into ['spec', 'subnets', 0, 'cidr']; null when malformed. */
export function parsePath(path: string): Segment[] | null {
  const segments: Segment[] = [];
  const pattern = /([^.[\]]+)|\[(\d{1,6})\]/g;
  let consumed = 0;
  for (const match of path.matchAll(pattern)) {
    const start = match.index ?? 0;
    const between = path.slice(consumed, start);
    if (match[1] !== undefined) {
      if (between !== (segments.length === 0 ? '' : '.')) return null;
      segments.push(match[1]);
    } else {
      if (between !== '' || segments.length === 0) return null;
      segments.push(Number(match[2]));
    }
    consumed = start + match[0].length;
  }
  return consumed === path.length && segments.length > 0 ? segments : null;
}

/** 'true' and 'false' become booleans and plain numbers numbers, unless the field already holds text. */
function coerce(raw: string, current: unknown): unknown {
  if (Array.isArray(current)) return raw === '' ? [] : raw.split(',').map((part) => coerce(part.trim(), current[0]));
  if (typeof current === 'string') return raw;
  if (raw === 'true' || raw === 'false') return raw === 'true';
  if (/^-?(0|[1-9]\d{0,14})$/.test(raw)) return Number(raw);
  return raw;
}

export function applySetting<T>(obj: T, setting: string): SpecResult<T> {
  const eq = setting.indexOf('=');
  if (eq <= 0) {
    return fail([specError('', `"${setting}" is not a setting; write path=value, e.g. spec.kubernetesVersion=1.32.5`)]);
  }
  const pathText = setting.slice(0, eq).trim();
  const raw = setting.slice(eq + 1);
  const segments = parsePath(pathText);
  if (!segments) {
    return fail([specError(pathText, 'is not a field path; write it like spec.kubernetesVersion or spec.subnets[0].cidr')]);
  }
  if (segments.some((s) => typeof s === 'string' && FORBIDDEN_KEYS.has(s))) {
    return fail([specError(pathText, 'names a field that cannot be set')]);
  }
  let root: unknown;
  try {
    root = structuredClone(obj);
  } catch {
    return fail([specError('', 'the object cannot be copied to apply a setting')]);
  }
  if (!isRecord(root)) return fail([specError('', 'settings apply to a mapping such as a Cluster or InstanceGroup')]);
  let node: unknown = root;
  for (let i = 0; i < segments.length - 1; i++) {
    const next = step(node, segments[i], segments[i + 1], pathText);
    if (!next.ok) return next;
    node = next.value;
  }
  const last = segments[segments.length - 1];
  const container = node as Record<string | number, unknown>;
  if (typeof last === 'number') {
    if (!Array.isArray(node) || last > node.length) {
      return fail([specError(pathText, `index ${last} is out of range; the list has ${Array.isArray(node) ? node.length : 0} items`)]);
    }
  } else if (!isRecord(node)) {
    return fail([specError(pathText, `"${last}" cannot be set here: its parent is not a mapping`)]);
  }
  container[last] = coerce(raw, container[last]);
  return ok(root as T);
}

/** Moves one level down, creating a missing mapping or list on the way. */
function step(node: unknown, key: Segment, nextKey: Segment, pathText: string): SpecResult<unknown> {
  if (typeof key === 'number') {
    if (!Array.isArray(node)) return fail([specError(pathText, `[${key}] is used on something that is not a list`)]);
    if (key > node.length) return fail([specError(pathText, `index ${key} is out of range; the list has ${node.length} items`)]);
  } else if (!isRecord(node)) {
    return fail([specError(pathText, `"${key}" is used on something that is not a mapping`)]);
  }
  const container = node as Record<string | number, unknown>;
  const child = container[key];
  if (child === undefined || child === null) {
    container[key] = typeof nextKey === 'number' ? [] : {};
  } else if (typeof child !== 'object') {
    return fail([specError(pathText, `"${String(key)}" holds ${typeof child} and has no fields to set`)]);
  }
  return ok(container[key]);
}

/** Applies several settings in order, collecting every error. */
export function applySettings<T>(obj: T, settings: string[]): SpecResult<T> {
  let current = obj;
  const errors = [];
  for (const setting of settings) {
    const result = applySetting(current, setting);
    if (result.ok) current = result.value;
    else errors.push(...result.errors);
  }
  return errors.length > 0 ? fail(errors) : ok(current);
}
