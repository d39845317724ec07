// ObjectStore over a local directory (file:// state stores). Each key is a
// file; its version is a hash of its content. Writes go to a temporary file in
// the same directory, are flushed to disk, then renamed over the old file, so
// a reader sees either the old or the new body, never half of one, and a crash
// leaves the old version in place. The version check and the rename happen
// under a per-key lock file created with O_EXCL, so two writers cannot both
// pass the check. Symbolic links inside the store are never followed: a key
// whose path crosses one is refused, so that a link planted in the store
// cannot make kopsdeck read, overwrite or delete a file outside it. Nothing
// creates the store's directory but the first write: a store whose directory
// does not exist reads as empty, or (missingDirectory 'error', a store the user
// named) fails every read, saying so, since a mistyped path is not an empty store.
import { createHash } from 'node:crypto';
import { constants as fsConstants, existsSync, mkdirSync, statSync } from 'node:fs';
import { lstat, mkdir, open, readdir, readFile, rename, rmdir, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { checkKey } from './keys.js';
import { ConflictError, type ObjectStore, type ObjectVersion, type PutCondition, type PutOptions, type StoredObject } from './object-store.js';
import { errorMessage } from '../error-message.js';
import { temporaryPathBeside } from '../fs/atomic-write.js';

export interface FileObjectStoreOptions {
  /** How long a writer waits for another writer's lock before giving up. */
  lockTimeoutMs?: number;
  /** A lock file older than this was left by a crashed writer and is removed. */
  staleLockMs?: number;
  /** When the directory does not exist: reads see an empty store ('empty', the default), or fail with MissingStateStoreError ('error'). */
  missingDirectory?: 'empty' | 'error';
}

/** A read from a state store whose directory does not exist (or is not a directory). */
export class MissingStateStoreError extends Error {
  constructor(
    readonly url: string,
    why: string,
  ) {
    super(`no state store at ${url} (${why})`);
    this.name = 'MissingStateStoreError';
  }
}

const VERSION_LENGTH = 16;

/** The version of a body: the first 16 hex digits of its SHA-256. */
export function contentVersion(body: string): ObjectVersion {
  return createHash('sha256').update(body, 'utf8').digest('hex').slice(0, VERSION_LENGTH);
}

export class FileObjectStore implements ObjectStore {
  readonly url: string;
  readonly root: string;
  private readonly lockTimeoutMs: number;
  private readonly staleLockMs: number;
  private readonly missingDirectory: 'empty' | 'error';
  /** The directory was seen (or made): it is not looked for again. */
  private rootFound = false;

  constructor(root: string, options: FileObjectStoreOptions = {}) {
    this.root = resolve(root);
    this.url = pathToFileURL(this.root).href;
    this.lockTimeoutMs = options.lockTimeoutMs ?? 10_000;
    this.staleLockMs = options.staleLockMs ?? 30_000;
    this.missingDirectory = options.missingDirectory ?? 'empty';
  }

  /** With missingDirectory 'error': throws MissingStateStoreError unless the store's directory exists. */
  async checkExists(): Promise<void> {
    if (this.missingDirectory === 'empty' || this.rootFound) return;
    let info;
    try {
      info = await stat(this.root);
    } catch (error) {
      if (isCode(error, 'ENOENT') || isCode(error, 'ENOTDIR')) throw new MissingStateStoreError(this.url, 'the directory does not exist');
      throw error;
    }
    if (!info.isDirectory()) throw new MissingStateStoreError(this.url, `${this.root} is not a directory`);
    this.rootFound = true;
  }

  /** The first write makes the store's directory. */
  private makeRoot(): void {
    if (this.rootFound) return;
    try {
      makeStoreDirectory(this.root);
    } catch (error) {
      throw new Error(`cannot create the state store directory ${this.root}: ${errorMessage(error)}`);
    }
    this.rootFound = true;
  }

  /** The file of a key; refused when any part of its path inside the store is a symbolic link. */
  private async pathOf(key: string): Promise<string> {
    const parts = checkKey(key);
    let current = this.root;
    for (const part of parts) {
      current = join(current, part);
      let info;
      try {
        info = await lstat(current);
      } catch (error) {
        if (isCode(error, 'ENOENT') || isCode(error, 'ENOTDIR')) break;
        throw error;
      }
      if (info.isSymbolicLink()) throw new SymlinkInStoreError(key, current);
    }
    return join(this.root, ...parts);
  }

  async get(key: string): Promise<StoredObject | null> {
    await this.checkExists();
    const body = await readIfExists(await this.pathOf(key));
    return body === null ? null : { body, version: contentVersion(body) };
  }

  async put(key: string, body: string, condition: PutOptions = {}): Promise<ObjectVersion> {
    const path = await this.pathOf(key);
    this.makeRoot();
    const temp = await writeTempFile(path, body, condition.sensitive ? 0o700 : undefined);
    try {
      await this.withLock(path, async () => {
        await this.checkCondition(key, path, condition);
        await rename(temp, path);
      });
    } finally {
      await unlink(temp).catch(() => undefined);
    }
    await syncDirectory(dirname(path));
    return contentVersion(body);
  }

  async delete(key: string, condition: PutCondition = {}): Promise<void> {
    await this.checkExists();
    const path = await this.pathOf(key);
    await this.withLock(path, async () => {
      await this.checkCondition(key, path, condition);
      await unlink(path).catch(ignoreMissing);
    }).catch(ignoreMissing);
    await this.removeEmptyParents(dirname(path));
  }

  async list(prefix: string): Promise<string[]> {
    await this.checkExists();
    const lastSlash = prefix.lastIndexOf('/');
    const startKey = lastSlash >= 0 ? prefix.slice(0, lastSlash) : '';
    if (startKey !== '') {
      try {
        checkKey(startKey);
      } catch {
        return [];
      }
    }
    if (startKey !== '') await this.pathOf(startKey);
    const keys = await walk(startKey === '' ? this.root : join(this.root, ...startKey.split('/')), startKey);
    return keys.filter((k) => k.startsWith(prefix)).sort();
  }

  private async checkCondition(key: string, path: string, condition: PutCondition): Promise<void> {
    if (condition.ifVersion === undefined) return;
    const current = await readIfExists(path);
    if (condition.ifVersion === null) {
      if (current !== null) throw new ConflictError(key, `${key} already exists in ${this.url}; it was not overwritten`);
      return;
    }
    if (current === null) {
      throw new ConflictError(key, `${key} was deleted by someone else since you read it; your change was not saved`);
    }
    if (contentVersion(current) !== condition.ifVersion) {
      throw new ConflictError(
        key,
        `${key} was changed by someone else since you read it; your change was not saved. Read it again and reapply your change`,
      );
    }
  }

  /** Runs `action` while holding `.<name>.lock` next to the file. */
  private async withLock<T>(path: string, action: () => Promise<T>): Promise<T> {
    const lock = join(dirname(path), `.${basename(path)}.lock`);
    const deadline = Date.now() + this.lockTimeoutMs;
    let wait = 2;
    for (;;) {
      try {
        const handle = await open(lock, fsConstants.O_CREAT | fsConstants.O_EXCL | fsConstants.O_WRONLY, 0o600);
        await handle.writeFile(String(process.pid));
        await handle.close();
        break;
      } catch (error) {
        if (!isCode(error, 'EEXIST')) throw error;
        if (await this.removeIfStale(lock)) continue;
        if (Date.now() > deadline) {
          throw new Error(`${path} is locked by another writer (${lock}); if no other kopsdeck is running, delete that file and retry`);
        }
        await new Promise((r) => setTimeout(r, wait));
        wait = Math.min(wait * 2, 50);
      }
    }
    try {
      return await action();
    } finally {
      await unlink(lock).catch(() => undefined);
    }
  }

  /**
   * Takes over a lock its writer left behind (older than staleLockMs); true
   * when the caller should try for the lock again. Breaking is exclusive (a
   * `.break` file made with O_EXCL) and the age is checked again inside it:
   * a lock another writer has just taken over is fresh by then and is left
   * alone, so two writers can never both hold it. A `.break` file is held for
   * a moment only; one older than staleLockMs means its breaker died there,
   * and it is cleared for the next.
   */
  private async removeIfStale(lock: string): Promise<boolean> {
    const age = await this.ageOf(lock);
    if (age === undefined) return true;
    if (age < this.staleLockMs) return false;
    const breaker = `${lock}.break`;
    try {
      await (await open(breaker, fsConstants.O_CREAT | fsConstants.O_EXCL | fsConstants.O_WRONLY, 0o600)).close();
    } catch (error) {
      if (!isCode(error, 'EEXIST')) throw error;
      if (((await this.ageOf(breaker)) ?? 0) >= this.staleLockMs) await unlink(breaker).catch(() => undefined);
      return false;
    }
    try {
      const again = await this.ageOf(lock);
      if (again !== undefined && again >= this.staleLockMs) await unlink(lock).catch(ignoreMissing);
      return true;
    } finally {
      await unlink(breaker).catch(() => undefined);
    }
  }

  /** How old the file is (ms since its last write), or undefined when it is gone. */
  private async ageOf(path: string): Promise<number | undefined> {
    try {
      return Date.now() - (await stat(path)).mtimeMs;
    } catch (error) {
      if (isCode(error, 'ENOENT')) return undefined;
      throw error;
    }
  }

  /** Tidies directories a delete left empty, up to (not including) the root. */
  private async removeEmptyParents(dir: string): Promise<void> {
    let current = dir;
    while (current.startsWith(this.root + sep) && current !== this.root) {
      try {
        await rmdir(current);
      } catch {
        return;
      }
      current = dirname(current);
    }
  }
}

/**
 * The store's directory, made level by level (never `mkdir -p`, which loops
 * forever under /proc on some kernels): each missing level below the nearest
 * existing directory, which must be a directory.
 */
function makeStoreDirectory(dir: string): void {
  const missing: string[] = [];
  let current = dir;
  while (!existsSync(current)) {
    missing.unshift(current);
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  if (existsSync(current) && !statSync(current).isDirectory()) throw new Error(`${current} exists and is not a directory`);
  for (const level of missing) {
    try {
      mkdirSync(level, { mode: 0o700 });
    } catch (error) {
      // Another writer made it meanwhile.
      if (!isCode(error, 'EEXIST') || !statSync(level).isDirectory()) throw error;
    }
  }
}

/** Files are created 0600 (the store holds secrets); `dirMode` applies to directories this write creates. */
async function writeTempFile(path: string, body: string, dirMode?: number): Promise<string> {
  const temp = temporaryPathBeside(path);
  for (let attempt = 0; ; attempt++) {
    try {
      await mkdir(dirname(path), { recursive: true, mode: dirMode });
      const handle = await open(temp, 'wx', 0o600);
      try {
        await handle.writeFile(body, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      return temp;
    } catch (error) {
      // A concurrent delete may have removed the (then empty) directory; make it again.
      if (!isCode(error, 'ENOENT') || attempt >= 3) throw error;
    }
  }
}

/** Makes a rename durable; not every platform can open a directory, which is fine. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // best effort
  }
}

async function readIfExists(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if (isCode(error, 'ENOENT') || isCode(error, 'EISDIR') || isCode(error, 'ENOTDIR')) return null;
    throw error;
  }
}

/** Keys are never this deep (kops' deepest is six parts): a store pointed at a system tree stops here. */
const MAX_KEY_DEPTH = 12;

/** Regular files and directories only: links (and devices, sockets) are not keys. */
async function walk(dir: string, keyPrefix: string, depth = 0): Promise<string[]> {
  if (depth >= MAX_KEY_DEPTH) return [];
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if (isCode(error, 'ENOENT') || isCode(error, 'ENOTDIR')) return [];
    throw error;
  }
  const keys: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue; // temp and lock files
    const key = keyPrefix ? `${keyPrefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) keys.push(...(await walk(join(dir, entry.name), key, depth + 1)));
    else if (entry.isFile()) keys.push(key);
  }
  return keys;
}

export class SymlinkInStoreError extends Error {
  constructor(
    readonly key: string,
    readonly path: string,
  ) {
    super(`${path} is a symbolic link inside the state store; kopsdeck does not follow links there (key ${key}). Replace it with the directory or file itself`);
    this.name = 'SymlinkInStoreError';
  }
}

function isCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

function ignoreMissing(error: unknown): void {
  if (!isCode(error, 'ENOENT')) throw error;
}
