// The rolling-update screen against the simulator (1 control plane + 2
// workers, made by the reconcile engine through the rollout harness, upgraded
// one minor): the plan as kops prints it; the drain question listing the
// node's pods grouped by owner with their budgets as the Kubernetes API has
// them; p drains and pauses after that node (resume goes on), s skips (the
// instance stays), a is yes to all after a confirmation, leaving the screen
// keeps the run; x asks about cordoned nodes and aborts; a blocked drain shows
// its pods, budgets and time left, w keeps waiting, x can be backed out of,
// and s skips the node: uncordoned, not replaced, the run goes on.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeList, KubePdb, KubePod } from '../../src/engine/kube/types.js';
import { upgradeCluster } from '../../src/engine/rollout/upgrade.js';
import type { RolloutSession } from '../../src/sessions/rollout-session.js';
import { rolloutSessionsFor } from '../../src/sessions/rollout-sessions.js';
import type { Services } from '../../src/hooks/services.js';
import { keys, renderApp, waitUntil } from '../console/helpers.js';
import { consoleServicesFor, startRolloutHarness, type RolloutHarness } from '../helpers/sim-rollout.js';

const SPEED = 400;
const NAME = 'ui.k8s.local';
const SIZE = { columns: 200, rows: 60 };
let h: RolloutHarness;
let services: Services;

before(async () => {
  h = await startRolloutHarness({ speed: SPEED, name: NAME, zones: ['us-east-1a'], controlPlaneCount: 1, nodeCount: 2 });
  await upgradeCluster(h.store, NAME, '1.32.5');
  await h.update();
  // The drain questions below expect budgeted pods on every worker.
  await h.spreadDemoPods();
  services = consoleServicesFor(h);
});
after(async () => {
  // A failed test can leave a run waiting on a question: stop it so the harness can close.
  const session = services && rolloutSessionsFor(services).peek(NAME);
  if (session?.running) {
    session.abort();
    await waitUntil(() => !session.running, 'the leftover run to stop', 20_000).catch(() => undefined);
  }
  await h?.close();
});

function open() {
  const view = renderApp({ services, size: SIZE, initialRoute: { name: 'rollout', cluster: NAME } });
  const session = () => rolloutSessionsFor(services).peek(NAME)!;
  return { ...view, session };
}

async function waitForSession(session: () => RolloutSession, what: string, check: (s: RolloutSession) => boolean, timeoutMs = 30_000) {
  await waitUntil(() => check(session()), what, timeoutMs);
}

const isEvictable = (p: KubePod) =>
  !p.metadata.annotations?.['kubernetes.io/config.mirror'] &&
  !(p.metadata.ownerReferences ?? []).some((o) => o.kind === 'DaemonSet' || o.kind === 'Node') &&
  p.status?.phase !== 'Succeeded' &&
  p.status?.phase !== 'Failed';

/** What the Kubernetes API says about a node's pods: those a drain evicts (with their budget) and those it leaves. */
async function podsOf(node: string) {
  const pods = (await h.kube.request<KubeList<KubePod>>('GET', `/api/v1/pods?fieldSelector=${encodeURIComponent(`spec.nodeName=${node}`)}`)).items;
  const pdbs = (await h.kube.request<KubeList<KubePdb>>('GET', '/apis/policy/v1/poddisruptionbudgets')).items;
  const budgetOf = (pod: KubePod) =>
    pdbs.find(
      (b) =>
        b.metadata.namespace === pod.metadata.namespace &&
        Object.entries(b.spec?.selector?.matchLabels ?? {}).every(([k, v]) => pod.metadata.labels?.[k] === v),
    );
  // The owner's replicas in all, as its controller object says (spec.replicas; the API defaults it to 1).
  const replicasOf = async (pod: KubePod) => {
    const owner = (pod.metadata.ownerReferences ?? []).find((o) => o.controller);
    if (owner?.kind !== 'ReplicaSet' && owner?.kind !== 'StatefulSet') return undefined;
    const plural = owner.kind === 'ReplicaSet' ? 'replicasets' : 'statefulsets';
    const object = await h.kube.request<{ spec?: { replicas?: number } }>('GET', `/apis/apps/v1/namespaces/${pod.metadata.namespace}/${plural}/${owner.name}`);
    return { owner: owner.name, replicas: object.spec?.replicas ?? 1 };
  };
  const evictable = pods.filter(isEvictable);
  const replicas = await Promise.all(evictable.map(replicasOf));
  return {
    evict: evictable.map((p, i) => ({ pod: `${p.metadata.namespace}/${p.metadata.name}`, pdb: budgetOf(p), replicas: replicas[i] })),
    leftAlone: pods.filter((p) => !isEvictable(p)).map((p) => `${p.metadata.namespace}/${p.metadata.name}`),
  };
}

