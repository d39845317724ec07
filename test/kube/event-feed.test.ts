// The engine's Event feed against the simulator, through the engine's own
// Kubernetes client: one informer on core/v1 Events, rows newest first, live,
// and the selections the screens make (about one object, on some nodes,
// warnings first, a rolling update's).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { scaledClock } from '../../src/engine/clock.js';
import { createKubeClient, type KubeClient } from '../../src/engine/kube/client.js';
import { EventFeed } from '../../src/engine/live-model/event-feed.js';
import { aboutObject, compareNewestFirst, eventRowOf, onNodes, rolloutEvents, warningsFirst } from '../../src/engine/live-model/event-rows.js';
import { simInstance, startKubeHarness, waitFor, type KubeHarness } from '../helpers/sim-kube.js';

describe('EventFeed on the simulator', () => {
  const cluster = 'feed.example.com';
  let h: KubeHarness;
  let kube: KubeClient;
  let feed: EventFeed;
  let worker: string;

  before(async () => {
    h = await startKubeHarness({ speed: 100 });
    h.kube.clusterSeen(cluster);
    h.kube.instanceRunning(simInstance(cluster, { role: 'ControlPlane' }));
    const node = simInstance(cluster);
    worker = node.privateDnsName;
    h.kube.instanceRunning(node);
    kube = await createKubeClient({ cluster, kubeconfigPath: h.kubeconfigFile(cluster) });
    feed = new EventFeed({ kube, clock: scaledClock(100, h.clock.now()), notifyIntervalMs: 0 }).start();
    await feed.synced;
  });
  after(async () => {
    await feed?.stop();
    kube?.close();
    await h?.close();
  });

  it('lists, then follows new Events, newest first', async () => {
    await waitFor('the worker Ready and its pods started', () => feed.rows().some((r) => r.reason === 'Started' && r.host === worker));
    const rows = feed.rows();
    assert.deepEqual([...rows].sort(compareNewestFirst), rows, 'newest first');
    let notified = 0;
    const unsubscribe = feed.subscribe(() => notified++);
    await kube.request('PATCH', `/api/v1/nodes/${worker}`, { body: { spec: { unschedulable: true } }, contentType: 'application/merge-patch+json' });
    const top = await waitFor('NodeNotSchedulable', () => feed.rows().find((r) => r.reason === 'NodeNotSchedulable'));
    unsubscribe();
    assert.ok(notified > 0, 'subscribers were told');
    assert.equal(top.object.kind, 'Node');
    assert.equal(top.object.name, worker);
    assert.equal(top.message, `Node ${worker} status is now: NodeNotSchedulable`);
    assert.equal(top.source, `kubelet, ${worker}`);
    assert.ok(feed.rows().indexOf(top) <= feed.rows().findIndex((r) => r.reason === 'NodeReady' && r.object.name === worker), 'after the node turned Ready');
  });

  it('selects about one object, on some nodes, warnings first, and what a rolling update shows', async () => {
    const rows = feed.rows();
    const node = aboutObject(rows, 'Node', worker);
    assert.ok(node.length >= 4 && node.every((r) => r.object.name === worker));
    assert.ok(node.some((r) => r.source === 'node-controller') && node.some((r) => r.source.startsWith('kubelet')), 'both reporters');
    const onWorker = onNodes(rows, new Set([worker]));
    assert.ok(onWorker.some((r) => r.object.kind === 'Pod' && r.reason === 'Started'), "its kubelet's pod Events");
    const ordered = warningsFirst(rows);
    const firstNormal = ordered.findIndex((r) => r.type !== 'Warning');
    assert.ok(ordered.some((r) => r.type === 'Warning'), 'pods waited for a node at first');
    assert.ok(ordered.slice(firstNormal).every((r) => r.type !== 'Warning'));
    const rollout = rolloutEvents(rows, new Set([worker]));
    assert.ok(rollout.some((r) => r.reason === 'FailedScheduling'));
    assert.ok(rollout.every((r) => r.object.kind === 'Node' || r.type === 'Warning' || r.host === worker));
    assert.ok(!rollout.some((r) => r.object.kind === 'Pod' && r.host !== undefined && r.host !== worker), "other kubelets' pod Events are left out");
  });
});

describe('eventRowOf', () => {
  it('reads both recorders: legacy counts and times, and the events.k8s.io series', () => {
    const legacy = eventRowOf({
      metadata: { name: 'web-1.1', namespace: 'demo', resourceVersion: '7' },
      involvedObject: { kind: 'Pod', name: 'web-1', namespace: 'demo', fieldPath: 'spec.containers{web}' },
      reason: 'BackOff',
      message: 'Back-off restarting failed container web\n',
      type: 'Warning',
      source: { component: 'kubelet', host: 'n1' },
      count: 4,
      firstTimestamp: '2026-01-01T00:00:00Z',
      lastTimestamp: '2026-01-01T00:05:00Z',
    });
    assert.equal(legacy.count, 4);
    assert.equal(legacy.lastAt, Date.UTC(2026, 0, 1, 0, 5));
    assert.equal(legacy.message, 'Back-off restarting failed container web');
    assert.equal(legacy.source, 'kubelet, n1');
    const series = eventRowOf({
      metadata: { name: 'web-2.1', namespace: 'demo', resourceVersion: '9' },
      involvedObject: { kind: 'Pod', name: 'web-2', namespace: 'demo' },
      reason: 'FailedScheduling',
      message: 'no nodes available to schedule pods',
      type: 'Warning',
      source: {},
      reportingComponent: 'default-scheduler',
      reportingInstance: 'default-scheduler-cp',
      firstTimestamp: null,
      lastTimestamp: null,
      eventTime: '2026-01-01T00:00:00.250000Z',
      series: { count: 3, lastObservedTime: '2026-01-01T00:02:00.500000Z' },
    });
    assert.equal(series.count, 3);
    assert.equal(series.firstAt, Date.UTC(2026, 0, 1, 0, 0, 0, 250));
    assert.equal(series.lastAt, Date.UTC(2026, 0, 1, 0, 2, 0, 500));
    assert.equal(series.source, 'default-scheduler, default-scheduler-cp');
    assert.equal(series.host, undefined);
    // Seen in the same second: the later write comes first.
    const sameSecond = { ...legacy, order: 8 };
    assert.deepEqual([legacy, sameSecond].sort(compareNewestFirst), [sameSecond, legacy]);
  });
});
