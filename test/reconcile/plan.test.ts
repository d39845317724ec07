import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildPlan, hasChanges, orderByDependencies, planToJson } from '../../src/engine/reconcile/plan.js';
import { renderPlan, renderResourceTable } from '../../src/engine/reconcile/render-plan.js';
import { applyPlan, type ApplyEvent } from '../../src/engine/reconcile/apply-plan.js';
import { compareFields, compareTags } from '../../src/engine/reconcile/task.js';
import { dependencyViolation, fakeContext, fakeTask, fakeWorld, sequenceRandom, throttlingError } from './fake-tasks.js';
import { isTaskRetryable, jitteredBackoff } from '../../src/engine/reconcile/task-retry.js';

test('orderByDependencies puts dependencies first and refuses cycles and unknown names', () => {
  const items = [
    { key: 'c', dependencies: ['b'] },
    { key: 'a', dependencies: [] },
    { key: 'b', dependencies: ['a'] },
  ];
  assert.deepEqual(orderByDependencies(items).map((i) => i.key), ['a', 'b', 'c']);
  assert.throws(() => orderByDependencies([{ key: 'x', dependencies: ['y'] }, { key: 'y', dependencies: ['x'] }]), /cycle/);
  assert.throws(() => orderByDependencies([{ key: 'x', dependencies: ['nope'] }]), /unknown task nope/);
});

test('compareFields and compareTags report exactly the differing fields', () => {
  assert.deepEqual(compareFields([['MaxSize', 3, 2], ['MinSize', 1, 1]]), [{ field: 'MaxSize', old: '2', new: '3' }]);
  assert.deepEqual(compareFields([['Subnets', ['a', 'b'], ['a', 'b']]]), []);
  assert.deepEqual(compareTags({ Name: 'x', Role: 'r' }, { Name: 'x', Other: 'kept' }), [{ field: 'Tags[Role]', old: '<nil>', new: 'r' }]);
});

test('buildPlan sorts tasks into creates, modifies and unchanged', () => {
  const world = fakeWorld({ vpc: 1, subnet: 5 });
  const tasks = [fakeTask(world, 'subnet', 6, { deps: ['vpc'] }), fakeTask(world, 'vpc', 1), fakeTask(world, 'igw', 1, { deps: ['vpc'] })];
  const plan = buildPlan(tasks, fakeContext());
  assert.deepEqual(plan.creates.map((p) => p.task.name), ['igw']);
  assert.deepEqual(plan.modifies.map((p) => [p.task.name, p.changes]), [['subnet', [{ field: 'Value', old: '5', new: '6' }]]]);
  assert.deepEqual(plan.unchanged.map((p) => p.task.name), ['vpc']);
  assert.equal(plan.tasks[0].task.name, 'vpc');
  assert.equal(plan.ids.get('VPC/vpc'), 'id-vpc');
  const json = planToJson(plan);
  assert.equal(json.changes, true);
  assert.deepEqual(json.creates, [{ kind: 'VPC', name: 'igw', fields: { Value: '1' } }]);
});

test('renderPlan prints kops-style sections, and the no-change sentence', () => {
  const world = fakeWorld({ a: 1 });
  const plan = buildPlan([fakeTask(world, 'a', 2), fakeTask(world, 'b', 7)], fakeContext(), [
    { key: 'AutoscalingGroup/old', kind: 'AutoscalingGroup', name: 'old.example.com', id: 'old.example.com', dependencies: [], remove: async () => {} },
  ]);
  const text = renderPlan(plan);
  assert.match(text, /^Will create resources:\n {2}VPC\/b\n {4}Value +7\n/);
  assert.match(text, /Will modify resources:\n {2}VPC\/a\n {4}Value +1 -> 2\n/);
  assert.match(text, /Will delete resources:\n {2}TYPE +NAME +ID\n {2}AutoscalingGroup +old\.example\.com +old\.example\.com/);
  const unchanged = buildPlan([fakeTask(fakeWorld({ a: 1 }), 'a', 1)], fakeContext());
  assert.equal(hasChanges(unchanged), false);
  assert.equal(renderPlan(unchanged), 'No changes need to be applied\n');
});

