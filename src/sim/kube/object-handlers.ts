// GET, POST, PUT, PATCH and DELETE on single objects, with the side effects the
// real control plane has (graceful pod deletion, cascading deletes).
import type { ServerResponse } from 'node:http';
import { jsonOf } from './api-store.js';
import type { ClusterWorld } from './cluster-world.js';
import { applyPatch } from './patch.js';
import { deletePod, removePodsOnNode } from './pod-lifecycle.js';
import { apiVersionOf, storeOf, type ResourceDef } from './resources.js';
import { alreadyExists, badRequest, conflict, failure, notFound, sendJson, sendStatus } from './status.js';
import { includeObjectOf, tableOf, wantsTable } from './tables.js';
import { controllerOf, keyOf, objectKey, type KubeObject } from './types.js';
import { objectProblems } from './validation.js';

export interface ObjectRequest {
  def: ResourceDef;
  namespace?: string;
  name?: string;
  subresource?: string;
  query: URLSearchParams;
  accept?: string;
  contentType?: string;
}

const WITH_STATUS = new Set(['pods', 'nodes', 'deployments', 'replicasets', 'daemonsets', 'poddisruptionbudgets']);

function isDryRun(query: URLSearchParams): boolean {
  return query.getAll('dryRun').includes('All');
}

export function sendObject(world: ClusterWorld, r: ObjectRequest, res: ServerResponse, obj: KubeObject, code = 200): void {
  const served = r.def.served;
  if (wantsTable(r.accept)) {
    const include = includeObjectOf(r.query.get('includeObject'));
    const table = tableOf(storeOf(r.def), [obj], { resourceVersion: obj.metadata.resourceVersion }, world.now(), include, [served ? served(obj) : obj]);
    return sendJson(res, code, table);
  }
  if (served) return sendJson(res, code, JSON.stringify(served(obj)));
  const holder = world.store.holder(r.def.name, keyOf(obj));
  sendJson(res, code, holder && holder.obj === obj ? jsonOf(holder) : JSON.stringify(obj));
}

function missing(r: ObjectRequest): ReturnType<typeof notFound> {
  return notFound(r.def.name, r.name ?? '', r.def.group || undefined);
}

export function getObject(world: ClusterWorld, r: ObjectRequest, res: ServerResponse): void {
  const obj = world.store.get(storeOf(r.def), objectKey(r.namespace, r.name!));
  if (!obj) return sendStatus(res, missing(r));
  sendObject(world, r, res, obj);
}

function invalid(r: ObjectRequest, name: string, problems: string[]) {
  return failure(422, 'Invalid', `${r.def.kind} "${name}" is invalid: ${problems.join(', ')}`);
}

function checkIdentity(r: ObjectRequest, body: unknown): KubeObject | string {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return 'the request body must be a JSON object';
  const obj = body as KubeObject;
  if (!obj.metadata || typeof obj.metadata !== 'object') return 'metadata is required';
  if (obj.kind && obj.kind !== r.def.kind) return `the kind ${obj.kind} does not match the resource ${r.def.name}`;
  if (r.namespace && obj.metadata.namespace && obj.metadata.namespace !== r.namespace) {
    return 'the namespace of the provided object does not match the namespace sent on the request';
  }
  return obj;
}

