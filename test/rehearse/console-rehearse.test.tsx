// h on the rolling-update plan screen: the rehearsal runs in a private
// simulator and its report replaces the plan (predicted total, per group,
// blocked drains); the key is in help (with what it does); Esc returns to the
// plan; the source's nodes are the same objects afterwards.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Services } from '../../src/hooks/services.js';
import { rehearsalWorldOpener } from '../../src/startup/rehearsal-world.js';
import { keys, renderApp } from '../console/helpers.js';
import { consoleServicesFor, startRolloutHarness, type RolloutHarness } from '../helpers/sim-rollout.js';
import { outOfDate } from './rehearse-harness.js';
import { sourceSnapshot } from './snapshot.js';

const NAME = 'hr.k8s.local';
let h: RolloutHarness;
let services: Services;

before(async () => {
  h = await startRolloutHarness({ speed: 100, name: NAME, zones: ['us-east-1a'], controlPlaneCount: 1, nodeCount: 2 });
  await h.spreadDemoPods();
  await outOfDate(h, '1.32.5');
  services = { ...consoleServicesFor(h), openRehearsalWorld: rehearsalWorldOpener() };
});
after(async () => h?.close());

test('h rehearses the plan and shows the report; Esc goes back to the plan', { timeout: 120_000 }, async () => {
  const view = renderApp({ services, size: { columns: 160, rows: 50 }, initialRoute: { name: 'rollout', cluster: NAME } });
  try {
    await view.waitFor('Estimated duration', 20_000);
    view.press('?');
    const planHelp = await view.waitFor('Help: Rolling update of', 5_000);
    assert.match(planHelp, /\bh\b.*rehearse in a private simulator: predicted timeline, blocked drains, unavailable pods/);
    view.press(keys.escape);
    await view.waitFor((frame) => frame.includes('Estimated duration') && !frame.includes('Help: Rolling update of'), 5_000);
    const before = await sourceSnapshot(h);
    view.press('h');
    const report = await view.waitFor('Rehearsal of hr.k8s.local: the rolling update would', 90_000);
    assert.match(report, /Per group:/);
    assert.match(report, /nodes-us-east-1a +2 instance\(s\)/);
    assert.match(report, /Drains blocked by PodDisruptionBudgets:|No drain would block on a PodDisruptionBudget\./);
    assert.match(report, /Esc returns to the plan/);
    assert.deepEqual(await sourceSnapshot(h), before, 'the rehearsal changed nothing in the source cluster');
    view.press('?');
    const help = await view.waitFor('Help: Rolling update of', 5_000);
    assert.match(help, /back to the plan/);
    assert.match(help, /rehearse again/);
    view.press(keys.escape);
    await view.waitFor((frame) => frame.includes('Per group:') && !frame.includes('Help: Rolling update of'), 5_000);
    view.press(keys.escape);
    await view.waitFor('Estimated duration', 5_000);
  } finally {
    view.unmount();
  }
});
