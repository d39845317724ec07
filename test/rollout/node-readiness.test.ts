// The rollout counts a replacement as back only when validation would pass
// its node: kops' rule (Ready True, NetworkUnavailable not True) in both,
// over kubeRollout (the real seam) on a fake API and over validateClusterHealth on
// the same node. A node Ready but with its network unavailable used to be
// counted as joined by the rollout while validation rejected it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateClusterHealth } from '../../src/engine/health/validate-cluster-health.js';
import type { KubeClient } from '../../src/engine/kube/client.js';
import type { KubeNode } from '../../src/engine/kube/types.js';
import { ClusterModel } from '../../src/engine/live-model/cluster-model.js';
import type { RolloutGroupView } from '../../src/engine/rollout/deps.js';
import { kubeRollout } from '../../src/engine/rollout/kube-rollout.js';
import type { RunContext } from '../../src/engine/rollout/run-context.js';
import type { RolloutEvent } from '../../src/engine/rollout/types.js';
import { ValidationTimeoutError, waitForGroupStrength } from '../../src/engine/rollout/waits.js';
import { controlPlanePods, ig, instance, node } from '../health/fixtures.js';
import { instantClock } from '../health/instant-clock.js';

const CLUSTER = 'test.k8s.local';
const GROUP = 'nodes-us-east-1a';

/** The replacement's node: Ready, labelled with its group, its network reported unavailable or not. */
function replacementNode(networkUnavailable: boolean): KubeNode {
  return node('n-new', { instanceId: 'i-new', ig: GROUP, networkUnavailable });
}

/** A KubeClient that answers GET /api/v1/nodes with whatever `nodes()` holds at that moment. */
function fakeApi(nodes: () => KubeNode[]): KubeClient {
  return {
    request: async (method: string, path: string) => {
      assert.equal(`${method} ${path}`, 'GET /api/v1/nodes');
      return { metadata: {}, items: nodes() };
    },
  } as unknown as KubeClient;
}

function validationOf(replacement: KubeNode): boolean {
  const model = new ClusterModel(CLUSTER);
  model.setCloud([ig('control-plane-us-east-1a', 'ControlPlane', [instance('i-cp1')]), ig(GROUP, 'Node', [instance('i-new')])], 0);
  model.applyNode({ type: 'add', object: node('cp1', { instanceId: 'i-cp1', role: 'control-plane' }) });
  model.applyNode({ type: 'add', object: replacement });
  for (const pod of controlPlanePods('cp1')) model.applyPod({ type: 'add', object: pod });
  return validateClusterHealth(CLUSTER, model, { ok: true, status: 200, message: 'ok' }).ok;
}

test('the rollout and validation agree on a node: Ready with its network unavailable is not back, Ready with it available is', async () => {
  for (const networkUnavailable of [true, false]) {
    const replacement = replacementNode(networkUnavailable);
    const nodes = await kubeRollout(fakeApi(() => [replacement]), instantClock()).nodesByInstance();
    assert.equal(nodes.get('i-new')?.ready, !networkUnavailable, `the rollout's node, network unavailable: ${networkUnavailable}`);
    assert.equal(validationOf(replacement), !networkUnavailable, `validation, network unavailable: ${networkUnavailable}`);
  }
});

function strengthContext(nodes: () => KubeNode[], events: RolloutEvent[]) {
  const clock = instantClock();
  const group: RolloutGroupView = { name: GROUP, desiredCapacity: 1, instances: [{ id: 'i-new', lifecycleState: 'InService', detached: false }] };
  const ctx = {
    deps: { clock, cloud: { lookAtGroup: async () => group }, kube: kubeRollout(fakeApi(nodes), clock) },
    cluster: CLUSTER,
    timings: { joinPollMs: 1_000, validationTimeoutMs: 10_000 },
    signal: new AbortController().signal,
    emit: (event: RolloutEvent) => events.push(event),
    cloudOnly: false,
    retired: new Set<string>(),
  } as unknown as RunContext;
  return { ctx, clock, wait: { group: GROUP, groupName: `${GROUP}.${CLUSTER}`, kind: 'Node' as const, leaving: [], deadline: clock.now() + 10_000 } };
}

test('waiting for a replacement, a Ready node whose network is unavailable is not counted as joined', async () => {
  const events: RolloutEvent[] = [];
  const { ctx, wait } = strengthContext(() => [replacementNode(true)], events);
  await assert.rejects(waitForGroupStrength(ctx, wait), (error: unknown) => {
    assert.ok(error instanceof ValidationTimeoutError);
    assert.match(error.message, /has 0 of 1 instances in service and Ready/);
    return true;
  });
  const waiting = events.filter((e) => e.type === 'waiting-for-replacement');
  assert.ok(waiting.length > 1, 'it looked more than once');
  assert.ok(waiting.every((e) => e.ready === 0 && e.joining === 1), 'never counted as ready');
});

test('the same wait ends once the node reports its network available', async () => {
  const events: RolloutEvent[] = [];
  let looks = 0;
  // The route is created after a few looks: the wait must then see the node as back.
  const { ctx, wait, clock } = strengthContext(() => [replacementNode(++looks < 3)], events);
  await waitForGroupStrength(ctx, wait);
  const last = events.filter((e) => e.type === 'waiting-for-replacement').at(-1);
  assert.deepEqual(last && { ready: last.ready, joining: last.joining }, { ready: 1, joining: 0 });
  assert.ok(clock.now() < wait.deadline, 'before the deadline');
});
