// A node someone cordoned before the rollout reached it (for maintenance, a
// suspected bad disk) stays cordoned whatever the rollout does with it: a
// failed drain, a skipped drain and a resumed run that stops give it back to
// its load balancers but never uncordon it. Nodes the rollout cordoned itself
// are still uncordoned, and every screen and the CLI say which happened.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startRollout, type RolloutOptions } from '../../src/engine/rollout/run-rollout.js';
import { readJournal } from '../../src/engine/rollout/journal.js';
import { initialRolloutView, reduceRollout } from '../../src/engine/rollout/rollout-state.js';
import type { RolloutEvent } from '../../src/engine/rollout/types.js';
import { describeEvent } from '../../src/commands/rolling-update.js';
import { FakeWorld } from './fakes.js';

const CLUSTER = 'fake.example.com';

async function rolledWithACordonedNode() {
  const world = await new FakeWorld({ controlPlanes: 1, nodes: 2 }).init();
  world.bumpAll();
  const [cordoned, other] = [...world.instances.values()].filter((i) => i.group === world.groupOf('Node'));
  cordoned.node.unschedulable = true;
  return { world, cordoned, other };
}

function run(world: FakeWorld, options: Partial<RolloutOptions> = {}) {
  const r = startRollout(world.deps(), { cluster: CLUSTER, ...options });
  const events: RolloutEvent[] = [];
  r.subscribe((e) => events.push(e));
  return { r, events };
}

const eventsOf = (events: readonly RolloutEvent[], id: string) => events.filter((e) => 'instanceId' in e && e.instanceId === id);

test('a drain that fails leaves a node cordoned before the rollout cordoned, and says so', async () => {
  const { world, cordoned } = await rolledWithACordonedNode();
  world.drainBlocks.add(cordoned.node.name);
  const { r, events } = run(world, { timings: { drainTimeoutMs: 60_000 } });
  const result = await r.done;
  assert.equal(result.status, 'failed');
  assert.equal(cordoned.node.unschedulable, true, 'still cordoned, as it was');
  assert.ok(!world.log.includes(`uncordon ${cordoned.node.name}`), world.log.join('\n'));
  const types = eventsOf(events, cordoned.id).map((e) => e.type);
  assert.ok(types.includes('cordoned-before') && types.includes('left-cordoned') && !types.includes('uncordoned'), types.join(','));
  const left = events.find((e) => e.type === 'left-cordoned')!;
  assert.equal(describeEvent(left), `    ${cordoned.node.name}: left cordoned, as it was before the rollout (not drained when the rollout stopped)`);

  const doc = (await readJournal(world.objects, CLUSTER))!;
  const mine = doc.entries.filter((e) => e.instance === cordoned.id);
  assert.equal(mine.find((e) => e.step === 'cordon')?.cordonedBefore, true);
  assert.equal(mine.find((e) => e.step === 'uncordon')?.leftCordoned, true);
});

test('a node the rollout cordoned itself is still uncordoned when its drain fails', async () => {
  const { world, other } = await rolledWithACordonedNode();
  world.drainBlocks.add(other.node.name);
  const { r, events } = run(world, { timings: { drainTimeoutMs: 60_000 } });
  assert.equal((await r.done).status, 'failed');
  assert.equal(other.node.unschedulable, false);
  const types = eventsOf(events, other.id).map((e) => e.type);
  assert.ok(types.includes('uncordoned') && !types.includes('cordoned-before') && !types.includes('left-cordoned'), types.join(','));
});

test('skipping the drain of a node cordoned before the rollout leaves it cordoned; the screen says so before and after', async () => {
  const { world, cordoned } = await rolledWithACordonedNode();
  world.drainHangs.add(cordoned.node.name);
  const { r, events } = run(world);
  r.subscribe((e) => {
    if (e.type === 'drain-blocked' && e.instanceId === cordoned.id) r.skip(cordoned.id);
  });
  const result = await r.done;
  assert.equal(result.status, 'finished', result.reason);
  assert.deepEqual(result.skipped, [cordoned.id]);
  assert.equal(cordoned.node.unschedulable, true);
  const requested = events.find((e) => e.type === 'skip-requested');
  assert.ok(requested?.type === 'skip-requested' && requested.keepsCordon === true);
  const view = events.reduce(reduceRollout, initialRolloutView);
  const row = view.instances.find((i) => i.id === cordoned.id)!;
  assert.equal(row.cordonedBefore, true);
  assert.match(row.skipReason!, /^skipped while its drain was held up: left cordoned \(as it was before the rollout\) and not replaced/);
});

test('a run resumed after a crash remembers the node was cordoned before, and leaves it cordoned when it stops', async () => {
  const { world, cordoned } = await rolledWithACordonedNode();
  world.drainHangs.add(cordoned.node.name);
  const crash = new AbortController();
  const first = run(world, { signal: crash.signal });
  first.r.subscribe((e) => {
    if (e.type === 'drain-blocked' && e.instanceId === cordoned.id) crash.abort(new Error('killed'));
  });
  assert.equal((await first.r.done).status, 'interrupted');
  assert.equal(cordoned.node.unschedulable, true);

  world.drainHangs.delete(cordoned.node.name);
  world.drainBlocks.add(cordoned.node.name);
  const second = run(world, { timings: { drainTimeoutMs: 60_000 } });
  assert.equal((await second.r.done).status, 'failed');
  assert.equal(cordoned.node.unschedulable, true, 'the resumed run did not uncordon it');
  assert.ok(eventsOf(second.events, cordoned.id).some((e) => e.type === 'cordoned-before'), 'the resumed run says it again');
  assert.ok(eventsOf(second.events, cordoned.id).some((e) => e.type === 'left-cordoned'));
});

test("a crash between the rollout's cordon and its journal entry: the resumed run knows the cordon is its own, and uncordons the node when it stops", async () => {
  const world = await new FakeWorld({ controlPlanes: 1, nodes: 2 }).init();
  world.bumpAll();
  const target = [...world.instances.values()].find((i) => i.group === world.groupOf('Node'))!;
  const crash = new AbortController();
  const deps = world.deps();
  const kube = deps.kube!;
  const cordonThenDie: typeof kube.cordon = async (node, rolloutId) => {
    const mine = await kube.cordon(node, rolloutId);
    if (node === target.node.name) crash.abort(new Error('killed right after the cordon'));
    return mine;
  };
  const first = startRollout({ ...deps, kube: { ...kube, cordon: cordonThenDie } }, { cluster: CLUSTER, signal: crash.signal });
  assert.equal((await first.done).status, 'interrupted');
  assert.equal(target.node.unschedulable, true);
  const journaled = (await readJournal(world.objects, CLUSTER))!.entries.filter((e) => e.instance === target.id).map((e) => e.step);
  assert.ok(!journaled.includes('cordon'), `the cordon was not journaled: ${journaled.join(',')}`);

  world.drainBlocks.add(target.node.name);
  const second = run(world, { timings: { drainTimeoutMs: 60_000 } });
  assert.equal((await second.r.done).status, 'failed');
  const types = eventsOf(second.events, target.id).map((e) => e.type);
  assert.ok(!types.includes('cordoned-before') && types.includes('uncordoned'), types.join(','));
  assert.equal(target.node.unschedulable, false, 'its own cordon, given back');
});
