// A resumed rollout counts the whole rollout, not only what is left: after a
// crash with two of four instances replaced, the next question says
// "instance 3 of 4", the ETA "2 of 4 done", and the screen's header
// "2 of 4 instances replaced". Before, it said 1 of 2, 0 of 2 and 0 of 2.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startRollout } from '../../src/engine/rollout/run-rollout.js';
import { initialRolloutView, reduceRollout } from '../../src/engine/rollout/rollout-state.js';
import { DEFAULT_TIMINGS, type ConfirmRequest, type RolloutEvent } from '../../src/engine/rollout/types.js';
import { instanceRows, progressOf } from '../../src/screens/rollout/rollout-progress.js';
import type { RolloutSessionState } from '../../src/sessions/rollout-session-state.js';
import { FakeWorld } from './fakes.js';

const CLUSTER = 'fake.example.com';

/**
 * Four instances; a first run answers with `answer` and is killed after its
 * `validations`-th validation; then a second run resumes it, answering yes.
 */
async function crashThenResume(validations: number, answer: () => 'yes' | 'skip') {
  const world = await new FakeWorld({ controlPlanes: 1, nodes: 3 }).init();
  world.bumpAll();
  const crash = new AbortController();
  let validated = 0;
  const first = startRollout(world.deps(), { cluster: CLUSTER, signal: crash.signal, confirm: async () => answer() });
  first.subscribe((e) => {
    if (e.type === 'step-finished' && e.step === 'validate' && ++validated === validations) crash.abort(new Error('killed'));
  });
  assert.equal((await first.done).status, 'interrupted');

  const asked: ConfirmRequest[] = [];
  const events: RolloutEvent[] = [];
  const second = startRollout(world.deps(), { cluster: CLUSTER, confirm: async (request) => (asked.push(request), 'yes') });
  second.subscribe((e) => events.push(e));
  const result = await second.done;
  const etas = events.filter((e): e is Extract<RolloutEvent, { type: 'eta' }> => e.type === 'eta').map((e) => `${e.doneInstances}/${e.totalInstances}`);
  return { result, asked, events, etas };
}

test('after a crash with two of four replaced, the resumed run counts 3 of 4 and 4 of 4', async () => {
  const { result, asked, events, etas } = await crashThenResume(2, () => 'yes');
  assert.equal(result.status, 'finished', result.reason);
  assert.deepEqual(asked.map((r) => `${r.position} of ${r.total}`), ['3 of 4', '4 of 4']);
  assert.equal(etas[0], '2/4');
  assert.equal(etas.at(-1), '4/4');

  // The screen's header, right after the resumed run's plan.
  const upToPlan = events.slice(0, events.findIndex((e) => e.type === 'plan') + 1);
  const view = upToPlan.reduce(reduceRollout, initialRolloutView);
  const state: RolloutSessionState = { cluster: CLUSTER, phase: 'running', force: false, plan: view.plan, view, yesToAll: false, notes: [], timings: DEFAULT_TIMINGS };
  const now = events[0].time;
  const progress = progressOf(state, instanceRows(state, now), now);
  assert.deepEqual([progress.done, progress.total], [2, 4]);
});

test('an instance an earlier run skipped is counted once: shown as skipped, not waiting, and the counts reach 4 of 4', async () => {
  let answers = 0;
  const { result, asked, events, etas } = await crashThenResume(1, () => (++answers === 1 ? 'skip' : 'yes'));
  assert.equal(result.status, 'finished');
  assert.deepEqual(asked.map((r) => `${r.position} of ${r.total}`), ['3 of 4', '4 of 4']);
  assert.deepEqual([etas[0], etas.at(-1)], ['2/4', '4/4']);

  const view = events.reduce(reduceRollout, initialRolloutView);
  const state: RolloutSessionState = { cluster: CLUSTER, phase: 'ended', force: false, plan: view.plan, view, yesToAll: false, notes: [], timings: DEFAULT_TIMINGS };
  const now = events.at(-1)!.time;
  const rows = instanceRows(state, now);
  assert.ok(!rows.some((r) => r.status === 'waiting'), rows.map((r) => `${r.id} ${r.status}`).join(', '));
  const progress = progressOf(state, rows, now);
  assert.deepEqual([progress.done, progress.skipped, progress.total], [3, 1, 4]);
});
