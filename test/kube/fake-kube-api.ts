// A minimal Kubernetes API for the informer's resilience tests: list (paged),
// watch from a resourceVersion, "410 Gone" once history is compacted, and
// injected 500s. The simulator covers realistic behaviour; this covers the
// failure paths on demand.
import http from 'node:http';
import { gzipSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { tempDir } from '../helpers/temp-dir.js';

interface Obj {
  metadata: { name: string; resourceVersion?: string; [k: string]: unknown };
  [k: string]: unknown;
}

export class FakeKubeApi {
  private rv = 1;
  private readonly objects = new Map<string, Obj>();
  private history: { rv: number; type: string; object: Obj }[] = [];
  private compactedAt = 0;
  private readonly watchers = new Set<{ res: http.ServerResponse; from: number }>();
  private server!: http.Server;
  failNext = 0;
  /** Use an ERROR event (true, as etcd compaction does mid-stream) or HTTP 410 (false) for expired versions. */
  goneAsEvent = false;
  requests: string[] = [];
  /** Answer lists and errors gzip-compressed to a client that accepts it, as an API server does (above 128 KiB). */
  gzip = false;
  /** How many answers were sent compressed. */
  gzipped = 0;
  url = '';

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/k8s/fake`;
    return this;
  }

  async stop(): Promise<void> {
    for (const w of this.watchers) w.res.destroy();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  /** A kubeconfig (in a fresh temp dir) whose context `fake` points here. */
  writeKubeconfig(): string {
    const path = join(tempDir('kopsdeck-fake-'), 'config');
    writeFileSync(
      path,
      `apiVersion: v1\nkind: Config\ncurrent-context: fake\nclusters:\n- name: fake\n  cluster:\n    server: ${this.url}\ncontexts:\n- name: fake\n  context:\n    cluster: fake\n    user: fake\nusers:\n- name: fake\n  user:\n    token: not-a-secret\n`,
      { mode: 0o600 },
    );
    return path;
  }

  put(object: Obj): void {
    const type = this.objects.has(object.metadata.name) ? 'MODIFIED' : 'ADDED';
    const stored = { ...object, metadata: { ...object.metadata, resourceVersion: String(++this.rv) } };
    this.objects.set(object.metadata.name, stored);
    this.record(type, stored);
  }

  remove(name: string): void {
    const old = this.objects.get(name);
    if (!old) return;
    this.objects.delete(name);
    this.record('DELETED', { ...old, metadata: { ...old.metadata, resourceVersion: String(++this.rv) } });
  }

  /** Forgets history (as etcd compaction does) and drops every open watch. */
  compactAndDisconnect(): void {
    this.compactedAt = this.rv;
    this.history = [];
    for (const w of this.watchers) w.res.destroy();
    this.watchers.clear();
  }

  /** Drops open watches but keeps history: a re-watch from the last version works. */
  dropWatches(): void {
    for (const w of this.watchers) w.res.destroy();
    this.watchers.clear();
  }

  get openWatches(): number {
    return this.watchers.size;
  }

  private record(type: string, object: Obj): void {
    const event = { rv: this.rv, type, object };
    this.history.push(event);
    for (const w of this.watchers) w.res.write(JSON.stringify({ type, object }) + '\n');
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url!, 'http://x');
    this.requests.push(`${req.method} ${url.pathname}${url.search}`);
    if (req.headers.authorization !== 'Bearer not-a-secret') return this.status(req, res, 401, 'Unauthorized');
    if (this.failNext > 0) {
      this.failNext -= 1;
      return this.status(req, res, 500, 'InternalError');
    }
    if (url.pathname !== '/k8s/fake/api/v1/nodes') return this.status(req, res, 404, 'NotFound');
    if (url.searchParams.get('watch')) return this.watch(req, url, res);
    const all = [...this.objects.values()].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
    const limit = Number(url.searchParams.get('limit') ?? 0);
    const offset = Number(url.searchParams.get('continue') ?? 0);
    const items = limit > 0 ? all.slice(offset, offset + limit) : all;
    const next = limit > 0 && offset + limit < all.length ? String(offset + limit) : undefined;
    this.answer(req, res, 200, { kind: 'NodeList', metadata: { resourceVersion: String(this.rv), continue: next }, items });
  }

  private answer(req: http.IncomingMessage, res: http.ServerResponse, code: number, body: unknown): void {
    const json = JSON.stringify(body);
    if (this.gzip && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) {
      this.gzipped += 1;
      res.writeHead(code, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end(gzipSync(json));
      return;
    }
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(json);
  }

  private watch(req: http.IncomingMessage, url: URL, res: http.ServerResponse): void {
    const from = Number(url.searchParams.get('resourceVersion') ?? this.rv);
    if (from < this.compactedAt) {
      if (!this.goneAsEvent) return this.status(req, res, 410, 'Expired');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version' } }) + '\n');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    for (const e of this.history) if (e.rv > from) res.write(JSON.stringify({ type: e.type, object: e.object }) + '\n');
    const watcher = { res, from };
    this.watchers.add(watcher);
    res.on('close', () => this.watchers.delete(watcher));
  }

  private status(req: http.IncomingMessage, res: http.ServerResponse, code: number, reason: string): void {
    this.answer(req, res, code, { kind: 'Status', status: 'Failure', code, reason, message: `${reason} (fake)` });
  }
}