/** Checks the drain question on screen against the API: every pod under its owner, the owner's budget and what it allows now. */
async function assertPanelMatchesApi(frame: string, node: string) {
  const { evict, leftAlone } = await podsOf(node);
  assert.ok(frame.includes(`Drain node ${node}?`), frame);
  assert.ok(frame.includes(`The drain will evict ${evict.length} pod${evict.length === 1 ? '' : 's'}`), frame);
  const lines = frame.split('\n');
  for (const { pod, pdb, replicas } of evict) {
    const at = lines.findIndex((l) => l.includes(`      ${pod}`));
    assert.ok(at >= 0, `${pod} is listed:\n${frame}`);
    // Its owner's line is the nearest one above with "(how many here) — budget".
    const owner = lines.slice(0, at).reverse().find((l) => /\) — (PodDisruptionBudget|no PodDisruptionBudget|budgets differ)/.test(l));
    assert.ok(owner, `${pod} is listed under its owner:\n${frame}`);
    if (replicas) {
      // How many replicas the workload has in all, and whether all of them are here.
      const here = evict.filter((e) => e.replicas?.owner === replicas.owner).length;
      const words = here >= replicas.replicas ? (here === 1 ? 'its only replica is on this node' : `all ${here} of its replicas are on this node`) : `${here} of its ${replicas.replicas} replicas on this node`;
      assert.ok(owner.includes(`${replicas.owner}) (${words})`) || owner.includes(`${replicas.owner} (${words})`), `replicas of ${pod}'s owner (${words}): ${owner}`);
    }
    if (pdb) {
      const allowed = pdb.status?.disruptionsAllowed ?? 0;
      assert.ok(owner.includes(`PodDisruptionBudget ${pdb.metadata.namespace}/${pdb.metadata.name} allows ${allowed} disruption`), `budget of ${pod}: ${owner}`);
      assert.ok(frame.includes(`${pdb.metadata.namespace}/${pdb.metadata.name} allows ${allowed} now`), `the budget is among those involved:\n${frame}`);
    } else {
      assert.ok(owner.includes('no PodDisruptionBudget'), owner);
    }
  }
  const leftAloneAt = lines.findIndex((l) => l.includes('Left alone ('));
  for (const pod of leftAlone) {
    const at = lines.findIndex((l) => l.includes(`  ${pod} (`));
    assert.ok(at > leftAloneAt && leftAloneAt >= 0, `${pod} is listed as left alone, after the evicted pods:\n${frame}`);
  }
  return { evict, leftAlone };
}

test('the plan shows kops’ table, the order and an estimate', async () => {
  const view = open();
  try {
    const frame = await view.waitFor('Estimated duration', 20_000);
    assert.match(frame, /NAME\s+STATUS\s+NEEDUPDATE\s+READY\s+MIN\s+TARGET\s+MAX\s+NODES/);
    assert.match(frame, /control-plane-us-east-1a\s+NeedsUpdate\s+1\s+0\s+1\s+1\s+1\s+1/);
    assert.match(frame, /nodes-us-east-1a\s+NeedsUpdate\s+2\s+0\s+2\s+2\s+\d+\s+2/);
    assert.match(frame, /Order: control-plane-us-east-1a -> nodes-us-east-1a/);
    assert.match(frame, /kubernetesVersion 1\.31\.9 -> 1\.32\.5/);
    assert.match(frame, /<enter> start \(asks before each drain\)/);
  } finally {
    view.unmount();
  }
});

