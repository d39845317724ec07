// The loopback admin API under /sim/: stats, faults, health and a kubeadm
// cluster's etcd members (GET /sim/etcd/<cluster>), as JSON.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimFaults } from './contracts.js';
import { mergeFaults } from './faults.js';
import type { SimStatsRecorder } from './stats.js';
import { errorMessage } from '../engine/error-message.js';

export interface AdminDeps {
  stats: SimStatsRecorder;
  faults: SimFaults;
  health: () => Record<string, unknown>;
  /** A kubeadm cluster's etcd members; undefined for a cluster the simulator does not run. */
  etcdMembers: (cluster: string) => unknown[] | undefined;
}

export function handleAdmin(req: IncomingMessage, res: ServerResponse, path: string, body: Buffer, deps: AdminDeps): void {
  const route = `${req.method} ${path.replace(/\/+$/, '')}`;
  const etcd = /^GET \/sim\/etcd\/([^/]+)$/.exec(route);
  if (etcd) {
    const members = deps.etcdMembers(decodeURIComponent(etcd[1]));
    return members ? sendJson(res, 200, { members }) : sendJson(res, 404, { error: `no cluster ${decodeURIComponent(etcd[1])} in this simulator` });
  }
  switch (route) {
    case 'GET /sim/health':
      return sendJson(res, 200, deps.health());
    case 'GET /sim/stats':
      return sendJson(res, 200, deps.stats.report());
    case 'POST /sim/stats/reset':
      deps.stats.reset();
      return sendJson(res, 200, deps.stats.report());
    case 'GET /sim/faults':
      return sendJson(res, 200, deps.faults);
    case 'PUT /sim/faults':
    case 'PATCH /sim/faults': {
      let patch: unknown;
      try {
        patch = JSON.parse(body.toString('utf8') || '{}');
        mergeFaults(deps.faults, patch);
      } catch (error) {
        return sendJson(res, 400, { error: errorMessage(error) });
      }
      return sendJson(res, 200, deps.faults);
    }
    default:
      return sendJson(res, 404, { error: `no admin route ${route}` });
  }
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
