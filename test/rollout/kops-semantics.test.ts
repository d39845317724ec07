// Rollout behaviours as kops has them (pkg/instancegroups): the canary when no
// instance of a group is up to date, validation failures that matter to the
// group being rolled, --validate-count 0, --fail-on-validate-error=false,
// --fail-on-drain-error=false, the kops.k8s.io/needs-update annotation, and
// the scheduled-for-update taint on every node about to be replaced.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { makeWaves } from '../../src/engine/rollout/ordering.js';
import { buildRolloutPlan, describePlan } from '../../src/engine/rollout/plan.js';
import { isRelevantFailure, validateUntilHealthy, ValidationTimeoutError } from '../../src/engine/rollout/waits.js';
import { cloudGroupsOfSpec } from '../../src/engine/health/validate-cluster-health.js';
import type { InstanceGroup } from '../../src/engine/spec/types.js';
import { startRollout, type RolloutOptions } from '../../src/engine/rollout/run-rollout.js';
import type { RunContext } from '../../src/engine/rollout/run-context.js';
import type { RolloutEvent } from '../../src/engine/rollout/types.js';
import type { ValidationFailure, ValidationResult } from '../../src/engine/health/validate-cluster-health.js';
import { DEFAULT_TIMINGS } from '../../src/engine/rollout/types.js';
import { instantClock } from '../health/instant-clock.js';
import { FakeWorld } from './fakes.js';

const CLUSTER = 'fake.example.com';
const settings = (maxSurge: number, maxUnavailable: number) => ({ maxSurge, maxUnavailable, drainAndTerminate: true as const });

test('the canary goes alone: one instance in the first wave, then waves of maxSurge + maxUnavailable', () => {
  const instances = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id, detached: false }));
  assert.deepEqual(
    makeWaves(instances, settings(1, 1), { canary: true }).map((w) => w.instances),
    [['a'], ['b', 'c'], ['d', 'e']],
  );
  assert.deepEqual(makeWaves(instances, settings(1, 1), { canary: true })[0].surge, ['a'], 'the canary surges when the group may');
  assert.deepEqual(makeWaves(instances, settings(1, 1), { canary: false }).map((w) => w.instances), [['a', 'b'], ['c', 'd'], ['e']]);
  assert.deepEqual(makeWaves(instances, settings(2, 0), { canary: true, canSurge: false }).map((w) => w.instances), [['a'], ['b'], ['c'], ['d'], ['e']]);
  fc.assert(
    fc.property(fc.integer({ min: 2, max: 30 }), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 5 }), (n, surge, unavailable) => {
      fc.pre(surge + unavailable > 1);
      const all = Array.from({ length: n }, (_, i) => ({ id: `i-${i}`, detached: false }));
      const waves = makeWaves(all, settings(surge, unavailable), { canary: true });
      assert.equal(waves[0].instances.length, 1);
      assert.deepEqual(waves.flatMap((w) => w.instances), all.map((i) => i.id), 'every instance once, in order');
    }),
  );
});

async function planOf(world: FakeWorld) {
  const deps = world.deps();
  return buildRolloutPlan({
    cluster: world.bundle.cluster,
    instanceGroups: world.bundle.instanceGroups.map((ig) => (ig.spec.role === 'Node' ? { ...ig, spec: { ...ig.spec, rollingUpdate: { maxSurge: 2, maxUnavailable: 1 } } } : ig)),
    cloudGroups: await deps.cloud.listGroups(CLUSTER),
    nodes: await deps.kube!.nodesByInstance(),
  });
}

test('a group with no instance up to date plans a canary; one up to date instance means none is needed', async () => {
  const world = await new FakeWorld({ controlPlanes: 1, nodes: 4 }).init();
  world.bumpAll();
  const plan = await planOf(world);
  const nodes = plan.groups.find((g) => g.kind === 'Node')!;
  assert.equal(nodes.canary, true);
  assert.deepEqual(nodes.waves.map((w) => w.length), [1, 3]);
  assert.ok(describePlan(plan).some((line) => /the first alone and validated before the rest/.test(line)));

  // One worker already on the new version: kops goes wide at once.
  const nodesGroup = world.groupOf('Node');
  const first = [...world.instances.values()].find((i) => i.group === nodesGroup)!;
  first.version = world.versions.get(nodesGroup)!;
  const partly = (await planOf(world)).groups.find((g) => g.kind === 'Node')!;
  assert.equal(partly.canary, false);
  assert.deepEqual(partly.waves.map((w) => w.length), [3]);
});

