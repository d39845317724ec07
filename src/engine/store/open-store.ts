// Choosing and opening the state store, as kops does: the --state flag, else
// KOPS_STATE_STORE, else kopsdeck's local default (a file:// store under the
// user's data directory, or KOPSDECK_HOME). Opening creates nothing: a file://
// store's directory is made by its first write.
import { S3Client } from '@aws-sdk/client-s3';
import { isAbsolute, resolve } from 'node:path';
import { defaultStateStoreUrl } from '../paths.js';
import { ClusterStore } from './cluster-store.js';
import { FileObjectStore } from './file-store.js';
import type { ObjectStore } from './object-store.js';
import { S3ObjectStore } from './s3-store.js';

export interface OpenStateStoreOptions {
  /** The S3 client for s3:// stores; by default one is built from the SDK's default chain. */
  s3Client?: S3Client;
  env?: NodeJS.ProcessEnv;
  /**
   * A file:// store whose directory does not exist: reads see an empty store
   * ('empty', the default), or fail saying there is no state store there
   * ('error': for a store the user named, where that is a mistyped path).
   */
  missingDirectory?: 'empty' | 'error';
}

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

/** The raw object store behind a state store URL. A missing file:// directory is created by the first write, not here. */
export function openObjectStore(url: string, options: OpenStateStoreOptions = {}): ObjectStore {
  if (url.startsWith('file://')) return new FileObjectStore(fileStoreDirectory(url), { missingDirectory: options.missingDirectory });
  if (url.startsWith('s3://')) {
    const { bucket, prefix } = parseS3Url(url);
    return new S3ObjectStore(options.s3Client ?? defaultS3Client(options.env ?? process.env), bucket, prefix);
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1];
  const what = scheme ? `the "${scheme}" scheme is not supported` : 'it has no scheme';
  throw new StateStoreUrlError(
    `cannot open state store "${url}": ${what}; use s3://bucket/prefix or file:///path (via --state or KOPS_STATE_STORE)`,
  );
}

/** The SDK's default chain for credentials, region and endpoint (AWS_ENDPOINT_URL_S3 included). */
function defaultS3Client(env: NodeJS.ProcessEnv): S3Client {
  return new S3Client({
    forcePathStyle: env.AWS_S3_FORCE_PATH_STYLE === 'true' ? true : undefined,
    followRegionRedirects: true,
  });
}

export function openStateStore(url: string, options: OpenStateStoreOptions = {}): ClusterStore {
  return new ClusterStore(openObjectStore(url, options));
}
