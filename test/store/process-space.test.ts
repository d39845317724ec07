// The process-table identity that rollout and simulator locks record: another
// process of the same table (the next run after a crash) computes the same
// one, so it may judge the holder's pid; a holder elsewhere never matches.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { processSpaceId } from '../../src/engine/process-space.js';

test('a second process on this machine computes the same process-table identity', () => {
  const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', "import('./src/engine/process-space.ts').then((m) => process.stdout.write(m.processSpaceId()))"], { encoding: 'utf8' });
  assert.equal(child.status, 0, child.stderr);
  assert.match(processSpaceId(), /^[0-9a-f]{16}$/);
  assert.equal(child.stdout, processSpaceId());
});

test('a process in another PID namespace computes another identity', { skip: spawnSync('unshare', ['--version']).status !== 0 ? 'unshare is not available' : false }, (t) => {
  const child = spawnSync('unshare', ['--pid', '--fork', '--mount-proc', process.execPath, '--import', 'tsx', '-e', "import('./src/engine/process-space.ts').then((m) => process.stdout.write(m.processSpaceId()))"], { encoding: 'utf8' });
  // unshare needs privileges (root here and in CI); where it is refused there is nothing to compare, and the report says so.
  if (child.status !== 0) return t.skip(`unshare was refused: ${child.stderr.trim()}`);
  assert.match(child.stdout, /^[0-9a-f]{16}$/);
  assert.notEqual(child.stdout, processSpaceId());
});
