// Watching another process's rollout, pure: its journal folded into the
// per-instance view (what is done, what is under way, what has not started),
// and the judgement of its lock over successive looks (live, ended, stopped,
// and why), as the console's watch mode shows them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { foldJournal, watchedCounts } from '../../src/engine/rollout/journal-watch.js';
import type { JournalDocument, JournalEntry } from '../../src/engine/rollout/journal.js';
import type { LockBody } from '../../src/engine/rollout/lock.js';
import { nextOtherRun, type HolderJudge, type OtherRun } from '../../src/engine/rollout/other-run.js';
import { lastRecordLine, watchNext, watchNow, watchRows, watchStatus } from '../../src/screens/rollout/rollout-watch-progress.js';

const CP = 'control-plane-us-east-1a';
const NODES = 'nodes-us-east-1a';

function entry(instance: string, group: string, step: JournalEntry['step'], at: number, extra: Partial<JournalEntry> = {}): JournalEntry {
  return { instance, group, step, at, node: `node-${instance}`, ...extra };
}

function journal(entries: JournalEntry[], extra: Partial<JournalDocument> = {}): JournalDocument {
  return {
    kind: 'RolloutJournal',
    cluster: 'watch.k8s.local',
    runId: 'run-1',
    writerRunId: 'run-1',
    status: 'running',
    startedAt: 1_000,
    updatedAt: entries.at(-1)?.at ?? 1_000,
    planned: ['i-cp', 'i-a', 'i-b'],
    request: { force: true, instanceGroups: [], roles: [], cloudOnly: false },
    entries,
    ...extra,
  };
}

const controlPlaneDone = ['confirm', 'cordon', 'deregister', 'drain', 'post-drain', 'terminate', 'join', 'validate'].map((step, i) =>
  entry('i-cp', CP, step as JournalEntry['step'], 2_000 + i * 100, step === 'confirm' ? { wave: 0, surge: false } : {}),
);

test('a live run: finished instances done, the step after the last record under way in the current group, the rest not started', () => {
  const doc = journal([...controlPlaneDone, entry('i-a', NODES, 'confirm', 5_000, { wave: 0, surge: true }), entry('i-a', NODES, 'detach', 5_100), entry('i-a', NODES, 'cordon', 5_200)]);
  const watched = foldJournal(doc, { live: true });
  assert.equal(watched.view.status, 'running');
  assert.equal(watched.view.currentGroup, NODES);
  assert.equal(watched.view.resumed, false);
  assert.deepEqual(watched.notStarted, ['i-b']);
  assert.deepEqual(watchedCounts(watched), { total: 3, replaced: 1, skipped: 0 });

  const [cp, a] = watched.instances;
  assert.equal(cp.finished, true);
  assert.deepEqual(Object.values(cp.view.steps).map((s) => s.state), Array(8).fill('done'));
  assert.equal(a.finished, false);
  assert.deepEqual(a.steps, ['confirm', 'detach', 'cordon', 'deregister', 'drain', 'post-drain', 'terminate', 'join', 'validate'], 'a surging worker detaches first');
  assert.deepEqual(a.view.steps, { confirm: { state: 'done' }, detach: { state: 'done' }, cordon: { state: 'done' }, deregister: { state: 'running' } });
  assert.equal(a.lastAt, 5_200);

  // The rows the screen shows: the running step counts from the instance's last record (cluster clock).
  const rows = watchRows(watched, new Map([[CP, 'ControlPlane'], [NODES, 'Node']]), 5_900);
  assert.deepEqual(rows.map((r) => r.status), ['done', 'active']);
  assert.equal(rows[0].kind, 'ControlPlane');
  assert.deepEqual(rows[1].steps.find((s) => s.status === 'running'), { step: 'deregister', status: 'running', ms: 700 });
  const other: OtherRun = { kind: 'live', lock: lockBody(), journal: doc };
  assert.equal(watchStatus(other, watched), 'RUNNING in another process');
  assert.equal(watchNow(other, watched, rows), 'Taking node-i-a (i-a) out of its load balancers.');
  assert.equal(lastRecordLine(other, watched, 5_900), 'cordon of node-i-a, 1s ago');
  assert.equal(lastRecordLine({ kind: 'ended', lock: lockBody(), journal: doc }, watched, 5_900), undefined, 'only while it runs');
  assert.equal(watchNext(other, watched, rows), 'drain → post-drain delay → terminate → wait for the replacement to join → validate the cluster; then 1 more instance(s) not started yet');
});

test('right after a confirm no time is counted and only the order is said: the run may be asking about the rest of the wave', () => {
  const doc = journal([entry('i-a', NODES, 'confirm', 5_000, { wave: 0, surge: false })]);
  const watched = foldJournal(doc, { live: true });
  const rows = watchRows(watched, new Map(), 9_000);
  assert.deepEqual(rows[0].steps.slice(0, 2), [{ step: 'confirm', status: 'done' }, { step: 'cordon', status: 'running', ms: undefined }]);
  assert.equal(watchNow({ kind: 'live', lock: lockBody(), journal: doc }, watched, rows), 'node-i-a (i-a) confirmed; next: cordon.');
});

