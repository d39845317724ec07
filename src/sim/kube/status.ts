// metav1.Status bodies, the error shape every Kubernetes client decodes.
import type { ServerResponse } from 'node:http';

export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: { name?: string; group?: string; kind?: string; causes?: { reason: string; message: string; field?: string }[] };
  code: number;
}

export function failure(code: number, reason: string, message: string, details?: StatusBody['details']): StatusBody {
  const body: StatusBody = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
  if (details) body.details = details;
  return body;
}

export function success(code = 200): StatusBody {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code };
}

export function notFound(resource: string, name: string, group?: string): StatusBody {
  const qualified = group ? `${resource}.${group}` : resource;
  return failure(404, 'NotFound', `${qualified} "${name}" not found`, { name, kind: resource, ...(group ? { group } : {}) });
}

export function alreadyExists(resource: string, name: string, group?: string): StatusBody {
  const qualified = group ? `${resource}.${group}` : resource;
  return failure(409, 'AlreadyExists', `${qualified} "${name}" already exists`, { name, kind: resource, ...(group ? { group } : {}) });
}

export function conflict(resource: string, name: string, group?: string): StatusBody {
  const qualified = group ? `${resource}.${group}` : resource;
  return failure(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualified} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    { name, kind: resource, ...(group ? { group } : {}) },
  );
}

export function badRequest(message: string): StatusBody {
  return failure(400, 'BadRequest', message);
}

export function expired(message: string): StatusBody {
  return failure(410, 'Expired', message);
}

/** Sends a body given as JSON text or bytes (sent as they are) or as a value to serialise. */
export function sendJson(res: ServerResponse, code: number, body: unknown): void {
  const text = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendStatus(res: ServerResponse, body: StatusBody): void {
  sendJson(res, body.code, body);
}

export function sendText(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