test('drain questions: the panel matches the API; p pauses after that node, s skips, a is yes to all once confirmed', { timeout: 60_000 }, async () => {
  const view = open();
  const { session } = view;
  const stepsOf = (id: string) => session().getState().view.instances.find((i) => i.id === id)?.steps ?? {};
  try {
    await view.waitFor('Estimated duration', 20_000);
    const before = new Map((await h.nodes()).map((n) => [n.metadata.name, n]));
    view.press(keys.enter);

    // The control plane goes first: p drains it, then the run pauses before the next question.
    let frame = await view.waitFor('Drain node', 20_000);
    const first = session().getState().view.confirm!;
    assert.equal(first.group, 'control-plane-us-east-1a');
    await assertPanelMatchesApi(frame, first.nodeName!);
    assert.match(frame, /Next: .*on yes: cordon → take it out of its load balancers → drain/);
    assert.match(frame, /y drain and replace it · s skip this node \(not replaced\) · p drain it, then pause after this node · x abort/);
    assert.match(frame, /a yes to this node and all 2 remaining/);
    // Every state the session passes through while paused is checked, not one sample after a sleep.
    const whilePaused: { confirm: unknown; workers: number }[] = [];
    const unsubscribe = session().subscribe(() => {
      const { view: now } = session().getState();
      if (now.status === 'paused') whilePaused.push({ confirm: now.confirm, workers: now.instances.filter((i) => i.group === 'nodes-us-east-1a').length });
    });
    view.press('p');
    frame = await view.waitFor((f) => f.includes('PAUSED') && !f.includes('Drain node'), 40_000);
    assert.equal(session().getState().view.pausedAt, 'instance');
    assert.equal(stepsOf(first.instanceId).validate?.state, 'done', 'the node was replaced and validated before the pause');
    assert.match(frame, /Paused after the instance\(s\) in progress, as asked/);
    // A paused run does nothing by design, so no event can prove it has held: the pause is held for a span of the
    // run's own (simulated) clock long enough for a question and a detach if the gate did not hold, watched throughout.
    const pausedAt = h.clock.now();
    await waitUntil(() => h.clock.now() - pausedAt >= 160_000, '160 s of simulated time paused', 5_000);
    unsubscribe();
    assert.equal(session().getState().view.confirm, undefined, 'no question while paused');
    assert.equal(session().getState().view.instances.filter((i) => i.group === 'nodes-us-east-1a').length, 0, 'no worker touched while paused');
    assert.deepEqual(whilePaused.filter((s) => s.confirm !== undefined || s.workers > 0), [], 'no question and no worker touched at any moment of the pause');
    view.press('p');

    // The first worker: its demo pods under their owners and budgets, as the API has them; a asks first, n declines; then skip it.
    await waitForSession(session, 'the first worker question', (s) => s.getState().view.confirm?.group === 'nodes-us-east-1a', 40_000);
    frame = await view.waitFor((f) => f.includes(`Drain node ${session().getState().view.confirm!.nodeName}?`));
    const skipped = session().getState().view.confirm!;
    const { evict } = await assertPanelMatchesApi(frame, skipped.nodeName!);
    assert.ok(evict.some((p) => p.pdb), 'a worker runs pods covered by a budget');
    assert.match(frame, /ReplicaSet \S+\) \((\d+ of its \d+ replicas|all \d+ of its replicas are|its only replica is) on this node\) — PodDisruptionBudget/);
    view.press('a');
    frame = await view.waitFor('Yes to all: drain this node and the 1 remaining');
    view.press('n');
    await view.waitFor((f) => !f.includes('Yes to all:') && f.includes(`Drain node ${skipped.nodeName}?`));
    assert.equal(session().getState().yesToAll, false);
    view.press('s');

    // The second worker: leaving the screen keeps the run (and its question); :rollout comes back; a, y: yes to all.
    await waitForSession(session, 'the second worker question', (s) => {
      const c = s.getState().view.confirm;
      return Boolean(c && c.instanceId !== skipped.instanceId && c.group === 'nodes-us-east-1a');
    });
    const second = session().getState().view.confirm!;
    await view.waitFor(`Drain node ${second.nodeName}?`);
    view.press(keys.escape);
    await view.waitFor('keeps running');
    assert.equal(session().getState().phase, 'running');
    view.press(':');
    await view.waitFor((f) => /^:/m.test(f));
    view.press(`rollout ${NAME}`);
    view.press(keys.enter);
    await view.waitFor(`Drain node ${second.nodeName}?`);
    view.press('a');
    await view.waitFor('Yes to all: drain this node and the 0 remaining');
    view.press('y');
    await waitForSession(session, 'yes to all', (s) => s.getState().yesToAll);
    await waitForSession(session, 'the drain after yes to all', () => stepsOf(second.instanceId).drain !== undefined);

    frame = await view.waitFor('Rolling update finished in', 60_000);
    assert.match(frame, /FINISHED/);
    assert.match(frame, /2 replaced, 1 skipped/);
    const skippedNode = await h.nodes().then((nodes) => nodes.find((n) => n.metadata.name === skipped.nodeName));
    assert.ok(skippedNode, 'the skipped node is still there');
    assert.equal(skippedNode.status?.nodeInfo?.kubeletVersion, before.get(skipped.nodeName!)?.status?.nodeInfo?.kubeletVersion);
    assert.ok(!skippedNode.spec?.unschedulable, 'the skipped node was never cordoned');
    const nodes = await h.waitForReadyNodes(3);
    assert.equal(nodes.filter((n) => n.status?.nodeInfo?.kubeletVersion === 'v1.32.5').length, 2);
  } finally {
    view.unmount();
  }
});

