// Which AWS service and region a request is for, read from its SigV4
// credential scope (Authorization header, or X-Amz-Credential on a presigned
// URL): `<key>/<date>/<region>/<service>/aws4_request`. The key is the
// world's access token (access-token.ts); the router checks it.
import type { IncomingMessage } from 'node:http';

export interface RequestScope {
  service: string;
  region: string;
  accessKeyId: string;
}

const SCOPE = /Credential=([^/,\s]+)\/\d{8}\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request/;

export function requestScope(req: IncomingMessage): RequestScope | null {
  const auth = req.headers.authorization;
  let match = typeof auth === 'string' ? SCOPE.exec(auth) : null;
  if (!match) {
    const credential = new URL(req.url ?? '/', 'http://local').searchParams.get('X-Amz-Credential');
    if (credential) match = SCOPE.exec(`Credential=${credential}`);
  }
  return match ? { accessKeyId: match[1], region: match[2], service: match[3] } : null;
}
