// The rolling-update screen's Events block against the simulator (1 control
// plane + 1 worker, upgraded one minor): the cordon, the evictions, the lost
// node and its replacement, as the components report them, under the steps;
// and at 80x24 the block gives way so the header and the abort key stay.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { upgradeCluster } from '../../src/engine/rollout/upgrade.js';
import { eventSessionsFor } from '../../src/sessions/event-sessions.js';
import type { RolloutSession } from '../../src/sessions/rollout-session.js';
import { rolloutSessionsFor } from '../../src/sessions/rollout-sessions.js';
import type { Services } from '../../src/hooks/services.js';
import { keys, renderApp, waitUntil } from '../console/helpers.js';
import { consoleServicesFor, startRolloutHarness, type RolloutHarness } from '../helpers/sim-rollout.js';

const NAME = 'evrun.k8s.local';
const TITLE = 'Events: the nodes being replaced, new nodes, warnings';
let h: RolloutHarness;
let services: Services;

before(async () => {
  h = await startRolloutHarness({ speed: 400, name: NAME, zones: ['us-east-1a'], controlPlaneCount: 1, nodeCount: 1 });
  await upgradeCluster(h.store, NAME, '1.32.5');
  await h.update();
  services = consoleServicesFor(h);
  eventSessionsFor(services, { graceMs: 0, notifyIntervalMs: 50 });
});
after(async () => {
  const session = services && rolloutSessionsFor(services).peek(NAME);
  if (session?.running) {
    session.abort();
    await waitUntil(() => !session.running, 'the leftover run to stop', 20_000).catch(() => undefined);
  }
  await eventSessionsFor(services).closeAll();
  await h?.close();
});

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const eventLines = (frame: string) => {
  const lines = frame.split('\n');
  const at = lines.findIndex((l) => l.includes(TITLE));
  return at < 0 ? [] : lines.slice(at + 1).filter((l) => /^\d+[smh]\s+(Normal|Warning)\s/.test(l));
};

test('the Events of the nodes being replaced show under the steps, live; at 80x24 the header and the abort key stay', { timeout: 120_000 }, async () => {
  const view = renderApp({ services, size: { columns: 200, rows: 60 }, initialRoute: { name: 'rollout', cluster: NAME } });
  const session = () => rolloutSessionsFor(services).peek(NAME)! as RolloutSession;
  try {
    await view.waitFor('Estimated duration', 20_000);
    view.press(keys.enter);
    await view.waitFor('Drain node', 20_000);
    const controlPlane = session().getState().view.confirm!.nodeName!;
    view.press('y');
    // Cordoned by the rollout, told by its kubelet; then the machine goes and the node controller says so.
    let frame = await view.waitFor((f) => eventLines(f).some((l) => l.includes('NodeNotReady') && l.includes(controlPlane)), 60_000);
    assert.ok(eventLines(frame).some((l) => new RegExp(`Normal\\s+NodeNotSchedulable\\s+node/${escape(controlPlane)}\\s+Node ${escape(controlPlane)} status is now: NodeNotSchedulable`).test(l)), frame);
    assert.ok(eventLines(frame).length <= 4, 'a compact block: at most four Events');

    await waitUntil(() => session().getState().view.confirm?.group === 'nodes-us-east-1a', 'the worker question', 60_000);
    const worker = session().getState().view.confirm!.nodeName!;
    frame = await view.waitFor(`Drain node ${worker}?`);
    view.press('y');
    // Its pods are evicted: the kubelet stops their containers.
    frame = await view.waitFor((f) => eventLines(f).some((l) => /Normal\s+Killing\s+pod\/\S+\s+Stopping container \S+$/.test(l)), 60_000);
    assert.ok(eventLines(frame).every((l) => /^\d+[smh]\s+(Normal|Warning)\s+\S+\s+(node|pod)\/\S+\s+\S/.test(l)), frame);

    // The same run at 80x24: every line fits, the status line and the abort key are on screen.
    const small = renderApp({ services, size: { columns: 80, rows: 24 }, initialRoute: { name: 'rollout', cluster: NAME } });
    try {
      const tiny = await small.waitFor((f) => /\b(RUNNING|PAUSED|FINISHED)\b.*\breplaced\b/.test(f) && f.includes('abort'), 20_000);
      const lines = tiny.split('\n');
      assert.ok(lines.length <= 24, `${lines.length} lines:\n${tiny}`);
      assert.ok(lines.every((l) => l.length <= 80), tiny);
      assert.match(tiny, /Rolling update of evrun\.k8s\.local/);
      assert.match(lines.slice(-2).join('\n'), /<x> abort/);
      const shown = eventLines(tiny);
      assert.equal(new Set(shown).size, shown.length, 'no two Event lines read the same');
    } finally {
      small.unmount();
    }
  } finally {
    view.unmount();
  }
});
