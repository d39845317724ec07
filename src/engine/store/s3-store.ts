// ObjectStore over an S3 bucket and prefix (s3:// state stores, as kops uses).
// Versions are ETags; writes are conditional through S3's own preconditions:
// If-None-Match: * to create, If-Match: <etag> to update or delete. S3 answers
// 412 Precondition Failed when the condition does not hold (and 409 when a
// concurrent conditional write is in flight); both become ConflictError.
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { checkKey } from './keys.js';
import { ConflictError, type ObjectStore, type ObjectVersion, type PutCondition, type PutOptions, type StoredObject } from './object-store.js';

interface AwsErrorShape {
  name?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number };
}

function statusOf(error: unknown): number | undefined {
  return (error as AwsErrorShape | null)?.$metadata?.httpStatusCode;
}

function nameOf(error: unknown): string | undefined {
  const e = error as AwsErrorShape | null;
  return e?.name ?? e?.Code;
}

function isNotFound(error: unknown): boolean {
  const name = nameOf(error);
  if (name === 'NoSuchBucket') return false;
  return name === 'NoSuchKey' || name === 'NotFound' || statusOf(error) === 404;
}

/** A missing bucket is a setup problem, never "the object is not there". */
function explainMissingBucket(error: unknown, bucket: string): unknown {
  if (nameOf(error) !== 'NoSuchBucket') return error;
  return new Error(
    `the state store bucket "${bucket}" does not exist; create it first (aws s3 mb s3://${bucket}) or choose another store with --state or KOPS_STATE_STORE`,
  );
}

function isPreconditionFailure(error: unknown): boolean {
  const name = nameOf(error);
  const status = statusOf(error);
  return name === 'PreconditionFailed' || name === 'ConditionalRequestConflict' || status === 412 || status === 409;
}

export class S3ObjectStore implements ObjectStore {
  readonly url: string;
  private readonly root: string;

  /** `prefix` may be empty; it is kept without leading or trailing slashes. */
  constructor(
    private readonly client: S3Client,
    readonly bucket: string,
    prefix = '',
  ) {
    this.root = prefix.replace(/^\/+|\/+$/g, '');
    this.url = `s3://${bucket}${this.root ? '/' + this.root : ''}`;
  }

  private objectKey(key: string): string {
    checkKey(key);
    return this.root ? `${this.root}/${key}` : key;
  }

  /**
   * The bucket's region. S3 names it in HeadBucket's x-amz-bucket-region
   * header whatever the answer, a 403 or a redirect included; an error that
   * does not name it is thrown, so that no user-data is made without it.
   */
  async region(): Promise<string | undefined> {
    try {
      return (await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }))).BucketRegion;
    } catch (error) {
      const named = (error as { $response?: { headers?: Record<string, string | undefined> } } | null)?.$response?.headers?.['x-amz-bucket-region'];
      if (named) return named;
      throw explainMissingBucket(error, this.bucket);
    }
  }

  async get(key: string): Promise<StoredObject | null> {
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
      const body = response.Body ? await response.Body.transformToString('utf-8') : '';
      return { body, version: response.ETag ?? '' };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw explainMissingBucket(error, this.bucket);
    }
  }

  async put(key: string, body: string, condition: PutOptions = {}): Promise<ObjectVersion> {
    const { ifVersion, sensitive } = condition;
    try {
      const response = await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: this.objectKey(key),
          Body: body,
          ContentType: 'application/yaml',
          // Asked for explicitly, whatever the bucket's default encryption is.
          ...(sensitive ? { ServerSideEncryption: 'AES256' as const } : {}),
          ...(ifVersion === null ? { IfNoneMatch: '*' } : {}),
          ...(typeof ifVersion === 'string' ? { IfMatch: ifVersion } : {}),
        }),
      );
      if (response.ETag) return response.ETag;
      // Some S3-compatible stores omit the ETag on PUT; read it back.
      return (await this.get(key))?.version ?? '';
    } catch (error) {
      throw explainMissingBucket(this.conflictOr(error, key, ifVersion), this.bucket);
    }
  }

  async delete(key: string, condition: PutCondition = {}): Promise<void> {
    const { ifVersion } = condition;
    if (ifVersion === null) {
      // "must not exist": nothing to delete when that holds; refuse when it does not.
      if ((await this.get(key)) !== null) throw new ConflictError(key, `${key} exists in ${this.url}; it was not deleted`);
      return;
    }
    try {
      await this.client.send(
        new DeleteObjectCommand({
          Bucket: this.bucket,
          Key: this.objectKey(key),
          ...(typeof ifVersion === 'string' ? { IfMatch: ifVersion } : {}),
        }),
      );
    } catch (error) {
      if (isNotFound(error) && ifVersion === undefined) return;
      throw this.conflictOr(error, key, ifVersion);
    }
  }

  async list(prefix: string): Promise<string[]> {
    const fullPrefix = this.root ? `${this.root}/${prefix}` : prefix;
    const strip = this.root ? this.root.length + 1 : 0;
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.client
        .send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: fullPrefix, ContinuationToken: token }))
        .catch((error: unknown) => {
          throw explainMissingBucket(error, this.bucket);
        });
      for (const object of page.Contents ?? []) {
        if (object.Key && object.Key.length > strip) keys.push(object.Key.slice(strip));
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }

  private conflictOr(error: unknown, key: string, ifVersion: ObjectVersion | null | undefined): unknown {
    if (ifVersion === undefined) return error;
    if (isPreconditionFailure(error)) {
      const message =
        ifVersion === null
          ? `${key} already exists in ${this.url}; it was not overwritten`
          : `${key} was changed by someone else since you read it; your change was not saved. Read it again and reapply your change`;
      return new ConflictError(key, message);
    }
    if (isNotFound(error)) {
      return new ConflictError(key, `${key} was deleted by someone else since you read it; your change was not saved`);
    }
    return error;
  }
}
