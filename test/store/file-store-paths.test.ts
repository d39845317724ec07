// A file:// state store stays inside its directory: a symbolic link planted in
// the store (a cluster directory, a file) is refused, never followed, so
// nothing outside is read, written or deleted; and a store URL that points at
// something that cannot be a store directory (/proc, a device) is refused at
// once instead of hanging.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileObjectStore, SymlinkInStoreError } from '../../src/engine/store/file-store.js';
import { cliHarness } from '../helpers/cli-harness.js';
import { tempDir } from '../helpers/temp-dir.js';

function outsideDirectory(): string {
  const outside = tempDir('kopsdeck-outside-');
  writeFileSync(join(outside, 'config'), 'precious: true\n');
  mkdirSync(join(outside, 'instancegroup'));
  writeFileSync(join(outside, 'instancegroup', 'nodes'), 'precious: true\n');
  return outside;
}

test('delete cluster of a symlinked cluster directory is refused, exit 1, and nothing outside the store is touched', async () => {
  const cli = cliHarness();
  const stateDir = cli.stateUrl.slice('file://'.length);
  mkdirSync(stateDir, { recursive: true });
  const outside = outsideDirectory();
  symlinkSync(outside, join(stateDir, 'evil.example.com'));
  const result = await cli.run(['delete', 'cluster', 'evil.example.com', '--yes']);
  assert.equal(result.code, 1, result.stdout);
  assert.match(result.stderr, /evil\.example\.com is a symbolic link inside the state store; kopsdeck does not follow links there/);
  assert.deepEqual(readdirSync(outside).sort(), ['config', 'instancegroup']);
  assert.equal(readFileSync(join(outside, 'instancegroup', 'nodes'), 'utf8'), 'precious: true\n');
});

test('get, put, delete and list refuse a key whose path crosses a link; a linked file is not read', async () => {
  const root = tempDir('kopsdeck-store-');
  const outside = outsideDirectory();
  const store = new FileObjectStore(root);
  symlinkSync(outside, join(root, 'linked.example.com'));
  mkdirSync(join(root, 'real.example.com'));
  symlinkSync(join(outside, 'config'), join(root, 'real.example.com', 'config'));
  const refused = (error: unknown) => error instanceof SymlinkInStoreError;
  await assert.rejects(store.get('real.example.com/config'), refused);
  await assert.rejects(store.get('linked.example.com/config'), refused);
  await assert.rejects(store.put('linked.example.com/instancegroup/nodes', 'overwritten'), refused);
  await assert.rejects(store.put('real.example.com/config', 'overwritten'), refused);
  await assert.rejects(store.delete('linked.example.com/config'), refused);
  await assert.rejects(store.list('linked.example.com/'), refused);
  assert.equal(readFileSync(join(outside, 'config'), 'utf8'), 'precious: true\n');
  assert.equal(readFileSync(join(outside, 'instancegroup', 'nodes'), 'utf8'), 'precious: true\n');
  // A store whose root is itself a link is the user's choice, and works.
  const viaLink = join(tempDir('kopsdeck-root-link-'), 'store');
  symlinkSync(root, viaLink);
  await new FileObjectStore(viaLink).put('ok.example.com/config', 'fine\n');
  assert.equal(readFileSync(join(root, 'ok.example.com', 'config'), 'utf8'), 'fine\n');
});

test('a store URL under /proc or at a device is refused at once with the reason, exit 1', async () => {
  const cli = cliHarness();
  // Reading creates nothing: there is no store there.
  for (const [url, reason] of [
    ['file:///proc/self/kopsdeck-state', /^Error: no state store at file:\/\/\/proc\/self\/kopsdeck-state \(the directory does not exist\)\n/],
    ['file:///dev/null', /^Error: no state store at file:\/\/\/dev\/null \(\/dev\/null is not a directory\)\n/],
  ] as const) {
    const result = await cli.run(['--state', url, 'get', 'clusters']);
    assert.equal(result.code, 1, url);
    assert.match(result.stderr, reason);
  }
  // Writing would create the directory, and cannot.
  for (const [url, reason] of [
    ['file:///proc/self/kopsdeck-state', /cannot create the state store directory \/proc\/self\/kopsdeck-state: /],
    ['file:///dev/null', /cannot create the state store directory \/dev\/null: \/dev\/null exists and is not a directory/],
  ] as const) {
    const result = await cli.run(['--state', url, 'create', 'cluster', 'a.example.com', '--zones', 'us-east-1a']);
    assert.equal(result.code, 1, url);
    assert.match(result.stderr, reason);
  }
});
