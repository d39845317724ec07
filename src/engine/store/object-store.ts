// The storage seam under the state store: a flat key -> bytes store whose
// every write is conditional on the version the writer read. file:// and s3://
// both implement it; ClusterStore (cluster-store.ts) builds the kops layout on top.

/** An opaque version tag (an ETag on S3, a content hash on disk). */
export type ObjectVersion = string;

export interface StoredObject {
  body: string;
  version: ObjectVersion;
}

export interface PutCondition {
  /**
   * null: the key must not exist yet (create).
   * a version: the key must still hold exactly that version (update).
   * undefined: unconditional (only for data nobody else edits).
   */
  ifVersion?: ObjectVersion | null;
}

export interface PutOptions extends PutCondition {
  /**
   * A private key or token: S3 is asked to encrypt it at rest (SSE-S3), the
   * file store keeps it in an owner-only (0700) directory. Every file the file
   * store writes is 0600 in any case.
   */
  sensitive?: boolean;
}

export interface ObjectStore {
  /** A URL naming this store, e.g. file:///home/me/.local/share/kopsdeck/state or s3://bucket/prefix */
  readonly url: string;
  get(key: string): Promise<StoredObject | null>;
  /** Returns the new version. Throws ConflictError when the condition does not hold. */
  put(key: string, body: string, options?: PutOptions): Promise<ObjectVersion>;
  /** Deleting a missing key is not an error. */
  delete(key: string, condition?: PutCondition): Promise<void>;
  /** Keys under a prefix, sorted. */
  list(prefix: string): Promise<string[]>;
  /** The AWS region of the bucket behind the store (a machine's requests must be signed for it); absent without one. */
  region?(): Promise<string | undefined>;
}

/** A conditional write lost: someone else wrote the key since it was read. */
export class ConflictError extends Error {
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConflictError';
  }
}