test('an up-to-date instance whose node is annotated kops.k8s.io/needs-update is replaced, and says why', async () => {
  const world = await new FakeWorld({ controlPlanes: 1, nodes: 2 }).init();
  const deps = world.deps();
  const nodes = await deps.kube!.nodesByInstance();
  const [annotatedId] = [...world.instances.values()].filter((i) => i.group === world.groupOf('Node')).map((i) => i.id);
  nodes.set(annotatedId, { ...nodes.get(annotatedId)!, needsUpdateAnnotation: true });
  const plan = buildRolloutPlan({ cluster: world.bundle.cluster, instanceGroups: world.bundle.instanceGroups, cloudGroups: await deps.cloud.listGroups(CLUSTER), nodes });
  assert.deepEqual(plan.groups.flatMap((g) => g.instances.map((i) => i.id)), [annotatedId]);
  assert.match(plan.groups.find((g) => g.instances.length)!.instances[0].reason, /node annotated kops\.k8s\.io\/needs-update/);
});

test("validation failures that matter to a group: its own, the control plane's, and those tied to no group", () => {
  const controlPlane = new Set(['control-plane-us-east-1a']);
  assert.equal(isRelevantFailure({ instanceGroup: 'nodes-a' }, 'nodes-a', controlPlane), true);
  assert.equal(isRelevantFailure({ instanceGroup: 'control-plane-us-east-1a' }, 'nodes-a', controlPlane), true);
  assert.equal(isRelevantFailure({ instanceGroup: undefined }, 'nodes-a', controlPlane), true, 'a system pod or the API');
  assert.equal(isRelevantFailure({ instanceGroup: 'nodes-b' }, 'nodes-a', controlPlane), false, 'another worker group below its size');
});

function validationContext(failures: ValidationFailure[], overrides: Partial<RunContext> = {}) {
  const events: RolloutEvent[] = [];
  let calls = 0;
  const result: ValidationResult = { cluster: CLUSTER, ok: failures.length === 0, failures, tolerated: [], instanceGroups: [], nodes: [] };
  const ctx = {
    cluster: CLUSTER,
    signal: new AbortController().signal,
    timings: { ...DEFAULT_TIMINGS, validationTimeoutMs: 60_000, validateIntervalMs: 10_000 },
    emit: (e: RolloutEvent) => events.push(e),
    controlPlaneGroups: new Set(['control-plane-us-east-1a']),
    failOnValidateError: true,
    deps: { clock: instantClock(0), validate: async () => (calls++, result) },
    ...overrides,
  } as unknown as RunContext;
  return { ctx, events, calls: () => calls };
}

const brokenOther: ValidationFailure = { kind: 'Node', name: 'node-x', message: 'node "node-x" of role "node" is not ready', instanceGroup: 'nodes-b' };
const brokenOwn: ValidationFailure = { ...brokenOther, instanceGroup: 'nodes-a' };

test('validation passes for a group when only another worker group fails; fails on its own failure', async () => {
  const other = validationContext([brokenOther]);
  await validateUntilHealthy(other.ctx, 'nodes-a', 60_000, 2);
  assert.equal(other.calls(), 2, 'two consecutive passes');
  const own = validationContext([brokenOwn]);
  await assert.rejects(validateUntilHealthy(own.ctx, 'nodes-a', 60_000, 2), ValidationTimeoutError);
});

test('--validate-count 0 skips validation and says so; --fail-on-validate-error=false warns and goes on', async () => {
  const skipped = validationContext([brokenOwn]);
  await validateUntilHealthy(skipped.ctx, 'nodes-a', 60_000, 0);
  assert.equal(skipped.calls(), 0);
  assert.ok(skipped.events.some((e) => e.type === 'warning' && /validation skipped: --validate-count is 0/.test(e.message)));

  const lenient = validationContext([brokenOwn], { failOnValidateError: false });
  await validateUntilHealthy(lenient.ctx, 'nodes-a', 60_000, 2);
  const warning = lenient.events.find((e) => e.type === 'warning');
  assert.ok(warning?.type === 'warning' && /did not validate.*going on, as --fail-on-validate-error=false asks/.test(warning.message), JSON.stringify(warning));
});

function run(world: FakeWorld, options: Partial<RolloutOptions> = {}) {
  const r = startRollout(world.deps(), { cluster: CLUSTER, ...options });
  const events: RolloutEvent[] = [];
  r.subscribe((e) => events.push(e));
  return { r, events };
}

test('--fail-on-drain-error=false: a drain that cannot finish is reported and the instance is replaced anyway', async () => {
  const world = await new FakeWorld({ controlPlanes: 1, nodes: 2 }).init();
  world.bumpAll();
  const target = [...world.instances.values()].find((i) => i.group === world.groupOf('Node'))!;
  world.drainBlocks.add(target.node.name);
  const strict = await run(world, { instanceGroups: [world.groupOf('Node')], timings: { drainTimeoutMs: 60_000 } }).r.done;
  assert.equal(strict.status, 'failed', 'by default a failed drain stops the run');

  const { r, events } = run(world, { instanceGroups: [world.groupOf('Node')], timings: { drainTimeoutMs: 60_000 }, failOnDrainError: false });
  const result = await r.done;
  assert.equal(result.status, 'finished', result.reason);
  assert.ok(result.replaced.includes(target.id), 'the blocked instance was replaced');
  assert.ok(events.some((e) => e.type === 'warning' && e.message.includes(`drain of ${target.node.name} failed`) && /--fail-on-drain-error=false/.test(e.message)));
});

