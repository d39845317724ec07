// Rolling updates against the simulator, through the real AWS SDK and
// Kubernetes clients: an upgrade by one minor version, a crash and resume,
// a budget that blocks a drain, a replacement that never becomes Ready.
import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { upgradeCluster } from '../../src/engine/rollout/upgrade.js';
import { startRollout, type RolloutOptions } from '../../src/engine/rollout/run-rollout.js';
import { readJournal, stepsFor } from '../../src/engine/rollout/journal.js';
import type { RolloutEvent } from '../../src/engine/rollout/types.js';
import type { KubeNode } from '../../src/engine/kube/types.js';
import { startRolloutHarness, type RolloutHarness } from '../helpers/sim-rollout.js';
import { simAdminFetch } from '../../src/sim/admin-client.js';

const SPEED = 200;
let h: RolloutHarness;
/** The worker group whose drain the budget test blocked. */
let blockedGroup = '';

before(async () => {
  h = await startRolloutHarness({ speed: SPEED });
});
after(async () => h?.close());

async function roll(options: Partial<RolloutOptions> = {}) {
  const connected = await h.connect();
  try {
    const run = startRollout(connected.deps, { cluster: h.name, breakStaleLock: true, ...options });
    const events: RolloutEvent[] = [];
    run.subscribe((e) => events.push(e));
    const result = await run.done;
    return { result, events, run };
  } finally {
    await connected.close();
  }
}

const isReady = (n: KubeNode) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
const groupOf = (n: KubeNode) => n.metadata.labels?.['kops.k8s.io/instancegroup'] ?? '';

