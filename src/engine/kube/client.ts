// The Kubernetes client: a KubeConfig from @kubernetes/client-node (contexts,
// credentials, TLS material, auth plugins), and a lean JSON-over-HTTP transport
// on a keep-alive agent. The generated API classes deserialize every object
// into class instances with Date fields; at 5,000 nodes and 150,000 pods that
// costs more than the network, so list/watch/patch go through request() here.
import type { KubeConfig } from '@kubernetes/client-node';
import http from 'node:http';
import https from 'node:https';
import { existsSync, readFileSync } from 'node:fs';
import { delimiter } from 'node:path';
import { pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { KubeStatus } from './types.js';
import { ListItemStream, type ListEnvelope, type ListStreamOptions } from './list-stream.js';
import { kubeconfigPaths } from './kubeconfig-paths.js';
import { errorMessage } from '../error-message.js';
export { kubeconfigPaths } from './kubeconfig-paths.js';

/**
 * The Kubernetes client library, loaded with the first client: its package
 * index is some 1,000 modules (2 s of CPU under the tests' TypeScript loader,
 * 0.85 s without), and many commands, screens and tests that import this
 * module never talk to a cluster.
 */
type KubeConfigClass = typeof import('@kubernetes/client-node').KubeConfig;
let library: Promise<typeof import('./kube-config-class.js')> | undefined;
const kubeConfigClass = async (): Promise<KubeConfigClass> => (await (library ??= import('./kube-config-class.js'))).KubeConfig;

export interface KubeClientOptions {
  /** The cluster name: the context of the same name is used unless `context` is given. */
  cluster?: string;
  context?: string;
  /** A kubeconfig path (or several joined by the path delimiter); default KUBECONFIG, then ~/.kube/config. */
  kubeconfigPath?: string;
  env?: NodeJS.ProcessEnv;
}

export class KubeConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KubeConfigError';
  }
}

/** An HTTP error answered by the API server (status >= 400), with its Status reason when given. */
export class KubeApiError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    readonly body: string,
  ) {
    super(message);
    this.name = 'KubeApiError';
  }
}

/** The Status the API server answered with, when the body is one. */
export function apiStatus(error: KubeApiError): KubeStatus | undefined {
  try {
    const status = JSON.parse(error.body) as KubeStatus;
    return status?.kind === 'Status' ? status : undefined;
  } catch {
    return undefined;
  }
}

/** The API server's own sentence for a failure (its Status message), else the error's message. */
export function apiMessage(error: unknown): string {
  if (error instanceof KubeApiError) return apiStatus(error)?.message || error.message;
  return errorMessage(error);
}

/** Loads the kubeconfig and selects the context named after the cluster (or the given context). */
export async function loadKubeConfig(opts: KubeClientOptions): Promise<{ kc: KubeConfig; context: string; paths: string[] }> {
  const paths = kubeconfigPaths(opts);
  const Config = await kubeConfigClass();
  const kc = new Config();
  for (const path of paths.filter((p) => existsSync(p))) {
    const part = readKubeconfigFile(path, Config);
    if (!part) continue;
    if (!kc.contexts?.length) kc.loadFromOptions({ clusters: part.clusters, users: part.users, contexts: part.contexts, currentContext: part.currentContext });
    else kc.mergeConfig(part, true);
  }
  const wanted = opts.context ?? opts.cluster ?? kc.currentContext;
  const shown = paths.join(delimiter);
  if (!wanted) throw new KubeConfigError(`no current context in ${shown}; pass a cluster name or --context`);
  if (!kc.getContextObject(wanted)) {
    const hint = opts.cluster ?? wanted;
    throw new KubeConfigError(`no context named ${wanted} in ${shown}; run \`kopsdeck export kubeconfig ${hint}\``);
  }
  kc.setCurrentContext(wanted);
  if (!kc.getCurrentCluster()) throw new KubeConfigError(`context ${wanted} in ${shown} names a cluster that is not defined there`);
  return { kc, context: wanted, paths };
}

/**
 * One kubeconfig file, or null when it is empty (an empty kubeconfig, as for
 * kubectl). A YAML error quotes the file, and kubeconfigs hold credentials: only
 * the file's name is reported then.
 */
function readKubeconfigFile(path: string, Config: KubeConfigClass): KubeConfig | null {
  if (readFileSync(path, 'utf8').trim() === '') return null;
  const part = new Config();
  try {
    part.loadFromFile(path);
  } catch (error) {
    const detail = (error as Error).name === 'YAMLException' ? 'it is not valid YAML' : (error as Error).message;
    throw new KubeConfigError(`${path} is not a valid kubeconfig: ${detail}`);
  }
  return part;
}

