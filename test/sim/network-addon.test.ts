// A cluster booted by kubeadm has Ready nodes only once its first
// control-plane node installed a network add-on: until then every kubelet
// reports "cni plugin not initialized", as on a real machine. The add-on's
// DaemonSet is the one of the networking the user-data named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { noFaults } from '../../src/sim/contracts.js';
import { ClusterWorld } from '../../src/sim/kube/cluster-world.js';
import { markNodeReady, registerNode } from '../../src/sim/kube/node-lifecycle.js';
import { RecordingStats, testClock, testRandom } from '../helpers/sim-kube.js';

function worldWithNode(): ClusterWorld {
  const world = new ClusterWorld('net.k8s.local', { clock: testClock(1), random: testRandom(), faults: noFaults(), stats: new RecordingStats() });
  world.seedWorkloads();
  world.addInstance({ instanceId: 'i-1', nodeName: 'ip-10-0-0-1.ec2.internal', zone: 'us-east-1a', instanceType: 't3.medium', privateIp: '10.0.0.1', instanceGroup: 'nodes', role: 'Node', kubernetesVersion: '1.36.3' });
  registerNode(world, 'i-1');
  return world;
}

const ready = (world: ClusterWorld) =>
  (world.store.get('nodes', 'ip-10-0-0-1.ec2.internal')!.status as { conditions: { type: string; status: string }[] }).conditions.find((c) => c.type === 'Ready')!.status;
const networkDaemonSets = (world: ClusterWorld) =>
  [...world.store.values('daemonsets')].map((d) => d.metadata.name).filter((name) => name !== 'kube-proxy');

test('without a network add-on a kubeadm cluster keeps its nodes NotReady; with one they turn Ready', () => {
  const world = worldWithNode();
  world.kubeadm = true;
  markNodeReady(world, 'ip-10-0-0-1.ec2.internal');
  assert.equal(ready(world), 'False');
  world.installNetwork({ name: 'calico', version: 'v3.31.6' });
  markNodeReady(world, 'ip-10-0-0-1.ec2.internal');
  assert.equal(ready(world), 'True');
  assert.deepEqual(networkDaemonSets(world), ['calico-node'], "calico replaces the simulator's default cilium");
  world.close();
});

test("clusters not booted by kubeadm (kops' nodeup, the simulator's own seeds) are as before: Ready, running cilium", () => {
  const world = worldWithNode();
  markNodeReady(world, 'ip-10-0-0-1.ec2.internal');
  assert.equal(ready(world), 'True');
  assert.deepEqual(networkDaemonSets(world), ['cilium']);
  world.close();
});
