// The rollout never takes away the control-plane node whose etcd member etcd
// needs for its quorum: checked on the rule itself, and on a rollout whose
// validation passes while a control-plane node left behind by a gone instance
// is NotReady (validation judges the groups' instances; etcd still counts that
// member until it is removed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { etcdQuorumRefusal, quorumOf } from '../../src/engine/rollout/etcd-quorum.js';
import type { RolloutNode } from '../../src/engine/rollout/deps.js';
import { startRollout } from '../../src/engine/rollout/run-rollout.js';
import { FakeWorld } from './fakes.js';

const node = (n: number, ready: boolean, controlPlane = true): RolloutNode => ({ name: `cp-${n}`, instanceId: `i-${n}`, ready, unschedulable: false, controlPlane });

test("etcd's quorum is a majority of its members", () => {
  assert.deepEqual([1, 2, 3, 4, 5].map(quorumOf), [1, 2, 2, 3, 3]);
});

test('a control-plane node may go while the other healthy members keep the quorum', () => {
  assert.equal(etcdQuorumRefusal([node(1, true), node(2, true), node(3, true)], ['i-1']), undefined);
  assert.equal(etcdQuorumRefusal([node(1, true)], ['i-1']), undefined, 'one node: its etcd data waits on its volume');
  assert.equal(etcdQuorumRefusal([node(1, true), node(2, false), node(3, true)], ['i-2']), undefined, 'taking a member that does not vote changes nothing');
  assert.equal(etcdQuorumRefusal([node(1, true), node(2, true), node(3, true), node(9, false, false)], ['i-1']), undefined, 'a NotReady worker runs no etcd member');
});

test('a control-plane node is refused when the rest would fall below quorum, naming who is down', () => {
  const refusal = etcdQuorumRefusal([node(1, true), node(2, false), node(3, true)], ['i-1']);
  assert.equal(
    refusal,
    "not replacing control-plane node cp-1: etcd would be left with 1 healthy of 3 members, below its quorum of 2, and the cluster's API would stop (cp-2 is not Ready: bring it back, or remove its etcd member, first)",
  );
  assert.match(etcdQuorumRefusal([node(1, true), node(2, true)], ['i-1'])!, /left with 1 healthy of 2 members, below its quorum of 2/);
});

test('a rollout stops before cordoning a control-plane node that etcd needs, and nothing is drained or terminated', async () => {
  const world = await new FakeWorld({ controlPlanes: 3, nodes: 1 }).init();
  world.bumpAll();
  // A control-plane node whose instance is gone: validation no longer sees it, etcd still counts its member.
  world.strayNodes.push({ name: 'gone-cp', instanceId: 'i-gone', ready: false, unschedulable: false, controlPlane: true });
  const before = [...world.instances.keys()];
  const result = await startRollout(world.deps(), { cluster: 'fake.example.com' }).done;
  assert.equal(result.status, 'failed');
  assert.match(result.reason ?? '', /etcd would be left with 2 healthy of 4 members, below its quorum of 3/);
  assert.deepEqual([...world.instances.keys()], before, 'no instance was terminated');
  assert.equal(world.log.filter((line) => /^(cordon|drain|terminate)/.test(line)).length, 0, world.log.join('\n'));
});
