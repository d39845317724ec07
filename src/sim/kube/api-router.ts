// One cluster's API server: discovery, /version, health endpoints, and the
// resource URL scheme (/api/v1/..., /apis/<group>/<version>/..., optionally
// under namespaces/<ns>/) dispatched to the handlers.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ClusterWorld } from './cluster-world.js';
import { evictPod } from './eviction.js';
import { servePodLog } from './pod-log-endpoint.js';
import { BodyError, readJson } from './http-body.js';
import { listObjects, parseFilter, watchObjects } from './list-watch.js';
import {
  createObject,
  deleteObject,
  getObject,
  patchObject,
  replaceObject,
  type ObjectRequest,
} from './object-handlers.js';
import { apiGroupDoc, apiGroupListDoc, apiVersionsDoc, findResource, resourceListDoc, serves } from './resources.js';
import { SelectorError } from './selectors.js';
import { tryDecodeUri } from '../uri.js';
import { badRequest, failure, sendJson, sendStatus, sendText } from './status.js';

export interface RouteContext {
  openWatches: Set<() => void>;
}

const NOT_FOUND = () => failure(404, 'NotFound', 'the server could not find the requested resource');

function versionDoc(world: ClusterWorld): unknown {
  const gitVersion = world.serverVersion();
  const [major, minor] = gitVersion.replace(/^v/, '').split('.');
  return {
    major,
    minor,
    gitVersion,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2024-01-01T00:00:00Z',
    goVersion: 'go1.22.5',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

function health(world: ClusterWorld, res: ServerResponse, check: string): void {
  if (check === 'readyz' && !world.hasReadyControlPlane()) {
    return sendText(res, 503, '[-]etcd failed: reason withheld\n[-]poststarthook/start-apiserver failed: no control-plane node is Ready\nreadyz check failed\n');
  }
  sendText(res, 200, 'ok');
}

/** Splits a resource URL into its parts, or undefined when it is not one. */
function parseResourcePath(segments: string[]): Omit<ObjectRequest, 'query' | 'accept' | 'contentType'> | undefined {
  let group: string;
  let version: string;
  let rest: string[];
  if (segments[0] === 'api' && segments.length >= 3) {
    group = '';
    version = segments[1];
    rest = segments.slice(2);
  } else if (segments[0] === 'apis' && segments.length >= 4) {
    group = segments[1];
    version = segments[2];
    rest = segments.slice(3);
  } else return undefined;
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const inner = findResource(group, version, rest[2]);
    if (inner?.namespaced) {
      namespace = rest[1];
      rest = rest.slice(2);
    }
  }
  const def = findResource(group, version, rest[0]);
  if (!def || rest.length > 3) return undefined;
  if (!def.namespaced && namespace) return undefined;
  const subresource = rest[2];
  if (subresource && !def.subresources?.some((s) => s.name === subresource)) return undefined;
  return { def, namespace, name: rest[1], subresource };
}

function isWatch(query: URLSearchParams): boolean {
  const value = query.get('watch');
  return value === 'true' || value === '1';
}

export async function routeApi(world: ClusterWorld, req: IncomingMessage, res: ServerResponse, path: string, ctx: RouteContext): Promise<void> {
  const url = new URL(path || '/', 'http://sim.invalid');
  const decoded = url.pathname.split('/').filter((s) => s.length > 0).map(tryDecodeUri);
  if (decoded.some((s) => s === undefined)) return sendStatus(res, failure(400, 'BadRequest', `the path ${url.pathname} has a malformed percent escape`));
  const segments = decoded as string[];
  const method = req.method ?? 'GET';
  const joined = segments.join('/');

  if (method === 'GET') {
    if (joined === 'version') return sendJson(res, 200, versionDoc(world));
    if (['healthz', 'livez', 'readyz'].includes(segments[0] ?? '')) return health(world, res, segments[0]);
    if (joined === 'api') return sendJson(res, 200, apiVersionsDoc(req.headers.host ?? '127.0.0.1'));
    if (joined === 'apis') return sendJson(res, 200, apiGroupListDoc());
    if (segments[0] === 'apis' && segments.length === 2) {
      const doc = apiGroupDoc(segments[1]);
      return doc ? sendJson(res, 200, doc) : sendStatus(res, NOT_FOUND());
    }
    if ((segments[0] === 'api' && segments.length === 2) || (segments[0] === 'apis' && segments.length === 3)) {
      const doc = segments[0] === 'api' ? resourceListDoc('', segments[1]) : resourceListDoc(segments[1], segments[2]);
      return doc ? sendJson(res, 200, doc) : sendStatus(res, NOT_FOUND());
    }
  }

  const parsed = parseResourcePath(segments);
  if (!parsed) return sendStatus(res, NOT_FOUND());
  const r: ObjectRequest = {
    ...parsed,
    query: url.searchParams,
    accept: req.headers.accept,
    contentType: req.headers['content-type'],
  };
  try {
    await dispatch(world, r, method, req, res, ctx);
  } catch (error) {
    if (error instanceof SelectorError || error instanceof BodyError) return sendStatus(res, badRequest(error.message));
    throw error;
  }
}

/** The discovery verb a method needs (GET covers get, list and watch alike). */
const VERBS: Record<string, string> = { GET: 'get', POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };

async function dispatch(world: ClusterWorld, r: ObjectRequest, method: string, req: IncomingMessage, res: ServerResponse, ctx: RouteContext): Promise<void> {
  const notAllowed = () => sendStatus(res, failure(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`));
  if (r.subresource === 'eviction') return method === 'POST' ? evictPod(world, r, res, await readJson(req)) : notAllowed();
  if (r.subresource === 'log') return method === 'GET' ? servePodLog(world, r, res, ctx.openWatches) : notAllowed();
  if (!serves(r.def, VERBS[method] ?? '')) return notAllowed();
  switch (method) {
    case 'GET':
      if (r.name) return getObject(world, r, res);
      if (isWatch(r.query)) return watchObjects(world, r.def, parseFilter(r.namespace, r.query, r.def.fieldPaths), r.query, r.accept, res, ctx.openWatches);
      return listObjects(world, r.def, parseFilter(r.namespace, r.query, r.def.fieldPaths), r.query, r.accept, res);
    case 'POST':
      return r.name ? notAllowed() : createObject(world, r, res, await readJson(req));
    case 'PUT':
      return r.name ? replaceObject(world, r, res, await readJson(req)) : notAllowed();
    case 'PATCH':
      return r.name ? patchObject(world, r, res, await readJson(req)) : notAllowed();
    case 'DELETE':
      return r.name ? deleteObject(world, r, res, await readJson(req)) : notAllowed();
    default:
      return notAllowed();
  }
}
