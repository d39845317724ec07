// The pure parts of the rollout: settings, ordering, waves, journal replay,
// resume decisions, upgrade checks, the plan table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseIntOrPercent, resolveSettings } from '../../src/engine/rollout/settings.js';
import { makeWaves, orderGroups, prioritizeInstances } from '../../src/engine/rollout/ordering.js';
import { nextStep, replayJournal, stepsFor, type JournalEntry } from '../../src/engine/rollout/journal.js';
import { checkUpgrade, proposedUpgrade } from '../../src/engine/rollout/upgrade.js';
import { shippedChannel } from '../../src/engine/channel/load-channel.js';
import { buildRolloutPlan, renderPlanTable, updateReason } from '../../src/engine/rollout/plan.js';
import { FakeWorld } from './fakes.js';

const cluster = (rollingUpdate?: object) => ({ spec: { cloudProvider: 'aws', rollingUpdate } }) as never;
const group = (role: string, rollingUpdate?: object) => ({ spec: { role, rollingUpdate } }) as never;

test('percentages: a surge rounds up, unavailability rounds down; bad input is refused', () => {
  assert.equal(parseIntOrPercent('25%', 10, true), 3);
  assert.equal(parseIntOrPercent('25%', 10, false), 2);
  assert.equal(parseIntOrPercent(4, 10, false), 4);
  assert.equal(parseIntOrPercent('3', 10, false), 3);
  assert.throws(() => parseIntOrPercent('lots', 10, true), /percentage/);
  assert.throws(() => parseIntOrPercent(-1, 10, true), /whole number/);
});

test('settings default as kops on AWS: nodes surge 1, control plane 1 unavailable, group over cluster', () => {
  assert.deepEqual(resolveSettings({ cluster: cluster(), group: group('Node'), instances: 6 }), { maxSurge: 1, maxUnavailable: 0, drainAndTerminate: true });
  assert.deepEqual(resolveSettings({ cluster: cluster(), group: group('ControlPlane'), instances: 3 }), { maxSurge: 0, maxUnavailable: 1, drainAndTerminate: true });
  assert.deepEqual(resolveSettings({ cluster: cluster({ maxSurge: 0 }), group: group('Node'), instances: 6 }), { maxSurge: 0, maxUnavailable: 1, drainAndTerminate: true });
  assert.deepEqual(resolveSettings({ cluster: cluster({ maxSurge: 0 }), group: group('Node', { maxSurge: '50%' }), instances: 5 }).maxSurge, 3);
  // A percentage of unavailability never resolves below 1.
  assert.equal(resolveSettings({ cluster: cluster(), group: group('Node', { maxSurge: 0, maxUnavailable: '10%' }), instances: 3 }).maxUnavailable, 1);
  // Control planes never surge, whatever the spec says.
  assert.deepEqual(resolveSettings({ cluster: cluster({ maxSurge: 2, maxUnavailable: 0 }), group: group('ControlPlane'), instances: 3 }), { maxSurge: 0, maxUnavailable: 1, drainAndTerminate: true });
});

test('groups roll bastions first, then control plane, API servers, nodes', () => {
  const order = orderGroups([
    { name: 'nodes-b', kind: 'Node' as const },
    { name: 'cp-b', kind: 'ControlPlane' as const },
    { name: 'bastions', kind: 'Bastion' as const },
    { name: 'nodes-a', kind: 'Node' as const },
    { name: 'cp-a', kind: 'ControlPlane' as const },
  ]).map((g) => g.name);
  assert.deepEqual(order, ['bastions', 'cp-a', 'cp-b', 'nodes-a', 'nodes-b']);
  const prioritized = prioritizeInstances([
    { id: 'i-3', detached: false, ready: true },
    { id: 'i-2', detached: false, ready: false },
    { id: 'i-1', detached: true, ready: true },
  ]).map((i) => i.id);
  assert.deepEqual(prioritized, ['i-1', 'i-2', 'i-3']);
});

test('waves hold maxSurge + maxUnavailable instances, at most maxUnavailable of them not surging', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 }), fc.boolean(), (n, surge, unavailable, canSurge) => {
      fc.pre(surge + unavailable > 0);
      const instances = Array.from({ length: n }, (_, i) => ({ id: `i-${i}`, detached: i % 7 === 3 }));
      const waves = makeWaves(instances, { maxSurge: surge, maxUnavailable: unavailable, drainAndTerminate: true }, { canSurge });
      const all = waves.flatMap((w) => w.instances);
      assert.deepEqual(all, instances.map((i) => i.id));
      for (const wave of waves) {
        const limit = canSurge ? unavailable : Math.max(1, unavailable);
        assert.ok(wave.instances.length - wave.surge.length <= limit, `wave ${wave.instances} surges ${wave.surge}`);
        assert.ok(wave.surge.every((id) => wave.instances.includes(id)));
        if (!canSurge) assert.equal(wave.surge.length, 0);
      }
    }),
  );
  const waves = makeWaves([{ id: 'a', detached: false }, { id: 'b', detached: true }, { id: 'c', detached: false }], { maxSurge: 1, maxUnavailable: 1, drainAndTerminate: true });
  assert.deepEqual(waves, [{ instances: ['a', 'b'], surge: ['b'] }, { instances: ['c'], surge: ['c'] }]);
});

