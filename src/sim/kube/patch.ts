// The three patch types kubectl and client-node send: JSON merge patch
// (RFC 7386), strategic merge patch (merge patch plus keyed list merging and
// $patch directives, for the fields we serve) and JSON patch (RFC 6902).

import jsonPatch, { type Operation } from 'fast-json-patch';
import { errorMessage } from '../../engine/error-message.js';

type Json = unknown;
type JsonObject = Record<string, Json>;

export class PatchError extends Error {}

export const MERGE_PATCH = 'application/merge-patch+json';
export const STRATEGIC_MERGE_PATCH = 'application/strategic-merge-patch+json';
export const JSON_PATCH = 'application/json-patch+json';
export const APPLY_PATCH = 'application/apply-patch+yaml';

function isObject(value: Json): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function applyPatch(contentType: string, target: JsonObject, patch: Json): JsonObject {
  const type = contentType.split(';')[0].trim().toLowerCase();
  if (type === JSON_PATCH) {
    if (!Array.isArray(patch)) throw new PatchError('a JSON patch must be an array of operations');
    return applyJsonPatch(target, patch);
  }
  if (!isObject(patch)) throw new PatchError('a merge patch must be a JSON object');
  if (type === MERGE_PATCH) return mergePatch(target, patch) as JsonObject;
  if (type === STRATEGIC_MERGE_PATCH || type === APPLY_PATCH) return strategicMerge(target, patch) as JsonObject;
  throw new PatchError(`unsupported patch type ${contentType}`);
}

export function mergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return patch;
  const result: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

/**
 * Lists merged element by element on these keys (the patchMergeKey of the
 * fields we serve). Not a node's taints nor a pod's tolerations: Kubernetes
 * declares them atomic (`+listType=atomic`, no patchStrategy), so a patch that
 * names them replaces the whole list, as a real API server does.
 */
const MERGE_KEYS: Record<string, string> = {
  conditions: 'type',
  addresses: 'type',
  containers: 'name',
  initContainers: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  env: 'name',
  ownerReferences: 'uid',
  containerStatuses: 'name',
};

/** Lists of plain values Kubernetes merges as sets (patchStrategy merge, no key): a patch adds to them. */
const SET_MERGED = new Set(['finalizers']);

function strategicMerge(target: Json, patch: Json): Json {
  if (!isObject(patch)) return patch;
  if (patch.$patch === 'delete') return undefined;
  if (patch.$patch === 'replace') {
    const { $patch: _, ...rest } = patch;
    return rest;
  }
  const result: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$setElementOrder/') || key === '$retainKeys' || key === '$patch') continue;
    if (key.startsWith('$deleteFromPrimitiveList/')) {
      const field = key.slice('$deleteFromPrimitiveList/'.length);
      const drop = new Set((value as Json[]) ?? []);
      if (Array.isArray(result[field])) result[field] = (result[field] as Json[]).filter((v) => !drop.has(v));
      continue;
    }
    if (value === null) {
      delete result[key];
      continue;
    }
    if (SET_MERGED.has(key) && Array.isArray(value) && Array.isArray(result[key])) {
      result[key] = [...new Set([...(result[key] as Json[]), ...value])];
      continue;
    }
    const mergeKey = MERGE_KEYS[key];
    if (Array.isArray(value) && mergeKey && Array.isArray(result[key])) {
      result[key] = mergeKeyedList(result[key] as Json[], value, mergeKey);
    } else {
      const merged = strategicMerge(result[key], value);
      if (merged === undefined) delete result[key];
      else result[key] = merged;
    }
  }
  return result;
}

function mergeKeyedList(current: Json[], patch: Json[], mergeKey: string): Json[] {
  const result = [...current];
  for (const item of patch) {
    if (!isObject(item) || !(mergeKey in item)) {
      result.push(item);
      continue;
    }
    const at = result.findIndex((existing) => isObject(existing) && existing[mergeKey] === item[mergeKey]);
    if (item.$patch === 'delete') {
      if (at >= 0) result.splice(at, 1);
    } else if (at >= 0) result[at] = strategicMerge(result[at], item);
    else result.push(strategicMerge({}, item));
  }
  return result;
}

/**
 * RFC 6902 through fast-json-patch: every operation is checked against the
 * document before it is applied (a path that does not resolve, an index past
 * the end), `test` compares values deeply (key order does not matter), and
 * nothing can reach Object.prototype (`__proto__`, `constructor`). The target
 * is not changed; a copy is returned.
 */
export function applyJsonPatch(target: JsonObject, ops: Json[]): JsonObject {
  try {
    return jsonPatch.applyPatch(target, ops as Operation[], true, false, true).newDocument as JsonObject;
  } catch (error) {
    throw new PatchError(errorMessage(error).split('\n')[0]);
  }
}
