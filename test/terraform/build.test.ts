// The module builder's refusals: a plan it cannot write whole is refused with
// every problem named, never written with a gap (a task with no Terraform
// form, two resources under one label, a reference to a task not in the plan,
// two different files under one name); and an existing resource outside the
// module is referred to by its id.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildPlan } from '../../src/engine/reconcile/plan.js';
import { taskKey, type ReconcileContext, type Task } from '../../src/engine/reconcile/task.js';
import { emptyClusterSnapshot } from '../../src/engine/cloud/aws/discovery.js';
import type { AwsClients } from '../../src/engine/cloud/aws/clients.js';
import { systemClock } from '../../src/engine/clock.js';
import { buildTerraform, TerraformRenderError } from '../../src/engine/terraform/build.js';
import type { TerraformContext, TerraformResource } from '../../src/engine/terraform/types.js';
import type { HclExpr } from '../../src/engine/terraform/hcl.js';

/** No cloud: the fake tasks find what they are told to. */
function context(): ReconcileContext {
  return { clusterName: 'c.example.com', clients: {} as AwsClients, snapshot: emptyClusterSnapshot('c.example.com'), ids: new Map(), clock: systemClock };
}

/** A task that exists in the cloud when given an id; with no `render`, it has no Terraform form at all. */
function task(name: string, options: { dependencies?: string[]; render?: (t: TerraformContext) => TerraformResource[]; id?: string } = {}): Task<{ name: string }, { id: string }> {
  const key = taskKey('VPC', name);
  return {
    key,
    kind: 'VPC',
    name,
    dependencies: options.dependencies ?? [],
    desired: () => ({ name }),
    find: () => (options.id ? { id: options.id } : null),
    idOf: (a) => a.id,
    diff: () => [],
    describe: () => ({}),
    apply: () => Promise.resolve(name),
    ...(options.render ? { terraform: (t: TerraformContext) => options.render!(t) } : {}),
  };
}

const vpc = (name: string, body = {}): TerraformResource => ({ type: 'aws_vpc', name, body });

function build(tasks: Task[]) {
  const ctx = context();
  return buildTerraform(buildPlan(tasks, ctx), ctx, 'us-east-1');
}

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof TerraformRenderError, String(error));
    return error.problems;
  }
  assert.fail('refused');
}

test('a task without a Terraform form is refused, by name', () => {
  assert.deepEqual(problemsOf(() => build([task('a', { render: () => [vpc('a')] }), task('b')])), ['VPC/b (VPC) has no Terraform form']);
});

test('two resources under one label, and a reference to a task not in the plan, are refused', () => {
  const problems = problemsOf(() =>
    build([
      task('a.b', { render: () => [vpc('a.b')] }),
      task('a-b', { render: () => [vpc('a-b')] }),
      task('c', { render: (t) => [vpc('c', { other: t.ref('VPC/missing', 'id') })] }),
    ]),
  );
  assert.deepEqual(problems.sort(), ['VPC/a-b and VPC/a.b are both aws_vpc.a-b', 'VPC/c refers to VPC/missing, which is not in the plan']);
});

test('two different files under one name are refused; the same file twice is one file', () => {
  const file = (content: string) => [{ ...vpc(`x${content}`), files: [{ name: 'aws_vpc_x_policy', content }] }];
  assert.deepEqual(problemsOf(() => build([task('a', { render: () => file('1') }), task('b', { render: () => file('2') })])), ['two different data/aws_vpc_x_policy']);
  const same = build([task('a', { render: () => [{ ...vpc('a'), files: [{ name: 'f', content: 'same' }] }] }), task('b', { render: () => [{ ...vpc('b'), files: [{ name: 'f', content: 'same' }] }] })]);
  assert.deepEqual(same.files, [{ name: 'f', content: 'same' }]);
});

test('a task whose resource exists outside the module is referred to by its id; references follow labels', () => {
  const module = build([
    task('zone', { id: 'Z123', render: (t) => (t.existing('VPC/zone') ? [] : [vpc('zone')]) }),
    task('b.c', { render: () => [vpc('b.c')] }),
    task('user', { dependencies: ['VPC/zone', 'VPC/b.c'], render: (t) => [vpc('user', { zone: t.ref('VPC/zone', 'zone_id'), vpc: t.ref('VPC/b.c', 'id') })] }),
  ]);
  const user = module.resources.find((r) => r.label === 'user')!;
  const text = (key: string) => (user.body[key] as HclExpr).expr;
  assert.deepEqual([text('zone'), text('vpc')], ['"Z123"', 'aws_vpc.b-c.id']);
  assert.deepEqual(module.resources.map((r) => r.label), ['b-c', 'user'], 'sorted, and no resource for the existing one');
});
