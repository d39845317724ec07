// Events on the live screens against a simulated cluster made by `create
// cluster` and `update cluster --yes`: the overview's latest Events (live,
// warnings first, collapsing at 80x24), the node detail's own Events, and the
// :events table with its filter, warnings-only toggle and Enter on a node.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { cleanup } from 'ink-testing-library';
import type { Route } from '../../src/navigation/routes.js';
import type { Services } from '../../src/hooks/services.js';
import { eventSessionsFor } from '../../src/sessions/event-sessions.js';
import { liveSessionsFor } from '../../src/sessions/live-sessions.js';
import { keys, renderApp } from '../console/helpers.js';
import { startLiveFixture, type LiveFixture } from './live-fixture.js';

const LIVE_MS = 20_000;
let fx: LiveFixture;
let worker: string;

before(async () => {
  fx = await startLiveFixture({ name: 'events.k8s.local', workers: 1, speed: 100 });
  worker = (await fx.nodes()).find((n) => n.metadata.labels?.['node-role.kubernetes.io/node'] !== undefined)!.metadata.name;
});
after(async () => {
  cleanup();
  await fx?.stop();
});

async function open(route: Route, size = { columns: 170, rows: 40 }, services: Services = fx.services()) {
  liveSessionsFor(services, { graceMs: 0, retryMs: 500 });
  eventSessionsFor(services, { graceMs: 0, retryMs: 500, notifyIntervalMs: 50 });
  const app = renderApp({ services, size, initialRoute: route });
  return {
    ...app,
    waitFor: (check: string | ((frame: string) => boolean), timeoutMs = LIVE_MS) => app.waitFor(check, timeoutMs),
    async close() {
      app.unmount();
      await liveSessionsFor(services).closeAll();
      await eventSessionsFor(services).closeAll();
    },
  };
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const TITLE = 'Events: recent warnings first, then the newest';
const linesAfter = (frame: string, title: string) => frame.split('\n').slice(frame.split('\n').findIndex((l) => l.includes(title)) + 1);

/** A request on the fixture's client, once more if the server had just closed the idle keep-alive socket it reused. */
async function request<T>(method: string, path: string, opts: Parameters<LiveFixture['kube']['request']>[2] = {}): Promise<T> {
  try {
    return await fx.kube.request<T>(method, path, opts);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ECONNRESET') throw error;
    return fx.kube.request<T>(method, path, opts);
  }
}

async function setCordon(on: boolean) {
  await request('PATCH', `/api/v1/nodes/${worker}`, { body: { spec: { unschedulable: on ? true : null } }, contentType: 'application/merge-patch+json' });
}

describe('Events on the live screens', () => {
  test('overview: the latest Events, recent warnings first, new ones appear without a key pressed', async () => {
    const app = await open({ name: 'cluster', cluster: fx.name });
    try {
      let frame = await app.waitFor((f) => f.includes('Validation passed') && f.includes(TITLE) && !f.includes('Listing Events'));
      assert.match(frame, /<e> events/, 'the key hint for the events screen');
      // Cordon the worker and evict a web pod (its budget allows it): the kubelet stops it, and its replacement has nowhere to go.
      await setCordon(true);
      const web = (await request<{ items: { metadata: { name: string } }[] }>('GET', '/api/v1/namespaces/demo/pods?labelSelector=app%3Dweb')).items[0].metadata.name;
      await request('POST', `/api/v1/namespaces/demo/pods/${web}/eviction`, { body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: web, namespace: 'demo' } } });
      frame = await app.waitFor((f) => f.includes('NodeNotSchedulable') && f.includes('Killing') && f.includes('FailedScheduling'));
      const block = linesAfter(frame, TITLE);
      assert.match(block[0], /^\d+[smh]\s+Warning\s+FailedScheduling\s+pod\/web-\S+\s+0\/2 nodes are available: 1 node\(s\) had untolerated taint \{node-role\.kubernetes\.io\/control-plane: \}/, frame);
      assert.ok(block.slice(1).some((l) => new RegExp(`^\\d+[smh]\\s+Normal\\s+Killing\\s+pod/${escape(web)}\\s+Stopping container web$`).test(l)), frame);
      assert.match(frame, new RegExp(`\\d+[smh]\\s+Normal\\s+NodeNotSchedulable\\s+node/${escape(worker)}\\s+Node ${escape(worker)} status is now: NodeNotSchedulable`));
      assert.match(frame, /1 cordoned/);
    } finally {
      await setCordon(false);
      await app.close();
    }
  });

  test('overview at 80x24: the Events block fits in what is left, and the keys stay on screen', async () => {
    const app = await open({ name: 'cluster', cluster: fx.name }, { columns: 80, rows: 24 });
    try {
      const frame = await app.waitFor((f) => f.includes('Validation passed') && f.includes(TITLE.slice(0, 20)) && !f.includes('Listing Events'));
      const lines = frame.split('\n');
      assert.ok(lines.length <= 24, `${lines.length} lines:\n${frame}`);
      assert.ok(lines.every((l) => l.length <= 80), frame);
      assert.match(lines.slice(-3).join('\n'), /<\?> help/, 'the key hints are still there');
      const events = linesAfter(frame, TITLE.slice(0, 20)).filter((l) => /^\s*\d+[smh]\s+(Warning|Normal)\s/.test(l));
      assert.ok(events.length >= 1, frame);
      assert.equal(new Set(events).size, events.length, 'no two Event lines read the same');
    } finally {
      await app.close();
    }
  });

  test("node detail: the node's own Events last, newest first, from the kubelet and the node controller", async () => {
    const app = await open({ name: 'node', cluster: fx.name, node: worker });
    try {
      // Last in the detail, as kubectl describe shows them: G goes there.
      await app.waitFor((f) => f.includes('Pods (') && !f.includes('still listing'));
      app.press('G');
      const frame = await app.waitFor((f) => /Events \(\d+, newest first\)/.test(f) && f.includes('RegisteredNode'));
      const block = linesAfter(frame, 'newest first)');
      assert.match(block[0], /^\s+AGE\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE\s*$/);
      assert.match(frame, new RegExp(`Normal\\s+NodeReady\\s+node/${escape(worker)}\\s+Node ${escape(worker)} status is now: NodeReady`));
      assert.match(frame, new RegExp(`Normal\\s+RegisteredNode\\s+node/${escape(worker)}\\s+Node ${escape(worker)} event: Registered Node`));
      const names = block.filter((l) => /^\s+\d+[smh]\s/.test(l)).map((l) => l.trim().split(/\s+/)[3]);
      assert.ok(names.length >= 3 && names.every((n) => n === `node/${worker}`), 'only this node');
      // Newest first: NodeReady came after Starting.
      assert.ok(frame.indexOf('NodeReady') < frame.indexOf('Starting kubelet.'), frame);
    } finally {
      await app.close();
    }
  });

  test(':events lists every Event; / filters, W keeps the warnings, Enter on a node Event opens the node', async () => {
    const app = await open({ name: 'clusters' });
    try {
      await app.waitFor(fx.name);
      app.press(':');
      await app.waitFor(':█');
      for (const ch of `events ${fx.name}`) app.press(ch);
      app.press(keys.enter);
      let frame = await app.waitFor((f) => /Events\(events\.k8s\.local\)\[\d+\]/.test(f) && f.includes('LAST SEEN'));
      assert.match(frame, /LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE/);
      const total = Number(/Events\(events\.k8s\.local\)\[(\d+)\]/.exec(frame)![1]);

      app.press('/');
      for (const ch of 'RegisteredNode') app.press(ch);
      app.press(keys.enter);
      frame = await app.waitFor('filter: RegisteredNode');
      assert.match(frame, new RegExp(`1/2 of ${total}`), frame);
      assert.match(frame, /RegisteredNode node\/ip-\S+ \(node-controller\): Node ip-\S+ event: Registered Node ip-\S+ in Controller/, 'the whole message of the selected Event');
      app.press(keys.enter);
      frame = await app.waitFor((f) => /Node ip-\S+ \(events\.k8s\.local\)/.test(f));
      app.press(keys.escape);
      await app.waitFor('filter: RegisteredNode');
      app.press(keys.escape);
      await app.waitFor((f) => !f.includes('filter:'));

      app.press('W');
      frame = await app.waitFor('<W> all events');
      assert.match(frame, /Events\(events\.k8s\.local\)\[\d+\]\s+warnings only/);
      const rows = frame.split('\n').filter((l) => /^\s*\d+[smh]\s+(Warning|Normal)\s/.test(l));
      assert.ok(rows.length > 0 && rows.every((l) => /\sWarning\s/.test(l)), frame);
    } finally {
      await app.close();
    }
  });
});
