// One cluster's objects: a single resourceVersion counter, secondary indexes,
// a window of recent events for watches, and JSON cached per object so a
// LIST is mostly byte concatenation.
//
// The JSON cache lives on the Holder, and every write (put, update, remove)
// stores a new Holder, so a cached form can never outlive the version it was
// made from: there is nothing to invalidate by hand. That holds as long as
// stored objects are never mutated in place (see types.ts).
import { keyOf, type KubeObject, type WatchEventType } from './types.js';

/**
 * A stored object and, once someone has asked for them, its serialised form
 * (JSON.stringify of it, and that text's length in UTF-8 bytes) and the JSON
 * of its metadata alone (for Table rows, which carry PartialObjectMetadata).
 * Strings rather than Buffers on purpose: 150,000 small Buffers cost far more
 * to allocate and collect than the one-byte strings V8 keeps on its heap.
 */
export interface Holder {
  readonly obj: KubeObject;
  json?: string;
  jsonBytes?: number;
  metadataJson?: string;
}

export interface StoredEvent {
  rv: number;
  type: WatchEventType;
  resource: string;
  holder: Holder;
  /** The object before a MODIFIED or DELETED change (for selector transitions). */
  previous?: KubeObject;
}

export type IndexFn = (obj: KubeObject) => string | undefined;
/** Told of every change to a resource, including bulk loads: (before, after). */
export type Observer = (before: KubeObject | undefined, after: KubeObject | undefined) => void;

interface Index {
  fn: IndexFn;
  keys: Map<string, Set<string>>;
}

export const DEFAULT_EVENT_WINDOW = 4096;

export function jsonOf(holder: Holder): string {
  if (holder.json === undefined) {
    holder.json = JSON.stringify(holder.obj);
    holder.jsonBytes = Buffer.byteLength(holder.json);
  }
  return holder.json;
}

/** The UTF-8 length of jsonOf(holder). */
export function jsonBytesOf(holder: Holder): number {
  jsonOf(holder);
  return holder.jsonBytes!;
}

/** JSON.stringify(holder.obj.metadata), kept once asked for. */
export function metadataJsonOf(holder: Holder): string {
  if (holder.metadataJson === undefined) holder.metadataJson = JSON.stringify(holder.obj.metadata);
  return holder.metadataJson;
}

/**
 * A resource's keys in sorted order, kept up to date lazily: adds and
 * removes since the last sort are noted and merged in on the next read
 * (linear), instead of re-sorting every key after each change.
 */
interface SortedKeys {
  keys: string[];
  added: Set<string>;
  removed: Set<string>;
}

/** Beyond this many pending changes a fresh sort is cheaper than merging. */
const MAX_PENDING_KEY_CHANGES = 4096;

function mergeSorted(a: string[], b: string[]): string[] {
  const out = new Array<string>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = a[i] < b[j] ? a[i++] : b[j++];
  while (i < a.length) out[k++] = a[i++];
  while (j < b.length) out[k++] = b[j++];
  return out;
}

/** Recent changes a watch can resume from, and the revision at or below which they are no longer retained. */
interface WatchLog {
  events: StoredEvent[];
  compacted: number;
  readonly window: number;
}

export class ApiStore {
  private rv = 0;
  private readonly tables = new Map<string, Map<string, Holder>>();
  private readonly sorted = new Map<string, SortedKeys>();
  private readonly indexes = new Map<string, Map<string, Index>>();
  private readonly observers = new Map<string, Observer[]>();
  /** The window every resource shares, unless it has one of its own (ownWindow). */
  private readonly shared: WatchLog;
  private readonly ownLogs = new Map<string, WatchLog>();
  private readonly listeners = new Set<(event: StoredEvent) => void>();

  constructor(eventWindow = DEFAULT_EVENT_WINDOW) {
    this.shared = { events: [], compacted: 0, window: eventWindow };
  }

  get resourceVersion(): number {
    return this.rv;
  }

  /** Changes at or below this revision can no longer be replayed to a watch of `resource`. */
  compactedRevision(resource?: string): number {
    return this.logOf(resource).compacted;
  }

  /**
   * Gives a resource a watch window of its own, as the API server's watch
   * cache is per resource: a chatty one (Events) then cannot push the changes
   * of nodes and pods out of theirs, which would make their watchers relist.
   */
  ownWindow(resource: string, size: number): void {
    this.ownLogs.set(resource, { events: [], compacted: this.rv, window: size });
  }