export function createObject(world: ClusterWorld, r: ObjectRequest, res: ServerResponse, body: unknown): void {
  const checked = checkIdentity(r, body);
  if (typeof checked === 'string') return sendStatus(res, badRequest(checked));
  const metadata = { ...checked.metadata };
  if (!metadata.name && typeof metadata.generateName === 'string') metadata.name = `${metadata.generateName}${world.suffix()}`;
  if (!metadata.name) return sendStatus(res, failure(422, 'Invalid', `${r.def.kind} is invalid: metadata.name: Required value: name or generateName is required`));
  if (r.def.namespaced) metadata.namespace = r.namespace ?? metadata.namespace ?? 'default';
  else delete metadata.namespace;
  for (const field of ['uid', 'resourceVersion', 'creationTimestamp', 'deletionTimestamp']) delete metadata[field];
  if (world.store.get(r.def.name, objectKey(metadata.namespace, metadata.name))) {
    return sendStatus(res, alreadyExists(r.def.name, metadata.name, r.def.group || undefined));
  }
  let obj: KubeObject = { ...checked, apiVersion: apiVersionOf(r.def), kind: r.def.kind, metadata };
  if (r.def.name === 'pods') obj = { ...obj, status: { phase: 'Pending', qosClass: 'BestEffort' } };
  if (r.def.name === 'namespaces') obj = { ...obj, status: { phase: 'Active' } };
  const problems = objectProblems(r.def.name, obj);
  if (problems.length) return sendStatus(res, invalid(r, metadata.name, problems));
  if (isDryRun(r.query)) return sendJson(res, 201, obj);
  const created = world.create(r.def.name, obj);
  if (r.def.name === 'pods' && created.spec?.nodeName) world.schedulePodStart(created);
  sendObject(world, r, res, created, 201);
}

/** Keeps what the client may not change and, as the API server does, splits spec from status. */
function mergeWrite(r: ObjectRequest, current: KubeObject, incoming: KubeObject): KubeObject {
  const metadata = {
    ...incoming.metadata,
    name: current.metadata.name,
    uid: current.metadata.uid,
    creationTimestamp: current.metadata.creationTimestamp,
    ...(current.metadata.namespace ? { namespace: current.metadata.namespace } : {}),
    ...(current.metadata.deletionTimestamp ? { deletionTimestamp: current.metadata.deletionTimestamp } : {}),
  };
  const hasStatus = WITH_STATUS.has(r.def.name);
  if (r.subresource === 'status') return { ...current, status: incoming.status };
  const next: KubeObject = { ...incoming, apiVersion: current.apiVersion, kind: current.kind, metadata };
  if (hasStatus) next.status = current.status;
  if (current.metadata.generation !== undefined && JSON.stringify(next.spec) !== JSON.stringify(current.spec)) {
    next.metadata.generation = current.metadata.generation + 1;
  }
  return next;
}

function writeUpdate(world: ClusterWorld, r: ObjectRequest, res: ServerResponse, current: KubeObject, next: KubeObject): void {
  const wantedRv = next.metadata.resourceVersion;
  if (wantedRv && wantedRv !== current.metadata.resourceVersion) {
    return sendStatus(res, conflict(r.def.name, current.metadata.name, r.def.group || undefined));
  }
  const problems = objectProblems(r.def.name, next);
  if (problems.length) return sendStatus(res, invalid(r, current.metadata.name, problems));
  if (isDryRun(r.query)) return sendJson(res, 200, next);
  const stored = world.store.put(r.def.name, next);
  sendObject(world, r, res, stored);
}

export function replaceObject(world: ClusterWorld, r: ObjectRequest, res: ServerResponse, body: unknown): void {
  const current = world.store.get(r.def.name, objectKey(r.namespace, r.name!));
  if (!current) return sendStatus(res, missing(r));
  const checked = checkIdentity(r, body);
  if (typeof checked === 'string') return sendStatus(res, badRequest(checked));
  if (checked.metadata.name && checked.metadata.name !== r.name) {
    return sendStatus(res, badRequest('the name of the object does not match the name on the URL'));
  }
  writeUpdate(world, r, res, current, mergeWrite(r, current, checked));
}

