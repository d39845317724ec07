// Kubernetes Events on the simulated API server: written by the scheduler,
// the kubelets and the node controller as the real ones word them, served as
// core/v1 and events.k8s.io/v1 from one storage, listed and watched from a
// resourceVersion, aggregated, expired after an hour and bounded in number.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { CoreV1Api, EventsV1Api, PatchStrategy, Watch, setHeaderOptions, type CoreV1Event, type EventsV1Event } from '@kubernetes/client-node';
import { ApiStore } from '../../src/sim/kube/api-store.js';
import { EVENT_TTL_MS, EventRecorder } from '../../src/sim/kube/event-recorder.js';
import type { SimClock } from '../../src/sim/contracts.js';
import { simInstance, startKubeHarness, waitFor, type KubeHarness } from '../helpers/sim-kube.js';

const isReady = (conditions: { type: string; status: string }[] | undefined) => conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

describe('Events written by the simulated components', () => {
  const cluster = 'events.example.com';
  let h: KubeHarness;
  let core: CoreV1Api;
  let eventsV1: EventsV1Api;
  let worker: string;
  let controlPlane: string;
  const all = async () => (await core.listEventForAllNamespaces()).items;

  before(async () => {
    h = await startKubeHarness({ speed: 100 });
    h.kube.clusterSeen(cluster);
    const cp = simInstance(cluster, { role: 'ControlPlane' });
    const node = simInstance(cluster);
    controlPlane = cp.privateDnsName;
    worker = node.privateDnsName;
    h.kube.instanceRunning(cp);
    h.kube.instanceRunning(node);
    core = h.kubeConfig(cluster).makeApiClient(CoreV1Api);
    eventsV1 = h.kubeConfig(cluster).makeApiClient(EventsV1Api);
    await waitFor('the demo pods Running', async () => {
      const pods = (await core.listNamespacedPod({ namespace: 'demo' })).items;
      return pods.length === 9 && pods.every((p) => isReady(p.status?.conditions));
    });
  });
  after(async () => {
    await h?.close();
  });

  it('kubelets, the node controller and the scheduler record what they did', async () => {
    const events = await all();
    const about = (kind: string, name: string, reason: string) =>
      events.filter((e) => e.involvedObject.kind === kind && e.involvedObject.name === name && e.reason === reason);

    // A kubelet registering its node: it refers to its Node with the node's name as uid, in the default namespace.
    const [starting] = about('Node', worker, 'Starting');
    assert.equal(starting.message, 'Starting kubelet.');
    assert.equal(starting.metadata.namespace, 'default');
    assert.deepEqual({ ...starting.source }, { component: 'kubelet', host: worker });
    assert.equal(starting.involvedObject.uid, worker);
    assert.equal(about('Node', worker, 'NodeReady')[0].message, `Node ${worker} status is now: NodeReady`);
    const [registered] = about('Node', controlPlane, 'RegisteredNode');
    assert.equal(registered.message, `Node ${controlPlane} event: Registered Node ${controlPlane} in Controller`);
    assert.deepEqual({ ...registered.source }, { component: 'node-controller' });
    const node = await core.readNode({ name: controlPlane });
    assert.equal(registered.involvedObject.uid, node.metadata!.uid);

    // A web pod: scheduled (events.k8s.io recorder), then the kubelet's container events.
    const web = (await core.listNamespacedPod({ namespace: 'demo', labelSelector: 'app=web' })).items[0];
    const podName = web.metadata!.name!;
    const [scheduled] = about('Pod', podName, 'Scheduled');
    assert.equal(scheduled.message, `Successfully assigned demo/${podName} to ${worker}`);
    assert.equal(scheduled.type, 'Normal');
    assert.equal(scheduled.action, 'Binding');
    assert.equal(scheduled.reportingComponent, 'default-scheduler');
    assert.match(scheduled.reportingInstance!, /^default-scheduler-ip-/);
    assert.ok(scheduled.eventTime, 'the events.k8s.io recorder sets eventTime');
    assert.equal(scheduled.count, undefined);
    assert.equal(scheduled.involvedObject.uid, web.metadata!.uid);
    const [created] = about('Pod', podName, 'Created');
    assert.equal(created.message, 'Created container: web');
    assert.equal(created.involvedObject.fieldPath, 'spec.containers{web}');
    assert.deepEqual({ ...created.source }, { component: 'kubelet', host: worker });
    assert.equal(created.count, 1);
    assert.ok(created.firstTimestamp && created.lastTimestamp);
    assert.equal(about('Pod', podName, 'Started')[0].message, 'Started container web');
    assert.match(about('Pod', podName, 'Pulled')[0].message!, /^(Successfully pulled image "nginx:1\.27" in [\d.]+m?s \([\d.]+m?s including waiting\)\. Image size: \d+ bytes\.|Container image "nginx:1\.27" already present on machine)$/);
    // One pull per image per node: the first web pod there pulled nginx, the others found it present.
    const pulling = events.filter((e) => e.reason === 'Pulling' && e.message === 'Pulling image "nginx:1.27"' && e.source?.host === worker);
    assert.equal(pulling.length, 1);
    // Pods waited while no node could take them: a Warning, worded as kube-scheduler words it.
    const failed = events.filter((e) => e.reason === 'FailedScheduling');
    assert.ok(failed.length > 0 && failed.every((e) => e.type === 'Warning' && e.action === 'Scheduling'));
    for (const e of failed) assert.match(e.message!, /^(no nodes available to schedule pods|0\/(\d) nodes are available: .+\. preemption: 0\/\2 nodes are available: .+\.)$/);
  });

  it('one storage: the same Event through core/v1 and events.k8s.io/v1, converted as the API server converts it', async () => {
    // The simulated cluster keeps writing Events, so the two lists are compared only when a core/v1
    // list before and one after the events.k8s.io/v1 list agree (nothing was written in between).
    const names = (list: { items: { metadata?: { name?: string } }[] }) => list.items.map((e) => e.metadata!.name!).sort();
    let coreList = await core.listEventForAllNamespaces();
    let v1List = await eventsV1.listEventForAllNamespaces();
    for (let attempt = 0; ; attempt++) {
      const coreAfter = await core.listEventForAllNamespaces();
      if (isDeepStrictEqual(names(coreAfter), names(coreList))) break;
      assert.ok(attempt < 20, 'the Events kept changing: no quiet moment to compare the two lists');
      coreList = coreAfter;
      v1List = await eventsV1.listEventForAllNamespaces();
    }
    assert.deepEqual(names(v1List), names(coreList));
    const legacy = coreList.items.find((e) => e.reason === 'Created')!;
    const seen = (await eventsV1.readNamespacedEvent({ name: legacy.metadata!.name!, namespace: legacy.metadata!.namespace! })) as EventsV1Event;
    assert.equal(seen.metadata!.uid, legacy.metadata!.uid);
    assert.equal(seen.metadata!.resourceVersion, legacy.metadata!.resourceVersion);
    assert.equal(seen.note, legacy.message);
    assert.deepEqual(seen.regarding, legacy.involvedObject);
    assert.deepEqual(seen.deprecatedSource, legacy.source);
    assert.equal(seen.deprecatedCount, legacy.count);
    assert.equal(seen.reportingController, 'kubelet');
    assert.equal(seen.eventTime ?? null, null, 'a legacy Event has no eventTime');
    const scheduled = v1List.items.find((e) => e.reason === 'Scheduled')!;
    assert.equal(scheduled.reportingController, 'default-scheduler');
    assert.equal(scheduled.action, 'Binding');
    // client-node 1.4 leaves a MicroTime as the server wrote it: RFC 3339 with microseconds.
    assert.match(String(scheduled.eventTime), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    // events.k8s.io's field names select the same fields; writes there are not served.
    const mine = await eventsV1.listNamespacedEvent({ namespace: 'default', fieldSelector: `regarding.name=${worker},reason=NodeReady` });
    assert.deepEqual(mine.items.map((e) => e.note), [`Node ${worker} status is now: NodeReady`]);
    const post = await fetch(`${h.serverUrl(cluster)}/apis/events.k8s.io/v1/namespaces/default/events`, { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } });
    assert.equal(post.status, 405);
    // A core/v1 list filtered by the involved object, as kubectl describe asks.
    const nodeEvents = await core.listNamespacedEvent({ namespace: 'default', fieldSelector: `involvedObject.kind=Node,involvedObject.name=${worker}` });
    assert.ok(nodeEvents.items.length >= 3 && nodeEvents.items.every((e) => e.involvedObject.name === worker));
  });

  it('cordon, eviction, a pod with nowhere to go and a lost node, seen by watches from a resourceVersion', async () => {
    const listed = await eventsV1.listEventForAllNamespaces();
    const onWorker: { type: string; event: EventsV1Event }[] = [];
    const everything: { type: string; event: CoreV1Event }[] = [];
    const kc = h.kubeConfig(cluster);
    const nodeWatch = await new Watch(kc).watch('/apis/events.k8s.io/v1/events', { resourceVersion: listed.metadata!.resourceVersion, fieldSelector: `regarding.name=${worker}` }, (type, event) => onWorker.push({ type, event }), () => {});
    const coreWatch = await new Watch(kc).watch('/api/v1/events', { resourceVersion: listed.metadata!.resourceVersion }, (type, event) => everything.push({ type, event }), () => {});
    try {
      await core.patchNode({ name: worker, body: { spec: { unschedulable: true } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
      const cordoned = await waitFor('NodeNotSchedulable', () => onWorker.find((e) => e.event.reason === 'NodeNotSchedulable'));
      assert.equal(cordoned.type, 'ADDED');
      assert.equal(cordoned.event.note, `Node ${worker} status is now: NodeNotSchedulable`);
      assert.equal(cordoned.event.reportingController, 'kubelet');

      // An eviction the budget allows: the kubelet stops the pod's container; its replacement has nowhere to go.
      const web = (await core.listNamespacedPod({ namespace: 'demo', labelSelector: 'app=web' })).items[0].metadata!.name!;
      await core.createNamespacedPodEviction({ name: web, namespace: 'demo', body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: web, namespace: 'demo' } } });
      const killing = await waitFor('Killing', () => everything.find((e) => e.event.reason === 'Killing' && e.event.involvedObject.name === web));
      assert.equal(killing.event.message, 'Stopping container web');
      assert.equal(killing.event.source?.host, worker);
      const failed = await waitFor('FailedScheduling', () => everything.find((e) => e.event.reason === 'FailedScheduling'));
      assert.equal(failed.event.type, 'Warning');
      assert.equal(
        failed.event.message,
        '0/2 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 1 node(s) were unschedulable. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.',
      );

      // The machine goes: its kubelet falls silent, the node controller says so, then removes the Node.
      const instance = h.kube.world(cluster)!.instanceOfNode(worker)!.instanceId;
      h.kube.instanceTerminated(instance);
      const lost = await waitFor('NodeNotReady', () => onWorker.find((e) => e.event.reason === 'NodeNotReady'));
      assert.equal(lost.event.reportingController, 'node-controller');
      assert.equal(lost.event.note, `Node ${worker} status is now: NodeNotReady`);
      const removed = await waitFor('RemovingNode', () => onWorker.find((e) => e.event.reason === 'RemovingNode'));
      assert.equal(removed.event.note, `Node ${worker} event: Removing Node ${worker} from Controller`);
      assert.ok(onWorker.every((e) => e.event.regarding?.name === worker), 'the field selector holds on the watch');
      // Every event the watch saw is in a list made now, with the same resourceVersion.
      const now = new Map((await all()).map((e) => [e.metadata.name, e.metadata.resourceVersion]));
      for (const { event } of everything) assert.ok(now.has(event.metadata!.name), event.metadata!.name);
    } finally {
      nodeWatch.abort();
      coreWatch.abort();
    }
  });
});

describe('Events are bounded', () => {
  it('a cluster keeps at most maxEvents: the oldest go, and watches see them deleted', async () => {
    const h = await startKubeHarness({ speed: 100, maxEvents: 25 });
    const cluster = 'bounded.example.com';
    try {
      h.kube.clusterSeen(cluster);
      const core = h.kubeConfig(cluster).makeApiClient(CoreV1Api);
      const start = await core.listEventForAllNamespaces();
      const deleted: string[] = [];
      const watch = await new Watch(h.kubeConfig(cluster)).watch('/api/v1/events', { resourceVersion: start.metadata!.resourceVersion }, (type, event: CoreV1Event) => type === 'DELETED' && deleted.push(event.metadata!.name!), () => {});
      try {
        h.kube.instanceRunning(simInstance(cluster, { role: 'ControlPlane' }));
        h.kube.instanceRunning(simInstance(cluster));
        await waitFor('the demo pods Running', async () => (await core.listNamespacedPod({ namespace: 'demo' })).items.filter((p) => isReady(p.status?.conditions)).length === 9);
        const kept = (await core.listEventForAllNamespaces()).items;
        assert.equal(kept.length, 25);
        assert.ok(deleted.length > 25, `the oldest were deleted (${deleted.length})`);
        assert.ok(kept.every((e) => !deleted.includes(e.metadata!.name!)));
        // The newest are the ones kept: the pods' Started events, not the nodes' registration.
        assert.ok(!kept.some((e) => e.reason === 'Starting'));
        assert.equal(h.kube.world(cluster)!.store.count('events'), 25);
      } finally {
        watch.abort();
      }
    } finally {
      await h.close();
    }
  });
});

/** A simulated clock moved by hand. */
function manualClock(start = Date.UTC(2026, 0, 1)): SimClock & { advance(ms: number): void } {
  let now = start;
  const timers: { at: number; fn: () => void }[] = [];
  return {
    speed: 1,
    now: () => now,
    after(delayMs, fn) {
      const timer = { at: now + delayMs, fn };
      timers.push(timer);
      return () => timers.splice(timers.indexOf(timer) >>> 0, timers.includes(timer) ? 1 : 0);
    },
    advance(ms) {
      now += ms;
      for (const due of timers.filter((t) => t.at <= now).sort((a, b) => a.at - b.at)) {
        timers.splice(timers.indexOf(due), 1);
        due.fn();
      }
    },
  };
}

describe('EventRecorder', () => {
  const ref = { kind: 'Pod', namespace: 'demo', name: 'web-1', uid: 'u1', apiVersion: 'v1' };
  let uids = 0;
  const uid = () => `uid-${++uids}`;

  it('counts repeats as the legacy recorder does, and keeps a series as the events.k8s.io one does', () => {
    const clock = manualClock();
    const store = new ApiStore();
    const recorder = new EventRecorder(store, clock, uid);
    const content = { ref, type: 'Warning' as const, reason: 'BackOff', message: 'Back-off restarting failed container web' };
    recorder.record({ component: 'kubelet', host: 'n1' }, content);
    clock.advance(30_000);
    recorder.record({ component: 'kubelet', host: 'n1' }, content);
    const [legacy] = [...store.values('events')];
    assert.equal(store.count('events'), 1);
    assert.equal(legacy.count, 2);
    assert.notEqual(legacy.firstTimestamp, legacy.lastTimestamp);

    const failed = { ref, type: 'Warning' as const, reason: 'FailedScheduling', message: 'no nodes available to schedule pods' };
    const scheduler = { controller: 'default-scheduler', instance: 'default-scheduler-cp' };
    recorder.recordSeries(scheduler, 'Scheduling', failed);
    clock.advance(10_000);
    recorder.recordSeries(scheduler, 'Scheduling', failed);
    const series = [...store.values('events')].find((e) => e.reason === 'FailedScheduling')!;
    assert.deepEqual(series.series, { count: 2, lastObservedTime: new Date(clock.now()).toISOString().replace('Z', '000Z') });
    // Another message is another Event.
    recorder.recordSeries(scheduler, 'Scheduling', { ...failed, message: '0/1 nodes are available: 1 node(s) were unschedulable.' });
    assert.equal(store.count('events'), 3);
    recorder.close();
  });

  it('lets an Event go an hour after its last write, as the API server does', () => {
    const clock = manualClock();
    const store = new ApiStore();
    const recorder = new EventRecorder(store, clock, uid);
    recorder.record({ component: 'kubelet', host: 'n1' }, { ref, type: 'Normal', reason: 'Pulled', message: 'a' });
    clock.advance(30 * 60_000);
    recorder.record({ component: 'kubelet', host: 'n1' }, { ref, type: 'Normal', reason: 'Started', message: 'b' });
    clock.advance(EVENT_TTL_MS - 30 * 60_000 + 1);
    assert.deepEqual([...store.values('events')].map((e) => e.reason), ['Started']);
    // Counting it again restarts its hour.
    clock.advance(20 * 60_000);
    recorder.record({ component: 'kubelet', host: 'n1' }, { ref, type: 'Normal', reason: 'Started', message: 'b' });
    clock.advance(EVENT_TTL_MS - 1);
    assert.equal(store.count('events'), 1);
    clock.advance(2);
    assert.equal(store.count('events'), 0);
    recorder.close();
  });

  it('keeps at most maxEvents, dropping the least recently written, whoever wrote them', async () => {
    const clock = manualClock();
    const store = new ApiStore();
    const recorder = new EventRecorder(store, clock, uid, 3);
    for (let i = 0; i < 5; i++) {
      clock.advance(1000);
      recorder.record({ component: 'kubelet', host: 'n1' }, { ref, type: 'Normal', reason: 'Started', message: `m${i}` });
    }
    assert.deepEqual([...store.values('events')].map((e) => e.message).sort(), ['m2', 'm3', 'm4']);
    // A client's own write counts too, trimmed once its request is done.
    store.put('events', { apiVersion: 'v1', kind: 'Event', metadata: { name: 'client.1', namespace: 'demo' }, message: 'client' });
    assert.equal(store.count('events'), 4);
    clock.advance(0);
    assert.deepEqual([...store.values('events')].map((e) => e.message).sort(), ['client', 'm3', 'm4']);
    recorder.close();
  });
});