test('the journal replays into per-instance progress; resume picks the first step not done', () => {
  const steps = stepsFor({ surge: false, withoutKube: false, bastion: false });
  assert.deepEqual(steps, ['confirm', 'cordon', 'deregister', 'drain', 'post-drain', 'terminate', 'join', 'validate']);
  assert.deepEqual(stepsFor({ surge: true, withoutKube: true, bastion: true }), ['confirm', 'detach', 'terminate', 'join']);
  const e = (instance: string, step: JournalEntry['step'], extra: Partial<JournalEntry> = {}): JournalEntry => ({ instance, group: 'nodes', step, at: 0, ...extra });
  const progress = replayJournal([
    e('a', 'confirm', { wave: 0, surge: false, node: 'n-a' }),
    e('a', 'cordon'),
    e('b', 'confirm', { wave: 0 }),
    e('b', 'cordon'),
    e('b', 'deregister', { loadBalancers: { labelled: true, targetGroups: [{ arn: 'arn:tg/b', port: 443 }], classic: [] } }),
    e('b', 'drain'),
    e('c', 'confirm', { wave: 1 }),
    e('c', 'cordon'),
    e('c', 'deregister', { loadBalancers: { labelled: true, targetGroups: [], classic: ['elb'] } }),
    e('c', 'uncordon'),
    e('d', 'skip'),
    e('f', 'confirm'),
    e('f', 'cordon'),
    e('f', 'deregister'),
    e('f', 'drain'),
    e('f', 'post-drain'),
    e('f', 'terminate'),
  ]);
  assert.equal(nextStep(progress.get('a'), steps), 'deregister', 'cordoned but not taken out of its load balancers');
  assert.deepEqual(progress.get('b')!.loadBalancers, { labelled: true, targetGroups: [{ arn: 'arn:tg/b', port: 443 }], classic: [] }, 'what the deregister step changed is replayed');
  assert.equal(progress.get('c')!.loadBalancers, undefined, 'an uncordon gave it back');
  assert.equal(progress.get('a')!.node, 'n-a');
  assert.equal(nextStep(progress.get('b'), steps), 'post-drain', 'drained but not terminated');
  assert.equal(nextStep(progress.get('f'), steps), 'join', 'terminated but not validated');
  assert.equal(nextStep(progress.get('c'), steps), 'confirm', 'an uncordon starts the instance over');
  assert.equal(progress.get('d')!.skipped, true);
  assert.equal(nextStep(undefined, steps), 'confirm');
});

test('upgrades go one minor at a time, never down, only to supported versions', () => {
  assert.deepEqual(checkUpgrade('1.31.9', '1.32.5'), { from: '1.31.9', to: '1.32.5', changes: true });
  assert.deepEqual(checkUpgrade('1.31.7', '1.31.9'), { from: '1.31.7', to: '1.31.9', changes: true });
  assert.equal(checkUpgrade('1.32.5', '1.32.5').changes, false);
  assert.throws(() => checkUpgrade('1.31.9', '1.33.2', shippedChannel()), /one minor version at a time.*upgrade to 1\.32\.13 first/);
  assert.throws(() => checkUpgrade('1.32.5', '1.31.9'), /cannot be downgraded/);
  assert.throws(() => checkUpgrade('1.36.3', '1.37.0'), /not supported yet; kopsdeck supports 1\.31\.0 to 1\.36\.x/);
  assert.throws(() => checkUpgrade('1.31.9', 'latest'), /not a Kubernetes version/);
  assert.equal(proposedUpgrade('1.31.9', shippedChannel()), '1.32.13');
});

test('the plan reads like kops: groups, what needs an update and why, waves, an estimate', async () => {
  const world = await new FakeWorld({ controlPlanes: 1, nodes: 3 }).init();
  world.bumpAll();
  const deps = world.deps();
  const plan = buildRolloutPlan({
    cluster: { ...world.bundle.cluster, spec: { ...world.bundle.cluster.spec, kubernetesVersion: '1.32.5' } },
    instanceGroups: world.bundle.instanceGroups,
    cloudGroups: await deps.cloud.listGroups('fake.example.com'),
    nodes: await deps.kube!.nodesByInstance(),
  });
  const table = renderPlanTable(plan).split('\n');
  assert.match(table[0], /^NAME\s+STATUS\s+NEEDUPDATE\s+READY\s+MIN\s+TARGET\s+MAX\s+NODES$/);
  assert.match(table[1], /^control-plane-us-east-1a\s+NeedsUpdate\s+1\s+0\s+1\s+1\s+6\s+1$/);
  assert.equal(plan.order[0], 'control-plane-us-east-1a');
  assert.equal(plan.totalInstances, 4);
  const nodes = plan.groups.find((g) => g.kind === 'Node')!;
  assert.equal(nodes.waves.length, 3);
  assert.equal(nodes.instances[0].reason, 'launch template version 1 -> 2; kubernetesVersion 1.31.9 -> 1.32.5');
  assert.ok(plan.estimatedMs > 0);
  const detached = { id: 'i-1', lifecycleState: 'Detached', launchTemplateVersion: null, needsUpdate: true, detached: true };
  assert.equal(updateReason(detached, { currentVersion: '2' }, undefined, world.bundle.cluster, undefined, false), 'detached by an earlier surge');
});

test('roles are read as kops reads --instance-group-roles, anything else is not guessed', async () => {
  const { parseRolloutRole } = await import('../../src/engine/rollout/ordering.js');
  const cases: [string, string | undefined][] = [
    ['control-plane', 'ControlPlane'],
    ['ControlPlane', 'ControlPlane'],
    ['controlplane', 'ControlPlane'],
    ['Master', 'ControlPlane'],
    ['masters', 'ControlPlane'],
    ['apiservers', 'APIServer'],
    ['NODE', 'Node'],
    ['nodes', 'Node'],
    ['bastions', 'Bastion'],
    ['worker', undefined],
    ['control', undefined],
    ['', undefined],
  ];
  for (const [text, kind] of cases) assert.equal(parseRolloutRole(text), kind, text);
});

