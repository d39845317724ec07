// The three patch types kubectl and client-node send: JSON merge patch
// (RFC 7386), strategic merge patch (merge patch plus keyed list merging and
// $patch directives, for the fields we serve) and JSON patch (RFC 6902).

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

/** Lists merged element by element on these keys (the patchMergeKey of the fields we serve). */
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
  tolerations: '',
  taints: 'key',
};

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

interface JsonPatchOp {
  op: string;
  path: string;
  from?: string;
  value?: Json;
}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new PatchError(`invalid JSON pointer ${pointer}`);
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function resolveParent(doc: Json, parts: string[]): { parent: JsonObject | Json[]; last: string } {
  let current: Json = doc;
  for (const part of parts.slice(0, -1)) {
    if (Array.isArray(current)) current = current[Number(part)];
    else if (isObject(current)) current = current[part];
    else current = undefined;
    if (current === undefined) throw new PatchError(`path /${parts.join('/')} does not exist`);
  }
  if (!Array.isArray(current) && !isObject(current)) throw new PatchError(`path /${parts.join('/')} does not exist`);
  return { parent: current, last: parts[parts.length - 1] };
}

function getAt(doc: Json, pointer: string): Json {
  const parts = parsePointer(pointer);
  if (parts.length === 0) return doc;
  const { parent, last } = resolveParent(doc, parts);
  const value = Array.isArray(parent) ? parent[Number(last)] : parent[last];
  if (value === undefined) throw new PatchError(`path ${pointer} does not exist`);
  return value;
}

function removeAt(doc: Json, pointer: string): Json {
  const { parent, last } = resolveParent(doc, parsePointer(pointer));
  if (Array.isArray(parent)) {
    const index = Number(last);
    if (!(index >= 0 && index < parent.length)) throw new PatchError(`path ${pointer} does not exist`);
    return parent.splice(index, 1)[0];
  }
  if (!(last in parent)) throw new PatchError(`path ${pointer} does not exist`);
  const value = parent[last];
  delete parent[last];
  return value;
}

function addAt(doc: Json, pointer: string, value: Json, replace: boolean): void {
  const { parent, last } = resolveParent(doc, parsePointer(pointer));
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : Number(last);
    if (!(index >= 0 && index <= parent.length)) throw new PatchError(`index out of range in ${pointer}`);
    if (replace) parent[index] = value;
    else parent.splice(index, 0, value);
  } else {
    if (replace && !(last in parent)) throw new PatchError(`path ${pointer} does not exist`);
    parent[last] = value;
  }
}

export function applyJsonPatch(target: JsonObject, ops: Json[]): JsonObject {
  const doc = structuredClone(target);
  for (const raw of ops) {
    const op = raw as JsonPatchOp;
    if (!op || typeof op.path !== 'string') throw new PatchError('each JSON patch operation needs op and path');
    switch (op.op) {
      case 'add':
        addAt(doc, op.path, structuredClone(op.value), false);
        break;
      case 'replace':
        addAt(doc, op.path, structuredClone(op.value), true);
        break;
      case 'remove':
        removeAt(doc, op.path);
        break;
      case 'move':
        addAt(doc, op.path, removeAt(doc, op.from ?? ''), false);
        break;
      case 'copy':
        addAt(doc, op.path, structuredClone(getAt(doc, op.from ?? '')), false);
        break;
      case 'test':
        if (JSON.stringify(getAt(doc, op.path)) !== JSON.stringify(op.value)) {
          throw new PatchError(`test operation failed at ${op.path}`);
        }
        break;
      default:
        throw new PatchError(`unknown JSON patch operation ${String(op.op)}`);
    }
  }
  return doc;
}
