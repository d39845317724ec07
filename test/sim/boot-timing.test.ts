// A world given kubelet delays (a rehearsal's, measured on the cluster it
// stands in for) registers and readies its nodes after those delays, not the
// simulator's defaults. Times are read on the simulated clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { noFaults } from '../../src/sim/contracts.js';
import { ClusterWorld } from '../../src/sim/kube/cluster-world.js';
import { BOOT_TO_REGISTER_MS, REGISTER_TO_READY_MS, instanceRunning } from '../../src/sim/kube/node-lifecycle.js';
import { RecordingStats, testClock, testRandom } from '../helpers/sim-kube.js';
import { waitFor } from '../helpers/wait.js';

const NODE = 'ip-10-0-0-1.ec2.internal';

test('a world with measured boot timing registers its node and turns it Ready after those delays', async () => {
  const clock = testClock(2000);
  const timing = { bootToRegisterMs: 120_000, registerToReadyMs: 60_000 };
  assert.ok(timing.bootToRegisterMs > BOOT_TO_REGISTER_MS + 2_000 && timing.registerToReadyMs > REGISTER_TO_READY_MS, 'longer than the defaults, so the two cannot be confused');
  const world = new ClusterWorld('timed.k8s.local', { clock, random: testRandom(), faults: noFaults(), stats: new RecordingStats(), bootTiming: timing });
  try {
    world.seedWorkloads();
    const booted = clock.now();
    instanceRunning(
      world,
      { instanceId: 'i-1', zone: 'us-east-1a', instanceType: 't3.medium', imageId: 'ami-1', privateIp: '10.0.0.1', privateDnsName: NODE, userData: '', tags: {}, launchTime: booted },
      { cluster: 'timed.k8s.local', instanceGroup: 'nodes', role: 'Node', kubernetesVersion: '1.36.3' },
    );
    await waitFor(() => readyOf(world)?.status === 'True', { describe: 'the node to turn Ready', timeoutMs: 30_000, intervalMs: 5 });
    // Read the times the objects carry, not the clock when the poll saw them:
    // at 2,000x one poll interval is seconds of simulated time. Kubernetes
    // timestamps have whole seconds, so each reading may be 1 s early.
    const registered = Date.parse(String(world.store.get('nodes', NODE)?.metadata.creationTimestamp));
    const ready = Date.parse(readyOf(world)!.lastTransitionTime);
    // The registration's jitter is at most 2 s either way.
    assert.ok(registered - booted >= timing.bootToRegisterMs - 2_000 - 1_000, `registered ${registered - booted} ms after boot`);
    assert.ok(ready - registered >= timing.registerToReadyMs - 1_000, `Ready ${ready - registered} ms after registering`);
  } finally {
    world.close();
    clock.stop();
  }
});

function readyOf(world: ClusterWorld): { status: string; lastTransitionTime: string } | undefined {
  const node = world.store.get('nodes', NODE);
  const conditions = (node?.status as { conditions?: { type: string; status: string; lastTransitionTime: string }[] } | undefined)?.conditions;
  return conditions?.find((c) => c.type === 'Ready');
}
