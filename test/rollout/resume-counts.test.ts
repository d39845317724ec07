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

test('after a crash with two of four replaced, the resumed run counts 3 of 4 and 4 of 4', async () => {
  const world = await new FakeWorld({ controlPlanes: 1, nodes: 3 }).init();
  world.bumpAll();
  const crash = new AbortController();
  let validated = 0;
  const first = startRollout(world.deps(), { cluster: CLUSTER, signal: crash.signal, confirm: async () => 'yes' });
  first.subscribe((e) => {
    if (e.type === 'step-finished' && e.step === 'validate' && ++validated === 2) crash.abort(new Error('killed'));
  });
  assert.equal((await first.done).status, 'interrupted');

  const asked: ConfirmRequest[] = [];
  const events: RolloutEvent[] = [];
  const second = startRollout(world.deps(), { cluster: CLUSTER, confirm: async (request) => (asked.push(request), 'yes') });
  second.subscribe((e) => events.push(e));
  const result = await second.done;
  assert.equal(result.status, 'finished', result.reason);
  assert.deepEqual(asked.map((r) => `${r.position} of ${r.total}`), ['3 of 4', '4 of 4']);
  const etas = events.filter((e): e is Extract<RolloutEvent, { type: 'eta' }> => e.type === 'eta').map((e) => `${e.doneInstances}/${e.totalInstances}`);
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
