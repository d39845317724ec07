// The console's watcher of another process's rollout, over a state store in
// memory: it only reads (the lock and journal are exactly as that run wrote
// them), follows the run from live to ended, keeps an end to be read until
// dismissed, and a dismiss is not undone by a look that was in flight.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { journalKey, lockKey, type JournalDocument, type LockBody } from '../../src/engine/rollout/index.js';
import type { HolderJudge } from '../../src/engine/rollout/other-run.js';
import { ClusterStore } from '../../src/engine/store/cluster-store.js';
import { RolloutWatch } from '../../src/sessions/rollout-watch.js';
import { makeServices, MemoryObjectStore, seedCluster } from '../console/helpers.js';

const NAME = 'watched.k8s.local';
const alive: HolderJudge = { gone: () => false, own: () => false };

const lock = (): LockBody => ({ holder: 'bob@ci (CLI)', runId: 'run-7', pid: 777, host: 'ci', space: 'elsewhere', acquiredAt: Date.now() - 1_000, heartbeatAt: Date.now() });

function journal(status: JournalDocument['status'], steps: string[]): JournalDocument {
  return {
    kind: 'RolloutJournal',
    cluster: NAME,
    runId: 'run-7',
    writerRunId: 'run-7',
    status,
    startedAt: 1,
    updatedAt: 2,
    planned: ['i-1', 'i-2'],
    request: { force: false, instanceGroups: ['nodes-us-east-1a'], roles: [], cloudOnly: false },
    entries: steps.map((step, i) => ({ instance: 'i-1', group: 'nodes-us-east-1a', step: step as never, at: 10 + i, node: 'node-1' })),
  };
}

async function setup() {
  const objects = new MemoryObjectStore();
  const store = new ClusterStore(objects);
  await seedCluster(store, NAME, ['us-east-1a']);
  const watch = new RolloutWatch(NAME, makeServices(store), { judge: alive });
  const put = async (key: string, body: unknown) => {
    const current = await objects.get(key);
    await objects.put(key, JSON.stringify(body), { ifVersion: current?.version ?? null });
  };
  return { objects, watch, put };
}

test('a live run is followed from its lock and journal to its end, and the store is left exactly as that run wrote it', async () => {
  const { objects, watch, put } = await setup();
  await watch.refresh();
  assert.equal(watch.getState().looked, true);
  assert.equal(watch.getState().other.kind, 'none');

  await put(lockKey(NAME), lock());
  await put(journalKey(NAME), journal('running', ['confirm', 'cordon']));
  const lockBefore = await objects.get(lockKey(NAME));
  await watch.refresh();
  const live = watch.getState();
  assert.equal(live.other.kind, 'live');
  assert.deepEqual(live.watched?.notStarted, ['i-2']);
  assert.equal(live.watched?.instances[0].view.steps.deregister?.state, 'running');
  assert.equal(live.kinds.get('nodes-us-east-1a'), 'Node', 'group kinds read from the spec');
  assert.deepEqual(await objects.get(lockKey(NAME)), lockBefore, 'the lock is untouched: same body, same version');

  await objects.delete(lockKey(NAME));
  await put(journalKey(NAME), journal('finished', ['confirm', 'cordon']));
  await watch.refresh();
  assert.equal(watch.getState().other.kind, 'ended');
  await watch.refresh();
  assert.equal(watch.getState().other.kind, 'ended', 'an end stays to be read');
  watch.dismiss();
  assert.equal(watch.getState().other.kind, 'none');
  assert.equal(watch.getState().watched, undefined);
  assert.equal(await objects.get(lockKey(NAME)), null, 'the watcher never takes the lock');
});

test('a dismiss while a look is in flight is not undone by that look', async () => {
  const { objects, watch, put } = await setup();
  await put(lockKey(NAME), lock());
  await put(journalKey(NAME), journal('running', ['confirm']));
  await watch.refresh();
  await objects.delete(lockKey(NAME));
  await put(journalKey(NAME), journal('aborted', ['confirm']));
  await watch.refresh();
  assert.equal(watch.getState().other.kind, 'ended');
  const inFlight = watch.refresh();
  watch.dismiss();
  await inFlight;
  assert.equal(watch.getState().other.kind, 'none');
});

test('a journal that cannot be read does not hide a live lock; the problem is said', async () => {
  const { objects, watch, put } = await setup();
  await put(lockKey(NAME), lock());
  await objects.put(journalKey(NAME), '{ not json');
  await watch.refresh();
  const state = watch.getState();
  assert.equal(state.other.kind, 'live');
  assert.match(state.error ?? '', /the rollout journal .* is damaged \(not valid JSON\)/);
});