export function patchObject(world: ClusterWorld, r: ObjectRequest, res: ServerResponse, body: unknown): void {
  const current = world.store.get(r.def.name, objectKey(r.namespace, r.name!));
  if (!current) return sendStatus(res, missing(r));
  let patched: KubeObject;
  try {
    const { resourceVersion: _rv, ...metadataWithoutRv } = current.metadata;
    const base = { ...current, metadata: metadataWithoutRv };
    patched = applyPatch(r.contentType ?? '', base as unknown as Record<string, unknown>, body) as unknown as KubeObject;
  } catch (error) {
    const message = (error as Error).message;
    const unsupported = /unsupported patch type/.test(message);
    return sendStatus(res, unsupported ? failure(415, 'UnsupportedMediaType', message) : failure(422, 'Invalid', message));
  }
  if (!patched.metadata || patched.metadata.name !== current.metadata.name) {
    return sendStatus(res, failure(422, 'Invalid', 'metadata.name: the name of an object cannot be changed'));
  }
  writeUpdate(world, r, res, current, mergeWrite(r, current, patched));
}

interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: string;
  preconditions?: { uid?: string; resourceVersion?: string };
}

export function deleteOptionsOf(query: URLSearchParams, body: unknown): DeleteOptions {
  const options: DeleteOptions = body && typeof body === 'object' ? { ...(body as DeleteOptions) } : {};
  const grace = query.get('gracePeriodSeconds');
  if (grace !== null && grace !== '') options.gracePeriodSeconds = Number(grace);
  const propagation = query.get('propagationPolicy');
  if (propagation) options.propagationPolicy = propagation;
  return options;
}

export function preconditionFailure(r: ObjectRequest, current: KubeObject, options: DeleteOptions) {
  const want = options.preconditions;
  if (want?.uid && want.uid !== current.metadata.uid) {
    return failure(409, 'Conflict', `Precondition failed: UID in precondition: ${want.uid}, UID in object meta: ${current.metadata.uid}`, {
      name: current.metadata.name,
      kind: r.def.name,
    });
  }
  if (want?.resourceVersion && want.resourceVersion !== current.metadata.resourceVersion) {
    return conflict(r.def.name, current.metadata.name, r.def.group || undefined);
  }
  return undefined;
}

/** Deletes an object and, unless orphaned, what it owns (the garbage collector's job). */
export function deleteWithDependents(world: ClusterWorld, resource: string, obj: KubeObject, grace?: number): KubeObject | undefined {
  if (resource === 'pods') return deletePod(world, obj.metadata.namespace!, obj.metadata.name, grace);
  const gone = world.store.remove(resource, keyOf(obj));
  const uid = obj.metadata.uid;
  if (resource === 'nodes') removePodsOnNode(world, obj.metadata.name);
  if (resource === 'deployments') {
    for (const rs of [...world.store.values('replicasets')]) if (controllerOf(rs)?.uid === uid) deleteWithDependents(world, 'replicasets', rs);
  }
  if ((resource === 'replicasets' || resource === 'daemonsets') && uid) {
    for (const pod of world.store.objectsByIndex('pods', 'owner', uid)) deletePod(world, pod.metadata.namespace!, pod.metadata.name);
  }
  if (resource === 'namespaces') {
    for (const other of world.store.resources()) {
      for (const item of [...world.store.values(other)]) {
        if (item.metadata.namespace === obj.metadata.name) world.store.remove(other, keyOf(item));
      }
    }
  }
  return gone;
}

export function deleteObject(world: ClusterWorld, r: ObjectRequest, res: ServerResponse, body: unknown): void {
  const current = world.store.get(r.def.name, objectKey(r.namespace, r.name!));
  if (!current) return sendStatus(res, missing(r));
  const options = deleteOptionsOf(r.query, body);
  const precondition = preconditionFailure(r, current, options);
  if (precondition) return sendStatus(res, precondition);
  if (isDryRun(r.query)) return sendJson(res, 200, current);
  const grace = options.gracePeriodSeconds;
  const result =
    options.propagationPolicy === 'Orphan' && r.def.name !== 'pods'
      ? world.store.remove(r.def.name, keyOf(current))
      : deleteWithDependents(world, r.def.name, current, grace);
  sendJson(res, 200, JSON.stringify(result ?? current));
}
