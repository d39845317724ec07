// The rollout's journal and lock live under kopsdeck/<cluster>/rollout/, not
// in the cluster's folder, where `kops delete cluster` refuses unknown files
// (after it has deleted the cloud resources). Journals and locks written by
// earlier versions at <cluster>/rollout/ are read, moved, and still respected.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { acquireLock, readLock, RolloutLockedError, type LockBody } from '../../src/engine/rollout/lock.js';
import { journalKey, readJournal, RolloutJournal, type JournalDocument } from '../../src/engine/rollout/journal.js';
import { legacyJournalKey, legacyLockKey, lockKey } from '../../src/engine/rollout/state-keys.js';
import { processSpaceId } from '../../src/engine/process-space.js';
import { keysKopsDeleteRefuses } from '../helpers/kops-state-rules.js';
import { MemoryObjectStore } from './fakes.js';

const CLUSTER = 'moved.example.com';

const unfinished: JournalDocument = {
  kind: 'RolloutJournal',
  cluster: CLUSTER,
  runId: 'old-run',
  status: 'failed',
  startedAt: 1,
  updatedAt: 2,
  entries: [
    { instance: 'i-1', group: 'nodes', step: 'confirm', at: 1, wave: 0, surge: false },
    { instance: 'i-1', group: 'nodes', step: 'cordon', at: 2, node: 'n-1' },
  ],
};

const lockOf = (pid: number, heartbeatAt = Date.now()): LockBody => ({
  holder: 'old@host (CLI)',
  runId: 'old-run',
  pid,
  host: hostname(),
  space: processSpaceId(),
  acquiredAt: heartbeatAt,
  heartbeatAt,
});

test('a journal and lock are kept where kops delete cluster does not look', async () => {
  const objects = new MemoryObjectStore();
  const lock = await acquireLock(objects, CLUSTER, { holder: 'me', runId: 'r1' });
  const journal = await RolloutJournal.open(objects, CLUSTER, 1, 'r1');
  await journal.record({ instance: 'i-1', group: 'nodes', step: 'confirm', at: 1 });
  const keys = await objects.list('');
  assert.deepEqual(keys, [journalKey(CLUSTER), lockKey(CLUSTER)]);
  assert.deepEqual(keysKopsDeleteRefuses(keys, CLUSTER), []);
  // The helper does refuse what kops refuses: the place earlier versions used.
  assert.deepEqual(keysKopsDeleteRefuses([legacyJournalKey(CLUSTER), `${CLUSTER}/config`, `${CLUSTER}/pki/ca`], CLUSTER), [legacyJournalKey(CLUSTER)]);
  await lock.release();
});

test("an earlier version's unfinished journal is read where it was, and moved by the next run, which resumes it", async () => {
  const objects = new MemoryObjectStore();
  await objects.put(legacyJournalKey(CLUSTER), JSON.stringify(unfinished), { ifVersion: null });
  assert.equal((await readJournal(objects, CLUSTER))?.runId, 'old-run', 'a watcher reads it where it is');
  assert.ok(await objects.get(legacyJournalKey(CLUSTER)), 'reading moves nothing');

  const journal = await RolloutJournal.open(objects, CLUSTER, 10, 'new-run');
  assert.equal(journal.resumed, true);
  assert.deepEqual(journal.progress().get('i-1')?.done, ['confirm', 'cordon']);
  assert.equal(await objects.get(legacyJournalKey(CLUSTER)), null, 'the old place is empty');
  assert.equal((await readJournal(objects, CLUSTER))?.writerRunId, 'new-run');
  assert.deepEqual(keysKopsDeleteRefuses(await objects.list(''), CLUSTER), []);
});

test('when both places hold a journal, the one written last is the journal; the other is removed from the cluster folder', async () => {
  // A newer version finished a rollout; then an older one ran and stopped half-way: its journal must not be lost.
  const objects = new MemoryObjectStore();
  await objects.put(journalKey(CLUSTER), JSON.stringify({ ...unfinished, runId: 'finished-new', status: 'finished', updatedAt: 1 }), { ifVersion: null });
  await objects.put(legacyJournalKey(CLUSTER), JSON.stringify({ ...unfinished, runId: 'old-half', updatedAt: 5 }), { ifVersion: null });
  assert.equal((await readJournal(objects, CLUSTER))?.runId, 'old-half');
  const journal = await RolloutJournal.open(objects, CLUSTER, 10, 'new-run');
  assert.equal(journal.document.runId, 'old-half', 'the unfinished one is resumed');
  assert.equal(journal.resumed, true);
  assert.equal(await objects.get(legacyJournalKey(CLUSTER)), null);

  // The other way round: a stale leftover in the old place loses to a later journal.
  const later = new MemoryObjectStore();
  await later.put(journalKey(CLUSTER), JSON.stringify({ ...unfinished, runId: 'newer', updatedAt: 9 }), { ifVersion: null });
  await later.put(legacyJournalKey(CLUSTER), JSON.stringify({ ...unfinished, runId: 'older', updatedAt: 3 }), { ifVersion: null });
  assert.equal((await RolloutJournal.open(later, CLUSTER, 10, 'new-run')).document.runId, 'newer');
  assert.equal(await later.get(legacyJournalKey(CLUSTER)), null);
});

test("a live lock of an earlier version still keeps a second rollout out; one whose process is gone is removed", async () => {
  const objects = new MemoryObjectStore();
  await objects.put(legacyLockKey(CLUSTER), JSON.stringify(lockOf(process.pid)), { ifVersion: null });
  assert.equal((await readLock(objects, CLUSTER))?.runId, 'old-run', 'a watcher sees the old run holding it');
  await assert.rejects(acquireLock(objects, CLUSTER, { holder: 'me', runId: 'r1' }), (error: Error) => error instanceof RolloutLockedError && !error.stale);
  assert.equal(await objects.get(lockKey(CLUSTER)), null, 'the refused run holds nothing');

  // A pid above Linux's pid_max (2^22) cannot exist: the holder is gone.
  await objects.put(legacyLockKey(CLUSTER), JSON.stringify(lockOf(4_194_305)), { ifVersion: (await objects.get(legacyLockKey(CLUSTER)))!.version });
  const takenOver: string[] = [];
  const held = await acquireLock(objects, CLUSTER, { holder: 'me', runId: 'r2', onTakeOver: (previous) => takenOver.push(previous.runId) });
  assert.deepEqual(takenOver, ['old-run']);
  assert.equal(await objects.get(legacyLockKey(CLUSTER)), null);
  assert.equal((await readLock(objects, CLUSTER))?.runId, 'r2');
  await held.release();
});

test("an earlier version's stale lock needs the same confirmation as any stale lock", async () => {
  const objects = new MemoryObjectStore();
  const long = Date.now() - 60 * 60_000;
  await objects.put(legacyLockKey(CLUSTER), JSON.stringify({ ...lockOf(1, long), space: 'another-machine' }), { ifVersion: null });
  await assert.rejects(acquireLock(objects, CLUSTER, { holder: 'me', runId: 'r1' }), (error: Error) => error instanceof RolloutLockedError && error.stale);
  const held = await acquireLock(objects, CLUSTER, { holder: 'me', runId: 'r1', breakStaleLock: true });
  assert.equal(await objects.get(legacyLockKey(CLUSTER)), null);
  await held.release();
});
