// The state machine on fakes (instant clock, in-memory store): order, limits,
// confirm answers, pause, abort, drain timeout, the lock, and resuming after
// a crash at every possible point with no step repeated or skipped.
import { test } from 'node:test';
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import assert from 'node:assert/strict';
import { startRollout, type RolloutOptions } from '../../src/engine/rollout/run-rollout.js';
import { journalKey, readJournal, stepsFor, type JournalDocument } from '../../src/engine/rollout/journal.js';
import { lockKey, RolloutLockedError } from '../../src/engine/rollout/lock.js';
import { initialRolloutView, reduceRollout } from '../../src/engine/rollout/rollout-state.js';
import type { ConfirmRequest, RolloutEvent } from '../../src/engine/rollout/types.js';
import { FakeWorld } from './fakes.js';
import { processSpaceId } from '../../src/engine/process-space.js';

const CLUSTER = 'fake.example.com';

async function rolled(options: { controlPlanes?: number; nodes?: number } = {}) {
  const world = await new FakeWorld(options).init();
  world.bumpAll();
  return world;
}

function run(world: FakeWorld, options: Partial<RolloutOptions> = {}) {
  const r = startRollout(world.deps(), { cluster: CLUSTER, ...options });
  const events: RolloutEvent[] = [];
  r.subscribe((e) => events.push(e));
  return { r, events };
}

/** Every instance in the journal went through exactly its steps, each once, in order. */
function assertExactlyOnce(doc: JournalDocument, world: FakeWorld) {
  const byInstance = new Map<string, string[]>();
  for (const e of doc.entries) byInstance.set(e.instance, [...(byInstance.get(e.instance) ?? []), e.step]);
  const surgeOf = new Map(doc.entries.filter((e) => e.step === 'confirm').map((e) => [e.instance, e.surge ?? false]));
  for (const [instance, steps] of byInstance) {
    const expected = stepsFor({ surge: surgeOf.get(instance)!, withoutKube: false, bastion: false });
    assert.deepEqual(steps, expected, `journal of ${instance}`);
    assert.equal(world.instances.has(instance), false, `${instance} was terminated`);
  }
}

test('a full rollout: control plane first, one at a time, nodes surge, nobody below maxUnavailable', async () => {
  const world = await rolled({ controlPlanes: 3, nodes: 6 });
  const { r, events } = run(world);
  const result = await r.done;
  assert.equal(result.status, 'finished', result.reason);
  assert.equal(result.replaced.length, 9);
  // Every instance now runs the new launch template version.
  for (const instance of world.instances.values()) assert.equal(instance.version, world.versions.get(instance.group));
  const groups = events.filter((e) => e.type === 'group-started').map((e) => (e as { kind: string }).kind);
  assert.deepEqual(groups, ['ControlPlane', 'ControlPlane', 'ControlPlane', 'Node']);
  // Control plane: one unavailable at a time; nodes (maxSurge 1, maxUnavailable 0): never below 6 in service.
  for (const ig of world.bundle.instanceGroups) {
    const limit = ig.spec.role === 'Node' ? 0 : 1;
    assert.ok(ig.spec.minSize! - world.lowest.get(ig.metadata.name)! <= limit, `${ig.metadata.name} lowest ${world.lowest.get(ig.metadata.name)}`);
  }
  assert.ok(world.log.some((l) => l.startsWith('detach')), 'nodes surged');
  const doc = (await readJournal(world.objects, CLUSTER))!;
  assert.equal(doc.status, 'finished');
  assertExactlyOnce(doc, world);
  assert.equal(await world.objects.get(lockKey(CLUSTER)), null, 'lock released');
  // The UI view folds the same events.
  const view = events.reduce(reduceRollout, initialRolloutView);
  assert.equal(view.status, 'finished');
  assert.equal(view.instances.length, 9);
  assert.ok(view.instances.every((i) => i.steps.validate?.state === 'done'));
  assert.equal(view.eta?.remainingMs, 0);
});

