// The pure parts of a rehearsal: what is copied of a pod template (scheduling
// fields only), join times from a cluster's own nodes, and the sentences that
// say what was measured and what was assumed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { joinTimes, schedulingTemplate } from '../../src/engine/rehearse/read-shape.js';
import { rehearsalNotes } from '../../src/engine/rehearse/notes.js';
import { renderRehearsal } from '../../src/engine/rehearse/render.js';
import { workloadObject } from '../../src/engine/rehearse/replicate.js';
import type { ClusterShape, RehearsalReport } from '../../src/engine/rehearse/types.js';
import type { AwsInstanceGroup } from '../../src/engine/cloud/aws/instance-groups.js';
import type { KubeNode } from '../../src/engine/kube/types.js';
import type { RolloutPlan } from '../../src/engine/rollout/types.js';
import { bootTimingFor } from '../../src/startup/rehearsal-world.js';
import { BOOT_DELAY_MS } from '../../src/sim/aws/world/instance-lifecycle.js';

test('a pod template keeps only what scheduling needs: no env, commands, secrets or volumes but emptyDir names', () => {
  const template = schedulingTemplate({
    containers: [{ name: 'app', image: 'corp/secret-app:1', env: [{ name: 'PASSWORD', value: 'hunter2' }], command: ['run'], resources: { requests: { cpu: '100m' } } } as never],
    volumes: [{ name: 'scratch', emptyDir: {} }, { name: 'creds', secret: { secretName: 'db' } } as never],
    priorityClassName: 'high',
    priority: 1000,
    terminationGracePeriodSeconds: 45,
    tolerations: [{ key: 'dedicated', operator: 'Exists' }],
  });
  assert.deepEqual(template, {
    priorityClassName: 'high',
    priority: 1000,
    terminationGracePeriodSeconds: 45,
    tolerations: [{ key: 'dedicated', operator: 'Exists' }],
    containers: [{ name: 'app', requests: { cpu: '100m' } }],
    emptyDirs: ['scratch'],
  });
  const object = JSON.stringify(workloadObject({ kind: 'Deployment', sourceKind: 'Deployment', namespace: 'a', name: 'b', replicas: 2, labels: { app: 'b' }, template, placement: {} }));
  assert.doesNotMatch(object, /hunter2|secret-app|creds|PASSWORD/);
  assert.match(object, /pause/);
});

test('join times come from node creation vs instance launch and the Ready transition; none measured says so', () => {
  const node = (name: string, id: string, created: string, ready: string): KubeNode => ({
    metadata: { name, creationTimestamp: created },
    spec: { providerID: `aws:///us-east-1a/${id}` },
    status: { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: ready }] },
  });
  const launchedAt = (launches: Record<string, string>) => [{ instances: Object.entries(launches).map(([id, at]) => ({ id, launchTime: new Date(at) })) }] as unknown as AwsInstanceGroup[];
  // The control plane came up at 00:05 after a slow creation; two workers replaced later joined a running cluster.
  const controlPlane = node('cp', 'i-0', '2026-01-01T00:05:00Z', '2026-01-01T00:05:10Z');
  const replaced = [node('a', 'i-1', '2026-01-01T00:11:00Z', '2026-01-01T00:11:20Z'), node('b', 'i-2', '2026-01-01T00:11:30Z', '2026-01-01T00:12:00Z')];
  const times = joinTimes([controlPlane, ...replaced], launchedAt({ 'i-0': '2026-01-01T00:00:00Z', 'i-1': '2026-01-01T00:10:00Z', 'i-2': '2026-01-01T00:10:00Z' }));
  assert.deepEqual(times, { launchToRegisterMs: 90_000, registerToReadyMs: 30_000, samples: 2 }, "the control plane's creation-time wait is not a replacement's join");
  // A cluster never rolled: every machine was launched before the API served, so nothing is measured.
  const fresh = joinTimes([controlPlane, node('w', 'i-3', '2026-01-01T00:06:00Z', '2026-01-01T00:06:20Z')], launchedAt({ 'i-0': '2026-01-01T00:00:00Z', 'i-3': '2026-01-01T00:00:00Z' }));
  assert.deepEqual(fresh, { launchToRegisterMs: undefined, registerToReadyMs: undefined, samples: 0 });

  const shape = { joinTimes: { samples: 0 }, workloads: [], barePods: 0 } as unknown as ClusterShape;
  const plan = { groups: [] } as unknown as RolloutPlan;
  assert.match(rehearsalNotes(shape, plan, new Map())[0], /not measured.*assumed/);
  const report = { cluster: 'c', status: 'finished', speed: 50, wallMs: 1000, totalMs: 60_000, groups: [], waves: [], blockedDrains: [], stranded: [], availability: [], joinTimes: { samples: 0 }, notes: [] } as RehearsalReport;
  assert.ok(renderRehearsal(report).includes('Node join time in the cluster: not measured (assumed: the simulator boot model).'));
});

test("measured join times become the rehearsal's kubelet delays, and the note says they were used", () => {
  // The source's machines took 95 s from launch to register and 40 s more to turn Ready.
  assert.deepEqual(bootTimingFor({ launchToRegisterMs: 95_000, registerToReadyMs: 40_000, samples: 3 }), {
    bootToRegisterMs: 95_000 - BOOT_DELAY_MS,
    registerToReadyMs: 40_000,
  });
  assert.deepEqual(bootTimingFor({ samples: 0 }), {}, 'nothing measured: the simulator keeps its defaults');
  const plan = { groups: [] } as unknown as RolloutPlan;
  const shape = { joinTimes: { launchToRegisterMs: 95_000, registerToReadyMs: 40_000, samples: 3 }, workloads: [], barePods: 0 } as unknown as ClusterShape;
  assert.match(rehearsalNotes(shape, plan, new Map())[0], /were given the join times measured on 3 node\(s\)/);
});
