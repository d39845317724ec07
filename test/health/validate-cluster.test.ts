import { test } from 'node:test';
import assert from 'node:assert/strict';
import { instantClock } from './instant-clock.js';
import { validateClusterHealth, type ValidationResult } from '../../src/engine/health/validate-cluster-health.js';
import { waitForValidation } from '../../src/engine/health/wait-for-validation.js';
import { ClusterModel } from '../../src/engine/live-model/cluster-model.js';
import { formatValidation } from '../../src/engine/output/validate-report.js';
import { controlPlanePods, ig, instance, node, pod } from './fixtures.js';

const READY = { ok: true, status: 200, message: 'ok' };
const CLUSTER = 'test.k8s.local';

function model(opts: { workers?: number; target?: number; cpSkip?: string[]; unready?: string[]; extraPods?: ReturnType<typeof pod>[] } = {}): ClusterModel {
  const workers = opts.workers ?? 2;
  const m = new ClusterModel(CLUSTER);
  const workerInstances = Array.from({ length: workers }, (_, i) => instance(`i-n${i + 1}`));
  m.setCloud(
    [ig('control-plane-us-east-1a', 'ControlPlane', [instance('i-cp1')]), ig('nodes-us-east-1a', 'Node', workerInstances, { targetSize: opts.target ?? workers })],
    0,
  );
  m.applyNode({ type: 'add', object: node('cp1', { instanceId: 'i-cp1', role: 'control-plane' }) });
  for (let i = 1; i <= workers; i++) m.applyNode({ type: 'add', object: node(`n${i}`, { instanceId: `i-n${i}`, ready: !opts.unready?.includes(`n${i}`) }) });
  for (const p of [...controlPlanePods('cp1', opts.cpSkip), ...(opts.extraPods ?? [])]) m.applyPod({ type: 'add', object: p });
  return m;
}

const messages = (r: ValidationResult) => r.failures.map((f) => f.message);

test('a healthy cluster passes', () => {
  const result = validateClusterHealth(CLUSTER, model(), READY);
  assert.equal(result.ok, true);
  assert.deepEqual(result.failures, []);
  assert.deepEqual(result.nodes.map((n) => [n.name, n.role, n.status]), [
    ['cp1', 'control-plane', 'True'],
    ['n1', 'node', 'True'],
    ['n2', 'node', 'True'],
  ]);
});

test('an instance group below its target size, with a machine that has not joined', () => {
  const m = model();
  const groups = m.instanceGroups();
  groups[1] = { ...groups[1], targetSize: 4, instances: [...groups[1].instances, instance('i-new')] };
  m.setCloud(groups, 1);
  assert.deepEqual(messages(validateClusterHealth(CLUSTER, m, READY)), [
    'InstanceGroup "nodes-us-east-1a" did not have enough nodes 3 vs 4',
    'machine "i-new" has not yet joined cluster',
  ]);
});

test('a bastion and a warm-pool instance are not machines that should have joined, as kops has it', () => {
  const m = model();
  const groups = m.instanceGroups();
  groups[1] = { ...groups[1], instances: [...groups[1].instances, instance('i-warm', { lifecycleState: 'Warmed:Stopped' })] };
  m.setCloud([...groups, ig('bastions', 'Bastion', [instance('i-bastion')])], 1);
  const result = validateClusterHealth(CLUSTER, m, READY);
  assert.deepEqual(messages(result), []);
  assert.equal(result.ok, true);

  // The same instances in service would be reported.
  groups[1] = { ...groups[1], instances: [...groups[1].instances.filter((i) => i.id !== 'i-warm'), instance('i-warm')] };
  m.setCloud(groups, 2);
  assert.deepEqual(messages(validateClusterHealth(CLUSTER, m, READY)), ['machine "i-warm" has not yet joined cluster']);
});

test('a node not Ready, or with its network unavailable, is reported with its role', () => {
  const m = model({ unready: ['n2'] });
  m.applyNode({ type: 'update', object: node('n1', { instanceId: 'i-n1', networkUnavailable: true }) });
  const result = validateClusterHealth(CLUSTER, m, READY);
  assert.deepEqual(messages(result), ['node "n1" of role "node" is not ready', 'node "n2" of role "node" is not ready']);
  assert.deepEqual(result.failures.map((f) => f.kind), ['Node', 'Node']);
});