test('a run that is not live shows nothing under way; a finished journal counts every instance replaced', () => {
  const doc = journal([...controlPlaneDone, entry('i-a', NODES, 'confirm', 5_000, { wave: 0, surge: false })]);
  const stopped = foldJournal(doc, { live: false });
  assert.deepEqual(stopped.instances[1].view.steps, { confirm: { state: 'done' } });
  assert.ok(watchRows(stopped, new Map(), 6_000).every((r) => r.steps.every((s) => s.status !== 'running')));

  const finished = foldJournal(journal(controlPlaneDone, { status: 'finished', planned: ['i-cp'] }), { live: false });
  assert.deepEqual(watchedCounts(finished), { total: 1, replaced: 1, skipped: 0 });
  const ended: OtherRun = { kind: 'ended', lock: lockBody(), journal: doc };
  const rows = watchRows(finished, new Map(), 9_000);
  assert.equal(watchStatus(ended, finished), 'FINISHED in another process');
  assert.equal(watchNow(ended, finished, rows), 'That run finished: 1 replaced, 0 skipped.');
  assert.match(watchNext(ended, finished, rows), /^r plans again/);
});

test('an instance skipped during its drain is skipped with its reason, not half-done', () => {
  const doc = journal([
    entry('i-a', NODES, 'confirm', 5_000, { wave: 0, surge: true }),
    entry('i-a', NODES, 'detach', 5_100),
    entry('i-a', NODES, 'cordon', 5_200),
    entry('i-a', NODES, 'deregister', 5_300),
    entry('i-a', NODES, 'skip', 5_400, { note: 'drain skipped by the user' }),
    entry('i-a', NODES, 'uncordon', 5_500),
  ]);
  const watched = foldJournal(doc, { live: true });
  const [a] = watched.instances;
  assert.equal(a.view.skipped, true);
  assert.equal(a.view.skipReason, 'drain skipped by the user');
  assert.deepEqual(a.view.steps, {});
  assert.deepEqual(watchedCounts(watched), { total: 3, replaced: 0, skipped: 1 });
  assert.equal(watchRows(watched, new Map(), 6_000)[0].status, 'skipped');
});

test('a half-done instance carried from an earlier run waits for its group: only the current group is under way', () => {
  const doc = journal([
    entry('i-old', NODES, 'confirm', 1_500, { wave: 0, surge: false }),
    entry('i-old', NODES, 'cordon', 1_600),
    entry('i-cp', CP, 'confirm', 2_000, { wave: 0, surge: false }),
  ]);
  const watched = foldJournal(doc, { live: true });
  const byId = new Map(watched.instances.map((i) => [i.view.id, i]));
  assert.deepEqual(byId.get('i-old')!.view.steps, { confirm: { state: 'done' }, cordon: { state: 'done' } });
  assert.equal(byId.get('i-cp')!.view.steps.cordon?.state, 'running');
});

test('bastions have no Kubernetes steps: from the spec, or seen in the journal once terminated without a cordon', () => {
  const doc = journal([entry('i-bastion', 'bastions', 'confirm', 2_000, { wave: 0, surge: false, node: undefined })], { planned: ['i-bastion'] });
  assert.deepEqual(foldJournal(doc, { live: true, bastionGroups: new Set(['bastions']) }).instances[0].steps, ['confirm', 'terminate', 'join']);
  const terminated = journal([
    entry('i-bastion', 'bastions', 'confirm', 2_000, { node: undefined }),
    entry('i-bastion', 'bastions', 'terminate', 2_100, { node: undefined }),
  ]);
  const [bastion] = foldJournal(terminated, { live: true }).instances;
  assert.deepEqual(bastion.steps, ['confirm', 'terminate', 'join']);
  assert.equal(bastion.view.steps.join?.state, 'running');
});

test('a journal continued by a later run is shown as resumed', () => {
  assert.equal(foldJournal(journal([], { writerRunId: 'run-2' }), { live: true }).view.resumed, true);
});

// The lock, judged over successive looks.

const WALL = 1_700_000_000_000;

function lockBody(extra: Partial<LockBody> = {}): LockBody {
  return { holder: 'alice@laptop (CLI)', runId: 'run-1', pid: 4242, host: 'laptop', space: 'elsewhere', acquiredAt: WALL - 60_000, heartbeatAt: WALL - 5_000, ...extra };
}

const alive: HolderJudge = { gone: () => false, own: () => false };
const dead: HolderJudge = { gone: () => true, own: () => false };
const none: OtherRun = { kind: 'none' };

