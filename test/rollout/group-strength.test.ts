// The wait for a group to be whole again, with a node watch: joined nodes are
// counted by their instance-group label, but a labelled node whose machine is
// not a member of the group (left behind by an earlier run) must not count.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RolloutGroupView, RolloutNode } from '../../src/engine/rollout/deps.js';
import type { RunContext } from '../../src/engine/rollout/run-context.js';
import type { RolloutEvent } from '../../src/engine/rollout/types.js';
import { waitForGroupStrength } from '../../src/engine/rollout/waits.js';
import { instantClock } from '../health/instant-clock.js';

const node = (instanceId: string, ready = true): RolloutNode => ({ name: `node-${instanceId}`, instanceId, instanceGroup: 'nodes-a', ready }) as RolloutNode;

function watchedContext(view: RolloutGroupView, nodes: Map<string, RolloutNode>) {
  const clock = instantClock(0);
  const events: RolloutEvent[] = [];
  const listeners = new Set<() => void>();
  const ctx = {
    cluster: 'c.example.com',
    signal: new AbortController().signal,
    cloudOnly: false,
    retired: new Set<string>(),
    timings: { joinPollMs: 10_000 },
    emit: (e: RolloutEvent) => events.push(e),
    deps: {
      clock,
      cloud: { lookAtGroup: async () => view },
      kube: {
        nodesByInstance: async () => new Map(nodes),
        onNodesChanged: (listener: () => void) => {
          listeners.add(listener);
          return () => listeners.delete(listener);
        },
      },
    },
  } as unknown as RunContext;
  return { ctx, events, clock, nodeJoined: (n: RolloutNode) => (nodes.set(n.instanceId, n), [...listeners].forEach((l) => l())) };
}

test('a labelled node outside the group does not make it whole; its replacement joining does', async () => {
  // i-old was just detached by the surge; i-stay is a member; i-orphan was detached by an earlier run and is still up.
  const view: RolloutGroupView = {
    name: 'nodes-a',
    desiredCapacity: 2,
    instances: [
      { id: 'i-stay', lifecycleState: 'InService', detached: false },
      { id: 'i-old', lifecycleState: 'InService', detached: false },
    ],
  };
  const nodes = new Map([['i-stay', node('i-stay')], ['i-old', node('i-old')], ['i-orphan', node('i-orphan')]]);
  const { ctx, events, nodeJoined } = watchedContext(view, nodes);
  let whole = false;
  const waiting = waitForGroupStrength(ctx, { group: 'nodes-a', groupName: 'nodes-a.c.example.com', kind: 'Node', leaving: ['i-old'], deadline: 10 * 60_000, known: view }).then(
    () => (whole = true),
  );
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(whole, false, 'the orphan counted as a joined replacement');
  const first = events.find((e) => e.type === 'waiting-for-replacement');
  assert.ok(first?.type === 'waiting-for-replacement' && first.ready === 1, JSON.stringify(first));
  nodeJoined(node('i-new'));
  await waiting;
  assert.equal(whole, true);
});
