// A termination the journal records but the cloud never acted on (a cloud
// that lost the write): the wait for the replacement says what it saw when it
// gives up, and the next run terminates the instance again instead of
// waiting in vain for a replacement the group will never launch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startRollout } from '../../src/engine/rollout/run-rollout.js';
import { readJournal } from '../../src/engine/rollout/journal.js';
import type { RolloutEvent } from '../../src/engine/rollout/types.js';
import { FakeWorld } from './fakes.js';

const CLUSTER = 'fake.example.com';

test('a lost termination is named when the wait gives up, and done again by the next run', async () => {
  const world = await new FakeWorld({ controlPlanes: 1, nodes: 0 }).init();
  world.bumpAll();
  const victim = [...world.instances.values()][0].id;

  const losing = world.deps();
  losing.cloud = { ...losing.cloud, terminate: async () => undefined };
  const first = await startRollout(losing, { cluster: CLUSTER, timings: { validationTimeoutMs: 60_000 } }).done;
  assert.equal(first.status, 'failed');
  assert.match(first.reason!, new RegExp(`${victim}, terminated by this rollout, still shows in service in the group, so no replacement was launched \\(a new run terminates it again\\)`));
  assert.ok(world.instances.has(victim), 'the cloud lost the termination');
  const journaled = (await readJournal(world.objects, CLUSTER))!.entries.filter((e) => e.instance === victim).map((e) => e.step);
  assert.ok(journaled.includes('terminate'), journaled.join(','));

  const events: RolloutEvent[] = [];
  const second = startRollout(world.deps(), { cluster: CLUSTER, timings: { validationTimeoutMs: 60_000 } });
  second.subscribe((e) => events.push(e));
  const result = await second.done;
  assert.equal(result.status, 'finished', result.reason);
  assert.equal(world.instances.has(victim), false, 'terminated this time');
  const warning = events.find((e) => e.type === 'warning');
  assert.ok(warning?.type === 'warning' && warning.message === `the journal says ${victim} was terminated, but its group still shows it in service: terminating it again`, JSON.stringify(warning));
});
