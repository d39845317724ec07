// The run's intents on fakes (instant clock, in-memory store): "pause after
// this node" lets the confirmed instance finish and holds before the next one
// (cutting a wave short when needed), and skipping a stuck drain cancels it,
// uncordons the node, journals the instance as skipped and moves on; a resumed
// run neither drains it again nor replaces it, and uncordons it if the skip
// was cut short by a crash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startRollout, type RolloutOptions } from '../../src/engine/rollout/run-rollout.js';
import { readJournal } from '../../src/engine/rollout/journal.js';
import { initialRolloutView, reduceRollout } from '../../src/engine/rollout/rollout-state.js';
import type { ConfirmRequest, RolloutEvent } from '../../src/engine/rollout/types.js';
import { FakeWorld } from './fakes.js';

const CLUSTER = 'fake.example.com';

async function rolled(options: { controlPlanes?: number; nodes?: number; nodeSurge?: number } = {}) {
  const world = new FakeWorld(options);
  if (options.nodeSurge !== undefined) {
    const nodes = world.bundle.instanceGroups.find((ig) => ig.spec.role === 'Node')!;
    nodes.spec.rollingUpdate = { maxSurge: options.nodeSurge };
  }
  await world.init();
  world.bumpAll();
  return world;
}

function run(world: FakeWorld, options: Partial<RolloutOptions> = {}, deps = world.deps()) {
  const r = startRollout(deps, { cluster: CLUSTER, ...options });
  const events: RolloutEvent[] = [];
  r.subscribe((e) => events.push(e));
  return { r, events };
}

const stepsOf = (events: readonly RolloutEvent[], id: string) =>
  events.filter((e): e is Extract<RolloutEvent, { type: 'step-finished' }> => e.type === 'step-finished' && e.instanceId === id).map((e) => e.step);

test('pause after this node: the node is replaced and validated, then the run holds before the next question until resumed', async () => {
  const world = await rolled({ controlPlanes: 1, nodes: 2 });
  const asked: ConfirmRequest[] = [];
  let pauseIndex = -1;
  const { r, events } = run(world, {
    confirm: async (request) => {
      asked.push(request);
      if (asked.length === 2) r.pauseAfterCurrent();
      return 'yes';
    },
  });
  r.subscribe((e) => {
    if (e.type === 'paused') {
      pauseIndex = events.length - 1;
      assert.equal(r.isPaused, true);
      setTimeout(() => r.resume(), 20);
    }
  });
  const result = await r.done;
  assert.equal(result.status, 'finished', result.reason);
  assert.equal(asked.length, 3);
  const paused = events[pauseIndex];
  assert.ok(paused?.type === 'paused' && paused.at === 'instance', 'the pause took hold before an instance');
  const first = asked[1].instanceId;
  const next = asked[2].instanceId;
  const before = events.slice(0, pauseIndex);
  assert.deepEqual(stepsOf(before, first), ['confirm', 'detach', 'cordon', 'deregister', 'drain', 'post-drain', 'terminate', 'join', 'validate'], 'the paused-after node went all the way');
  assert.ok(!before.some((e) => 'instanceId' in e && e.instanceId === next), 'the next instance was not touched before the pause');
  const resumedAt = events.findIndex((e) => e.type === 'resumed');
  assert.ok(resumedAt > pauseIndex);
  assert.ok(events.slice(pauseIndex, resumedAt).every((e) => e.type !== 'step-started' && e.type !== 'confirm'), 'nothing starts while paused');
  const scheduled = events.filter((e) => e.type === 'pause-after-current').map((e) => (e as { scheduled: boolean }).scheduled);
  assert.deepEqual(scheduled, [true, false], 'scheduled, then consumed when it took hold');
  const view = events.reduce(reduceRollout, initialRolloutView);
  assert.equal(view.pauseAfterCurrent, false);
});

test('pause after a node in a wave of two: that node goes on alone, its wave-mate is asked after the resume', async () => {
  const world = await rolled({ controlPlanes: 1, nodes: 4, nodeSurge: 2 });
  const nodesGroup = world.groupOf('Node');
  // One worker already up to date: no canary, so the first wave holds two.
  [...world.instances.values()].find((i) => i.group === nodesGroup)!.version = world.versions.get(nodesGroup)!;
  const asked: ConfirmRequest[] = [];
  let pausedWhenAsked = 0;
  const { r, events } = run(world, {
    confirm: async (request) => {
      asked.push(request);
      if (request.group === nodesGroup && asked.filter((a) => a.group === nodesGroup).length === 1) r.pauseAfterCurrent();
      return 'yes';
    },
  });
  r.subscribe((e) => {
    if (e.type === 'paused') {
      pausedWhenAsked = asked.length;
      setTimeout(() => r.resume(), 20);
    }
  });
  const result = await r.done;
  assert.equal(result.status, 'finished', result.reason);
  assert.equal(result.replaced.length, 4);
  assert.equal(pausedWhenAsked, 2, 'paused after the first node, before its wave-mate was asked');
  const waves = events.filter((e): e is Extract<RolloutEvent, { type: 'wave-started' }> => e.type === 'wave-started' && e.group === nodesGroup);
  assert.deepEqual(
    waves.map((w) => [w.wave, w.instances.length]),
    [[1, 2], [1, 1], [2, 1]],
    'wave 1 went on with its second instance after the pause',
  );
  // Never more surging at once than planned: the cut-short wave replaced one, then one.
  assert.ok(world.lowest.get(nodesGroup)! >= 4);
});