test('renderResourceTable aligns TYPE NAME ID columns', () => {
  const lines = renderResourceTable([{ type: 'vpc', name: 'c.example.com', id: 'vpc-1' }, { type: 'autoscaling-group', name: 'n', id: 'n' }]);
  assert.deepEqual(lines, [
    'TYPE               NAME           ID',
    'vpc                c.example.com  vpc-1',
    'autoscaling-group  n              n',
  ]);
});

test('applyPlan runs dependencies first, independent tasks in parallel, and a second apply does nothing', async () => {
  const world = fakeWorld();
  const tasks = () => [
    fakeTask(world, 'vpc', 1, { delayMs: 20 }),
    ...['a', 'b', 'c', 'd'].map((z) => fakeTask(world, `subnet-${z}`, 1, { deps: ['vpc'], delayMs: 20 })),
    fakeTask(world, 'asg', 1, { deps: ['subnet-a', 'subnet-b', 'subnet-c', 'subnet-d'] }),
  ];
  const events: ApplyEvent[] = [];
  const result = await applyPlan(buildPlan(tasks(), fakeContext()), fakeContext(), { onEvent: (e) => events.push(e) });
  assert.equal(result.ok, true);
  assert.equal(world.log[0], 'create:vpc');
  assert.equal(world.log.at(-1), 'create:asg');
  assert.equal(world.maxInFlight, 4, 'the four subnets run at once');
  assert.equal(events.filter((e) => e.type === 'task-done').length, 6);
  const again = buildPlan(tasks(), fakeContext());
  assert.equal(hasChanges(again), false);
  world.log.length = 0;
  const second = await applyPlan(again, fakeContext());
  assert.deepEqual(second.done, []);
  assert.deepEqual(world.log, []);
});

test('applyPlan respects the concurrency bound', async () => {
  const world = fakeWorld();
  const tasks = Array.from({ length: 10 }, (_, i) => fakeTask(world, `t${i}`, 1, { delayMs: 10 }));
  await applyPlan(buildPlan(tasks, fakeContext()), fakeContext(), { concurrency: 3 });
  assert.equal(world.maxInFlight, 3);
  assert.equal(world.existing.size, 10);
});

test('a DependencyViolation is retried by the task with jittered delays; a hard failure skips only its dependants', async () => {
  const world = fakeWorld();
  const hard = new Error('boom');
  hard.name = 'InvalidParameterValue';
  const tasks = [
    fakeTask(world, 'flaky', 1, { failures: [dependencyViolation(), dependencyViolation()] }),
    fakeTask(world, 'broken', 1, { failures: [hard] }),
    fakeTask(world, 'child', 1, { deps: ['broken'] }),
    fakeTask(world, 'grandchild', 1, { deps: ['child'] }),
    fakeTask(world, 'independent', 1),
  ];
  const events: ApplyEvent[] = [];
  // Full jitter: each delay is the draw times the doubling cap (10, then 20).
  const random = sequenceRandom([0.9, 0.15]);
  const result = await applyPlan(buildPlan(tasks, fakeContext()), fakeContext(), { onEvent: (e) => events.push(e), retryBaseMs: 10, random });
  assert.equal(result.ok, false);
  assert.deepEqual(result.failed.map((f) => f.key), ['VPC/broken']);
  assert.deepEqual(result.skipped.sort(), ['VPC/child', 'VPC/grandchild']);
  assert.deepEqual(result.done.sort(), ['VPC/flaky', 'VPC/independent']);
  const retries = events.filter((e) => e.type === 'task-retrying');
  assert.deepEqual(retries.map((e) => (e.type === 'task-retrying' ? [e.task.name, e.attempt, e.error.name, e.delayMs] : [])), [
    ['flaky', 1, 'DependencyViolation', 9],
    ['flaky', 2, 'DependencyViolation', 3],
  ]);
  assert.ok(events.some((e) => e.type === 'task-failed' && e.task.name === 'broken'));
  // A re-run finds what was made and finishes the rest.
  const rerun = await applyPlan(buildPlan(tasks, fakeContext()), fakeContext());
  assert.equal(rerun.ok, true);
  assert.deepEqual(rerun.done.sort(), ['VPC/broken', 'VPC/child', 'VPC/grandchild']);
});