export interface RequestOptions {
  body?: unknown;
  contentType?: string;
  /** The Accept header; default application/json. */
  accept?: string;
  signal?: AbortSignal;
  /** Wall-clock ms before the request is abandoned; default 30 s (not applied to watches). */
  timeoutMs?: number;
}

export interface RawResponse {
  status: number;
  body: string;
}

export class KubeClient {
  readonly server: string;
  private readonly base: URL;
  private readonly agent: http.Agent;
  private readonly refreshHeaders: boolean;

  private constructor(
    readonly kc: KubeConfig,
    readonly context: string,
    private readonly tls: https.RequestOptions,
    private headers: Record<string, string>,
    proxyAgent: http.Agent | undefined,
  ) {
    this.server = kc.getCurrentCluster()!.server;
    this.base = new URL(this.server);
    const keepAlive = { keepAlive: true, maxSockets: 16 };
    this.agent = proxyAgent ?? (this.base.protocol === 'https:' ? new https.Agent({ ...keepAlive, ...(tls as https.AgentOptions) }) : new http.Agent(keepAlive));
    const user = kc.getCurrentUser();
    // Exec and auth-provider credentials expire; static ones are read once.
    this.refreshHeaders = Boolean(user?.exec || user?.authProvider);
  }

  static async create(opts: KubeClientOptions): Promise<KubeClient> {
    const { kc, context } = await loadKubeConfig(opts);
    requireTlsOffThisMachine(kc.getCurrentCluster()!.server, context);
    const { tls, headers, proxyAgent } = await authOptions(kc);
    return new KubeClient(kc, context, tls, headers, proxyAgent);
  }

  /** The URL of an API path under this server (the server URL may itself carry a path prefix). */
  url(path: string): URL {
    const prefix = this.base.pathname.replace(/\/$/, '');
    return new URL(prefix + path, this.base);
  }

  /**
   * A request whose whole answer is read. It accepts gzip, as kubectl does: an
   * API server compresses a large answer for a client that asks (a 5,000-node
   * list is 14 MB of JSON; nodes being alike, gzip makes it some 30 times
   * smaller), and Node decompresses it off the main thread.
   */
  async requestRaw(method: string, path: string, opts: RequestOptions = {}): Promise<RawResponse> {
    const res = await this.openWhole(method, path, opts);
    return { status: res.statusCode ?? 0, body: await readAll(decoded(res)) };
  }

  /**
   * A GET of a list whose items are handed to `onItem` as they arrive (see
   * list-stream.ts), not after the whole answer is in; returns the list's
   * envelope (kind, metadata) with `items` empty. Throws KubeApiError on any
   * status >= 400, and SyntaxError when the answer is not a whole JSON list.
   */
  async requestList<T>(path: string, onItem: (item: T) => void, opts: Omit<RequestOptions, 'body' | 'contentType'> & ListStreamOptions = {}): Promise<ListEnvelope> {
    const res = await this.openWhole('GET', path, opts);
    const body = decoded(res);
    if ((res.statusCode ?? 0) >= 400) throw apiError('GET', path, { status: res.statusCode ?? 0, body: await readAll(body) });
    const items = new ListItemStream(onItem, { dropFields: opts.dropFields });
    for await (const chunk of body) items.write(chunk as Buffer);
    return items.end();
  }

  /** A JSON request; throws KubeApiError on any status >= 400. */
  async request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const res = await this.requestRaw(method, path, opts);
    if (res.status >= 400) throw apiError(method, path, res);
    return (res.body ? JSON.parse(res.body) : undefined) as T;
  }

  /** Opens a streaming GET (a watch, a followed log); the caller reads the response until it ends or `signal` fires. */
  async stream(path: string, signal?: AbortSignal, accept?: string): Promise<http.IncomingMessage> {
    const res = await this.open('GET', path, { signal, accept }, 0);
    if ((res.statusCode ?? 0) >= 400) throw apiError('GET', path, { status: res.statusCode ?? 0, body: await readAll(res) });
    return res;
  }

  close(): void {
    this.agent.destroy();
  }

  /** A request whose whole answer is read: gzip accepted, abandoned after the timeout (default 30 s). */
  private openWhole(method: string, path: string, opts: RequestOptions): Promise<http.IncomingMessage> {
    return this.open(method, path, opts, opts.timeoutMs ?? 30_000, { 'Accept-Encoding': 'gzip' });
  }

  private async open(method: string, path: string, opts: RequestOptions, timeoutMs: number, extraHeaders: Record<string, string> = {}): Promise<http.IncomingMessage> {
    if (this.refreshHeaders) this.headers = (await authOptions(this.kc)).headers;
    const url = this.url(path);
    const payload = opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    const headers: Record<string, string> = { Accept: opts.accept ?? 'application/json', ...extraHeaders, ...this.headers };
    if (payload !== undefined) {
      headers['Content-Type'] = opts.contentType ?? 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(payload));
    }
    const send = url.protocol === 'https:' ? https.request : http.request;
    return new Promise((resolve, reject) => {
      const req = send(url, { method, headers, agent: this.agent, signal: opts.signal, ...pickTls(this.tls) }, resolve);
      req.on('error', reject);
      if (timeoutMs > 0) req.setTimeout(timeoutMs, () => req.destroy(new Error(`${method} ${path}: no answer within ${timeoutMs} ms`)));
      req.end(payload);
    });
  }
}

