// The warm pool step looks at the pool again just before it terminates: an
// instance the group took into service since the plan (a scale-out) is a node
// with pods now, and is never terminated without a drain.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startRollout } from '../../src/engine/rollout/run-rollout.js';
import type { RolloutCloud } from '../../src/engine/rollout/deps.js';
import type { RolloutEvent } from '../../src/engine/rollout/types.js';
import { FakeWorld } from './fakes.js';

const CLUSTER = 'fake.example.com';

test('a warm instance taken into service since the plan is not terminated; the one still warm is, and the first is named', async () => {
  const world = await new FakeWorld({ controlPlanes: 1, nodes: 1 }).init();
  world.bumpAll();
  const deps = world.deps();
  const nodes = world.groupOf('Node');
  const warm = (id: string) => ({ id, lifecycleState: 'Warmed:Stopped', launchTemplateVersion: '1', needsUpdate: true, detached: false });
  const terminated: string[] = [];
  const cloud: RolloutCloud = {
    ...deps.cloud,
    listGroups: async (cluster) => (await deps.cloud.listGroups(cluster)).map((g) => (g.name === nodes ? { ...g, warmInstances: [warm('i-warm1'), warm('i-warm2')] } : g)),
    // Since the plan, the group grew and took i-warm1 into service.
    lookAtGroup: async (cluster, group) => {
      const view = await deps.cloud.lookAtGroup(cluster, group);
      return view && group.name === nodes ? { ...view, warmInstances: [{ id: 'i-warm2', lifecycleState: 'Warmed:Stopped' }] } : view;
    },
    terminate: async (ids, options) => {
      if (options.detached) terminated.push(...ids.filter((id) => id.startsWith('i-warm')));
      if (ids.some((id) => !id.startsWith('i-warm'))) await deps.cloud.terminate(ids.filter((id) => !id.startsWith('i-warm')), options);
    },
  };
  const events: RolloutEvent[] = [];
  const run = startRollout({ ...deps, cloud }, { cluster: CLUSTER });
  run.subscribe((e) => events.push(e));
  const result = await run.done;
  assert.equal(result.status, 'finished', result.reason);
  assert.deepEqual(terminated, ['i-warm2']);
  const warning = events.find((e) => e.type === 'warning');
  assert.ok(warning?.type === 'warning' && warning.message.startsWith('i-warm1 left the warm pool since the plan'), JSON.stringify(warning));
  const done = events.find((e) => e.type === 'warm-pool-terminated');
  assert.ok(done?.type === 'warm-pool-terminated' && done.instanceIds.join() === 'i-warm2');
});
