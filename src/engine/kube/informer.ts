// A list+watch cache for one resource (nodes, pods, ...). It lists (in pages),
// then watches from the list's resourceVersion; a 410 Gone (the version is too
// old) triggers a relist whose result is diffed against the cache, so
// subscribers only ever see add / update / delete. Errors reconnect with
// exponential backoff on the injected Clock. Our own list+watch instead of the
// library's makeInformer: that one keeps every object as a generated-class
// instance and rebuilds its list per event (see bench/get-nodes.bench.ts).
import type { Clock } from '../clock.js';
import { KubeApiError, type KubeClient } from './client.js';
import type { KubeObject, KubeStatus, WatchEvent } from './types.js';

export type InformerEventType = 'add' | 'update' | 'delete';

export interface InformerEvent<T> {
  type: InformerEventType;
  object: T;
  /** The cached object this event replaces (update) or removes (delete). */
  old?: T;
  /** The cache key (namespace/name), so subscribers can index by the same string. */
  key?: string;
}

export type InformerListener<T> = (event: InformerEvent<T>) => void;

export interface InformerOptions<T> {
  client: KubeClient;
  /** A collection path, e.g. /api/v1/nodes or /api/v1/pods. */
  path: string;
  clock: Clock;
  /** Extra query, e.g. { fieldSelector: 'spec.nodeName=x' }. */
  query?: Record<string, string>;
  /** List page size (the `limit` parameter); 0 lists in one response. */
  pageSize?: number;
  /** Applied to each object before it is cached: drop what nobody reads. */
  transform?: (object: T) => T;
  /** Fields the transform drops anyway ("status.images"): lists leave them unparsed (kube/list-stream.ts). */
  dropFields?: readonly string[];
  backoff?: { initialMs: number; maxMs: number };
  /** Seconds the server keeps one watch open before we re-watch. */
  watchTimeoutSeconds?: number;
  onError?: (error: unknown) => void;
  /** Called when a list succeeds or a watch connects again after an error. */
  onHealthy?: () => void;
}

export function objectKey(object: KubeObject): string {
  const meta = object.metadata;
  return meta.namespace ? namespacePrefix(meta.namespace) + meta.name : meta.name;
}

// "namespace/" made once per namespace: built per object, the prefix was a string
// of its own in every key (150,000 pods: 3 MiB of copies of a few namespaces).
const PREFIX_CAP = 10_000;
const prefixes = new Map<string, string>();
function namespacePrefix(namespace: string): string {
  let prefix = prefixes.get(namespace);
  if (prefix === undefined) {
    prefix = namespace + '/';
    if (prefixes.size < PREFIX_CAP) prefixes.set(namespace, prefix);
  }
  return prefix;
}

export class Informer<T extends KubeObject> {
  readonly synced: Promise<void>;
  private readonly cache = new Map<string, T>();
  private readonly listeners = new Set<InformerListener<T>>();
  private readonly controller = new AbortController();
  private resourceVersion = '';
  private markSynced!: () => void;
  private running: Promise<void> | undefined;
  private failures = 0;
  /** The last error seen (cleared by the next successful list or watch event). */
  lastError: unknown;
  /** How many times the cache was (re)listed. */
  listCount = 0;

  constructor(private readonly opts: InformerOptions<T>) {
    this.synced = new Promise((resolve) => (this.markSynced = resolve));
  }

  get size(): number {
    return this.cache.size;
  }

  get(key: string): T | undefined {
    return this.cache.get(key);
  }

  values(): IterableIterator<T> {
    return this.cache.values();
  }

  /** Listeners run synchronously per event; they should be cheap. Returns an unsubscribe function. */
  subscribe(listener: InformerListener<T>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): this {
    this.running ??= this.run().catch((error) => {
      if (!this.controller.signal.aborted) this.opts.onError?.(error);
    });
    return this;
  }

  async stop(): Promise<void> {
    this.controller.abort(abortReason());
    await this.running;
  }

  private get signal(): AbortSignal {
    return this.controller.signal;
  }

  private async run(): Promise<void> {
    let needList = true;
    while (!this.signal.aborted) {
      try {
        if (needList) {
          await this.relist();
          needList = false;
        }
        await this.watch();
      } catch (error) {
        if (this.signal.aborted) return;
        if (isGone(error)) {
          needList = true;
          continue;
        }
        this.lastError = error;
        this.opts.onError?.(error);
        this.failures += 1;
        // After an error the resourceVersion may be stale; the watch answers 410 if so.
        await this.opts.clock.sleep(this.backoffMs(), this.signal).catch(() => undefined);
      }
    }
  }