test('a lock held by a live process is a live run; its journal is attached once that run writes it', () => {
  const planning = nextOtherRun(none, { lock: lockBody(), journal: journal([], { runId: 'older', writerRunId: 'older', status: 'finished' }), now: WALL }, alive);
  assert.equal(planning.kind, 'live');
  assert.equal(planning.kind === 'live' && planning.journal, undefined, "an earlier rollout's journal is not this run's");
  assert.equal(watchNow(planning, undefined, []), 'Starting: it holds the lock and is planning; its journal has nothing of this run yet.');

  const resumed = journal([], { runId: 'first-run', writerRunId: 'run-1' });
  const live = nextOtherRun(planning, { lock: lockBody(), journal: resumed, now: WALL }, alive);
  assert.equal(live.kind === 'live' && live.journal, resumed, 'a resumed journal keeps its first runId; the writer is the lock holder');
});

test('a holder on another machine is live while its heartbeat is fresh, stopped once it is stale', () => {
  const live = nextOtherRun(none, { lock: lockBody(), journal: journal([]), now: WALL }, alive);
  assert.equal(live.kind, 'live');
  const stale = nextOtherRun(live, { lock: lockBody(), journal: journal([]), now: WALL + 10 * 60_000 }, alive);
  assert.equal(stale.kind, 'stopped');
  assert.ok(stale.kind === 'stopped' && stale.cause === 'stale');
  assert.match(stale.kind === 'stopped' ? stale.why : '', /^its heartbeat stopped 10m05s ago/);
  assert.match(watchNext(stale, undefined, []), /its lock is still held: starting asks before breaking it/);
});

test('a watched holder that dies is stopped, and says so; a lock already dead when first seen is not watched', () => {
  const live = nextOtherRun(none, { lock: lockBody(), journal: journal([]), now: WALL }, alive);
  const gone = nextOtherRun(live, { lock: lockBody(), journal: journal([]), now: WALL + 1_000 }, dead);
  assert.ok(gone.kind === 'stopped' && gone.cause === 'gone');
  assert.equal(watchNow(gone, undefined, []), 'That run stopped without finishing: its process (pid 4242 on laptop) no longer exists: it crashed or was killed.');
  assert.deepEqual(nextOtherRun(none, { lock: lockBody(), journal: journal([]), now: WALL }, dead), none, 'planning offers its resume, as for any crash');
  assert.deepEqual(nextOtherRun(none, { lock: lockBody({ heartbeatAt: WALL - 10 * 60_000 }), journal: null, now: WALL }, alive), none);
});

test('the lock released: ended as its journal says, or stopped when the journal has no end or none of its own', () => {
  const live = nextOtherRun(none, { lock: lockBody(), journal: journal([]), now: WALL }, alive);
  for (const status of ['finished', 'aborted', 'failed'] as const) {
    const ended = nextOtherRun(live, { lock: null, journal: journal([], { status, reason: status === 'finished' ? undefined : 'why' }), now: WALL }, alive);
    assert.equal(ended.kind, 'ended', status);
  }
  const released = nextOtherRun(live, { lock: null, journal: journal([]), now: WALL }, alive);
  assert.ok(released.kind === 'stopped' && released.cause === 'released');
  const planning = nextOtherRun(live, { lock: null, journal: journal([], { runId: 'older', writerRunId: 'older', status: 'finished' }), now: WALL }, alive);
  assert.ok(planning.kind === 'stopped' && /before writing its journal/.test(planning.why));
});

test('an end stays to be read until dismissed, unless another run takes the lock; this process never watches its own lock', () => {
  const live = nextOtherRun(none, { lock: lockBody(), journal: journal([]), now: WALL }, alive);
  const ended = nextOtherRun(live, { lock: null, journal: journal([], { status: 'finished' }), now: WALL }, alive);
  assert.equal(nextOtherRun(ended, { lock: null, journal: journal([], { status: 'finished' }), now: WALL + 5_000 }, alive), ended);
  const next = nextOtherRun(ended, { lock: lockBody({ runId: 'run-2', pid: 5151 }), journal: null, now: WALL }, alive);
  assert.ok(next.kind === 'live' && next.lock.runId === 'run-2');
  const own: HolderJudge = { gone: () => false, own: () => true };
  assert.deepEqual(nextOtherRun(none, { lock: lockBody(), journal: journal([]), now: WALL }, own), none);
});

test('a watched lock that becomes damaged stops the watch with the reason', () => {
  const live = nextOtherRun(none, { lock: lockBody(), journal: journal([]), now: WALL }, alive);
  const damaged = nextOtherRun(live, { lock: { ...lockBody(), damaged: 'not valid JSON' }, journal: journal([]), now: WALL }, alive);
  assert.ok(damaged.kind === 'stopped' && damaged.cause === 'damaged' && /not valid JSON/.test(damaged.why));
});
