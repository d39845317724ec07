// What the caches keep: leanPod keeps the fields the engine reads and shares the
// parts that repeat across pods; leanNode drops what no view reads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { leanPod } from '../../src/engine/kube/lean-pod.js';
import { isPodReady } from '../../src/engine/kube/selectors.js';
import type { KubePod } from '../../src/engine/kube/types.js';
import { leanNode } from '../../src/engine/live-model/lean-node.js';

function wirePod(name: string, node: string, ready: boolean): KubePod {
  return JSON.parse(
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        namespace: 'web',
        uid: `uid-${name}`,
        resourceVersion: '42',
        creationTimestamp: '2025-01-01T00:00:00Z',
        labels: { app: 'web', 'pod-template-hash': 'abc12' },
        annotations: { 'kubernetes.io/config.mirror': 'h1', other: 'dropped' },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-abc12', uid: 'rs-1', controller: true }],
        managedFields: [{ manager: 'kubelet' }],
      },
      spec: { nodeName: node, priorityClassName: 'system-node-critical', volumes: [{ name: 'tmp', emptyDir: {} }, { name: 'cfg', configMap: { name: 'x' } }], containers: [{ name: 'app', image: 'nginx' }] },
      status: {
        phase: 'Running',
        hostIP: '10.0.0.1',
        conditions: [{ type: 'Initialized', status: 'True' }, { type: 'Ready', status: ready ? 'True' : 'False' }],
        containerStatuses: [{ name: 'app', ready, restartCount: 0, image: 'nginx', state: { running: {} } }],
      },
    }),
  ) as KubePod;
}

test('leanPod keeps what the engine reads and drops the rest', () => {
  const pod = leanPod(wirePod('web-1', 'n1', true));
  assert.equal(pod.metadata.name, 'web-1');
  assert.equal(pod.metadata.uid, undefined, 'no cached pod is read by uid');
  assert.equal('kind' in pod, false);
  assert.equal(pod.metadata.resourceVersion, '42');
  assert.deepEqual(pod.metadata.labels, { app: 'web', 'pod-template-hash': 'abc12' });
  assert.deepEqual(pod.metadata.annotations, { 'kubernetes.io/config.mirror': 'h1' });
  assert.deepEqual(pod.metadata.ownerReferences, [{ kind: 'ReplicaSet', name: 'web-abc12', uid: 'rs-1', controller: true }]);
  assert.equal(pod.spec?.nodeName, 'n1');
  assert.equal(pod.spec?.priorityClassName, 'system-node-critical');
  assert.deepEqual(pod.spec?.volumes, [{ name: 'tmp', emptyDir: {} }]);
  assert.deepEqual(pod.status?.conditions, [{ type: 'Ready', status: 'True' }]);
  assert.deepEqual(pod.status?.containerStatuses, [{ name: 'app', ready: true, restartCount: 0 }]);
  assert.equal(isPodReady(pod), true);
  assert.equal('managedFields' in pod.metadata, false);
  assert.equal(isPodReady(leanPod(wirePod('web-2', 'n1', false))), false);
});

test('pods with the same labels, owner and readiness share those parts, frozen', () => {
  const a = leanPod(wirePod('web-1', 'n1', true));
  const b = leanPod(wirePod('web-2', 'n2', true));
  const c = leanPod(wirePod('web-3', 'n2', false));
  assert.equal(a.metadata.labels, b.metadata.labels);
  assert.equal(a.metadata.ownerReferences, b.metadata.ownerReferences);
  assert.equal(a.status?.conditions, b.status?.conditions);
  assert.equal(a.status?.containerStatuses, b.status?.containerStatuses);
  assert.notEqual(a.status?.conditions, c.status?.conditions);
  assert.notEqual(a.status?.containerStatuses, c.status?.containerStatuses);
  assert.ok(Object.isFrozen(a.metadata.labels));
  assert.throws(() => {
    (a.metadata.labels as Record<string, string>).app = 'changed';
  }, TypeError);
  assert.equal(b.metadata.labels?.app, 'web');
});

test('leanNode drops managedFields and the image list and keeps what the views read', () => {
  const wire = JSON.parse(
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'n1', resourceVersion: '7', labels: { 'kops.k8s.io/instancegroup': 'nodes' }, annotations: { a: 'b' }, managedFields: [{ manager: 'kubelet' }] },
      spec: { providerID: 'aws:///us-east-1a/i-0abc', unschedulable: true, taints: [{ key: 'k', effect: 'NoSchedule' }] },
      status: {
        conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: 't' }],
        addresses: [{ type: 'InternalIP', address: '10.0.0.1' }],
        nodeInfo: { kubeletVersion: 'v1.31.4' },
        capacity: { cpu: '4' },
        images: [{ names: ['registry.k8s.io/pause:3.9'], sizeBytes: 1 }],
      },
    }),
  );
  const node = leanNode(wire) as typeof wire;
  assert.equal('managedFields' in node.metadata, false);
  assert.equal('images' in node.status, false);
  assert.deepEqual(node.metadata.labels, { 'kops.k8s.io/instancegroup': 'nodes' });
  assert.deepEqual(node.metadata.annotations, { a: 'b' });
  assert.deepEqual(node.spec, wire.spec);
  assert.deepEqual(node.status.conditions, wire.status.conditions);
  assert.deepEqual(node.status.addresses, wire.status.addresses);
  assert.deepEqual(node.status.nodeInfo, { kubeletVersion: 'v1.31.4' });
  assert.deepEqual(node.status.capacity, { cpu: '4' });
});
