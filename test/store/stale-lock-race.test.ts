// A stale lock in the file store (left by a writer that died) is taken over
// by exactly one of the writers racing for it: 1,000 rounds, each with
// several writers trying to create the same key behind the same stale lock;
// exactly one create wins each round. A stat-then-unlink takeover lets a
// second writer delete the first one's fresh lock, and both win.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, utimesSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileObjectStore } from '../../src/engine/store/file-store.js';
import { ConflictError } from '../../src/engine/store/object-store.js';

test('1,000 racing takeovers of a stale lock: exactly one winner each', async () => {
  const root = mkdtempSync(join(tmpdir(), 'kopsdeck-lock-race-'));
  try {
    const store = new FileObjectStore(root, { staleLockMs: 1_000, lockTimeoutMs: 20_000 });
    const old = new Date(Date.now() - 60_000);
    let doubleWins = 0;
    for (let round = 0; round < 1000; round++) {
      const key = `race/key-${round}`;
      mkdirSync(join(root, 'race'), { recursive: true });
      // The lock a dead writer left behind, an hour old by its clock.
      const lock = join(root, 'race', `.key-${round}.lock`);
      writeFileSync(lock, '99999');
      utimesSync(lock, old, old);
      const outcomes = await Promise.allSettled(Array.from({ length: 4 }, (_, i) => store.put(key, `writer ${i}`, { ifVersion: null })));
      const wins = outcomes.filter((o) => o.status === 'fulfilled').length;
      const others = outcomes.filter((o) => o.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason);
      assert.ok(others.every((e) => e instanceof ConflictError), `round ${round}: ${others.map(String).join('; ')}`);
      if (wins !== 1) doubleWins++;
    }
    assert.equal(doubleWins, 0, `${doubleWins} of 1000 rounds had more than one winner`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
