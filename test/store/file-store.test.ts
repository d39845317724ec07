import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileObjectStore, contentVersion } from '../../src/engine/store/file-store.js';
import { ConflictError } from '../../src/engine/store/object-store.js';

async function freshStore(t: { after: (fn: () => Promise<void>) => void }, options = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'kopsdeck-store-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return { dir, store: new FileObjectStore(dir, options) };
}

test('create, read and list', async (t) => {
  const { dir, store } = await freshStore(t);
  assert.equal(await store.get('a.example.com/config'), null);
  const v1 = await store.put('a.example.com/config', 'one\n', { ifVersion: null });
  await store.put('a.example.com/instancegroup/nodes', 'n\n', { ifVersion: null });
  await store.put('b.example.com/config', 'two\n');
  assert.equal(v1, contentVersion('one\n'));
  assert.match(v1, /^[0-9a-f]{16}$/);
  assert.deepEqual(await store.get('a.example.com/config'), { body: 'one\n', version: v1 });
  assert.equal(await readFile(join(dir, 'a.example.com', 'config'), 'utf8'), 'one\n');
  assert.deepEqual(await store.list(''), ['a.example.com/config', 'a.example.com/instancegroup/nodes', 'b.example.com/config']);
  assert.deepEqual(await store.list('a.example.com/instancegroup/'), ['a.example.com/instancegroup/nodes']);
  assert.deepEqual(await store.list('missing/'), []);
  assert.equal(store.url, 'file://' + dir);
});

test('a write against a stale version is refused and the file is left as it was', async (t) => {
  const { dir, store } = await freshStore(t);
  const v1 = await store.put('c.example.com/config', 'original\n', { ifVersion: null });
  const v2 = await store.put('c.example.com/config', 'edited by alice\n', { ifVersion: v1 });
  assert.notEqual(v1, v2);
  await assert.rejects(
    store.put('c.example.com/config', 'edited by bob\n', { ifVersion: v1 }),
    (error: unknown) =>
      error instanceof ConflictError &&
      error.key === 'c.example.com/config' &&
      /changed by someone else since you read it; your change was not saved/.test(error.message),
  );
  assert.equal(await readFile(join(dir, 'c.example.com', 'config'), 'utf8'), 'edited by alice\n');
  await assert.rejects(store.put('c.example.com/config', 'again\n', { ifVersion: null }), /already exists/);
  await assert.rejects(store.put('c.example.com/other', 'x', { ifVersion: v2 }), /deleted by someone else/);
  assert.deepEqual(await readdir(join(dir, 'c.example.com')), ['config'], 'no temp or lock files are left behind');
});

test('of many writers racing from the same version exactly one wins', async (t) => {
  const { store } = await freshStore(t);
  const v1 = await store.put('race.example.com/config', 'start', { ifVersion: null });
  const results = await Promise.allSettled(
    Array.from({ length: 12 }, (_, i) => store.put('race.example.com/config', `writer ${i}`, { ifVersion: v1 })),
  );
  const winners = results.filter((r) => r.status === 'fulfilled');
  assert.equal(winners.length, 1);
  for (const r of results) if (r.status === 'rejected') assert.ok(r.reason instanceof ConflictError);
  const stored = await store.get('race.example.com/config');
  assert.equal(stored?.version, (winners[0] as PromiseFulfilledResult<string>).value);
});

test('a crash between writing the temp file and the rename leaves the old version readable', async (t) => {
  const { dir, store } = await freshStore(t);
  const v1 = await store.put('d.example.com/config', 'old body\n', { ifVersion: null });
  // What a writer killed before its rename leaves behind: a full temp file and its lock.
  await writeFile(join(dir, 'd.example.com', '.config.tmp-99999-deadbeef0000'), 'new body that never landed\n');
  await writeFile(join(dir, 'd.example.com', '.config.lock'), '99999');
  const old = new Date(Date.now() - 3_600_000);
  await utimes(join(dir, 'd.example.com', '.config.lock'), old, old);
  assert.deepEqual(await store.get('d.example.com/config'), { body: 'old body\n', version: v1 });
  assert.deepEqual(await store.list(''), ['d.example.com/config']);
  // The stale lock does not block the next writer, who still needs the version it read.
  const v2 = await store.put('d.example.com/config', 'next body\n', { ifVersion: v1 });
  assert.deepEqual(await store.get('d.example.com/config'), { body: 'next body\n', version: v2 });
});

test('a live lock held by another writer makes a write fail with a clear message, not overwrite', async (t) => {
  const { dir, store } = await freshStore(t, { lockTimeoutMs: 30 });
  await store.put('e.example.com/config', 'body', { ifVersion: null });
  await writeFile(join(dir, 'e.example.com', '.config.lock'), 'another pid');
  await assert.rejects(store.put('e.example.com/config', 'mine', {}), /locked by another writer.*\.config\.lock/);
  assert.equal((await store.get('e.example.com/config'))?.body, 'body');
});

test('delete: missing keys are fine, conditions are honoured, empty directories go', async (t) => {
  const { dir, store } = await freshStore(t);
  await store.delete('nothing.example.com/config');
  const v1 = await store.put('f.example.com/instancegroup/nodes', 'n', { ifVersion: null });
  await assert.rejects(store.delete('f.example.com/instancegroup/nodes', { ifVersion: contentVersion('other') }), ConflictError);
  assert.ok(await store.get('f.example.com/instancegroup/nodes'));
  await store.delete('f.example.com/instancegroup/nodes', { ifVersion: v1 });
  assert.equal(await store.get('f.example.com/instancegroup/nodes'), null);
  assert.deepEqual(await readdir(dir), []);
});

test('keys that could escape the store or hit temp files are refused', async (t) => {
  const { store } = await freshStore(t);
  for (const key of ['', '../x', 'a//b', '/abs', 'a/.hidden', 'a/..', 'a\\b']) {
    await assert.rejects(store.put(key, 'x'), /cannot be used as a state store key/, key);
  }
});