test('x at the question asks about cordoned nodes, u aborts: nothing is drained, the instance stays', { timeout: 30_000 }, async () => {
  const view = open();
  const { session } = view;
  try {
    // The session kept the last result; plan again: the skipped worker is what is left.
    await view.waitFor('<r> plan again');
    view.press('r');
    let frame = await view.waitFor('Estimated duration', 20_000);
    assert.match(frame, /nodes-us-east-1a\s+NeedsUpdate\s+1\s/);
    view.press(keys.enter);
    frame = await view.waitFor('Drain node', 20_000);
    const asked = session().getState().view.confirm!;
    view.press('x');
    frame = await view.waitFor('Abort the rolling update?');
    assert.match(frame, /No node is cordoned-but-not-drained right now/);
    view.press('u');
    frame = await view.waitFor('was aborted');
    assert.match(frame, /ABORTED/);
    assert.match(frame, /aborted by the user/);
    assert.match(frame, /■ confirm \(stopped\)/);
    assert.match(frame, /press r to plan again: a re-run resumes/i);
    const node = (await h.nodes()).find((n) => n.metadata.name === asked.nodeName);
    assert.ok(node && !node.spec?.unschedulable, 'the node is still there, schedulable');
  } finally {
    view.unmount();
  }
});

test('a blocked drain shows its pods, budgets and time left; w keeps waiting, x can be backed out of, s skips the node', { timeout: 40_000 }, async () => {
  const view = open();
  const { session } = view;
  // Make a budget on the node allow no disruption, so the drain blocks on it.
  await view.waitFor('<r> plan again');
  view.press('r');
  await view.waitFor('Estimated duration', 20_000);
  const target = session().getState().plan!.groups.find((g) => g.name === 'nodes-us-east-1a')!.instances[0];
  const { evict } = await podsOf(target.nodeName!);
  const budget = evict.find((p) => p.pdb)?.pdb;
  assert.ok(budget, `a pod on ${target.nodeName} is covered by a budget`);
  const path = `/apis/policy/v1/namespaces/${budget.metadata.namespace}/poddisruptionbudgets/${budget.metadata.name}`;
  const patch = (spec: Record<string, unknown>) => h.kube.request('PATCH', path, { body: { spec }, contentType: 'application/merge-patch+json' });
  await patch({ maxUnavailable: 0, minAvailable: null });
  try {
    view.press(keys.enter);
    await view.waitFor(`Drain node ${target.nodeName}?`, 20_000);
    view.press('y');
    let frame = await view.waitFor(`Drain of ${target.nodeName} is blocked`, 30_000);
    assert.match(frame, /left before the drain timeout \(15m00s\)/);
    assert.ok(frame.includes(`PodDisruptionBudget ${budget.metadata.namespace}/${budget.metadata.name} allows 0 disruption(s) now`), frame);
    assert.match(frame, /Now: Drain of .* is blocked by \d+ pod\(s\); .* left before the drain timeout/);
    assert.ok(frame.includes(`w keep waiting · s skip ${target.nodeName}: cancel its drain, uncordon it, leave it unreplaced`), frame);
    assert.ok(frame.includes(`<s> skip ${target.nodeName}`), 'the footer offers the skip');
    view.press('w');
    frame = await view.waitFor(`Waiting for the held-up drain of ${target.nodeName}`);
    assert.ok(!frame.includes(`Drain of ${target.nodeName} is blocked:`), 'the panel folded to one line');
    view.press('x');
    frame = await view.waitFor('Abort the rolling update?');
    assert.ok(frame.includes(`Cordoned but not drained right now: ${target.nodeName}`), frame);
    view.press('n');
    await view.waitFor((f) => !f.includes('Abort the rolling update?'));
    assert.equal(session().getState().view.status, 'running');
    view.press('s');
    frame = await view.waitFor('Rolling update finished in', 30_000);
    assert.match(frame, /0 replaced, 1 skipped/);
    assert.match(frame, /skipped during its drain: uncordoned, not replaced/);
    assert.match(frame, /Uncordoned .*: its drain was skipped/);
    const node = (await h.nodes()).find((n) => n.metadata.name === target.nodeName);
    assert.ok(node && !node.spec?.unschedulable, 'the skipped node is schedulable again');
    assert.equal(node.status?.nodeInfo?.kubeletVersion, 'v1.31.9', 'and was not replaced');
  } finally {
    view.unmount();
    await patch({ maxUnavailable: budget.spec?.maxUnavailable ?? null, minAvailable: budget.spec?.minAvailable ?? null });
  }
});
