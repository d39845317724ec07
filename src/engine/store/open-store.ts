// Choosing and opening the state store, as kops does: the --state flag, else
// KOPS_STATE_STORE, else kopsdeck's local default (a file:// store under the
// user's data directory, or KOPSDECK_HOME). Opening creates nothing: a file://
// store's directory is made by its first write.
import { S3Client } from '@aws-sdk/client-s3';
import { ClusterStore } from './cluster-store.js';
import { FileObjectStore } from './file-store.js';
import type { ObjectStore } from './object-store.js';
import { S3ObjectStore } from './s3-store.js';
import { fileStoreDirectory, parseS3Url, unsupportedScheme } from './state-store-url.js';
export { fileStoreDirectory, parseS3Url, resolveStateStoreUrl, stateStoreIsNamed, StateStoreUrlError } from './state-store-url.js';

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

/** The raw object store behind a state store URL. A missing file:// directory is created by the first write, not here. */
export function openObjectStore(url: string, options: OpenStateStoreOptions = {}): ObjectStore {
  if (url.startsWith('file://')) return new FileObjectStore(fileStoreDirectory(url), { missingDirectory: options.missingDirectory });
  if (url.startsWith('s3://')) {
    const { bucket, prefix } = parseS3Url(url);
    return new S3ObjectStore(options.s3Client ?? defaultS3Client(options.env ?? process.env), bucket, prefix);
  }
  throw unsupportedScheme(url);
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