  defineIndex(resource: string, name: string, fn: IndexFn): void {
    let byName = this.indexes.get(resource);
    if (!byName) this.indexes.set(resource, (byName = new Map()));
    const index: Index = { fn, keys: new Map() };
    byName.set(name, index);
    for (const [key, holder] of this.table(resource)) addToIndex(index, fn(holder.obj), key);
  }

  observe(resource: string, observer: Observer): void {
    const list = this.observers.get(resource) ?? [];
    list.push(observer);
    this.observers.set(resource, list);
    for (const holder of this.table(resource).values()) observer(undefined, holder.obj);
  }

  /** How many objects have this index value. */
  indexSize(resource: string, index: string, value: string): number {
    return this.indexes.get(resource)?.get(index)?.keys.get(value)?.size ?? 0;
  }

  get(resource: string, key: string): KubeObject | undefined {
    return this.tables.get(resource)?.get(key)?.obj;
  }

  holder(resource: string, key: string): Holder | undefined {
    return this.tables.get(resource)?.get(key);
  }

  count(resource: string): number {
    return this.tables.get(resource)?.size ?? 0;
  }

  *values(resource: string): IterableIterator<KubeObject> {
    for (const holder of this.table(resource).values()) yield holder.obj;
  }

  /**
   * Keys in the order the API server lists them (sorted). The array returned
   * is never changed afterwards (later changes make a new one), so a caller
   * may keep it as a snapshot; it must not modify it.
   */
  sortedKeys(resource: string): string[] {
    const state = this.sorted.get(resource);
    if (!state) {
      const keys = [...this.table(resource).keys()].sort();
      this.sorted.set(resource, { keys, added: new Set(), removed: new Set() });
      return keys;
    }
    if (state.removed.size > 0) {
      const removed = state.removed;
      state.keys = state.keys.filter((key) => !removed.has(key));
      state.removed = new Set();
    }
    if (state.added.size > 0) {
      state.keys = mergeSorted(state.keys, [...state.added].sort());
      state.added = new Set();
    }
    return state.keys;
  }

  /** Keys whose index value equals `value` (unsorted). */
  byIndex(resource: string, index: string, value: string): string[] {
    const found = this.indexes.get(resource)?.get(index);
    if (!found) throw new Error(`no index ${index} on ${resource}`);
    return [...(found.keys.get(value) ?? [])];
  }

  hasIndex(resource: string, index: string): boolean {
    return this.indexes.get(resource)?.has(index) ?? false;
  }

  objectsByIndex(resource: string, index: string, value: string): KubeObject[] {
    const table = this.table(resource);
    return this.byIndex(resource, index, value).map((key) => table.get(key)!.obj);
  }

  /** Creates or replaces an object, stamping a new resourceVersion, and emits ADDED or MODIFIED. */
  put(resource: string, obj: KubeObject): KubeObject {
    const key = keyOf(obj);
    const table = this.table(resource);
    const before = table.get(key)?.obj;
    const rv = ++this.rv;
    const stored: KubeObject = { ...obj, metadata: { ...obj.metadata, resourceVersion: String(rv) } };
    const holder: Holder = { obj: stored };
    table.set(key, holder);
    if (!before) this.noteKeyChange(resource, key, true);
    this.reindex(resource, key, before, stored);
    this.emit({ rv, type: before ? 'MODIFIED' : 'ADDED', resource, holder, previous: before });
    return stored;
  }

  /**
   * Copies the object, lets `mutate` change the copy, and stores it. `mutate`
   * returns false when it decided nothing needs to change (no new version then).
   */
  update(resource: string, key: string, mutate: (draft: KubeObject) => boolean | void): KubeObject | undefined {
    const current = this.get(resource, key);
    if (!current) return undefined;
    const draft = structuredClone(current);
    if (mutate(draft) === false) return current;
    return this.put(resource, draft);
  }

