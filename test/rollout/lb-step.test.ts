// The deregister step on fakes: between cordon and drain, label then
// deregister (the wave in one call), journaled with what it changed; a single
// control plane stays in its load balancers; a failed deregistration stops the
// run with the node left cordoned and is done by the next run; a node given
// back after a failed drain goes back into its load balancers, unlabelled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startRollout } from '../../src/engine/rollout/run-rollout.js';
import { readJournal } from '../../src/engine/rollout/journal.js';
import { initialRolloutView, reduceRollout } from '../../src/engine/rollout/rollout-state.js';
import type { RolloutEvent } from '../../src/engine/rollout/types.js';
import type { DeregisterRequest } from '../../src/engine/rollout/deps.js';
import { FakeWorld } from './fakes.js';

const CLUSTER = 'fake.example.com';
const TG = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/nodes-tg/0123456789abcdef';

async function world(options: { controlPlanes?: number; nodes?: number } = {}) {
  const w = await new FakeWorld({ ...options, targetGroup: TG }).init();
  w.bumpAll();
  return w;
}

function run(w: FakeWorld, deps = w.deps()) {
  const r = startRollout(deps, { cluster: CLUSTER, breakStaleLock: true });
  const events: RolloutEvent[] = [];
  r.subscribe((e) => events.push(e));
  return { r, events };
}

test('each node is labelled and taken out of its target group after its cordon and before its drain, and it is journaled', async () => {
  const w = await world({ controlPlanes: 1, nodes: 2 });
  const nodes = [...w.instances.values()].filter((i) => i.group === w.groupOf('Node'));
  const { r, events } = run(w);
  const result = await r.done;
  assert.equal(result.status, 'finished', result.reason);
  for (const instance of nodes) {
    const at = (what: string) => w.log.indexOf(what);
    const [cordon, exclude, deregister, drain] = [`cordon ${instance.node.name}`, `exclude ${instance.node.name}`, `deregister ${instance.id}`, `drain ${instance.node.name}`].map(at);
    assert.ok(cordon >= 0 && cordon < exclude && exclude < deregister && deregister < drain, `order for ${instance.id}: ${w.log.join(' | ')}`);
  }
  const journal = (await readJournal(w.objects, CLUSTER))!;
  for (const instance of nodes) {
    const steps = journal.entries.filter((e) => e.instance === instance.id);
    const entry = steps.find((e) => e.step === 'deregister')!;
    assert.deepEqual(entry.loadBalancers, { labelled: true, targetGroups: [{ arn: TG, port: 443 }], classic: [] });
    assert.match(entry.note ?? '', /labelled excluded from load balancers; taken out of target group nodes-tg/);
    assert.ok(steps.findIndex((e) => e.step === 'deregister') < steps.findIndex((e) => e.step === 'drain'));
  }
  const draining = events.filter((e) => e.type === 'load-balancers' && e.action === 'draining');
  assert.equal(draining.length, 2, 'one deregistration per wave (maxSurge 1: one node a wave)');
  // Their replacements serve again (registered at launch by the group, as AWS does).
  const replacements = [...w.instances.values()].filter((i) => i.group === w.groupOf('Node'));
  assert.ok(replacements.every((i) => w.loadBalancers.get(i.id)?.targetGroups[0]?.arn === TG));
  // The screen's view knows what the step did.
  const view = events.reduce(reduceRollout, initialRolloutView);
  assert.deepEqual(view.instances.find((i) => i.id === nodes[0].id)?.loadBalancers?.names, [`target group ${TG}`]);
});

test('a single control-plane node stays in its load balancers (as kops); with three, the API load balancer is asked for too', async () => {
  const single = await world({ controlPlanes: 1, nodes: 1 });
  const requests: DeregisterRequest[] = [];
  const spy = (w: FakeWorld) => {
    const deps = w.deps();
    const deregister = deps.cloud.deregister;
    deps.cloud.deregister = (request) => {
      requests.push(request);
      return deregister(request);
    };
    return deps;
  };
  const first = run(single, spy(single));
  assert.equal((await first.r.done).status, 'finished');
  const cp = (await readJournal(single.objects, CLUSTER))!.entries.find((e) => e.step === 'deregister' && e.group === single.groupOf('ControlPlane'))!;
  assert.match(cp.note ?? '', /kept in its load balancers: it is the cluster's only control-plane node/);
  assert.equal(cp.loadBalancers?.labelled, true, 'labelled all the same, as kops');
  assert.ok(first.events.some((e) => e.type === 'load-balancers' && e.action === 'kept'));
  assert.deepEqual(requests.map((q) => q.apiLoadBalancer), [false], 'only the node was deregistered');

  requests.length = 0;
  const three = await world({ controlPlanes: 3, nodes: 1 });
  assert.equal((await run(three, spy(three)).r.done).status, 'finished');
  assert.deepEqual(requests.map((q) => q.apiLoadBalancer), [true, true, true, false], 'each control-plane wave includes the API load balancer');
});

test('a failed deregistration stops the rollout with the reason, leaves the node cordoned, and the next run does it', async () => {
  const w = await world({ controlPlanes: 1, nodes: 1 });
  const node = [...w.instances.values()].find((i) => i.group === w.groupOf('Node'))!;
  w.failDeregistration = 'could not deregister i-x from target group nodes-tg: TargetGroupNotFound: Target groups not found';
  const { r, events } = run(w);
  const result = await r.done;
  assert.equal(result.status, 'failed');
  assert.match(result.reason!, new RegExp(`could not take node ${node.node.name} \\(${node.id}\\) out of its load balancers: could not deregister i-x from target group nodes-tg: TargetGroupNotFound`));
  assert.equal(node.node.unschedulable, true, 'left cordoned, as kops leaves it');
  assert.ok(!events.some((e) => e.type === 'uncordoned'));
  assert.ok(!w.log.includes(`drain ${node.node.name}`), 'never drained');
  const journal = (await readJournal(w.objects, CLUSTER))!;
  assert.deepEqual(journal.entries.filter((e) => e.instance === node.id).map((e) => e.step), ['confirm', 'detach', 'cordon']);

  w.failDeregistration = undefined;
  const again = await run(w).r.done;
  assert.equal(again.status, 'finished', again.reason);
  const done = (await readJournal(w.objects, CLUSTER))!.entries.filter((e) => e.instance === node.id).map((e) => e.step);
  assert.equal(done.filter((s) => s === 'deregister').length, 1);
  assert.ok(done.indexOf('deregister') < done.indexOf('drain'));
});

test('a node given back after a failed drain is registered again where it was and loses the label the rollout added', async () => {
  const w = await world({ controlPlanes: 1, nodes: 1 });
  const node = [...w.instances.values()].find((i) => i.group === w.groupOf('Node'))!;
  w.drainBlocks.add(node.node.name);
  const result = await run(w).r.done;
  assert.equal(result.status, 'failed');
  assert.equal(node.node.unschedulable, false, 'uncordoned');
  assert.deepEqual(w.loadBalancers.get(node.id), { targetGroups: [{ arn: TG, port: 443 }], classic: [] }, 'registered again');
  assert.equal(w.excluded.has(node.node.name), false, 'label removed');
  const at = (what: string) => w.log.indexOf(what);
  assert.ok(at(`deregister ${node.id}`) < at(`reregister ${node.id}`) && at(`exclude ${node.node.name}`) < at(`include ${node.node.name}`));
});
