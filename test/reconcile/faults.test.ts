// The apply under faults: throttling slows it down without failing it, and a
// failure half-way is finished by a re-run (for create and for delete).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planCluster, applyCluster } from '../../src/engine/reconcile/cluster.js';
import { planDelete, deleteCluster } from '../../src/engine/reconcile/delete.js';
import { hasChanges } from '../../src/engine/reconcile/plan.js';
import type { ApplyEvent } from '../../src/engine/reconcile/apply-plan.js';
import { isThrottlingError } from '../../src/engine/cloud/aws/errors.js';
import { awsCallStats, clusterFixture, resetAwsCallStats, simFaults, startHarness } from '../helpers/sim-reconcile.js';

test('with 30% of AWS calls throttled the apply still completes', async () => {
  const h = await startHarness({ speed: 100 });
  try {
    const { cluster, instanceGroups } = clusterFixture({ name: 'throttled.k8s.local', controlPlaneCount: 1, nodeCount: 1 });
    await simFaults(h.sim, { throttleRate: 0.3 });
    const events: ApplyEvent[] = [];
    const result = await applyCluster({ cluster, instanceGroups, clients: h.clients, clock: h.clock, onEvent: (e) => events.push(e) });
    assert.equal(result.ok, true, result.failed.map((f) => `${f.key}: ${f.error.message}`).join('\n'));
    const stats = await awsCallStats(h.sim);
    assert.ok(stats.awsCallsTotal > 0);
    await simFaults(h.sim, { throttleRate: 0 });
    const again = await planCluster({ cluster, instanceGroups, clients: h.clients, clock: h.clock });
    assert.equal(hasChanges(again.plan), false, 'everything was created exactly once');
  } finally {
    await h.close();
  }
});

test('a throttled task makes at most the SDK attempts for its call: the task does not retry on top', async () => {
  // 3 SDK attempts (the default 8 would spend a minute of real backoff on throttling).
  const sdkAttempts = 3;
  const h = await startHarness({ speed: 100, maxAttempts: sdkAttempts });
  try {
    const { cluster, instanceGroups } = clusterFixture({ name: 'always-throttled.k8s.local', controlPlaneCount: 1, nodeCount: 1 });
    const planned = await planCluster({ cluster, instanceGroups, clients: h.clients, clock: h.clock });
    await resetAwsCallStats(h.sim);
    await simFaults(h.sim, { throttleRate: 1 });
    const events: ApplyEvent[] = [];
    const result = await applyCluster({ cluster, instanceGroups, clients: h.clients, clock: h.clock, planned, retryBaseMs: 100, onEvent: (e) => events.push(e) });
    await simFaults(h.sim, { throttleRate: 0 });
    const stats = await awsCallStats(h.sim);
    const started = events.filter((e) => e.type === 'task-started');
    assert.equal(result.ok, false);
    assert.ok(started.length > 0);
    assert.deepEqual(events.filter((e) => e.type === 'task-retrying'), [], 'throttling is left to the SDK');
    assert.deepEqual(started.map((e) => e.type === 'task-started' && e.attempt), started.map(() => 1), 'one task attempt each');
    assert.equal(result.failed.length, started.length);
    for (const { key, error } of result.failed) assert.ok(isThrottlingError(error), `${key}: ${error.name}`);
    // Each started task stopped at its first call, made sdkAttempts times (not sdkAttempts x task retries).
    assert.equal(stats.awsCallsTotal, sdkAttempts * started.length, JSON.stringify(stats.awsCalls));
  } finally {
    await h.close();
  }
});

test('a fault half-way leaves what was made findable, and a re-run converges', async () => {
  // Few SDK attempts so the outage fails tasks quickly instead of retrying them through it.
  const h = await startHarness({ speed: 100, maxAttempts: 2 });
  try {
    const { cluster, instanceGroups } = clusterFixture({ name: 'halfway.k8s.local', controlPlaneCount: 1, nodeCount: 2 });
    let done = 0;
    let outage: Promise<void> | undefined;
    const events: ApplyEvent[] = [];
    const first = await applyCluster({
      cluster,
      instanceGroups,
      clients: h.clients,
      clock: h.clock,
      maxAttempts: 2,
      retryBaseMs: 100,
      onEvent: (e) => {
        events.push(e);
        if (e.type === 'task-done' && ++done === 6) outage = simFaults(h.sim, { serverErrorRate: 1 });
      },
    });
    await outage;
    assert.equal(first.ok, false);
    assert.ok(first.done.length >= 6, 'some tasks finished before the outage');
    assert.ok(first.failed.length > 0);
    // Server errors were retried by the SDK (two attempts here), not again by the task.
    assert.ok(first.failed.every((f) => f.error.name === 'InternalError'), first.failed.map((f) => `${f.key}: ${f.error.name}`).join('\n'));
    assert.ok(!events.some((e) => e.type === 'task-retrying' && e.error.name === 'InternalError'), 'server errors are left to the SDK');
    await simFaults(h.sim, { serverErrorRate: 0 });
    const rerun = await planCluster({ cluster, instanceGroups, clients: h.clients, clock: h.clock });
    // What the first run made is found, not made again.
    assert.deepEqual(
      rerun.plan.creates.map((p) => p.task.key).filter((k) => first.done.includes(k)),
      [],
    );
    assert.ok(rerun.plan.unchanged.length >= first.done.length);
    const second = await applyCluster({ cluster, instanceGroups, clients: h.clients, clock: h.clock, planned: rerun });
    assert.equal(second.ok, true, second.failed.map((f) => `${f.key}: ${f.error.message}`).join('\n'));
    assert.equal(hasChanges((await planCluster({ cluster, instanceGroups, clients: h.clients, clock: h.clock })).plan), false);

    // Delete, interrupted the same way, then finished by a re-run.
    let deleted = 0;
    const deletePlan = await planDelete({ clusterName: 'halfway.k8s.local', clients: h.clients });
    const partial = await deleteCluster(deletePlan, {
      clients: h.clients,
      clock: h.clock,
      maxAttempts: 2,
      retryBaseMs: 100,
      pollIntervalMs: 1_000,
      onEvent: (e) => {
        if (e.type === 'task-done' && ++deleted === 3) outage = simFaults(h.sim, { serverErrorRate: 1 });
      },
    });
    await outage;
    assert.equal(partial.ok, false);
    await simFaults(h.sim, { serverErrorRate: 0 });
    const remaining = await planDelete({ clusterName: 'halfway.k8s.local', clients: h.clients });
    assert.ok(remaining.resources.length > 0);
    const finished = await deleteCluster(remaining, { clients: h.clients, clock: h.clock, pollIntervalMs: 1_000 });
    assert.equal(finished.ok, true, finished.failed.map((f) => `${f.key}: ${f.error.message}`).join('\n'));
    assert.deepEqual((await planDelete({ clusterName: 'halfway.k8s.local', clients: h.clients })).resources, []);
  } finally {
    await h.close();
  }
});