test('tolerating unready worker nodes lets up to N through, never more', () => {
  assert.equal(validateClusterHealth(CLUSTER, model({ unready: ['n2'] }), READY, { tolerateUnreadyNodes: 1 }).ok, true);
  const two = validateClusterHealth(CLUSTER, model({ unready: ['n1', 'n2'] }), READY, { tolerateUnreadyNodes: 1 });
  assert.equal(two.ok, false);
  assert.equal(two.failures.length, 2);
});

test('a control-plane node missing a static pod', () => {
  assert.deepEqual(messages(validateClusterHealth(CLUSTER, model({ cpSkip: ['kube-scheduler'] }), READY)), ['control-plane node "cp1" is missing kube-scheduler pod']);
});

test('system-critical pods pending, in unknown phase or not ready', () => {
  const extraPods = [
    pod('coredns-a', 'n1', { namespace: 'kube-system', priority: 'system-cluster-critical', phase: 'Pending' }),
    pod('cilium-b', 'n1', { namespace: 'kube-system', priority: 'system-node-critical', phase: 'Unknown' }),
    pod('cilium-c', 'n2', { namespace: 'kube-system', priority: 'system-node-critical', ready: false }),
    pod('web-d', 'n2', { ready: false }),
  ];
  assert.deepEqual(messages(validateClusterHealth(CLUSTER, model({ extraPods }), READY)), [
    'system-node-critical pod "cilium-b" is unknown phase',
    'system-node-critical pod "cilium-c" is not ready (main)',
    'system-cluster-critical pod "coredns-a" is pending',
  ]);
});

test('a failing /readyz fails validation', () => {
  const result = validateClusterHealth(CLUSTER, model(), { ok: false, status: 503, message: '/readyz answered 503' });
  assert.deepEqual(result.failures.map((f) => [f.kind, f.name]), [['APIServer', 'readyz']]);
});

test('the report has kops sections and verdicts', () => {
  const ok = formatValidation(validateClusterHealth(CLUSTER, model(), READY), 'table');
  assert.match(ok, /^INSTANCE GROUPS\nNAME\s+ROLE\s+MACHINETYPE\s+MIN\s+MAX\s+SUBNETS\n/);
  assert.match(ok, /\nNODE STATUS\nNAME\s+ROLE\s+READY\ncp1\s+control-plane\s+True\n/);
  assert.doesNotMatch(ok, /VALIDATION ERRORS/);
  assert.match(ok, /Your cluster test\.k8s\.local is ready\n$/);
  const bad = formatValidation(validateClusterHealth(CLUSTER, model({ unready: ['n1'] }), READY), 'table');
  assert.match(bad, /\nVALIDATION ERRORS\nKIND\s+NAME\s+MESSAGE\nNode\s+n1\s+node "n1" of role "node" is not ready\n/);
  assert.match(bad, /Validation Failed\n$/);
  assert.equal(JSON.parse(formatValidation(validateClusterHealth(CLUSTER, model(), READY), 'json')).ok, true);
});

test('waitForValidation needs N consecutive passes; a failure resets the count', async () => {
  const verdicts = [true, false, true, true, true];
  const seen: number[] = [];
  const healthy = validateClusterHealth(CLUSTER, model(), READY);
  const broken = validateClusterHealth(CLUSTER, model({ unready: ['n1'] }), READY);
  const outcome = await waitForValidation({
    validate: async () => (verdicts.shift() ? healthy : broken),
    clock: instantClock(),
    waitMs: 10 * 60_000,
    count: 3,
    intervalMs: 10_000,
    onAttempt: (a) => seen.push(a.consecutivePasses),
  });
  assert.equal(outcome.ok, true);
  assert.deepEqual(seen, [1, 0, 1, 2, 3]);
});

test('waitForValidation gives up at the deadline with the reason', async () => {
  const broken = validateClusterHealth(CLUSTER, model({ unready: ['n1'] }), READY);
  const outcome = await waitForValidation({ validate: async () => broken, clock: instantClock(), waitMs: 60_000, count: 2, intervalMs: 10_000 });
  assert.equal(outcome.ok, false);
  assert.equal(outcome.attempts, 7, "attempts at 0,10,...,60 s");
  assert.match(outcome.reason!, /did not pass validation within 60s: node "n1" of role "node" is not ready/);
});
