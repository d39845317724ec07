// What the control plane survives, said truly for the count and the zones it
// is spread over: etcd keeps quorum with a majority, so 3 instances in 2 zones
// survive one instance but not the zone holding two of them.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup } from 'ink-testing-library';
import { WIZARD_STEPS, controlPlaneTolerance, defaultAnswers, type WizardEnvironment } from '../../src/engine/create/index.js';
import { keys } from '../console/helpers.js';
import { renderWizard } from './harness.js';
import { startBench, type Bench } from '../helpers/sim-console.js';

const A = 'us-east-1a';
const B = 'us-east-1b';
const C = 'us-east-1c';
const D = 'us-east-1d';
const E = 'us-east-1e';
const sentence = (controlPlaneCount: number, zones: string[]) => controlPlaneTolerance({ controlPlaneCount, zones }).sentence;

test('the sentence for each count and spread', () => {
  assert.equal(sentence(1, [A, B, C]), `no high availability: one instance in ${A}; if it fails, the API is down until it is replaced`);
  assert.equal(sentence(3, [A, B, C]), 'survives the loss of one instance or of any one zone (etcd keeps quorum with 2 of 3)');
  assert.equal(sentence(3, [A, B]), `survives the loss of one instance, but not of zone ${A}, which holds 2 of the 3 (etcd needs 2 for quorum)`);
  assert.equal(sentence(3, [A]), `survives the loss of one instance, but not of its zone ${A}, which holds all 3 (etcd needs 2 of 3 for quorum)`);
  // 5 in 3 zones: 2, 2 and 1; quorum is 3, so any one zone (at most 2 members) can go, not two.
  assert.equal(sentence(5, [A, B, C]), 'survives the loss of two instances or of any one zone (etcd keeps quorum with 3 of 5)');
  assert.equal(sentence(5, [A, B]), `survives the loss of two instances, but not of zone ${A}, which holds 3 of the 5 (etcd needs 3 for quorum)`);
  assert.equal(sentence(5, [A, B, C, D, E]), 'survives the loss of two instances or of any two zones (etcd keeps quorum with 3 of 5)');
  assert.equal(sentence(5, [A, B, C, D]), 'survives the loss of two instances or of any one zone (etcd keeps quorum with 3 of 5)');
  assert.equal(sentence(2, [A, B]), 'no high availability: etcd needs all 2 instances for quorum, so if any one fails the API is down until it is replaced');
  assert.equal(controlPlaneTolerance({ controlPlaneCount: 3, zones: [A, B] }).zonesForZoneLoss, 3);
  assert.equal(controlPlaneTolerance({ controlPlaneCount: 5, zones: [A, B] }).zonesForZoneLoss, 3);
});

test('the control-plane step: choices and verdict follow the zones chosen', () => {
  const env: WizardEnvironment = { defaultRegion: 'us-east-1', takenNames: [], hostedZones: [] };
  const ctx = { env, zones: [A, B, C, D] };
  const step = WIZARD_STEPS.find((s) => s.id === 'controlPlaneCount')!;
  assert.equal(step.kind, 'select');
  if (step.kind !== 'select') return;
  const three = { ...defaultAnswers(env, ctx.zones), controlPlaneCount: 3 };
  assert.deepEqual(
    step.choices(three, ctx).map((c) => c.description),
    [
      `no high availability: one instance in ${A}; if it fails, the API is down until it is replaced`,
      'highly available: survives the loss of one instance or of any one zone',
      'highly available: survives the loss of two instances or of any one zone',
    ],
  );
  assert.deepEqual(step.check(three, ctx), {
    note: `highly available: 3 instances (${A}, ${B}, ${C}); survives the loss of one instance or of any one zone (etcd keeps quorum with 2 of 3)`,
  });
  const twoZones = { ...three, zones: [A, B] };
  assert.equal(step.choices(twoZones, ctx)[1].description, `highly available: survives the loss of one instance, but not of zone ${A}, which holds 2 of the 3`);
  assert.deepEqual(step.check(twoZones, ctx), {
    warning:
      `highly available: 3 instances (2 in ${A}, 1 in ${B}); survives the loss of one instance, but not of zone ${A}, which holds 2 of the 3 (etcd needs 2 for quorum); ` +
      'choose 3 zones (go back to Availability zones) to survive the loss of any one',
  });
  // A region with only two zones: no advice that cannot be followed.
  assert.equal(step.check(twoZones, { env, zones: [A, B] }).warning!.includes('choose 3 zones'), false);
});

let bench: Bench;
before(async () => {
  bench = await startBench();
});
after(async () => {
  cleanup();
  await bench?.close();
});

test('the wizard: 3 instances in 2 zones are not said to survive the loss of a zone', async () => {
  const app = renderWizard(bench);
  for (let n = 1; n <= 2; n++) {
    await app.waitFor(`step ${n} of`);
    app.press(keys.enter);
  }
  await app.waitFor((f) => f.includes('step 3 of') && f.includes('Availability zones'));
  app.press(keys.down + keys.down);
  app.press(' '); // us-east-1c off: a and b remain
  await app.waitFor('[ ] us-east-1c');
  app.press(keys.enter);
  const frame = await app.waitFor((f) => f.includes('step 4 of') && f.includes('● 3 instances'));
  assert.doesNotMatch(frame, /\(or zone\)|or of any one zone/);
  assert.match(
    frame,
    /⚠ highly available: 3 instances \(2 in us-east-1a, 1 in us-east-1b\); survives the loss of one instance, but not of zone us-east-1a, which holds 2 of the 3 \(etcd needs 2 for quorum\); choose 3 zones \(go back to Availability zones\) to survive the loss of any one/,
  );
  app.press(keys.up);
  await app.waitFor('⚠ no high availability: one control-plane instance in us-east-1a; if it fails, the API is down until it is replaced');
  app.unmount();
});