  private backoffMs(): number {
    const { initialMs, maxMs } = this.opts.backoff ?? { initialMs: 500, maxMs: 30_000 };
    const base = Math.min(maxMs, initialMs * 2 ** Math.min(this.failures - 1, 16));
    return base / 2 + Math.random() * (base / 2);
  }

  /**
   * Lists page by page, applying each page to the cache as it arrives (so a
   * 150,000-pod list shows progress, holds no second copy of the cache, and
   * never blocks the event loop for longer than one page), then removes what
   * the list no longer has. Subscribers only ever see add / update / delete.
   */
  private async relist(): Promise<void> {
    // Only a relist over a filled cache can find deletions.
    const seen = this.cache.size > 0 ? new Set<string>() : undefined;
    let continueToken = '';
    let resourceVersion = '';
    const pageSize = this.opts.pageSize ?? 0;
    do {
      const query: Record<string, string> = { ...this.opts.query };
      if (pageSize > 0) query.limit = String(pageSize);
      if (continueToken) query.continue = continueToken;
      // Each item is parsed and trimmed while the rest of the page is still arriving.
      const items: T[] = [];
      const transform = this.opts.transform;
      const page = await this.opts.client.requestList<T>(withQuery(this.opts.path, query), (item) => items.push(transform ? transform(item) : item), {
        signal: this.signal,
        dropFields: this.opts.dropFields,
      });
      if (this.signal.aborted) return;
      for (const object of items) {
        const key = objectKey(object);
        seen?.add(key);
        const old = this.cache.get(key);
        this.cache.set(key, object);
        if (!old) this.emit({ type: 'add', object, key });
        else if (old.metadata.resourceVersion !== object.metadata.resourceVersion) this.emit({ type: 'update', object, old, key });
      }
      continueToken = page.metadata.continue ?? '';
      resourceVersion = page.metadata.resourceVersion ?? resourceVersion;
    } while (continueToken);
    if (seen) {
      for (const [key, old] of this.cache) {
        if (seen.has(key)) continue;
        this.cache.delete(key);
        this.emit({ type: 'delete', object: old, old, key });
      }
    }
    this.resourceVersion = resourceVersion;
    this.listCount += 1;
    this.failures = 0;
    this.lastError = undefined;
    this.opts.onHealthy?.();
    this.markSynced();
  }

  private async watch(): Promise<void> {
    const query: Record<string, string> = {
      ...this.opts.query,
      watch: '1',
      allowWatchBookmarks: 'true',
      timeoutSeconds: String(this.opts.watchTimeoutSeconds ?? 300),
    };
    if (this.resourceVersion) query.resourceVersion = this.resourceVersion;
    const res = await this.opts.client.stream(withQuery(this.opts.path, query), this.signal);
    if (this.lastError !== undefined) {
      this.lastError = undefined;
      this.opts.onHealthy?.();
    }
    let buffered = '';
    res.setEncoding('utf8');
    for await (const chunk of res as AsyncIterable<string>) {
      buffered += chunk;
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (line) this.handle(JSON.parse(line) as WatchEvent<T>);
      }
    }
    if (buffered.trim()) this.handle(JSON.parse(buffered) as WatchEvent<T>);
  }

  private handle(event: WatchEvent<T>): void {
    if (event.type === 'ERROR') {
      const status = event.object as KubeStatus;
      throw new KubeApiError(status.code ?? 500, status.reason ?? '', `watch ${this.opts.path}: ${status.message ?? 'error'}`, '');
    }
    const object = event.object as T;
    if (object.metadata?.resourceVersion) this.resourceVersion = object.metadata.resourceVersion;
    this.failures = 0;
    this.lastError = undefined;
    if (event.type === 'BOOKMARK') return;
    const cached = this.opts.transform ? this.opts.transform(object) : object;
    const key = objectKey(cached);
    const old = this.cache.get(key);
    if (event.type === 'DELETED') {
      if (!old) return;
      this.cache.delete(key);
      this.emit({ type: 'delete', object: cached, old, key });
      return;
    }
    this.cache.set(key, cached);
    this.emit(old ? { type: 'update', object: cached, old, key } : { type: 'add', object: cached, key });
  }

  private emit(event: InformerEvent<T>): void {
    for (const listener of this.listeners) listener(event);
  }
}

export function withQuery(path: string, query: Record<string, string>): string {
  const params = new URLSearchParams(query).toString();
  if (!params) return path;
  return path + (path.includes('?') ? '&' : '?') + params;
}

function isGone(error: unknown): boolean {
  return error instanceof KubeApiError && (error.status === 410 || error.reason === 'Expired' || error.reason === 'Gone');
}

function abortReason(): Error {
  const error = new Error('informer stopped');
  error.name = 'AbortError';
  return error;
}