/** Samples the nodes while `work` runs: the fewest Ready, schedulable nodes each group had. */
async function watchAvailability<T>(work: Promise<T>): Promise<{ value: T; lowest: Map<string, number> }> {
  const lowest = new Map<string, number>();
  let running = true;
  const sampler = (async () => {
    while (running) {
      const nodes = await h.nodes();
      if (nodes.length > 0) {
        const counts = new Map<string, number>();
        for (const n of nodes) counts.set(groupOf(n), (counts.get(groupOf(n)) ?? 0) + (isReady(n) && !n.spec?.unschedulable ? 1 : 0));
        for (const [g, c] of counts) lowest.set(g, Math.min(lowest.get(g) ?? Infinity, c));
      }
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
  })();
  try {
    return { value: await work, lowest };
  } finally {
    running = false;
    await sampler;
  }
}

test('upgrading 3 control-plane and 6 worker nodes by one minor: all on the new version, control plane first, no budget broken, none over maxUnavailable', async () => {
  await simAdminFetch(h.sim, '/sim/stats/reset', { method: 'POST' });
  await upgradeCluster(h.store, h.name, '1.32.5');
  await h.update();
  const { value, lowest } = await watchAvailability(roll());
  const { result, events } = value;
  assert.equal(result.status, 'finished', result.reason);
  assert.equal(result.replaced.length, 9);
  const nodes = await h.waitForReadyNodes(9);
  assert.deepEqual([...new Set(nodes.map((n) => n.status?.nodeInfo?.kubeletVersion))], ['v1.32.5']);
  const kinds = events.filter((e) => e.type === 'group-started').map((e) => (e.type === 'group-started' ? e.kind : ''));
  assert.deepEqual(kinds, ['ControlPlane', 'ControlPlane', 'ControlPlane', 'Node', 'Node', 'Node']);
  const firstNodeStep = events.findIndex((e) => e.type === 'step-started' && e.group.startsWith('nodes-'));
  const lastControlPlaneStep = events.map((e) => e.type === 'step-finished' && e.group.startsWith('control-plane-')).lastIndexOf(true);
  assert.ok(lastControlPlaneStep < firstNodeStep, 'every control-plane step finished before the first node step');
  // Worker groups (2 nodes, maxSurge 1, maxUnavailable 0) never lost a node; control plane (1 each) at most one.
  for (const [group, count] of lowest) {
    if (group.startsWith('nodes-')) assert.ok(count >= 2, `${group} went down to ${count} available nodes`);
  }
  assert.ok(events.some((e) => e.type === 'step-finished' && e.step === 'detach'), 'workers surged');
  assert.deepEqual((await h.stats()).pdbViolations, []);
  const plan = events.find((e) => e.type === 'plan');
  assert.ok(plan?.type === 'plan' && /kubernetesVersion 1\.31\.9 -> 1\.32\.5/.test(plan.plan.groups[0].instances[0]?.reason ?? ''));
});

test('a run killed at a random step is finished by the next run with no step repeated or skipped', async () => {
  const group = 'nodes-us-east-1b';
  let steps = 0;
  const crashAfter = 3 + Math.floor(Math.random() * 10);
  const crash = new AbortController();
  const connected = await h.connect();
  const first = startRollout(connected.deps, { cluster: h.name, force: true, instanceGroups: [group], signal: crash.signal });
  first.subscribe((e) => e.type === 'step-finished' && ++steps === crashAfter && crash.abort(new Error(`killed after step ${crashAfter}`)));
  const interrupted = await first.done;
  await connected.close();
  assert.equal(interrupted.status, 'interrupted', interrupted.reason);
  const half = (await readJournal(h.store.objects, h.name))!;
  assert.equal(half.status, 'running');
  const { result } = await roll({ force: true, instanceGroups: [group] });
  assert.equal(result.status, 'finished', result.reason);
  const journal = (await readJournal(h.store.objects, h.name))!;
  const byInstance = new Map<string, string[]>();
  for (const e of journal.entries) byInstance.set(e.instance, [...(byInstance.get(e.instance) ?? []), e.step]);
  assert.equal(byInstance.size, 2);
  for (const [instance, done] of byInstance) assert.deepEqual(done, stepsFor({ surge: true, withoutKube: false, bastion: false }), instance);
  await h.waitForReadyNodes(9);
});

test('a budget that allows no disruption blocks the drain: the blocked pods are shown and the drain timeout applies', async () => {
  const pods = await h.kube.request<{ items: { spec: { nodeName: string } }[] }>('GET', '/api/v1/namespaces/demo/pods?labelSelector=app%3Dapi');
  const nodes = await h.nodes();
  const group = groupOf(nodes.find((n) => n.metadata.name === pods.items[0].spec.nodeName)!);
  blockedGroup = group;
  const pdbPath = '/apis/policy/v1/namespaces/demo/poddisruptionbudgets/api';
  const patch = (maxUnavailable: number) => h.kube.request('PATCH', pdbPath, { body: { spec: { maxUnavailable } }, contentType: 'application/merge-patch+json' });
  await patch(0);
  try {
    const { result, events } = await roll({ force: true, instanceGroups: [group], timings: { drainTimeoutMs: 2 * 60_000 } });
    assert.equal(result.status, 'failed');
    assert.match(result.reason!, /did not finish within 2m.*demo\/api-.*PodDisruptionBudget demo\/api, 0 disruption/);
    const blocked = events.filter((e) => e.type === 'drain-blocked');
    assert.ok(blocked.length > 0 && blocked.every((e) => e.type === 'drain-blocked' && e.blocked.every((b) => b.pod.namespace === 'demo' && b.pdb?.name === 'api')));
    const after = await h.nodes();
    assert.ok(after.every((n) => !n.spec?.unschedulable), 'the node that could not be drained was uncordoned');
  } finally {
    await patch(1);
  }
});

test('a replacement that never becomes Ready stops the rollout at the validation timeout, saying so', async () => {
  // The earlier test left a failed run (and an instance it detached) in the group
  // whose drain was blocked; a run for that group would resume it and launch
  // nothing. This test wants a fresh replacement, so it takes another group, and
  // a run asked for it must plan it, not resume that one's plan.
  const group = ['nodes-us-east-1a', 'nodes-us-east-1b', 'nodes-us-east-1c'].find((g) => g !== blockedGroup)!;
  // The fault goes to the next instance to boot: a surge replacement launched by
  // the earlier test (its drain failed) must not be the one that takes it.
  await h.waitForBootsDone();
  await h.faults({ neverReadyNext: 1 });
  const { result, events } = await roll({ force: true, instanceGroups: [group], timings: { validationTimeoutMs: 4 * 60_000 } });
  const plan = events.find((e) => e.type === 'plan');
  assert.ok(plan?.type === 'plan');
  assert.deepEqual(plan.plan.order, [group]);
  // Its members: how many depends on what the earlier tests left in this group.
  assert.ok(plan.plan.totalInstances >= 1, `planned ${plan.plan.totalInstances}`);
  if (result.status !== 'failed') {
    // What happened instead, to tell a race in the test from one in the rollout.
    const faults = await (await simAdminFetch(h.sim, '/sim/faults')).text();
    const groups = await h.clients.autoscaling.send(new DescribeAutoScalingGroupsCommand({}));
    const cloud = (groups.AutoScalingGroups ?? []).map((g) => `${g.AutoScalingGroupName} desired ${g.DesiredCapacity}: ${(g.Instances ?? []).map((i) => `${i.InstanceId} ${i.LifecycleState}`).join(', ')}`);
    const story = events.filter((e) => e.type !== 'drain-progress' && e.type !== 'eta' && e.type !== 'api-record').map((e) => JSON.stringify(e).slice(0, 200));
    assert.fail(`expected a validation timeout, got ${result.status}: ${result.reason}\nfaults: ${faults}\ngroups: ${cloud.join(' | ')}\nnodes: ${(await h.nodes()).map((n) => `${n.metadata.name} ${n.spec?.providerID} ${isReady(n)}`).join('; ')}\nevents:\n${story.join('\n')}`);
  }
  assert.match(result.reason!, /did not validate within 4m: .*not ready|did not validate within 4m: .*not yet joined/);
  // The instance that never became Ready is the replacement launched for this group.
  const faults = (await (await simAdminFetch(h.sim, '/sim/faults')).json()) as { neverReadyInstances: string[] };
  const stuck = (await h.nodes()).filter((n) => faults.neverReadyInstances.some((id) => n.spec?.providerID?.endsWith(`/${id}`)));
  assert.deepEqual(stuck.map(groupOf), [group]);
});
