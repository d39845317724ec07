// Writing a file so that readers see the old content or the new, never half:
// a temporary file beside it, created with O_EXCL under an unguessable name
// (so a link planted at that name makes the write fail instead of writing
// through it), flushed, then renamed over the target. Mode 0600 by default:
// most of what kopsdeck writes this way (kubeconfigs, tokens, the simulator's
// world) is for its owner only.
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Creates `path` with `text` only if nothing is there (O_EXCL): true when this
 * call made it, false when it existed. What a lock or a once-made file needs.
 */
export function createFileExclusive(path: string, text: string, mode = 0o600): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', mode);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * A fresh name beside `path` for the temporary file of an atomic write:
 * hidden (a leading dot, which the file store's listing skips), unguessable,
 * and naming the writing process.
 */
export function temporaryPathBeside(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
}

export function writeFileAtomic(path: string, text: string, mode = 0o600): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = temporaryPathBeside(path);
  const fd = openSync(temporary, 'wx', mode);
  try {
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  } catch (error) {
    try {
      unlinkSync(temporary);
    } catch {
      // already renamed or never made
    }
    throw error;
  }
}