test('throttling and 5xx reaching a task are not retried by it: the SDK already spent its attempts', async () => {
  const world = fakeWorld();
  const serverError = Object.assign(new Error('An internal error has occurred'), { name: 'InternalError', $metadata: { httpStatusCode: 500 } });
  const tasks = [
    fakeTask(world, 'throttled', 1, { failures: [throttlingError()] }),
    fakeTask(world, 'server', 1, { failures: [serverError] }),
  ];
  const events: ApplyEvent[] = [];
  const result = await applyPlan(buildPlan(tasks, fakeContext()), fakeContext(), { onEvent: (e) => events.push(e), retryBaseMs: 10 });
  assert.deepEqual(result.failed.map((f) => [f.key, f.error.name]).sort(), [['VPC/server', 'InternalError'], ['VPC/throttled', 'Throttling']]);
  assert.equal(events.filter((e) => e.type === 'task-retrying').length, 0);
  assert.equal(events.filter((e) => e.type === 'task-started').length, 2, 'one attempt each');
});

test('a task still failing with DependencyViolation stops once its retry budget is spent', async () => {
  const world = fakeWorld();
  const failures = Array.from({ length: 1000 }, dependencyViolation);
  const events: ApplyEvent[] = [];
  const budget = 30_000;
  const result = await applyPlan(buildPlan([fakeTask(world, 'stuck', 1, { failures })], fakeContext()), fakeContext(), {
    onEvent: (e) => events.push(e),
    retryBudgetMs: budget,
    random: () => 0.99,
  });
  assert.deepEqual(result.failed.map((f) => [f.key, f.error.name]), [['VPC/stuck', 'DependencyViolation']]);
  const delays = events.flatMap((e) => (e.type === 'task-retrying' ? [e.delayMs] : []));
  assert.ok(delays.length >= 2, 'it was retried before giving up');
  assert.ok(delays.reduce((a, b) => a + b, 0) <= budget, `the delays fit in the budget: ${delays.join(', ')}`);
  assert.ok(delays.every((d, i) => d < Math.min(20_000, 1000 * 2 ** i)), 'each delay is below its doubling cap');
});

test('isTaskRetryable keeps to what the SDK does not retry; jitteredBackoff draws below a doubling cap', () => {
  const make = (name: string, message = '', status?: number) => Object.assign(new Error(message), { name, ...(status ? { $metadata: { httpStatusCode: status } } : {}) });
  for (const code of ['DependencyViolation', 'InvalidGroup.InUse', 'VolumeInUse', 'ResourceInUse', 'InvalidIPAddress.InUse']) {
    assert.ok(isTaskRetryable(make(code, '', 400), 'delete'), code);
  }
  // Not visible yet right after a create: retried for creates and modifies, "gone" for a delete.
  assert.ok(isTaskRetryable(make('InvalidGroup.NotFound', "The security group 'sg-1' does not exist", 400), 'create'));
  assert.ok(!isTaskRetryable(make('InvalidGroup.NotFound', '', 400), 'delete'));
  // IAM propagation, as EC2 and Auto Scaling word it.
  assert.ok(isTaskRetryable(make('ValidationError', 'Invalid IamInstanceProfile: nodes.example.com', 400), 'create'));
  assert.ok(isTaskRetryable(make('InvalidParameterValue', 'Value (nodes) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name', 400), 'create'));
  // Left to the SDK, or not transient at all.
  for (const error of [make('Throttling', 'Rate exceeded', 400), make('RequestLimitExceeded', '', 503), make('InternalError', '', 500), make('ServiceUnavailable', '', 503), make('TimeoutError'), make('InvalidParameterValue', 'bad', 400), make('AccessDenied', '', 403)]) {
    assert.ok(!isTaskRetryable(error, 'create'), error.name);
  }
  assert.equal(jitteredBackoff(1, 1000, () => 0.5), 500);
  assert.equal(jitteredBackoff(3, 1000, () => 0.5), 2000);
  assert.equal(jitteredBackoff(10, 1000, () => 0.5), 10_000, 'the cap stops at 20 s');
  assert.equal(jitteredBackoff(2, 1000, () => 0), 0);
});
