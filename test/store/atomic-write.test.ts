// writeFileAtomic: the whole new content or the old, 0600, through a
// temporary file made with O_EXCL under an unguessable name, none left behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../src/engine/fs/atomic-write.js';
import { tempDir } from '../helpers/temp-dir.js';

test('replaces the content whole, 0600, and leaves no temporary file', () => {
  const dir = tempDir('kopsdeck-atomic-');
  const path = join(dir, 'kubeconfig');
  writeFileSync(path, 'old\n', { mode: 0o644 });
  writeFileAtomic(path, 'new\n');
  assert.equal(readFileSync(path, 'utf8'), 'new\n');
  assert.equal(statSync(path).mode & 0o777, 0o600, 'the new file is the owner’s only');
  assert.deepEqual(readdirSync(dir), ['kubeconfig']);
});

test('a write that cannot finish leaves the old content and no temporary file', { skip: process.getuid?.() === 0 ? 'root writes into a read-only directory anyway' : false }, () => {
  const dir = tempDir('kopsdeck-atomic-');
  const path = join(dir, 'config');
  writeFileSync(path, 'old\n');
  chmodSync(dir, 0o500);
  try {
    assert.throws(() => writeFileAtomic(path, 'new\n'), /EACCES/);
  } finally {
    chmodSync(dir, 0o700);
  }
  assert.equal(readFileSync(path, 'utf8'), 'old\n');
  assert.deepEqual(readdirSync(dir), ['config']);
});
