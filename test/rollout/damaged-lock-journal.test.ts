// A damaged rollout lock or journal (truncated by a crash on a store without
// atomic writes, or edited by hand) stops a rollout with a sentence and a way
// out, never a JSON parser's message: the lock reads as stale and damaged,
// which --break-stale-lock takes over; the journal names itself and what to do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { acquireLock, lockKey, readLock, RolloutLockedError } from '../../src/engine/rollout/lock.js';
import { journalKey, readJournal } from '../../src/engine/rollout/journal.js';
import { MemoryObjectStore } from './fakes.js';

const CLUSTER = 'damaged.example.com';

test('a truncated or foreign lock is reported as damaged and stale; --break-stale-lock takes it over', async () => {
  for (const body of ['{"holder":"kopsdeck@laptop","runId":"r1","pi', '{"holder":null}', 'null', '[]']) {
    const objects = new MemoryObjectStore();
    await objects.put(lockKey(CLUSTER), body, { ifVersion: null });
    assert.ok((await readLock(objects, CLUSTER))?.damaged, body);
    await assert.rejects(acquireLock(objects, CLUSTER, { holder: 'me', runId: 'r2' }), (error: Error) => {
      assert.ok(error instanceof RolloutLockedError && error.stale, String(error));
      assert.match(error.message, /^the rollout lock of damaged\.example\.com is damaged \(not (valid JSON|a rollout lock: .*)\); if no rollout of damaged\.example\.com is running, take it over$/);
      return true;
    });
    const held = await acquireLock(objects, CLUSTER, { holder: 'me', runId: 'r2', breakStaleLock: true });
    assert.equal((await readLock(objects, CLUSTER))?.runId, 'r2');
    await held.release();
  }
});

test('a truncated journal stops with its name and the way out', async () => {
  const objects = new MemoryObjectStore();
  await objects.put(journalKey(CLUSTER), '{"kind":"RolloutJournal","entries":[{"inst', { ifVersion: null });
  await assert.rejects(readJournal(objects, CLUSTER), /the rollout journal kopsdeck\/damaged\.example\.com\/rollout\/journal in the state store is damaged \(not valid JSON\); it only records progress: delete that object and run again/);
});
