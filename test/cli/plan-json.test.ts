// The `update cluster -o json` document (README "In pipelines"), exactly, on a
// plan of fake tasks with one of each: create, modify, unchanged, deletion and
// a resource left alone. The CLI run against the simulator is exit-codes.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildPlan } from '../../src/engine/reconcile/plan.js';
import { planJson } from '../../src/engine/reconcile/plan-json.js';
import { fakeContext, fakeTask, fakeWorld } from '../reconcile/fake-tasks.js';

test('planJson: changes by task key with action, fields and field changes; deletions; counts; the earlier lists kept', () => {
  const world = fakeWorld({ same: 1, changed: 5 });
  const plan = buildPlan([fakeTask(world, 'same', 1), fakeTask(world, 'changed', 6), fakeTask(world, 'fresh', 7)], fakeContext(), [
    { key: 'AutoscalingGroup/old', kind: 'AutoscalingGroup', name: 'old.example.com', id: 'old.example.com', dependencies: [], remove: async () => {} },
  ]);
  plan.leftAlone.push({ kind: 'LaunchTemplate', name: 'theirs', reason: 'made by kops' });
  const ownership = { cluster: plan.clusterName, manager: 'kopsdeck' as const, evidence: [] };
  const document = planJson({ plan, ownership, secretsToGenerate: ['ca'], changesPending: true });
  const parsed = JSON.parse(JSON.stringify(document)) as Record<string, unknown>;
  assert.deepEqual(Object.keys(parsed), ['formatVersion', 'cluster', 'changesPending', 'summary', 'changes', 'deletions', 'leftAlone', 'secrets', 'ownership', 'plan']);
  assert.equal(parsed.formatVersion, 1);
  assert.equal(parsed.changesPending, true);
  assert.deepEqual(parsed.summary, { create: 1, modify: 1, delete: 1, unchanged: 1, leftAlone: 1, secretsToGenerate: 1 });
  assert.deepEqual(parsed.changes, {
    'VPC/changed': { action: 'modify', kind: 'VPC', name: 'changed', id: 'id-changed', fields: {}, changes: [{ field: 'Value', old: '5', new: '6' }] },
    'VPC/fresh': { action: 'create', kind: 'VPC', name: 'fresh', id: null, fields: { Value: '7' }, changes: [] },
  });
  assert.deepEqual(parsed.deletions, [{ key: 'AutoscalingGroup/old', kind: 'AutoscalingGroup', name: 'old.example.com', id: 'old.example.com' }]);
  assert.deepEqual(parsed.leftAlone, [{ kind: 'LaunchTemplate', name: 'theirs', reason: 'made by kops' }]);
  assert.deepEqual(parsed.secrets, { toGenerate: ['ca'] });
  assert.deepEqual(parsed.ownership, ownership);
  const earlier = parsed.plan as { creates: unknown[]; modifies: unknown[]; deletes: unknown[]; unchanged: unknown[] };
  assert.deepEqual([earlier.creates.length, earlier.modifies.length, earlier.deletes.length, earlier.unchanged.length], [1, 1, 1, 1]);
});
