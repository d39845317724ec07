// A full zone: one zone, two of three workers tainted for other work, no
// surge (maxSurge 0, maxUnavailable 1). When the one open worker drains, its
// pods have nowhere to go until its replacement joins. The rehearsal must say
// so. The demo workloads' budgets block that drain too (their pods have
// nowhere to go either): drains give up after 2 minutes and the rollout goes on.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { REHEARSAL_SPEED } from '../../src/startup/rehearsal-world.js';
import { startRolloutHarness, type RolloutHarness } from '../helpers/sim-rollout.js';
import { addWorkload, outOfDate, type RollSettings, rehearseHarness, relativeError, rollForReal, waitForApp, workerNames } from './rehearse-harness.js';

let h: RolloutHarness;
before(async () => {
  h = await startRolloutHarness({ speed: REHEARSAL_SPEED, zones: ['us-east-1a'], controlPlaneCount: 1, nodeCount: 3 });
  const [, ...tainted] = await workerNames(h);
  for (const node of tainted) {
    await h.kube.request('PATCH', `/api/v1/nodes/${node}`, { body: { spec: { taints: [{ key: 'dedicated', value: 'infra', effect: 'NoSchedule' }] } }, contentType: 'application/merge-patch+json' });
  }
  await addWorkload(h, { namespace: 'demo', name: 'boxed', replicas: 2 });
  await waitForApp(h, 'demo', 'boxed', 2);
  const group = (await h.store.listInstanceGroups(h.name)).find((g) => g.value.spec.role === 'Node')!;
  group.value.spec.rollingUpdate = { maxSurge: 0, maxUnavailable: 1 };
  await h.store.putInstanceGroup(h.name, group.value, group.version);
});
after(async () => h?.close());

const settings: RollSettings = { timings: { drainTimeoutMs: 120_000 }, failOnDrainError: false };

test('no room while the open worker drains: stranded pods predicted, duration within 15%', async () => {
  const plan = await outOfDate(h, '1.32.5');
  assert.equal(plan.groups.find((g) => g.instances.length > 0)?.settings.maxSurge, 0);
  const report = await rehearseHarness(h, plan, settings);
  assert.equal(report.status, 'finished', report.reason);
  const boxed = report.stranded.find((s) => s.workload === 'demo/boxed');
  assert.ok(boxed, `demo/boxed predicted to have nowhere to go (stranded: ${JSON.stringify(report.stranded)})`);
  assert.match(boxed.message, /untolerated taint \{dedicated: infra\}|unschedulable/);
  assert.equal(report.availability.find((a) => a.workload === 'demo/boxed')?.peakUnavailable, 2, 'both replicas down at once');

  const real = await rollForReal(h, plan, settings);
  assert.equal(real.status, 'finished');
  const error = relativeError(report.totalMs, real.durationMs);
  console.log(`no capacity: predicted ${report.totalMs} ms, measured ${real.durationMs} ms (simulated), error ${(error * 100).toFixed(1)}%`);
  assert.ok(error <= 0.15, `predicted ${report.totalMs} ms vs measured ${real.durationMs} ms`);
});