  remove(resource: string, key: string): KubeObject | undefined {
    const table = this.table(resource);
    const before = table.get(key)?.obj;
    if (!before) return undefined;
    table.delete(key);
    this.noteKeyChange(resource, key, false);
    this.reindex(resource, key, before, undefined);
    const rv = ++this.rv;
    const gone: KubeObject = { ...before, metadata: { ...before.metadata, resourceVersion: String(rv) } };
    this.emit({ rv, type: 'DELETED', resource, holder: { obj: gone }, previous: before });
    return gone;
  }

  /**
   * Loads many objects at once without events (seeding, restore). The store
   * takes ownership: resourceVersions are stamped in place. Watchers from
   * before this point can no longer catch up, so the window restarts.
   */
  bulkLoad(resource: string, objects: Iterable<KubeObject>, keepResourceVersion = false): void {
    const table = this.table(resource);
    for (const stored of objects) {
      if (keepResourceVersion) this.rv = Math.max(this.rv, Number(stored.metadata.resourceVersion) || 0);
      else stored.metadata.resourceVersion = String(++this.rv);
      const key = keyOf(stored);
      const before = table.get(key)?.obj;
      table.set(key, { obj: stored });
      this.reindex(resource, key, before, stored);
    }
    this.sorted.delete(resource);
    this.restartWindows();
  }

  /** Serialises every object of a resource now, so its first LIST is only concatenation. */
  warmJson(resource: string): void {
    for (const holder of this.table(resource).values()) jsonOf(holder);
  }

  /** Restores the counter after a restart; older watches must relist. */
  resetRevision(rv: number): void {
    this.rv = Math.max(this.rv, rv);
    this.restartWindows();
  }

  /**
   * Changes newer than `rv` (of `resource` when it has a window of its own,
   * else of every resource sharing the common one), or undefined when some of
   * them are no longer retained.
   */
  eventsAfter(rv: number, resource?: string): StoredEvent[] | undefined {
    const log = this.logOf(resource);
    if (rv < log.compacted) return undefined;
    const events = log.events;
    let low = 0;
    let high = events.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (events[mid].rv <= rv) low = mid + 1;
      else high = mid;
    }
    return events.slice(low);
  }

  subscribe(listener: (event: StoredEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  resources(): string[] {
    return [...this.tables.keys()];
  }

  private noteKeyChange(resource: string, key: string, added: boolean): void {
    const state = this.sorted.get(resource);
    if (!state) return;
    const [into, from] = added ? [state.added, state.removed] : [state.removed, state.added];
    // A key removed and added back (or the reverse) since the last sort is where it was.
    if (from.has(key)) from.delete(key);
    else into.add(key);
    if (state.added.size + state.removed.size > MAX_PENDING_KEY_CHANGES) this.sorted.delete(resource);
  }

  private table(resource: string): Map<string, Holder> {
    let table = this.tables.get(resource);
    if (!table) this.tables.set(resource, (table = new Map()));
    return table;
  }

  private reindex(resource: string, key: string, before: KubeObject | undefined, after: KubeObject | undefined): void {
    for (const observer of this.observers.get(resource) ?? []) observer(before, after);
    const byName = this.indexes.get(resource);
    if (!byName) return;
    for (const index of byName.values()) {
      const oldValue = before ? index.fn(before) : undefined;
      const newValue = after ? index.fn(after) : undefined;
      if (oldValue === newValue) continue;
      if (oldValue !== undefined) {
        const set = index.keys.get(oldValue);
        set?.delete(key);
        if (set?.size === 0) index.keys.delete(oldValue);
      }
      addToIndex(index, newValue, key);
    }
  }

  private logOf(resource: string | undefined): WatchLog {
    return (resource !== undefined && this.ownLogs.get(resource)) || this.shared;
  }

  private restartWindows(): void {
    for (const log of [this.shared, ...this.ownLogs.values()]) {
      log.events = [];
      log.compacted = this.rv;
    }
  }

  private emit(event: StoredEvent): void {
    const log = this.logOf(event.resource);
    log.events.push(event);
    if (log.events.length >= log.window * 2) {
      const drop = log.events.length - log.window;
      log.compacted = log.events[drop - 1].rv;
      log.events = log.events.slice(drop);
    }
    for (const listener of this.listeners) listener(event);
  }
}

function addToIndex(index: Index, value: string | undefined, key: string): void {
  if (value === undefined) return;
  let set = index.keys.get(value);
  if (!set) index.keys.set(value, (set = new Set()));
  set.add(key);
}
