// One label-selector matcher for the engine (which PodDisruptionBudget a drain
// waits on) and the simulator (which pods a budget covers, ?labelSelector=
// lists): they used to disagree on a budget with no selector (the simulator
// covered every pod of the namespace, the API server none) and on operators
// the API server refuses (the simulator ignored them, or took "in" for "In").
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { labelsMatch, requirementsOf, selectorMatches } from '../../src/engine/kube/label-selector.js';
import { parseLabelSelector } from '../../src/sim/kube/selectors.js';

const WEB = { app: 'web', tier: 'front' };

test('no selector selects nothing; an empty one selects everything', () => {
  assert.equal(selectorMatches(undefined, WEB), false);
  assert.equal(selectorMatches(null, WEB), false);
  assert.equal(requirementsOf(undefined), undefined);
  assert.equal(selectorMatches({}, WEB), true);
  assert.equal(selectorMatches({}, undefined), true);
});

test('matchLabels and the four operators, as the API server applies them', () => {
  assert.equal(selectorMatches({ matchLabels: { app: 'web' } }, WEB), true);
  assert.equal(selectorMatches({ matchLabels: { app: 'api' } }, WEB), false);
  assert.equal(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'back'] }] }, WEB), true);
  assert.equal(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['front'] }] }, WEB), false);
  assert.equal(selectorMatches({ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }, WEB), true, 'NotIn holds for a missing label');
  assert.equal(selectorMatches({ matchExpressions: [{ key: 'app', operator: 'Exists' }] }, WEB), true);
  assert.equal(selectorMatches({ matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, WEB), false);
});

test('an operator the API server refuses matches nothing, whatever its case', () => {
  assert.equal(selectorMatches({ matchExpressions: [{ key: 'app', operator: 'in', values: ['web'] }] }, WEB), false);
  assert.equal(selectorMatches({ matchExpressions: [{ key: 'app', operator: 'Equals', values: ['web'] }] }, WEB), false);
  assert.equal(requirementsOf({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'app', operator: 'Gt', values: ['1'] }] }), undefined);
});

test('only the labels an object has count: a key named like an Object method is absent', () => {
  assert.equal(selectorMatches({ matchExpressions: [{ key: 'constructor', operator: 'Exists' }] }, WEB), false);
  assert.equal(selectorMatches({ matchExpressions: [{ key: 'toString', operator: 'DoesNotExist' }] }, WEB), true);
});

test("a query's string selector and the same selector as an object match alike", () => {
  const pairs: [string, Parameters<typeof requirementsOf>[0]][] = [
    ['app=web', { matchLabels: { app: 'web' } }],
    ['tier in (front,back),app', { matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'back'] }, { key: 'app', operator: 'Exists' }] }],
    ['app!=web', { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['web'] }] }],
    ['!zone', { matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }] }],
  ];
  const labelSets: Record<string, string>[] = [WEB, { app: 'api' }, { zone: 'a' }, {}];
  for (const labels of labelSets) {
    for (const [text, object] of pairs) {
      assert.equal(labelsMatch(parseLabelSelector(text), labels), selectorMatches(object, labels), `${text} on ${JSON.stringify(labels)}`);
    }
  }
});
