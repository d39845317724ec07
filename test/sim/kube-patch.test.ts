// The simulated API server's patches, as the real one applies them: JSON
// Patch (RFC 6902, through fast-json-patch) with deep `test`, no index past
// the end, no way into Object.prototype, and the target left unchanged;
// strategic merge replacing a node's taints (atomic in Kubernetes) and adding to finalizers as a set.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyPatch, PatchError } from '../../src/sim/kube/patch.js';

const JSON_PATCH = 'application/json-patch+json';
const STRATEGIC = 'application/strategic-merge-patch+json';
const doc = () => ({ metadata: { name: 'n', finalizers: ['a/keep'] }, spec: { list: [1, 2], obj: { a: 1, b: 2 }, taints: [{ key: 'x', effect: 'NoSchedule' }] } });

test('JSON Patch: test compares deeply whatever the key order; a failed test refuses the whole patch', () => {
  const ok = applyPatch(JSON_PATCH, doc(), [{ op: 'test', path: '/spec/obj', value: { b: 2, a: 1 } }, { op: 'replace', path: '/spec/obj/a', value: 9 }]);
  assert.equal((ok.spec as { obj: { a: number } }).obj.a, 9);
  assert.throws(() => applyPatch(JSON_PATCH, doc(), [{ op: 'test', path: '/spec/obj', value: { a: 1 } }]), PatchError);
});

test('JSON Patch: an index past the end and a path that does not resolve are refused; - appends', () => {
  assert.throws(() => applyPatch(JSON_PATCH, doc(), [{ op: 'add', path: '/spec/list/5', value: 3 }]), PatchError);
  assert.throws(() => applyPatch(JSON_PATCH, doc(), [{ op: 'replace', path: '/spec/missing/x', value: 3 }]), PatchError);
  assert.deepEqual((applyPatch(JSON_PATCH, doc(), [{ op: 'add', path: '/spec/list/-', value: 3 }]).spec as { list: number[] }).list, [1, 2, 3]);
});

test('JSON Patch: nothing reaches Object.prototype, and the target is never changed', () => {
  const target = doc();
  for (const path of ['/__proto__/polluted', '/spec/__proto__/polluted', '/constructor/prototype/polluted']) {
    assert.throws(() => applyPatch(JSON_PATCH, target, [{ op: 'add', path, value: true }]), PatchError, path);
  }
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  applyPatch(JSON_PATCH, target, [{ op: 'remove', path: '/spec/list/0' }]);
  assert.deepEqual(target, doc(), 'the stored object is only replaced by the result, never edited');
});

test('strategic merge: finalizers are added to as a set, taints replaced whole (an atomic list)', () => {
  const merged = applyPatch(STRATEGIC, doc(), { metadata: { finalizers: ['b/new', 'a/keep'] }, spec: { taints: [{ key: 'y', effect: 'PreferNoSchedule' }] } });
  assert.deepEqual((merged.metadata as { finalizers: string[] }).finalizers, ['a/keep', 'b/new']);
  assert.deepEqual((merged.spec as { taints: { key: string }[] }).taints.map((t) => t.key), ['y']);
});
