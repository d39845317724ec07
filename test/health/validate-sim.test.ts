// Validation against the simulator, through the real AWS SDK and kube clients.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { TerminateInstanceInAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import { liveValidator } from '../../src/engine/health/live-validator.js';
import { waitForValidation } from '../../src/engine/health/wait-for-validation.js';
import type { ValidationResult } from '../../src/engine/health/validate-cluster-health.js';
import { startLiveCluster, type LiveCluster } from '../../src/engine/live-model/live-cluster.js';
import { startSimCluster, until, type SimCluster } from '../helpers/sim-cluster.js';
import { simAdminFetch } from '../../src/sim/admin-client.js';

let cluster: SimCluster;
let live: LiveCluster;
let validate: () => Promise<ValidationResult>;

before(async () => {
  cluster = await startSimCluster({ name: 'validate.k8s.local', workers: 2, speed: 50 });
  live = startLiveCluster({ cluster: cluster.name, kube: cluster.kube, cloud: cluster.inventory, clock: cluster.clock, cloudIntervalMs: 60_000 });
  await live.synced;
  validate = liveValidator({ live, kube: cluster.kube, clock: cluster.clock });
});

after(async () => {
  await live?.stop();
  await cluster?.stop();
});

/** Validates until the verdict satisfies `accept` (the caches follow the API a moment behind). */
async function validateUntil(what: string, accept: (r: ValidationResult) => boolean): Promise<ValidationResult> {
  let last: ValidationResult | undefined;
  try {
    return await until(what, async () => {
      last = await validate();
      return accept(last) ? last : undefined;
    }, 20_000, 50);
  } catch (error) {
    throw new Error(`${(error as Error).message}; last failures: ${JSON.stringify(last?.failures)}`);
  }
}

const messages = (r: ValidationResult) => r.failures.map((f) => f.message);

// The tests run in order and each leaves the cluster healthy again.

test('a healthy simulated cluster passes, twice in a row', async () => {
  const outcome = await waitForValidation({ validate, clock: cluster.clock, waitMs: 5 * 60_000, count: 2, intervalMs: 5_000 });
  assert.equal(outcome.ok, true, outcome.reason);
  assert.deepEqual(outcome.result.failures, []);
  assert.deepEqual(outcome.result.nodes.map((n) => n.role).sort(), ['control-plane', 'node', 'node']);
  assert.deepEqual(outcome.result.instanceGroups.map((g) => [g.name, g.target]), [
    ['control-plane-us-east-1a', 1],
    ['nodes-us-east-1a', 2],
  ]);
});

test('an instance group whose launch fails is short of its target size', async () => {
  await cluster.putFaults({ failLaunches: 1 });
  await cluster.setDesired(cluster.nodesIg, 3);
  const result = await validateUntil('the short group', (r) => r.failures.some((f) => f.kind === 'InstanceGroup'));
  assert.deepEqual(messages(result), ['InstanceGroup "nodes-us-east-1a" did not have enough nodes 2 vs 3']);
  await cluster.setDesired(cluster.nodesIg, 2);
  await cluster.putFaults({ failLaunches: 0 });
  await validateUntil('healthy again', (r) => r.ok);
});

test('a node that never becomes Ready is reported by name and role', async () => {
  await cluster.putFaults({ neverReadyNext: 1 });
  await cluster.setDesired(cluster.nodesIg, 3);
  // Before it registers: a machine that has not joined.
  const joining = await validateUntil('a machine not joined', (r) => r.failures.some((f) => f.kind === 'Machine'));
  const machine = joining.failures.find((f) => f.kind === 'Machine')!;
  assert.equal(machine.message, `machine "${machine.name}" has not yet joined cluster`);
  // Once registered: its node is not ready (pods scheduled on it may fail too, as in kops).
  const result = await validateUntil('the node not ready', (r) => r.failures.some((f) => f.kind === 'Node'));
  const nodeName = live.model.nodeOfInstance(machine.name)?.metadata.name;
  assert.ok(nodeName, 'the new instance registered a node');
  const nodeFailures = result.failures.filter((f) => f.kind !== 'Pod');
  assert.deepEqual(nodeFailures.map((f) => f.message), [`node "${nodeName}" of role "node" is not ready`]);
  for (const f of result.failures.filter((f) => f.kind === 'Pod')) {
    const [namespace, name] = f.name.split('/');
    assert.equal(live.pods?.get(`${namespace}/${name}`)?.spec?.nodeName, nodeName, `${f.name} fails because it is on the unready node`);
  }
  // Tolerating one unready worker lets exactly that failure through.
  const tolerant = liveValidator({ live, kube: cluster.kube, clock: cluster.clock, tolerateUnreadyNodes: 1 });
  const tolerated = await tolerant();
  assert.deepEqual(tolerated.tolerated.map((f) => f.name), [nodeName]);
  // Remove exactly that instance, shrinking the group back to 2: the cluster heals.
  await cluster.autoscaling.send(new TerminateInstanceInAutoScalingGroupCommand({ InstanceId: machine.name, ShouldDecrementDesiredCapacity: true }));
  await validateUntil('healthy again', (r) => r.ok);
});

test('a control-plane node missing its kube-apiserver pod', async () => {
  const cp = [...live.model.nodeObjects()].find((n) => Object.hasOwn(n.metadata.labels ?? {}, 'node-role.kubernetes.io/control-plane'))!;
  const apiserver = live.model.podsOn(cp.metadata.name).find((p) => p.metadata.labels?.['k8s-app'] === 'kube-apiserver')!;
  const path = `/api/v1/namespaces/kube-system/pods/${apiserver.metadata.name}`;
  // The simulated kubelet recreates a deleted mirror pod at once (as a real one does), so
  // deleting it only opens a moment's gap. kops finds these pods by their k8s-app label:
  // taking the label away makes the pod missing in validation's eyes, and it stays so.
  const relabel = (value: string | null) =>
    cluster.kube.request('PATCH', path, { body: { metadata: { labels: { 'k8s-app': value } } }, contentType: 'application/merge-patch+json' });
  await relabel(null);
  const result = await validateUntil('the missing pod', (r) => !r.ok);
  assert.deepEqual(messages(result), [`control-plane node "${cp.metadata.name}" is missing kube-apiserver pod`]);
  await relabel('kube-apiserver');
  await validateUntil('healthy again', (r) => r.ok);
});

test('an API blackout fails validation on /readyz', async () => {
  const health = (await (await simAdminFetch(cluster.sim, '/sim/health')).json()) as { now: string };
  await cluster.putFaults({ apiBlackoutUntil: Date.parse(health.now) + 5 * 60_000 });
  const result = await validate();
  assert.deepEqual(result.failures.map((f) => [f.kind, f.name]), [['APIServer', 'readyz']]);
  assert.match(result.failures[0].message, /^the Kubernetes API server is not ready: \/readyz answered 503/);
  await cluster.putFaults({ apiBlackoutUntil: 0 });
});
