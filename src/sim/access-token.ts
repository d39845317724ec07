// The world's access token: every client of the simulator presents it, so
// that neither another local user's process nor a web page in the user's
// browser can drive the simulated cloud (create pods, read an s3:// state
// store kept there, switch faults on). It is kept in `<dir>/token` (0600),
// made once per world with O_EXCL, and read by kopsdeck processes from there
// or from endpoint.json (0600). Clients present it as:
//   AWS: the access key id of the SigV4 credential (the secret key is a
//        placeholder: the simulator does not check signatures);
//   Kubernetes and /sim/: `Authorization: Bearer <token>`.
// A web page cannot send an Authorization header without a CORS preflight,
// which the simulator never grants.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createFileExclusive, writeFileAtomic } from '../engine/fs/atomic-write.js';
import { join } from 'node:path';

export const TOKEN_FILE = 'token';
const TOKEN_FORMAT = /^[A-Za-z0-9_-]{43}$/;

/** The world's token, made on first use. A damaged token file is replaced (it grants nothing). */
export function loadOrCreateWorldToken(dir: string): string {
  const path = join(dir, TOKEN_FILE);
  const existing = readToken(path);
  if (existing) return existing;
  const token = randomBytes(32).toString('base64url');
  if (createFileExclusive(path, token + '\n')) return token;
  // Another process made it meanwhile: use theirs; if it is damaged, replace it atomically.
  const theirs = readToken(path);
  if (theirs) return theirs;
  writeFileAtomic(path, token + '\n');
  return token;
}

function readToken(path: string): string | undefined {
  try {
    const text = readFileSync(path, 'utf8').trim();
    return TOKEN_FORMAT.test(text) ? text : undefined;
  } catch {
    return undefined;
  }
}

/** Compares in constant time, so the token cannot be guessed by timing. */
export function tokenMatches(expected: string, presented: string | undefined): boolean {
  if (presented === undefined) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(presented);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The bearer token of an Authorization header. */
export function bearerOf(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}

/** The Host header is this simulator's own loopback address: anything else is a DNS-rebinding page or a stray client. */
export function isOwnHost(host: string | undefined, port: number): boolean {
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}