export function createKubeClient(opts: KubeClientOptions): Promise<KubeClient> {
  return KubeClient.create(opts);
}

/** The response's body, decompressed when the server gzipped it. */
function decoded(res: http.IncomingMessage): Readable {
  return res.headers['content-encoding'] === 'gzip' ? pipeline(res, createGunzip(), () => undefined) : res;
}

async function readAll(body: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * What the KubeConfig adds to a request: TLS material and auth headers (tokens,
 * basic, exec plugins), and, when its cluster names a proxy-url, the library's
 * agent for that proxy, as kubectl honours it: a SOCKS5 tunnel (for example
 * `ssh -D` through a private cluster's bastion) or an HTTP proxy.
 */
async function authOptions(kc: KubeConfig): Promise<{ tls: https.RequestOptions; headers: Record<string, string>; proxyAgent?: http.Agent }> {
  const opts: https.RequestOptions = {};
  // A plain-http server (the loopback simulator) needs no TLS; the library refuses
  // http unless insecure-skip-tls-verify is set, so ask it with that flag set.
  const source = kc.getCurrentCluster()!.server.startsWith('http:') ? withSkipTls(kc, await kubeConfigClass()) : kc;
  await source.applyToHTTPSOptions(opts);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(opts.headers ?? {})) if (v !== undefined) headers[k] = String(v);
  if (opts.auth) headers.Authorization = 'Basic ' + Buffer.from(opts.auth).toString('base64');
  const proxyAgent = kc.getCurrentCluster()?.proxyUrl ? (opts.agent as http.Agent | undefined) : undefined;
  return { tls: pickTls(opts), headers, proxyAgent };
}

function apiError(method: string, path: string, res: RawResponse): KubeApiError {
  let status: KubeStatus | undefined;
  try {
    status = JSON.parse(res.body) as KubeStatus;
  } catch {
    status = undefined;
  }
  const detail = status?.message ?? (res.body.slice(0, 200) || `HTTP ${res.status}`);
  return new KubeApiError(res.status, status?.reason ?? '', `${method} ${path}: ${res.status} ${detail}`, res.body);
}

function pickTls(opts: https.RequestOptions): https.RequestOptions {
  const { ca, cert, key, pfx, passphrase, rejectUnauthorized, servername } = opts;
  const picked: https.RequestOptions = {};
  if (ca !== undefined) picked.ca = ca;
  if (cert !== undefined) picked.cert = cert;
  if (key !== undefined) picked.key = key;
  if (pfx !== undefined) picked.pfx = pfx;
  if (passphrase !== undefined) picked.passphrase = passphrase;
  if (rejectUnauthorized !== undefined) picked.rejectUnauthorized = rejectUnauthorized;
  if (servername !== undefined) picked.servername = servername;
  return picked;
}

/**
 * Plain http only to this machine (the simulator on 127.0.0.1): anywhere else
 * the bearer token, password or client key would cross the network in clear.
 */
export function requireTlsOffThisMachine(server: string, context: string): void {
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new KubeConfigError(`context ${context} names the API server "${server}", which is not a URL`);
  }
  if (url.protocol === 'https:') return;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const loopback = host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
  if (url.protocol === 'http:' && loopback) return;
  throw new KubeConfigError(`context ${context} points at ${url.protocol}//${url.host}, which is not https: kopsdeck sends credentials to an API server on another machine only over TLS`);
}

function withSkipTls(kc: KubeConfig, Config: KubeConfigClass): KubeConfig {
  const copy = new Config();
  const current = kc.getCurrentCluster()!;
  copy.loadFromOptions({
    clusters: kc.clusters.map((c) => (c.name === current.name ? { ...c, skipTLSVerify: true } : c)),
    users: kc.users,
    contexts: kc.contexts,
    currentContext: kc.currentContext,
  });
  return copy;
}
