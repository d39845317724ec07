// The cloud poller's pace: the configured interval for ordinary clusters, and a
// floor proportional to the instance count for very large ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CloudPoller } from '../../src/engine/live-model/cloud-poller.js';
import { ClusterModel } from '../../src/engine/live-model/cluster-model.js';
import type { IgCloudState } from '../../src/engine/live-model/types.js';
import { instance } from './fixtures.js';
import { instantClock } from './instant-clock.js';

function group(instances: number): IgCloudState {
  return {
    name: 'nodes',
    groupName: 'nodes.example.com',
    role: 'Node',
    minSize: instances,
    maxSize: instances,
    targetSize: instances,
    zones: ['us-east-1a'],
    instances: Array.from({ length: instances }, (_, i) => instance(`i-${i}`, { instanceGroup: 'nodes' })),
  };
}

async function sleepsAfterPolls(instances: number, intervalMs: number): Promise<number[]> {
  const clock = { ...instantClock(), speed: 2 };
  const slept: number[] = [];
  let polls = 0;
  let release!: () => void;
  const done = new Promise<void>((resolve) => (release = resolve));
  const poller = new CloudPoller({
    inventory: {
      async listInstanceGroups() {
        polls += 1;
        if (polls === 3) release();
        return [group(instances)];
      },
    },
    model: new ClusterModel('example.com'),
    clock: {
      ...clock,
      sleep: async (ms, signal) => {
        slept.push(ms);
        await clock.sleep(ms, signal);
      },
    },
    intervalMs,
  });
  poller.start();
  await done;
  await poller.stop();
  return slept;
}

test('an ordinary cluster is polled at the configured interval', async () => {
  const slept = await sleepsAfterPolls(12, 10_000);
  assert.ok(slept.length >= 2);
  for (const ms of slept) assert.equal(ms, 10_000);
});

test('a cluster of thousands of instances is polled no more often than 5 ms of wall time per instance', async () => {
  const slept = await sleepsAfterPolls(5000, 10_000);
  assert.ok(slept.length >= 2);
  // 5,000 instances x 5 ms = 25 s of wall time, on a clock running twice as fast.
  for (const ms of slept) assert.equal(ms, 50_000);
});
