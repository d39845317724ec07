// A budget that allows no disruption at all (maxUnavailable 0) over a
// Deployment spread on every worker: every drain blocks until the drain
// timeout, and with --fail-on-drain-error=false the rollout goes on. The
// rehearsal must name every blocked drain and its budget, predict the
// duration within 15% of the real run (both in simulated time), and leave the
// source cluster untouched.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { REHEARSAL_SPEED } from '../../src/startup/rehearsal-world.js';
import { startRolloutHarness, type RolloutHarness } from '../helpers/sim-rollout.js';
import { addWorkload, outOfDate, rehearseHarness, relativeError, rollForReal, waitForApp, type RollSettings } from './rehearse-harness.js';
import { sourceSnapshot } from './snapshot.js';

let h: RolloutHarness;
before(async () => {
  h = await startRolloutHarness({ speed: REHEARSAL_SPEED, zones: ['us-east-1a'], controlPlaneCount: 1, nodeCount: 3 });
  await h.spreadDemoPods();
  await addWorkload(h, { namespace: 'demo', name: 'guarded', replicas: 3, pdb: { maxUnavailable: 0 } });
  await waitForApp(h, 'demo', 'guarded', 3);
});
after(async () => h?.close());

const settings: RollSettings = { timings: { drainTimeoutMs: 90_000 }, failOnDrainError: false };

test('a budget that allows nothing: every blocked drain predicted, duration within 15%, the source untouched', async () => {
  const plan = await outOfDate(h, '1.32.5');
  assert.equal(plan.totalInstances, 3);
  const before = await sourceSnapshot(h);
  const report = await rehearseHarness(h, plan, settings);
  const afterRehearsal = await sourceSnapshot(h);
  assert.deepEqual(afterRehearsal, before, 'the rehearsal changed nothing in the source cluster');

  assert.equal(report.status, 'finished', report.reason);
  const predicted = new Map(report.blockedDrains.map((b) => [b.node, new Set(b.pdbs)]));
  const guardedNodes = [...predicted].filter(([, pdbs]) => pdbs.has('demo/guarded'));
  assert.equal(guardedNodes.length, 3, 'each of the 3 workers is predicted to block on demo/guarded');
  for (const b of report.blockedDrains.filter((b) => b.pdbs.includes('demo/guarded'))) assert.ok(b.blockedMs >= 80_000, `${b.node} blocked about the drain timeout (${b.blockedMs} ms)`);

  const real = await rollForReal(h, plan, settings);
  assert.equal(real.status, 'finished');
  for (const [node, pdbs] of real.blocked) {
    for (const pdb of pdbs) assert.ok(predicted.get(node)?.has(pdb), `the real drain of ${node} blocked on ${pdb}: predicted`);
  }
  const error = relativeError(report.totalMs, real.durationMs);
  console.log(`blocking budget: predicted ${report.totalMs} ms, measured ${real.durationMs} ms (simulated), error ${(error * 100).toFixed(1)}%`);
  assert.ok(error <= 0.15, `predicted ${report.totalMs} ms vs measured ${real.durationMs} ms`);
});