test('a crash at any step, then a new run, finishes with no step repeated or skipped', async () => {
  // Count the mutations and journaled steps of an uninterrupted run, then crash at each of them.
  const probe = await rolled({ controlPlanes: 1, nodes: 2 });
  let points = 0;
  const counting = run(probe);
  counting.r.subscribe((e) => e.type === 'step-finished' && points++);
  await counting.r.done;
  const mutations = probe.log.length;
  let interruptions = 0;
  for (let crashAt = 1; crashAt <= points + mutations; crashAt++) {
    const world = await rolled({ controlPlanes: 1, nodes: 2 });
    const crash = new AbortController();
    let seen = 0;
    const tick = () => ++seen === crashAt && crash.abort(new Error(`crash at point ${crashAt}`));
    world.onMutation = tick; // mid-step: the cloud acted, the journal does not know yet
    const first = run(world, { signal: crash.signal });
    first.r.subscribe((e) => e.type === 'step-finished' && tick());
    const interrupted = await first.r.done;
    if (interrupted.status === 'interrupted') interruptions++;
    world.onMutation = undefined;
    // A crash after the last step: the first run finished, its journal is the one to check.
    const finishedFirst = interrupted.status === 'finished' ? await readJournal(world.objects, CLUSTER) : null;
    const second = await run(world, { breakStaleLock: true }).r.done;
    assert.equal(second.status, 'finished', `crash at ${crashAt} (${interrupted.status}): ${second.reason}`);
    const doc = finishedFirst ?? (await readJournal(world.objects, CLUSTER))!;
    assertExactlyOnce(doc, world);
    assert.equal(new Set(doc.entries.map((e) => e.instance)).size, 3, `crash at ${crashAt}: every instance replaced`);
    assert.equal([...world.instances.values()].filter((i) => i.version !== world.versions.get(i.group)).length, 0);
  }
  // Every point but the very last ones (after the last step) interrupts a run.
  assert.ok(interruptions >= points + mutations - 2, `${interruptions} of ${points + mutations} crash points interrupted a run`);
});

test('skip leaves the instance alone; abort stops before the next drain', async () => {
  const world = await rolled({ controlPlanes: 1, nodes: 3 });
  const nodesGroup = world.groupOf('Node');
  const asked: ConfirmRequest[] = [];
  const answers = ['yes', 'skip', 'yes', 'abort'] as const;
  const { r } = run(world, { confirm: async (request) => answers[asked.push(request) - 1] });
  const result = await r.done;
  assert.equal(result.status, 'aborted');
  assert.equal(result.skipped.length, 1);
  assert.equal(result.replaced.length, 2);
  const skipped = result.skipped[0];
  assert.ok(world.instances.has(skipped), 'the skipped instance still runs');
  assert.equal(world.instances.get(skipped)!.node.unschedulable, false, 'and was never cordoned');
  assert.equal(asked[1].group, nodesGroup);
  assert.deepEqual(asked[1].evict.map((p) => [p.name, p.pdb?.name, p.pdb?.disruptionsAllowed]), [[`web-${asked[1].nodeName}`, 'web', 1]]);
  assert.deepEqual(asked[1].leftAlone.map((p) => p.ownerKind), ['DaemonSet']);
  assert.equal(asked[3].position, 4);
  const untouched = [...world.instances.values()].filter((i) => i.group === nodesGroup && i.version !== world.versions.get(nodesGroup));
  assert.equal(untouched.length, 2, 'the skipped one and the aborted one remain');
  assert.ok(untouched.every((i) => !i.node.unschedulable), 'abort left no node cordoned');
  assert.equal((await readJournal(world.objects, CLUSTER))!.status, 'aborted');
});

