// LIST (selectors, limit/continue, Table form) and WATCH (replay from a
// resourceVersion, 410 Gone when it is too old, live fan-out, bookmarks).
import type { ServerResponse } from 'node:http';
import { jsonBytesOf, jsonOf, type ApiStore, type Holder, type StoredEvent } from './api-store.js';
import type { ClusterWorld } from './cluster-world.js';
import { writeJsonList } from './http-body.js';
import { apiVersionOf, storeOf, type ResourceDef } from './resources.js';
import { labelsMatch, type LabelRequirement } from '../../engine/kube/label-selector.js';
import { matchesFields, parseFieldSelector, parseLabelSelector, type FieldRequirement } from './selectors.js';
import { badRequest, expired, sendStatus } from './status.js';
import { includeObjectOf, tableOf, tableWriter, wantsTable } from './tables.js';
import { objectKey, type KubeObject, type WatchEventType } from './types.js';

export interface Filter {
  namespace?: string;
  labels: LabelRequirement[];
  fields: FieldRequirement[];
}

/** `fieldPaths` maps a group's own field paths to the stored form's (events.k8s.io's regarding.name is involvedObject.name). */
export function parseFilter(namespace: string | undefined, query: URLSearchParams, fieldPaths?: Readonly<Record<string, string>>): Filter {
  const fields = parseFieldSelector(query.get('fieldSelector'));
  return {
    namespace,
    labels: parseLabelSelector(query.get('labelSelector')),
    fields: fieldPaths ? fields.map((f) => ({ ...f, path: fieldPaths[f.path] ?? f.path })) : fields,
  };
}

/** An object's JSON as this resource serves it: the cached stored form, or this group's form of it. */
export function servedJson(def: ResourceDef, holder: Holder): string {
  return def.served ? JSON.stringify(def.served(holder.obj)) : jsonOf(holder);
}

export function matches(filter: Filter, obj: KubeObject): boolean {
  if (filter.namespace && obj.metadata.namespace !== filter.namespace) return false;
  return labelsMatch(filter.labels, obj.metadata.labels) && matchesFields(filter.fields, obj);
}

function lowerBound(keys: string[], target: string): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (keys[mid] < target) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Keys worth looking at, sorted, using an index when a field selector allows it. */
function candidateKeys(store: ApiStore, resource: string, filter: Filter): string[] {
  const onNode = filter.fields.find((f) => f.path === 'spec.nodeName' && f.op === '=');
  if (onNode && onNode.value !== '' && store.hasIndex(resource, 'node')) return store.byIndex(resource, 'node', onNode.value).sort();
  if (onNode && onNode.value === '' && store.hasIndex(resource, 'unscheduled')) return store.byIndex(resource, 'unscheduled', 'yes').sort();
  const byName = filter.fields.find((f) => f.path === 'metadata.name' && f.op === '=');
  if (byName) {
    if (filter.namespace) return [objectKey(filter.namespace, byName.value)];
  }
  const keys = store.sortedKeys(resource);
  if (!filter.namespace) return keys;
  return keys.slice(lowerBound(keys, `${filter.namespace}/`), lowerBound(keys, `${filter.namespace}0`));
}

interface ContinueToken {
  rv: number;
  start: string;
}

function encodeContinue(token: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: token.rv, start: token.start })).toString('base64url');
}

function decodeContinue(text: string): ContinueToken | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as { rv?: unknown; start?: unknown };
    if (typeof parsed.rv === 'number' && typeof parsed.start === 'string') return { rv: parsed.rv, start: parsed.start };
  } catch {
    // fall through
  }
  return undefined;
}

const EXPIRED_CONTINUE =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

export function listObjects(world: ClusterWorld, def: ResourceDef, filter: Filter, query: URLSearchParams, accept: string | undefined, res: ServerResponse): Promise<void> | void {
  const store = world.store;
  const table = storeOf(def);
  const limit = Math.max(0, Number(query.get('limit') ?? 0) || 0);
  let listRv = store.resourceVersion;
  const keys = candidateKeys(store, table, filter);
  // Where this page starts in `keys`: an index, not a copy of the rest (a
  // 150,000-pod list paged by 500 would otherwise copy the tail 300 times).
  let start = 0;
  const continueText = query.get('continue');
  if (continueText) {
    const token = decodeContinue(continueText);
    if (!token) return sendStatus(res, badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)'));
    if (token.rv < store.compactedRevision(table)) return sendStatus(res, expired(EXPIRED_CONTINUE));
    listRv = token.rv;
    start = lowerBound(keys, token.start);
    if (keys[start] === token.start) start++;
  }
  const unfiltered = filter.labels.length === 0 && filter.fields.length === 0;
  const holders: Holder[] = [];
  let next = start;
  while (next < keys.length) {
    const holder = store.holder(table, keys[next++]);
    if (!holder || (!unfiltered && !matches(filter, holder.obj))) continue;
    holders.push(holder);
    if (limit > 0 && holders.length >= limit) break;
  }
  const metadata: Record<string, unknown> = { resourceVersion: String(listRv) };
  if (limit > 0 && holders.length >= limit && next < keys.length) {
    metadata.continue = encodeContinue({ rv: listRv, start: keyOfHolder(holders[holders.length - 1]) });
    if (unfiltered) metadata.remainingItemCount = keys.length - next;
  }
  if (wantsTable(accept)) {
    const writer = tableWriter(table, metadata, world.now(), includeObjectOf(query.get('includeObject')), (h) => servedJson(def, h));
    return writeJsonList(res, writer.head, holders.map(writer.row), writer.tail);
  }
  const head = `{"kind":"${def.kind}List","apiVersion":"${apiVersionOf(def)}","metadata":${JSON.stringify(metadata)},"items":[`;
  const item = def.served
    ? (h: Holder) => {
        const text = servedJson(def, h);
        return { text, bytes: Buffer.byteLength(text) };
      }
    : (h: Holder) => ({ text: jsonOf(h), bytes: jsonBytesOf(h) });
  return writeJsonList(res, head, holders.map(item), ']}');
}

