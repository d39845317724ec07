// A workload with all its replicas on one node, under a budget of
// minAvailable 1: that node's drain blocks until a replica has come back
// elsewhere. The rehearsal must place the replicas together as the source
// has them, predict that blocked drain, and the duration within 15%.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { REHEARSAL_SPEED } from '../../src/startup/rehearsal-world.js';
import { startRolloutHarness, type RolloutHarness } from '../helpers/sim-rollout.js';
import { addWorkload, outOfDate, rehearseHarness, relativeError, rollForReal, setUnschedulable, waitForApp, workerNames } from './rehearse-harness.js';

let h: RolloutHarness;
let packedOn = '';
before(async () => {
  h = await startRolloutHarness({ speed: REHEARSAL_SPEED, zones: ['us-east-1a'], controlPlaneCount: 1, nodeCount: 3 });
  await h.spreadDemoPods();
  const [first, ...others] = await workerNames(h);
  packedOn = first;
  await setUnschedulable(h, others, true);
  await addWorkload(h, { namespace: 'demo', name: 'packed', replicas: 3, pdb: { minAvailable: 1 } });
  const pods = await waitForApp(h, 'demo', 'packed', 3);
  await setUnschedulable(h, others, false);
  assert.deepEqual([...new Set(pods.map((p) => p.spec?.nodeName))], [first]);
});
after(async () => h?.close());

test('all replicas on one node: its blocked drain predicted, duration within 15%', async () => {
  const plan = await outOfDate(h, '1.32.5');
  const report = await rehearseHarness(h, plan);
  assert.equal(report.status, 'finished', report.reason);
  const predicted = report.blockedDrains.filter((b) => b.pdbs.includes('demo/packed'));
  assert.deepEqual(predicted.map((b) => b.node), [packedOn], `the drain of ${packedOn} blocks on demo/packed`);

  const real = await rollForReal(h, plan);
  assert.equal(real.status, 'finished');
  assert.ok(real.blocked.get(packedOn)?.has('demo/packed'), 'the real drain blocked there too');
  for (const [node, pdbs] of real.blocked) {
    for (const pdb of pdbs) assert.ok(report.blockedDrains.some((b) => b.node === node && b.pdbs.includes(pdb)), `the real drain of ${node} blocked on ${pdb}: predicted`);
  }
  const error = relativeError(report.totalMs, real.durationMs);
  console.log(`one node: predicted ${report.totalMs} ms, measured ${real.durationMs} ms (simulated), error ${(error * 100).toFixed(1)}%`);
  assert.ok(error <= 0.15, `predicted ${report.totalMs} ms vs measured ${real.durationMs} ms`);
});