test('a drain blocked past its timeout stops the rollout naming the pods and budget, and uncordons the node', async () => {
  const world = await rolled({ controlPlanes: 1, nodes: 2 });
  const target = [...world.instances.values()].find((i) => i.group === world.groupOf('Node'))!;
  world.drainBlocks.add(target.node.name);
  const { r, events } = run(world, { timings: { drainTimeoutMs: 60_000 } });
  const result = await r.done;
  assert.equal(result.status, 'failed');
  assert.match(result.reason!, new RegExp(`drain of node ${target.node.name} did not finish within 1m.*demo/web-${target.node.name}.*PodDisruptionBudget demo/web, 0 disruption`));
  const blocked = events.find((e) => e.type === 'drain-blocked');
  assert.ok(blocked && blocked.type === 'drain-blocked' && blocked.blocked[0].pdb?.name === 'web');
  assert.equal(target.node.unschedulable, false, 'a node that was not drained is uncordoned');
  assert.ok(events.some((e) => e.type === 'uncordoned'));
});

test('abort can leave the half-drained node cordoned when the user chooses so', async () => {
  const world = await rolled({ controlPlanes: 1, nodes: 1 });
  const target = [...world.instances.values()].find((i) => i.group === world.groupOf('Node'))!;
  world.drainBlocks.add(target.node.name);
  const { r } = run(world);
  r.subscribe((e) => e.type === 'step-finished' && e.step === 'cordon' && e.instanceId === target.id && r.abort({ cordoned: 'leave-cordoned' }));
  const result = await r.done;
  assert.equal(result.status, 'aborted');
  assert.equal(target.node.unschedulable, true);
});

test('after an abort that left a node cordoned, the next supervised run asks again before draining it: a yes drains it, a skip gives it back', async () => {
  for (const answer of ['yes', 'skip'] as const) {
    const world = await rolled({ controlPlanes: 1, nodes: 1 });
    const target = [...world.instances.values()].find((i) => i.group === world.groupOf('Node'))!;
    world.drainBlocks.add(target.node.name);
    const first = run(world, { confirm: async () => 'yes' });
    first.r.subscribe((e) => e.type === 'step-finished' && e.step === 'cordon' && e.instanceId === target.id && first.r.abort({ cordoned: 'leave-cordoned' }));
    assert.equal((await first.r.done).status, 'aborted');
    assert.equal(target.node.unschedulable, true, 'left cordoned, confirmed, not drained');
    world.drainBlocks.delete(target.node.name);

    const asked: ConfirmRequest[] = [];
    const second = run(world, { confirm: async (request) => (asked.push(request), request.instanceId === target.id ? answer : 'yes') });
    const result = await second.r.done;
    const question = asked.find((q) => q.instanceId === target.id);
    assert.ok(question, `${answer}: the cordoned node was asked about again before any drain`);
    assert.match(question.earlierRun ?? '', /An earlier run confirmed this instance and stopped before replacing it: its node is cordoned, not drained; it is detached from its group\./);
    const drainedBeforeAnswer = second.events.findIndex((e) => e.type === 'step-started' && e.step === 'drain' && e.instanceId === target.id);
    const answered = second.events.findIndex((e) => e.type === 'confirmed' && e.instanceId === target.id);
    const journal = (await readJournal(world.objects, CLUSTER))!;
    const confirms = journal.entries.filter((e) => e.instance === target.id && e.step === 'confirm');
    if (answer === 'yes') {
      assert.equal(result.status, 'finished', result.reason);
      assert.ok(answered >= 0 && drainedBeforeAnswer > answered, 'drained only after the answer');
      assert.equal(world.instances.has(target.id), false, 'replaced');
      assert.equal(confirms.length, 1, 'the answer again is not a second confirm step in the journal');
    } else {
      assert.equal(drainedBeforeAnswer, -1, 'never drained');
      assert.ok(world.instances.has(target.id), 'not replaced');
      assert.equal(target.node.unschedulable, false, 'its node given back (uncordoned)');
      assert.ok(result.skipped.includes(target.id));
    }
  }
});

test('pause holds the rollout between steps until resume', async () => {
  const world = await rolled({ controlPlanes: 1, nodes: 2 });
  const { r, events } = run(world);
  let pausedAt = -1;
  r.subscribe((e) => {
    if (e.type === 'step-finished' && e.step === 'validate' && pausedAt < 0) {
      r.pause();
      pausedAt = events.length;
      setTimeout(() => r.resume(), 50);
    }
  });
  const result = await r.done;
  assert.equal(result.status, 'finished');
  const after = events.slice(pausedAt);
  const resumedIndex = after.findIndex((e) => e.type === 'resumed');
  assert.ok(resumedIndex > 0);
  assert.ok(after.slice(0, resumedIndex).every((e) => e.type !== 'step-started'), 'no step starts while paused');
});