function keyOfHolder(holder: Holder): string {
  return objectKey(holder.obj.metadata.namespace, holder.obj.metadata.name);
}

export const BOOKMARK_INTERVAL_MS = 10_000;

export function watchObjects(
  world: ClusterWorld,
  def: ResourceDef,
  filter: Filter,
  query: URLSearchParams,
  accept: string | undefined,
  res: ServerResponse,
  openWatches: Set<() => void>,
): void {
  const store = world.store;
  const resource = storeOf(def);
  const rvText = query.get('resourceVersion') ?? '';
  const sendInitial = query.get('sendInitialEvents') === 'true';
  const bookmarks = query.get('allowWatchBookmarks') === 'true' || query.get('allowWatchBookmarks') === '1';
  const startRv = rvText === '' || rvText === '0' ? undefined : Number(rvText);
  if (startRv !== undefined && !Number.isInteger(startRv)) {
    return sendStatus(res, badRequest(`invalid resource version "${rvText}"`));
  }
  const asTable = wantsTable(accept);
  const include = includeObjectOf(query.get('includeObject'));
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
  res.flushHeaders();

  const write = (type: string, objectJson: string) => {
    if (!res.destroyed) res.write(`{"type":"${type}","object":${objectJson}}\n`);
  };
  const send = (type: WatchEventType, holder: Holder) => {
    if (!asTable) return write(type, servedJson(def, holder));
    const served = def.served ? def.served(holder.obj) : holder.obj;
    const table = tableOf(resource, [holder.obj], { resourceVersion: holder.obj.metadata.resourceVersion }, world.now(), include, [served]);
    write(type, JSON.stringify(table));
  };
  const bookmark = (annotations?: Record<string, string>) => {
    const metadata = { resourceVersion: String(store.resourceVersion), ...(annotations ? { annotations } : {}) };
    write('BOOKMARK', JSON.stringify({ kind: def.kind, apiVersion: apiVersionOf(def), metadata }));
  };
  const deliver = (event: StoredEvent) => {
    if (event.resource !== resource) return;
    const now = matches(filter, event.holder.obj);
    const before = event.previous !== undefined && matches(filter, event.previous);
    if (event.type === 'ADDED') {
      if (now) send('ADDED', event.holder);
    } else if (event.type === 'DELETED') {
      if (now || before) send('DELETED', event.holder);
    } else if (now && before) send('MODIFIED', event.holder);
    else if (now) send('ADDED', event.holder);
    else if (before) send('DELETED', event.holder);
  };

  if (startRv !== undefined && !sendInitial) {
    const missed = store.eventsAfter(startRv, resource);
    if (!missed) {
      const status = expired(`too old resource version: ${startRv} (${store.compactedRevision(resource) + 1})`);
      write('ERROR', JSON.stringify(status));
      res.end();
      return;
    }
    for (const event of missed) deliver(event);
  } else {
    for (const key of candidateKeys(store, resource, filter)) {
      const holder = store.holder(resource, key);
      if (holder && matches(filter, holder.obj)) send('ADDED', holder);
    }
    if (sendInitial) bookmark({ 'k8s.io/initial-events-end': 'true' });
  }

  const unsubscribe = store.subscribe(deliver);
  const ticker = bookmarks ? setInterval(() => bookmark(), BOOKMARK_INTERVAL_MS) : undefined;
  const timeoutSeconds = Number(query.get('timeoutSeconds') ?? 0);
  const timeout = timeoutSeconds > 0 ? setTimeout(() => finish(), timeoutSeconds * 1000) : undefined;
  let finished = false;
  function finish(): void {
    if (finished) return;
    finished = true;
    unsubscribe();
    if (ticker) clearInterval(ticker);
    if (timeout) clearTimeout(timeout);
    openWatches.delete(finish);
    if (!res.destroyed) res.end();
  }
  openWatches.add(finish);
  res.on('close', finish);
}
