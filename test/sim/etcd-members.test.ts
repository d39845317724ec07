// The simulator's etcd membership (src/sim/kube/etcd-members.ts) behaves as
// the real etcd does in test/bootstrap/etcd-members.test.ts: a member that
// came back on a new machine keeps its old peer address until the upkeep
// corrects it; the upkeep removes members no live machine has, never the last.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { membersAfterBoot, upkeepMembers, type EtcdMember } from '../../src/sim/kube/etcd-members.js';

let next = 0;
const newId = () => `m${++next}`;

test('init starts one member; a join adds one; a restore is the same member on the new machine, with its old peer address', () => {
  const [a] = membersAfterBoot([], 'init', { instanceId: 'i-a', ip: '10.0.0.1' }, newId);
  assert.deepEqual(a, { id: 'm1', instanceId: 'i-a', peerUrl: 'https://10.0.0.1:2380', clientUrl: 'https://10.0.0.1:2379' });
  assert.deepEqual(membersAfterBoot([a], 'join-control-plane', { instanceId: 'i-b', ip: '10.0.0.2' }, newId).map((m) => m.instanceId), ['i-a', 'i-b']);
  assert.deepEqual(membersAfterBoot([a], 'restore', { instanceId: 'i-c', ip: '10.0.0.3' }, newId), [{ id: 'm1', instanceId: 'i-c', peerUrl: 'https://10.0.0.1:2380', clientUrl: 'https://10.0.0.3:2379' }]);
});

test("the upkeep corrects a moved member's peer address, removes members no live machine has, and never the last one", () => {
  const member = (id: string, peer: string, client?: string): EtcdMember => ({ id, instanceId: `i-${id}`, peerUrl: `https://${peer}:2380`, ...(client ? { clientUrl: `https://${client}:2379` } : {}) });
  const moved = member('x', '10.0.0.1', '10.0.0.3');
  assert.deepEqual(upkeepMembers([moved], new Set(['10.0.0.3'])), [{ ...moved, peerUrl: 'https://10.0.0.3:2380' }]);
  const three = [member('a', '10.0.0.1', '10.0.0.1'), member('b', '10.0.0.2', '10.0.0.2'), member('c', '10.0.0.9', '10.0.0.9')];
  assert.deepEqual(upkeepMembers(three, new Set(['10.0.0.1', '10.0.0.2'])).map((m) => m.id), ['a', 'b']);
  assert.deepEqual(upkeepMembers(three, new Set()), three, 'no view of the live machines: nothing changes');
  assert.deepEqual(upkeepMembers([member('z', '10.0.0.9')], new Set(['10.0.0.1'])).map((m) => m.id), ['z'], 'etcd refuses to remove its last member');
});
