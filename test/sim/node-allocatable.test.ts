// A simulated node's capacity follows its instance type (the table, else
// EC2's naming), and its allocatable is a little below, as the kubelet reserves.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildNode } from '../../src/sim/kube/node-object.js';
import { memoryBytes, milliCpu } from '../../src/sim/kube/quantity.js';

const statusOf = (instanceType: string) => {
  const node = buildNode({ nodeName: 'n', instanceId: 'i-1', instanceType, role: 'Node', instanceGroup: 'nodes', zone: 'us-east-1a', kubernetesVersion: '1.36.3' } as never, 0, 0, 'True');
  return node.status as { capacity: Record<string, string>; allocatable: Record<string, string> };
};

test('capacity by instance type, from the table or the family naming', () => {
  const cases: [string, number, number][] = [['t3.medium', 2, 4], ['m5.xlarge', 4, 16], ['m5.4xlarge', 16, 64], ['c5.2xlarge', 8, 16], ['r6i.large', 2, 16], ['m7i-flex.xlarge', 4, 16]];
  for (const [type, cpu, gib] of cases) {
    const { capacity } = statusOf(type);
    assert.equal(milliCpu(capacity.cpu), cpu * 1000, type);
    assert.equal(memoryBytes(capacity.memory), gib * 2 ** 30, type);
  }
});

test('allocatable is below capacity, by a small reservation', () => {
  for (const type of ['t3.medium', 'm5.large', 'c5.4xlarge']) {
    const { capacity, allocatable } = statusOf(type);
    const cpuReserved = milliCpu(capacity.cpu) - milliCpu(allocatable.cpu);
    const memReserved = memoryBytes(capacity.memory) - memoryBytes(allocatable.memory);
    assert.ok(cpuReserved > 0 && cpuReserved <= 200, `${type} cpu reserved ${cpuReserved}m`);
    assert.ok(memReserved > 0 && memReserved <= 2 ** 30, `${type} memory reserved ${memReserved}`);
  }
});

test("a node reports the containerd its machine installed, else the one kops 1.36.2 installs for its Kubernetes version", () => {
  const runtimeOf = (record: Record<string, string>) =>
    (buildNode({ nodeName: 'n', instanceId: 'i-1', instanceType: 't3.medium', role: 'Node', instanceGroup: 'nodes', zone: 'us-east-1a', ...record } as never, 0, 0, 'True').status as { nodeInfo: { containerRuntimeVersion: string } }).nodeInfo
      .containerRuntimeVersion;
  assert.equal(runtimeOf({ kubernetesVersion: '1.36.3', containerdVersion: '2.9.9' }), 'containerd://2.9.9');
  assert.equal(runtimeOf({ kubernetesVersion: '1.36.3' }), 'containerd://2.2.4');
  assert.equal(runtimeOf({ kubernetesVersion: '1.31.9' }), 'containerd://1.7.32');
});
