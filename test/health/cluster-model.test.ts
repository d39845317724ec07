import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClusterModel } from '../../src/engine/live-model/cluster-model.js';
import { formatNodes, formatInstanceGroups, formatInstances } from '../../src/engine/output/get-output.js';
import { controlPlanePods, ig, instance, node, pod } from './fixtures.js';

function healthyModel(): ClusterModel {
  const model = new ClusterModel('test.k8s.local');
  model.setCloud(
    [
      ig('control-plane-us-east-1a', 'ControlPlane', [instance('i-cp1')]),
      ig('nodes-us-east-1a', 'Node', [instance('i-n1'), instance('i-n2', { launchTemplateVersion: '0', needsUpdate: true, updateReason: 'launch template version 0 != 1' })]),
    ],
    1000,
  );
  model.applyNode({ type: 'add', object: node('cp1', { instanceId: 'i-cp1', role: 'control-plane' }) });
  model.applyNode({ type: 'add', object: node('n1', { instanceId: 'i-n1' }) });
  model.applyNode({ type: 'add', object: node('n2', { instanceId: 'i-n2', version: 'v1.29.6' }) });
  for (const p of controlPlanePods('cp1')) model.applyPod({ type: 'add', object: p });
  model.applyPod({ type: 'add', object: pod('web-1', 'n1') });
  model.applyPod({ type: 'add', object: pod('web-2', 'n1') });
  return model;
}

test('the model joins instance groups, instances, nodes and pods into rows and counts', () => {
  const snap = healthyModel().snapshot();
  assert.deepEqual(snap.nodes.map((r) => [r.name, r.instanceGroup, r.role, r.pods, r.status, r.needsUpdate]), [
    ['cp1', 'control-plane-us-east-1a', 'control-plane', 3, 'Ready', false],
    ['n1', 'nodes-us-east-1a', 'node', 2, 'Ready', false],
    ['n2', 'nodes-us-east-1a', 'node', 0, 'Ready', true],
  ]);
  assert.deepEqual(snap.counts, { instanceGroups: 2, instances: 3, nodes: 3, nodesReady: 3, nodesCordoned: 0, pods: 5, outOfDate: 1 });
  assert.deepEqual(snap.versions, [
    { version: 'v1.30.2', nodes: 2 },
    { version: 'v1.29.6', nodes: 1 },
  ]);
  const nodesIg = snap.instanceGroups.find((r) => r.name === 'nodes-us-east-1a')!;
  assert.equal(nodesIg.ready, 2);
  assert.equal(nodesIg.needUpdate, 1);
  assert.equal(snap.instances.find((r) => r.id === 'i-n2')!.status, 'NeedsUpdate');
});

test('one node event rebuilds only that row; unchanged rows keep their identity', () => {
  const model = healthyModel();
  const before = model.snapshot();
  model.applyNode({ type: 'update', object: node('n1', { instanceId: 'i-n1', ready: false, unschedulable: true }), old: model.getNode('n1') });
  const after = model.snapshot();
  assert.notEqual(after.version, before.version);
  assert.equal(after.nodes[0], before.nodes[0], 'cp1 row object reused');
  assert.equal(after.nodes[2], before.nodes[2], 'n2 row object reused');
  assert.equal(after.nodes[1].status, 'NotReady,SchedulingDisabled');
  assert.equal(after.nodes[1].pods, 2, 'pod count survives a node update');
  assert.equal(after.counts.nodesReady, 2);
  assert.equal(after.counts.nodesCordoned, 1);
  assert.equal(after.instanceGroups.find((r) => r.name === 'nodes-us-east-1a')!.ready, 1);
  assert.equal(model.snapshot(), after, 'no change, same snapshot object');
});

test('pod moves and deletes keep per-node counts exact', () => {
  const model = healthyModel();
  const old = pod('web-1', 'n1');
  const moved = { ...old, spec: { nodeName: 'n2' }, metadata: { ...old.metadata, resourceVersion: '999' } };
  model.applyPod({ type: 'update', object: moved, old });
  let snap = model.snapshot();
  assert.deepEqual(snap.nodes.map((r) => r.pods), [3, 1, 1]);
  model.applyPod({ type: 'delete', object: moved, old: moved });
  model.applyPod({ type: 'update', object: pod('web-2', 'n1', { phase: 'Succeeded' }), old: pod('web-2', 'n1') });
  snap = model.snapshot();
  assert.deepEqual(snap.nodes.map((r) => r.pods), [3, 0, 0]);
  assert.equal(snap.counts.pods, 3);
});

test('deleting a node removes its row, version and readiness counts', () => {
  const model = healthyModel();
  model.applyNode({ type: 'delete', object: model.getNode('n2')!, old: model.getNode('n2') });
  const snap = model.snapshot();
  assert.deepEqual(snap.nodes.map((r) => r.name), ['cp1', 'n1']);
  assert.deepEqual(snap.versions, [{ version: 'v1.30.2', nodes: 2 }]);
  assert.equal(snap.instances.find((r) => r.id === 'i-n2')!.nodeName, '');
});

test('a burst of events reaches a subscriber as one notification', async () => {
  const model = healthyModel();
  const seen: number[] = [];
  model.subscribe((snap) => seen.push(snap.counts.pods));
  for (let i = 0; i < 500; i++) model.applyPod({ type: 'add', object: pod(`burst-${i}`, 'n2') });
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(seen, [505]);
});

test('get output renders the kops/kubectl columns as table, json and yaml', () => {
  const snap = healthyModel().snapshot();
  const now = Date.parse('2024-01-03T00:00:00Z');
  const table = formatNodes(snap, 'table', now);
  const lines = table.trimEnd().split('\n');
  assert.match(lines[0], /^NAME\s+STATUS\s+ROLE\s+INSTANCEGROUP\s+ZONE\s+VERSION\s+PODS\s+TAINTS\s+AGE\s+INSTANCE$/);
  assert.match(lines[1], /^cp1\s+Ready\s+control-plane\s+control-plane-us-east-1a\s+us-east-1a\s+v1\.30\.2\s+3\s+<none>\s+2d\s+i-cp1$/);
  assert.equal(JSON.parse(formatNodes(snap, 'json', now)).length, 3);
  assert.match(formatNodes(snap, 'yaml', now), /- name: n1\n/);
  // Pods not counted: no PODS column, no pods field (not a 0 that reads as empty nodes).
  const uncounted = formatNodes(snap, 'table', now, { pods: false }).trimEnd().split('\n');
  assert.match(uncounted[0], /^NAME\s+STATUS\s+ROLE\s+INSTANCEGROUP\s+ZONE\s+VERSION\s+TAINTS\s+AGE\s+INSTANCE$/);
  assert.match(uncounted[1], /^cp1\s+Ready\s+control-plane\s+control-plane-us-east-1a\s+us-east-1a\s+v1\.30\.2\s+<none>\s+2d\s+i-cp1$/);
  const rows = JSON.parse(formatNodes(snap, 'json', now, { pods: false })) as Record<string, unknown>[];
  assert.ok(rows.length === 3 && rows.every((r) => r.name && !('pods' in r)));
  assert.match(formatInstanceGroups(snap, 'table'), /nodes-us-east-1a\s+Node\s+t3\.medium\s+2\s+2\s+2\s+2\s+1\s+us-east-1a/);
  assert.match(formatInstances(snap, 'table'), /i-n2\s+n2\s+NeedsUpdate\s+node\s+InService/);
});
