// One replica per worker, held apart by required hostname anti-affinity, with
// no surge (maxSurge 0, maxUnavailable 1): while a worker drains, its replica
// has nowhere to go until the replacement joins. The rehearsal must copy the
// anti-affinity and name that workload as stranded with kube-scheduler's
// anti-affinity reason.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { REHEARSAL_SPEED } from '../../src/startup/rehearsal-world.js';
import type { KubeList, KubePod } from '../../src/engine/kube/types.js';
import { startRolloutHarness, until, type RolloutHarness } from '../helpers/sim-rollout.js';
import { outOfDate, rehearseHarness, workerNames } from './rehearse-harness.js';

let h: RolloutHarness;
let workers: string[] = [];
const labels = { app: 'apart' };

before(async () => {
  h = await startRolloutHarness({ speed: REHEARSAL_SPEED, zones: ['us-east-1a'], controlPlaneCount: 1, nodeCount: 3 });
  workers = await workerNames(h);
  const template = {
    metadata: { labels },
    spec: {
      containers: [{ name: 'main', image: 'registry.k8s.io/pause:3.10', resources: { requests: { cpu: '50m', memory: '32Mi' } } }],
      affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: labels }, topologyKey: 'kubernetes.io/hostname' }] } },
    },
  };
  await h.kube.request('POST', '/apis/apps/v1/namespaces/demo/deployments', {
    body: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'apart', namespace: 'demo' }, spec: { replicas: workers.length, selector: { matchLabels: labels }, template } },
  });
  const nodes = await until('one replica on each worker', async () => {
    const pods = (await h.kube.request<KubeList<KubePod>>('GET', '/api/v1/namespaces/demo/pods?labelSelector=app%3Dapart')).items;
    const placed = pods.map((p) => p.spec?.nodeName).filter(Boolean);
    return placed.length === workers.length ? placed.sort() : undefined;
  }, 20_000);
  assert.deepEqual(nodes, workers, 'the source cluster keeps the replicas apart');
  const group = (await h.store.listInstanceGroups(h.name)).find((g) => g.value.spec.role === 'Node')!;
  group.value.spec.rollingUpdate = { maxSurge: 0, maxUnavailable: 1 };
  await h.store.putInstanceGroup(h.name, group.value, group.version);
});
after(async () => h?.close());

test('a replica with nowhere to go while its worker drains: stranded with the anti-affinity reason', async () => {
  const plan = await outOfDate(h, '1.32.5');
  assert.equal(plan.groups.find((g) => g.instances.length > 0)?.settings.maxSurge, 0);
  const report = await rehearseHarness(h, plan, { timings: { drainTimeoutMs: 120_000 }, failOnDrainError: false });
  assert.equal(report.status, 'finished', report.reason);
  const apart = report.stranded.find((s) => s.workload === 'demo/apart');
  assert.ok(apart, `demo/apart predicted to have nowhere to go (stranded: ${JSON.stringify(report.stranded)})`);
  assert.match(apart.message, /node\(s\) didn't match pod anti-affinity rules/);
  assert.ok(apart.forMs > 0);
  assert.ok(report.notes.some((n) => /required pod affinity and anti-affinity/.test(n)));
});
