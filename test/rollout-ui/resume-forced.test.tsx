// Resuming resumes: a forced rolling update interrupted in the console (quit)
// is planned, by the next console, as that rollout's own request (forced, the
// same instances, never their replacements), says so, and starting it
// continues the same journal.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readJournal } from '../../src/engine/rollout/index.js';
import { rolloutSessionsFor } from '../../src/sessions/rollout-sessions.js';
import type { Services } from '../../src/hooks/services.js';
import { planLines } from '../../src/screens/rollout/PlanView.js';
import { waitUntil } from '../console/helpers.js';
import { consoleServicesFor, startRolloutHarness, type RolloutHarness } from '../helpers/sim-rollout.js';

const NAME = 'resume.k8s.local';
let h: RolloutHarness;
let services: Services;

before(async () => {
  h = await startRolloutHarness({ speed: 400, name: NAME, zones: ['us-east-1a'], controlPlaneCount: 1, nodeCount: 2 });
  services = consoleServicesFor(h);
});
after(async () => {
  for (const s of [services]) {
    const session = rolloutSessionsFor(s).peek(NAME);
    if (session?.running) await session.interrupt('the test ended');
  }
  await h?.close();
});

test('a forced run quit after its first node is planned again as itself: forced, only what is left, and starting resumes its journal', { timeout: 90_000 }, async () => {
  const first = rolloutSessionsFor(services).acquire(NAME);
  await first.session.plan(true);
  await waitUntil(() => first.session.getState().phase === 'plan', 'the forced plan', 30_000);
  const total = first.session.getState().plan!.totalInstances;
  assert.equal(total, 3, 'every instance, forced');
  await first.session.start();
  const asked: string[] = [];
  await waitUntil(() => {
    const question = first.session.getState().view.confirm;
    if (question && !asked.includes(question.instanceId)) {
      asked.push(question.instanceId);
      if (asked.length === 1) first.session.answer('yes');
    }
    return asked.length === 2;
  }, 'the second question', 60_000);
  await first.session.interrupt('the console was quit');
  first.release();
  const stopped = (await readJournal(h.store.objects, NAME))!;
  assert.equal(stopped.status, 'running');
  assert.equal(stopped.request?.force, true);

  // The next console: a new registry, a plan without choosing force.
  const next: Services = { ...services };
  const again = rolloutSessionsFor(next).acquire(NAME);
  try {
    await again.session.plan();
    await waitUntil(() => again.session.getState().phase === 'plan', 'the plan of the next console', 30_000);
    const state = again.session.getState();
    assert.equal(state.force, true, 'the unfinished rollout was forced, and so is its plan');
    assert.equal(state.unfinished?.resumesAsStarted, true);
    const planned = new Set(stopped.planned);
    const left = state.plan!.groups.flatMap((g) => g.instances.map((i) => i.id));
    assert.ok(left.length >= 2 && left.length < total + 1, `what is left: ${left.join(', ')}`);
    assert.ok(left.every((id) => planned.has(id)), 'only instances the rollout set out to replace; never their replacements');
    assert.match(planLines(state.plan!, state.unfinished).join('\n'), /its journal covers \d+ instance\(s\) of the 3 it set out to replace\. Starting resumes exactly that rollout, with the force, groups and roles it was started with/);
    await again.session.start();
    await waitUntil(() => Boolean(again.session.getState().view.confirm), 'a question of the resumed run', 60_000);
    const resumed = (await readJournal(h.store.objects, NAME))!;
    assert.equal(resumed.runId, stopped.runId, 'the same rollout continues');
    assert.ok(planned.has(again.session.getState().view.confirm!.instanceId));
  } finally {
    await again.session.interrupt('the test is done');
    again.release();
  }
});
