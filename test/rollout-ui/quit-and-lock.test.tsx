// Quitting the console in the middle of a supervised rolling update stops it
// at once, as a crash would (nothing undone, the journal keeps its place), but
// lets go of the lock: the next run starts without anyone breaking a lock by
// hand. And a lock whose process is gone (killed in this process table) is
// taken over on its own, saying so, instead of stopping the console with a
// question meant for live or remote holders.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { processSpaceId } from '../../src/engine/process-space.js';
import { lockKey, readJournal, readLock } from '../../src/engine/rollout/index.js';
import { upgradeCluster } from '../../src/engine/rollout/upgrade.js';
import { rolloutSessionsFor } from '../../src/sessions/rollout-sessions.js';
import type { Services } from '../../src/hooks/services.js';
import { keys, renderApp, waitUntil } from '../console/helpers.js';
import { consoleServicesFor, startRolloutHarness, type RolloutHarness } from '../helpers/sim-rollout.js';

const NAME = 'quit.k8s.local';
let h: RolloutHarness;
let services: Services;

before(async () => {
  h = await startRolloutHarness({ speed: 400, name: NAME, zones: ['us-east-1a'], controlPlaneCount: 1, nodeCount: 1 });
  await upgradeCluster(h.store, NAME, '1.32.5');
  await h.update();
  services = consoleServicesFor(h);
});
after(async () => {
  const session = services && rolloutSessionsFor(services).peek(NAME);
  if (session?.running) await session.interrupt('the test ended');
  await h?.close();
});

test('q, confirmed, while a drain question waits: the run stops where it is, the lock is released, the journal resumes', { timeout: 60_000 }, async () => {
  const view = renderApp({ services, size: { columns: 200, rows: 60 }, initialRoute: { name: 'rollout', cluster: NAME } });
  const session = () => rolloutSessionsFor(services).peek(NAME)!;
  try {
    await view.waitFor('Estimated duration', 20_000);
    view.press(keys.enter);
    await view.waitFor('Drain node', 20_000);
    assert.ok(await readLock(h.store.objects, NAME), 'the running rollout holds the lock');
    view.press('q');
    const frame = (await view.waitFor('Quit while the rolling update')).replace(/[║\s]+/g, ' ');
    assert.match(frame, /It stops at once where it is and lets go of its lock; nothing is undone, and running it again resumes from its journal\./);
    view.press('y');
    await waitUntil(() => !session().running, 'the run to stop', 10_000);
  } finally {
    view.unmount();
  }
  assert.equal(await readLock(h.store.objects, NAME), null, 'no lock left behind');
  const journal = (await readJournal(h.store.objects, NAME))!;
  assert.equal(journal.status, 'running', 'left as a crash leaves it: the next run resumes it');
  assert.equal(session().getState().result?.status, 'interrupted');
});

test('a lock left by a process that is gone does not stop the console: it is taken over and the screen says so', { timeout: 60_000 }, async () => {
  const dead = spawnSync(process.execPath, ['-e', '']).pid!;
  const body = { holder: 'bob@laptop (console)', runId: 'r-dead', pid: dead, host: hostname(), space: processSpaceId(), acquiredAt: Date.now(), heartbeatAt: Date.now() };
  const current = await h.store.objects.get(lockKey(NAME));
  await h.store.objects.put(lockKey(NAME), JSON.stringify(body), { ifVersion: current?.version ?? null });
  const view = renderApp({ services, size: { columns: 200, rows: 60 }, initialRoute: { name: 'rollout', cluster: NAME } });
  const session = () => rolloutSessionsFor(services).peek(NAME)!;
  try {
    await view.waitFor('<r> plan again', 20_000).catch(() => undefined);
    if (session().getState().phase === 'ended') view.press('r');
    await view.waitFor('Estimated duration', 20_000);
    view.press(keys.enter);
    const frame = await view.waitFor('Took over the rollout lock', 20_000);
    assert.match(frame, new RegExp(`Took over the rollout lock: process ${dead} on .* \\(bob@laptop \\(console\\)\\) that held it no longer exists`));
    assert.equal(session().getState().phase, 'running');
  } finally {
    await session().interrupt('the test is done');
    view.unmount();
  }
});