test('every node of a group about to be replaced is tainted scheduled-for-update before its first drain; cordoned ones are left', async () => {
  const world = await new FakeWorld({ controlPlanes: 1, nodes: 3 }).init();
  world.bumpAll();
  const workers = [...world.instances.values()].filter((i) => i.group === world.groupOf('Node'));
  const names = workers.map((i) => i.node.name);
  workers[2].node.unschedulable = true; // cordoned by hand: nothing schedules there anyway
  const { r, events } = run(world, { instanceGroups: [world.groupOf('Node')] });
  const result = await r.done;
  assert.equal(result.status, 'finished', result.reason);
  assert.deepEqual([...world.tainted].sort(), names.slice(0, 2).sort());
  const firstDrain = world.log.findIndex((l) => l.startsWith('drain '));
  assert.ok(firstDrain > 0, world.log.join(' | '));
  for (const name of names.slice(0, 2)) assert.ok(world.log.indexOf(`taint ${name}`) < firstDrain, `${name} tainted before the first drain: ${world.log.join(' | ')}`);
  const tainted = events.find((e) => e.type === 'tainted');
  assert.ok(tainted?.type === 'tainted' && tainted.nodes.length === 2, JSON.stringify(tainted));
});

test('an auto scaling group no instance group of the spec names is never rolled, as kops skips it', async () => {
  const world = await new FakeWorld({ controlPlanes: 1, nodes: 1 }).init();
  world.bumpAll();
  const deps = world.deps();
  const real = await deps.cloud.listGroups(CLUSTER);
  const nodes = real.find((g) => g.role === 'Node')!;
  // A copy of the worker group under another name, outdated, that the spec does not have.
  const stray = { ...nodes, name: 'hand-made', groupName: 'hand-made.fake.example.com', instances: nodes.instances.map((i) => ({ ...i, id: 'i-handmade', needsUpdate: true })) };
  const withStray = async () => [...(await world.deps().cloud.listGroups(CLUSTER)), stray];
  const plan = buildRolloutPlan({ cluster: world.bundle.cluster, instanceGroups: world.bundle.instanceGroups, cloudGroups: await withStray(), nodes: await deps.kube!.nodesByInstance() });
  assert.ok(!plan.groups.some((g) => g.name === 'hand-made'), 'not planned');
  assert.deepEqual(plan.unmatched, ['hand-made.fake.example.com']);
  assert.equal(describePlan(plan).at(-1), 'Not rolled: auto scaling group hand-made.fake.example.com of this cluster has no instance group in the spec (kops skips them too).');
  assert.throws(
    () => buildRolloutPlan({ cluster: world.bundle.cluster, instanceGroups: world.bundle.instanceGroups, cloudGroups: real.concat(stray), nodes: new Map(), onlyGroups: ['hand-made'] }),
    /InstanceGroup "hand-made" not found; the cluster's groups are /,
  );

  const terminated: string[] = [];
  const strayDeps = { ...deps, cloud: { ...deps.cloud, listGroups: withStray, terminate: async (ids: string[], options: { detached: boolean }) => (terminated.push(...ids), deps.cloud.terminate(ids, options)) } };
  const result = await startRollout(strayDeps, { cluster: CLUSTER }).done;
  assert.equal(result.status, 'finished', result.reason);
  assert.ok(!terminated.includes('i-handmade') && terminated.length === 2, terminated.join(','));
});

test('a Karpenter-managed instance group is named under the plan as not rolled, refused by --instance-group, and never reported missing from the cloud', async () => {
  const world = await new FakeWorld({ controlPlanes: 1, nodes: 1 }).init();
  const deps = world.deps();
  const karpenter: InstanceGroup = { apiVersion: 'kops.k8s.io/v1alpha2', kind: 'InstanceGroup', metadata: { name: 'karpenter-nodes', labels: {} }, spec: { role: 'Node', manager: 'Karpenter', image: 'ami-1', subnets: ['us-east-1a'] } };
  const instanceGroups = [...world.bundle.instanceGroups, karpenter];
  const input = { cluster: world.bundle.cluster, instanceGroups, cloudGroups: await deps.cloud.listGroups(CLUSTER), nodes: new Map() };
  const plan = buildRolloutPlan(input);
  assert.deepEqual(plan.karpenter, ['karpenter-nodes']);
  assert.ok(describePlan(plan).includes('Not rolled: instance group karpenter-nodes is managed by Karpenter, whose nodes kopsdeck does not roll yet.'), describePlan(plan).join('\n'));
  assert.throws(() => buildRolloutPlan({ ...input, onlyGroups: ['karpenter-nodes'] }), /instance group karpenter-nodes is managed by Karpenter: kopsdeck does not roll Karpenter's nodes yet/);
  assert.deepEqual(cloudGroupsOfSpec(instanceGroups).map((g) => g.name), world.bundle.instanceGroups.map((ig) => ig.metadata.name));
});
