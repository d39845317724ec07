// State store URLs, as kops reads them (--state, else KOPS_STATE_STORE, else
// kopsdeck's local default), and opening a file:// store. Kept apart from
// open-store.ts so that commands on a local store never load the AWS SDK.
import { isAbsolute, resolve } from 'node:path';
import { defaultStateStoreUrl } from '../paths.js';
import { ClusterStore } from './cluster-store.js';
import { FileObjectStore } from './file-store.js';

/** A state store URL that cannot be opened; the message says what to write instead. */
export class StateStoreUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StateStoreUrlError';
  }
}

/** --state first, then KOPS_STATE_STORE, then the local default. An absolute path becomes a file:// URL. */
export function resolveStateStoreUrl(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = flag?.trim() || env.KOPS_STATE_STORE?.trim() || defaultStateStoreUrl(env);
  return isAbsolute(chosen) ? 'file://' + chosen : chosen;
}

/** The user named the store (--state or KOPS_STATE_STORE) rather than taking kopsdeck's local default. */
export function stateStoreIsNamed(flag?: string, env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(flag?.trim() || env.KOPS_STATE_STORE?.trim());
}

/** The directory a file:// URL names; relative forms (file://./state) resolve against the working directory. */
export function fileStoreDirectory(url: string): string {
  const rest = url.slice('file://'.length);
  let path: string;
  try {
    path = decodeURIComponent(rest);
  } catch {
    throw new StateStoreUrlError(`state store "${url}" is not a valid file URL; write it like file:///home/me/kops-state`);
  }
  if (path === '') throw new StateStoreUrlError(`state store "${url}" names no directory; write it like file:///home/me/kops-state`);
  return resolve(path);
}

/** Bucket and prefix of s3://bucket/prefix. */
export function parseS3Url(url: string): { bucket: string; prefix: string } {
  const rest = url.slice('s3://'.length);
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  const prefix = slash < 0 ? '' : rest.slice(slash + 1).replace(/^\/+|\/+$/g, '');
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    throw new StateStoreUrlError(`state store "${url}" does not name a valid S3 bucket; write it like s3://my-kops-state or s3://my-kops-state/prefix`);
  }
  return { bucket, prefix };
}

/** The error for a URL that is neither file:// nor s3://. */
export function unsupportedScheme(url: string): StateStoreUrlError {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1];
  const what = scheme ? `the "${scheme}" scheme is not supported` : 'it has no scheme';
  return new StateStoreUrlError(`cannot open state store "${url}": ${what}; use s3://bucket/prefix or file:///path (via --state or KOPS_STATE_STORE)`);
}

/**
 * A file:// state store. A missing directory is created by the first write;
 * until then reads see an empty store, or fail saying there is no state store
 * there ('error': for a store the user named, where that is a mistyped path).
 */
export function openFileStateStore(url: string, options: { missingDirectory?: 'empty' | 'error' } = {}): ClusterStore {
  if (!url.startsWith('file://')) throw unsupportedScheme(url);
  return new ClusterStore(new FileObjectStore(fileStoreDirectory(url), { missingDirectory: options.missingDirectory }));
}
