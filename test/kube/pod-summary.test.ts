// READY, STATUS and RESTARTS as kubectl get pods prints them, from pods as the
// informer caches them (lean-pod.ts keeps what STATUS needs), and the pods
// view's rows; the YAML form of objects as kubectl get -o yaml prints it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { leanPod } from '../../src/engine/kube/lean-pod.js';
import { summarizePod } from '../../src/engine/kube/pod-status.js';
import type { ContainerStatus, KubePod } from '../../src/engine/kube/types.js';
import { buildPodRow } from '../../src/engine/live-model/pod-rows.js';
import { kubectlYaml } from '../../src/engine/output/object-yaml.js';

function pod(statuses: Partial<ContainerStatus>[], extra: { phase?: string; reason?: string; deleting?: boolean; containers?: number; ready?: boolean } = {}): KubePod {
  const containers = Array.from({ length: extra.containers ?? statuses.length }, (_, i) => ({ name: `c${i}`, image: 'img:1' }));
  return leanPod(
    JSON.parse(
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: 'p',
          namespace: 'ns',
          creationTimestamp: '2026-01-01T00:00:00Z',
          deletionTimestamp: extra.deleting ? '2026-01-01T00:01:00Z' : undefined,
          ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'u', controller: true }],
        },
        spec: { nodeName: 'n1', containers },
        status: {
          phase: extra.phase ?? 'Running',
          reason: extra.reason,
          conditions: [{ type: 'Ready', status: extra.ready === false ? 'False' : 'True' }],
          containerStatuses: statuses.map((s, i) => ({ name: `c${i}`, ready: true, restartCount: 0, image: 'img:1', state: { running: { startedAt: 't' } }, ...s })),
        },
      }),
    ),
  );
}

test('a running pod: READY counts ready containers of the spec, RESTARTS adds them up', () => {
  assert.deepEqual(summarizePod(pod([{ restartCount: 2 }, { ready: false, restartCount: 1 }])), { ready: 1, total: 2, restarts: 3, status: 'Running' });
});

test('STATUS says why a container waits or stopped, the last one with something to say winning', () => {
  assert.equal(summarizePod(pod([{ ready: false, state: { waiting: { reason: 'ContainerCreating' } } }], { phase: 'Pending' })).status, 'ContainerCreating');
  assert.equal(summarizePod(pod([{ ready: false, state: { waiting: { reason: 'CrashLoopBackOff' } }, restartCount: 7 }])).status, 'CrashLoopBackOff');
  assert.equal(summarizePod(pod([{ ready: false, state: { terminated: { reason: 'Completed', exitCode: 0 } } }], { phase: 'Succeeded' })).status, 'Completed');
  assert.equal(summarizePod(pod([{ ready: false, state: { terminated: { exitCode: 3 } } }], { phase: 'Failed' })).status, 'ExitCode:3');
  assert.equal(summarizePod(pod([{ ready: false, state: { terminated: { exitCode: 137, signal: 9 } } }], { phase: 'Failed' })).status, 'Signal:9');
  assert.equal(
    summarizePod(pod([{ ready: false, state: { waiting: { reason: 'ImagePullBackOff' } } }, { ready: false, state: { waiting: { reason: 'ErrImagePull' } } }], { phase: 'Pending' })).status,
    'ImagePullBackOff',
  );
});

test('a completed sidecar next to a running container leaves the pod Running (or NotReady)', () => {
  const statuses = [{}, { ready: false, state: { terminated: { reason: 'Completed', exitCode: 0 } } }];
  assert.equal(summarizePod(pod(statuses)).status, 'Running');
  assert.equal(summarizePod(pod(statuses, { ready: false })).status, 'NotReady');
});

test('the pod\'s reason and its deletion come before the phase', () => {
  assert.equal(summarizePod(pod([{ ready: false }], { phase: 'Failed', reason: 'Evicted' })).status, 'Evicted');
  assert.equal(summarizePod(pod([{}], { deleting: true })).status, 'Terminating');
  assert.equal(summarizePod(pod([{}], { deleting: true, reason: 'NodeLost' })).status, 'Unknown');
});

test('an unscheduled pod has no container statuses: 0 of the spec\'s containers ready, Pending', () => {
  assert.deepEqual(summarizePod(pod([], { phase: 'Pending', containers: 2 })), { ready: 0, total: 2, restarts: 0, status: 'Pending' });
});

test('the cache keeps a waiting or terminated container\'s reason and shares identical statuses', () => {
  const a = pod([{ ready: false, state: { waiting: { reason: 'CrashLoopBackOff' } } }]);
  const b = pod([{ ready: false, state: { waiting: { reason: 'CrashLoopBackOff' } } }]);
  assert.deepEqual(a.status?.containerStatuses, [{ name: 'c0', ready: false, restartCount: 0, state: { waiting: { reason: 'CrashLoopBackOff' } } }]);
  assert.equal(a.status?.containerStatuses, b.status?.containerStatuses);
  assert.deepEqual(a.spec?.containers, [{ name: 'c0' }], 'only the names of the containers are kept');
  assert.equal(a.spec?.containers, b.spec?.containers);
});

test('a pods view row: owner, node, creation time and whether it needs a look', () => {
  const row = buildPodRow(pod([{ restartCount: 1 }]));
  assert.equal(row.key, 'ns/p');
  assert.equal(row.ownerKind, 'ReplicaSet');
  assert.equal(row.ownerName, 'web-1');
  assert.equal(row.node, 'n1');
  assert.equal(row.createdAt, Date.parse('2026-01-01T00:00:00Z'));
  assert.equal(row.healthy, true);
  assert.equal(buildPodRow(pod([{ ready: false }])).healthy, false, 'running but not ready');
  assert.equal(row.mirror, false);
});

test('YAML as kubectl prints it: no managedFields, sorted keys, list items at their key\'s indentation, YAML 1.1 quoting', () => {
  const text = kubectlYaml({
    metadata: { name: 'x', managedFields: [{ manager: 'kubelet' }], creationTimestamp: '2026-01-01T00:00:00Z', labels: { on: 'yes' } },
    kind: 'Pod',
    apiVersion: 'v1',
    spec: { containers: [{ name: 'a', image: 'nginx:1.27', args: ['--flag=' + 'x'.repeat(120)] }] },
  } as { metadata: Record<string, unknown> });
  assert.equal(
    text,
    [
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  creationTimestamp: "2026-01-01T00:00:00Z"',
      '  labels:',
      '    "on": "yes"',
      '  name: x',
      'spec:',
      '  containers:',
      '  - args:',
      `    - --flag=${'x'.repeat(120)}`,
      '    image: nginx:1.27',
      '    name: a',
      '',
    ].join('\n'),
  );
});