test('skipping a stuck drain cancels it, uncordons the node, journals it as skipped and moves on', async () => {
  const world = await rolled({ controlPlanes: 1, nodes: 2 });
  const target = [...world.instances.values()].find((i) => i.group === world.groupOf('Node'))!;
  world.drainHangs.add(target.node.name);
  const { r, events } = run(world);
  let accepted: boolean | undefined;
  r.subscribe((e) => {
    if (e.type === 'drain-blocked' && e.instanceId === target.id && accepted === undefined) {
      assert.deepEqual(r.draining, [target.id]);
      accepted = r.skip(target.id);
    }
  });
  const result = await r.done;
  assert.equal(accepted, true);
  assert.equal(result.status, 'finished', result.reason);
  assert.deepEqual(result.skipped, [target.id]);
  assert.equal(result.replaced.length, 2, 'the control plane and the other node');
  assert.ok(world.instances.has(target.id), 'the skipped instance still runs');
  assert.equal(target.node.unschedulable, false, 'its node is schedulable again');
  assert.equal(r.skip(target.id), false, 'nothing to skip once the drain is over');
  const types = events.filter((e) => 'instanceId' in e && e.instanceId === target.id).map((e) => e.type);
  assert.ok(types.indexOf('skip-requested') < types.indexOf('uncordoned') && types.indexOf('uncordoned') < types.indexOf('skipped'), types.join(','));
  assert.ok(!stepsOf(events, target.id).includes('drain') && !stepsOf(events, target.id).includes('terminate'));
  const doc = (await readJournal(world.objects, CLUSTER))!;
  assert.deepEqual(
    doc.entries.filter((e) => e.instance === target.id).map((e) => e.step),
    ['confirm', 'detach', 'cordon', 'deregister', 'skip', 'uncordon'],
  );
  const view = events.reduce(reduceRollout, initialRolloutView);
  const row = view.instances.find((i) => i.id === target.id)!;
  assert.equal(row.skipped, true);
  assert.equal(row.blocked, undefined);
  assert.match(row.skipReason!, /drain was held up.*stays detached/);
});

test('a resumed run does not retry a skipped drain; a skip cut short before its uncordon is finished by the next run', async () => {
  const world = await rolled({ controlPlanes: 1, nodes: 2 });
  const [target, other] = [...world.instances.values()].filter((i) => i.group === world.groupOf('Node'));
  world.drainHangs.add(target.node.name);
  // Crash right when the node is to be uncordoned: the journal already says skipped.
  const crash = new AbortController();
  const deps = world.deps();
  const kube = deps.kube!;
  deps.kube = {
    ...kube,
    uncordon: async () => {
      crash.abort(new Error('killed before the uncordon'));
      throw new Error('killed before the uncordon');
    },
  };
  const first = run(world, { signal: crash.signal }, deps);
  first.r.subscribe((e) => e.type === 'drain-blocked' && e.instanceId === target.id && first.r.skip(target.id));
  const interrupted = await first.r.done;
  assert.equal(interrupted.status, 'interrupted');
  assert.equal(target.node.unschedulable, true, 'cordoned when the crash came');
  world.drainHangs.clear();
  const second = run(world, { breakStaleLock: true });
  const result = await second.r.done;
  assert.equal(result.status, 'finished', result.reason);
  assert.equal(target.node.unschedulable, false, 'the next run uncordoned it');
  assert.ok(world.instances.has(target.id), 'and did not replace it');
  assert.ok(!world.instances.has(other.id), 'the other node was replaced');
  assert.ok(!second.events.some((e) => e.type === 'confirm' && e.request.instanceId === target.id));
  const doc = (await readJournal(world.objects, CLUSTER))!;
  assert.deepEqual(doc.entries.filter((e) => e.instance === target.id).map((e) => e.step), ['confirm', 'detach', 'cordon', 'deregister', 'skip', 'uncordon']);
});
