// The ETA of a supervised rolling update (issue 15, item 4): it comes from
// this run's measured waves (the plan's estimate until there are some), it
// stands still while the run waits for a person, and it never reaches 0 while
// instances are left.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startRollout } from '../../src/engine/rollout/run-rollout.js';
import { initialRolloutView, reduceRollout } from '../../src/engine/rollout/rollout-state.js';
import { DEFAULT_TIMINGS, type RolloutEvent, type RolloutEventBody } from '../../src/engine/rollout/types.js';
import { etaOf } from '../../src/screens/rollout/rollout-progress.js';
import type { RolloutSessionState } from '../../src/sessions/rollout-session-state.js';
import { etaText } from '../../src/screens/rollout/RunView.js';
import { FakeWorld } from '../rollout/fakes.js';

type EtaEvent = Extract<RolloutEvent, { type: 'eta' }>;

test('the engine measures waves without the time a question waited for its answer', async () => {
  const world = await new FakeWorld({ controlPlanes: 1, nodes: 3 }).init();
  world.bumpAll();
  const HOUR = 3_600_000;
  // Every question waits an hour of clock time for its answer.
  const confirm = async () => {
    await world.clock.sleep(HOUR);
    return 'yes' as const;
  };
  const run = startRollout(world.deps(), { cluster: 'fake.example.com', confirm });
  const events: RolloutEvent[] = [];
  run.subscribe((e) => events.push(e));
  const result = await run.done;
  assert.equal(result.status, 'finished', result.reason);
  const etas = events.filter((e): e is EtaEvent => e.type === 'eta');
  assert.ok(etas.length >= 2, 'one ETA at the start and one after each wave');
  assert.equal(etas[0].doneInstances, 0, 'the first ETA comes before anything is done');
  assert.ok(etas[0].remainingMs > 0 && etas[0].nextWaveMs > 0 && etas[0].nextWaveMs <= etas[0].remainingMs);
  for (const eta of etas.slice(1)) {
    // Four questions waited an hour each: a measure that counted them would say hours are left.
    assert.ok(eta.remainingMs < HOUR, `remaining ${eta.remainingMs} ms after ${eta.doneInstances} done counts no waiting for answers`);
  }
  assert.equal(etas.at(-1)!.remainingMs, 0, 'nothing left at the end');
  // Every event carries the rollout clock's time: in order, and a question's step spans the hour it waited.
  assert.ok(events.every((e, i) => i === 0 || e.time >= events[i - 1].time), 'event times never go back');
  const asked = events.find((e) => e.type === 'step-started' && e.step === 'confirm')!;
  const answered = events.find((e) => e.type === 'step-finished' && e.step === 'confirm')!;
  assert.ok(answered.time - asked.time >= HOUR, `the question's events are an hour apart (${answered.time - asked.time} ms)`);
  const view = events.reduce(reduceRollout, initialRolloutView);
  assert.ok(view.personWait.totalMs >= 4 * HOUR, `four answers waited for are folded as time waited for a person (${view.personWait.totalMs} ms)`);
});

test('a wave whose only instance was skipped does not count as a measured replacement', async () => {
  const world = await new FakeWorld({ controlPlanes: 1, nodes: 2 }).init();
  world.bumpAll();
  let asked = 0;
  // The control plane's only instance is skipped at its question; the nodes are replaced.
  const run = startRollout(world.deps(), { cluster: 'fake.example.com', confirm: async () => (asked++ === 0 ? 'skip' : 'yes') });
  const events: RolloutEvent[] = [];
  run.subscribe((e) => events.push(e));
  const result = await run.done;
  assert.equal(result.status, 'finished', result.reason);
  const etas = events.filter((e): e is EtaEvent => e.type === 'eta');
  // After the skipped control-plane wave, the nodes' waves still carry the plan's estimate, not the skip's few ms.
  const afterSkip = etas[1];
  assert.equal(afterSkip.remainingMs, etas[0].remainingMs - (etas[0].nextWaveMs), 'only the skipped wave left the estimate');
});

const NODE_WAVE_MS = 10 * 60_000;

/** A session state after these events, each at its clock ms (the engine's reducer folds their times). */
function stateAt(timeline: [number, RolloutEventBody][]): RolloutSessionState {
  const view = timeline.reduce((folded, [time, event]) => reduceRollout(folded, { ...event, time } as RolloutEvent), initialRolloutView);
  return { cluster: 'c.example.com', phase: 'running', force: false, view, yesToAll: false, notes: [], timings: DEFAULT_TIMINGS };
}

const eta = (remainingMs: number, done: number): RolloutEventBody => ({ type: 'eta', remainingMs, nextWaveMs: NODE_WAVE_MS, doneInstances: done, totalInstances: 3 });
const question = (id: string): RolloutEventBody => ({
  type: 'confirm',
  request: { instanceId: id, group: 'nodes', nodeName: `node-${id}`, position: 1, total: 3, reason: 'r', pods: [] } as never,
});

test('the ETA stands still while a question waits for an answer, and says so', () => {
  const state = stateAt([
    [0, eta(3 * NODE_WAVE_MS, 0)],
    [60_000, question('i-a')],
  ]);
  const atAsk = etaOf(state, 60_000)!;
  const hourLater = etaOf(state, 60_000 + 3_600_000)!;
  assert.equal(atAsk.ms, 3 * NODE_WAVE_MS - 60_000, 'a minute of work counted before the question');
  assert.equal(hourLater.ms, atAsk.ms, 'an hour waiting for the answer changes nothing');
  assert.equal(hourLater.heldFor, 'answer');
  assert.equal(etaText(hourLater), 'ETA 29m00s (stopped: waiting for your answer)');
});

test('the ETA counts again once answered, and stands still while paused', () => {
  const answered: RolloutEventBody = { type: 'confirmed', instanceId: 'i-a', answer: 'yes' };
  const state = stateAt([
    [0, eta(3 * NODE_WAVE_MS, 0)],
    [0, question('i-a')],
    [600_000, answered],
    [660_000, { type: 'paused', at: 'step' }],
  ]);
  assert.equal(state.view.personWait.current?.for, 'resume');
  // Ten minutes of waiting for the answer, a minute of work, then paused: 29 minutes left however long the pause.
  assert.equal(etaOf(state, 660_000)!.ms, 3 * NODE_WAVE_MS - 60_000);
  assert.equal(etaOf(state, 5_000_000)!.ms, 3 * NODE_WAVE_MS - 60_000);
  assert.match(etaText(etaOf(state, 5_000_000)!), /stopped while paused/);
});

test('a wave that runs long never brings the ETA to 0 while waves are left, and says it is late', () => {
  const state = stateAt([[0, eta(3 * NODE_WAVE_MS, 0)]]);
  const late = etaOf(state, 45 * 60_000)!;
  assert.equal(late.ms, 2 * NODE_WAVE_MS, 'what the two waves after this one need');
  assert.equal(late.overrun, true);
  assert.match(etaText(late), /^ETA over 20m00s: this wave is taking longer than estimated$/);
  const last = etaOf(stateAt([[0, { type: 'eta', remainingMs: NODE_WAVE_MS, nextWaveMs: NODE_WAVE_MS, doneInstances: 2, totalInstances: 3 }]]), 2 * NODE_WAVE_MS)!;
  assert.equal(last.ms, 0);
  assert.doesNotMatch(etaText(last), /ETA 0s/, 'never "0s" with an instance still going');
});

test('no ETA once the run has ended', () => {
  const state = { ...stateAt([[0, eta(NODE_WAVE_MS, 0)]]), phase: 'ended' as const };
  assert.equal(etaOf(state, 1000), undefined);
});