test('one rollout per cluster: a live lock refuses, a stale one needs breakStaleLock', async () => {
  const world = await rolled({ controlPlanes: 1, nodes: 1 });
  const live = { holder: 'bob@elsewhere', runId: 'x', pid: 1, host: 'elsewhere', acquiredAt: Date.now(), heartbeatAt: Date.now() };
  await world.objects.put(lockKey(CLUSTER), JSON.stringify(live), { ifVersion: null });
  const refused = await run(world).r.done;
  assert.equal(refused.status, 'failed');
  assert.match(refused.reason!, /already running: bob@elsewhere/);
  const stale = { ...live, heartbeatAt: Date.now() - 10 * 60_000 };
  const current = (await world.objects.get(lockKey(CLUSTER)))!;
  await world.objects.put(lockKey(CLUSTER), JSON.stringify(stale), { ifVersion: current.version });
  const stillRefused = await run(world).r.done;
  assert.match(stillRefused.reason!, /stale lock/);
  const taken = await run(world, { breakStaleLock: true }).r.done;
  assert.equal(taken.status, 'finished', taken.reason);
  assert.ok(new RolloutLockedError(CLUSTER, stale, true).message.includes('stopped answering'));
});

test('a new request after a failed one plans what it asks for, not the failed run\'s instances', async () => {
  // Nothing is out of date: only --force picks instances, so the plan shows which request was used.
  const world = await new FakeWorld({ controlPlanes: 1, nodes: 2 }).init();
  const nodesGroup = world.groupOf('Node');
  const controlPlane = world.groupOf('ControlPlane');
  const blocked = [...world.instances.values()].find((i) => i.group === nodesGroup)!;
  world.drainBlocks.add(blocked.node.name);
  const failed = await run(world, { force: true, instanceGroups: [nodesGroup], timings: { drainTimeoutMs: 60_000 } }).r.done;
  assert.equal(failed.status, 'failed');
  assert.equal((await readJournal(world.objects, CLUSTER))!.status, 'failed');
  world.drainBlocks.clear();
  const before = [...world.instances.values()].filter((i) => i.group === controlPlane).map((i) => i.id);
  const { r, events } = run(world, { force: true, instanceGroups: [controlPlane] });
  const result = await r.done;
  assert.equal(result.status, 'finished', result.reason);
  assert.deepEqual(result.replaced, before, 'the control plane asked for was replaced');
  const plan = events.find((e) => e.type === 'plan');
  assert.ok(plan?.type === 'plan' && !plan.resumed);
  assert.deepEqual(plan.plan.order, [controlPlane]);
  // The nodes again: a new forced rollout (the control plane's finished in between) that
  // also takes the instance the failed run detached.
  const again = await run(world, { force: true, instanceGroups: [nodesGroup] }).r.done;
  assert.equal(again.status, 'finished', again.reason);
  assert.ok(again.replaced.includes(blocked.id));
  assert.equal(again.replaced.length, 3, 'both members and the detached leftover');
});

test('a new request does not strand instances an interrupted one left half-done', async () => {
  const world = await new FakeWorld({ controlPlanes: 1, nodes: 2 }).init();
  const nodesGroup = world.groupOf('Node');
  const controlPlane = world.groupOf('ControlPlane');
  const crash = new AbortController();
  const first = run(world, { force: true, instanceGroups: [nodesGroup], signal: crash.signal });
  first.r.subscribe((e) => e.type === 'step-finished' && e.step === 'drain' && crash.abort(new Error('killed after a drain')));
  assert.equal((await first.r.done).status, 'interrupted');
  const drained = [...world.instances.values()].find((i) => i.node.unschedulable)!;
  assert.ok(drained, 'one node is cordoned and drained');
  const journalBefore = await world.objects.get(journalKey(CLUSTER));
  const refused = await run(world, { force: true, instanceGroups: [controlPlane], breakStaleLock: true }).r.done;
  assert.equal(refused.status, 'failed');
  assert.match(refused.reason!, new RegExp(`\\(--instance-group ${nodesGroup} --force\\).*half-done: ${drained.id} \\(${drained.node.name}\\) in ${nodesGroup} after drain.*include ${nodesGroup}`));
  assert.deepEqual(await world.objects.get(journalKey(CLUSTER)), journalBefore, 'the refused run wrote nothing');
  // A request that covers the group finishes the carried instance from where it stopped.
  const both = await run(world, { force: true, breakStaleLock: true }).r.done;
  assert.equal(both.status, 'finished', both.reason);
  const doc = (await readJournal(world.objects, CLUSTER))!;
  const stepsOf = (id: string) => doc.entries.filter((e) => e.instance === id).map((e) => e.step);
  assert.deepEqual(stepsOf(drained.id), stepsFor({ surge: true, withoutKube: false, bastion: false }), 'no step of the carried instance repeated or skipped');
  assert.ok(doc.carriedFrom);
  assert.equal(world.instances.has(drained.id), false);
});

test('the lock of a process that died in this process table is taken over without asking, and said so; a live, remote or containerised holder still needs the confirmation', async () => {
  const world = await rolled({ controlPlanes: 1, nodes: 1 });
  const dead = spawnSync(process.execPath, ['-e', '']).pid!;
  const base = { holder: 'alice@here', runId: 'r1', host: hostname(), space: processSpaceId(), acquiredAt: Date.now(), heartbeatAt: Date.now() };
  const put = async (body: object) => {
    const current = await world.objects.get(lockKey(CLUSTER));
    await world.objects.put(lockKey(CLUSTER), JSON.stringify(body), { ifVersion: current ? current.version : null });
  };
  // Alive on this host (this very process), heartbeat fresh: refused, even with breakStaleLock.
  await put({ ...base, pid: process.pid });
  const refused = await run(world, { breakStaleLock: true }).r.done;
  assert.equal(refused.status, 'failed');
  assert.match(refused.reason!, /already running: alice@here/);
  assert.deepEqual(refused.locked, { holder: 'alice@here', pid: process.pid, host: hostname(), stale: false });
  // Another host, heartbeat stopped: stale, but we cannot see it die: needs breakStaleLock.
  await put({ ...base, pid: dead, host: 'elsewhere', space: 'elsewhere', heartbeatAt: Date.now() - 10 * 60_000 });
  const stale = await run(world).r.done;
  assert.equal(stale.status, 'failed');
  assert.equal(stale.locked?.stale, true);
  // Same host name, another process table (a container with this host name): its pid means nothing here, so it is not presumed dead.
  await put({ ...base, pid: dead, space: 'another-container' });
  const container = await run(world, { breakStaleLock: true }).r.done;
  assert.equal(container.status, 'failed');
  assert.match(container.reason!, /already running: alice@here/);
  // A lock of an older version (no process table recorded): never presumed dead either.
  const { space: _unrecorded, ...older } = base;
  await put({ ...older, pid: dead });
  assert.match((await run(world, { breakStaleLock: true }).r.done).reason!, /already running: alice@here/);
  // Dead in this process table, heartbeat fresh (it was killed a moment ago): taken over at once.
  await put({ ...base, pid: dead });
  const { r, events } = run(world);
  const result = await r.done;
  assert.equal(result.status, 'finished', result.reason);
  const taken = events.find((e) => e.type === 'lock-taken-over');
  assert.ok(taken?.type === 'lock-taken-over');
  assert.equal(taken.pid, dead);
  assert.match(taken.reason, new RegExp(`process ${dead} on .* no longer exists`));
  assert.ok(events.indexOf(taken) < events.findIndex((e) => e.type === 'plan'));
  assert.equal(await world.objects.get(lockKey(CLUSTER)), null, 'released at the end');
});
