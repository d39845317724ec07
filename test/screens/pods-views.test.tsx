// The pods view, pod logs and YAML views against a simulated cluster made by
// `create cluster` and `update cluster --yes`: the live pods table (columns,
// AGE on the simulator's clock, filter, sort, a node's pods), delete and evict
// through the API after a question that says what happens (a budget's refusal
// in words), a followed log (stop, previous run, a choice of container), the
// YAML of pods and nodes, and every key in the footer and the help.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { cleanup } from 'ink-testing-library';
import { formatAge } from '../../src/engine/live-model/node-row.js';
import type { KubePod } from '../../src/engine/kube/types.js';
import type { Route } from '../../src/navigation/routes.js';
import { liveSessionsFor } from '../../src/sessions/live-sessions.js';
import { keys, renderApp } from '../console/helpers.js';
import { until } from '../helpers/sim-cluster.js';
import { startLiveFixture, type LiveFixture } from './live-fixture.js';

const size = { columns: 170, rows: 40 };
const LIVE_MS = 20_000;
const ctrlD = '\x04';
let fx: LiveFixture;
let worker = '';

before(async () => {
  fx = await startLiveFixture({ name: 'pods.k8s.local', workers: 2, speed: 100 });
  const workers = (await fx.nodes()).filter((n) => n.metadata.labels?.['node-role.kubernetes.io/node'] !== undefined);
  worker = workers[0].metadata.name;
  // A pod alone under a budget that allows no disruption, and a pod with two containers.
  await fx.kube.request('POST', '/api/v1/namespaces/default/pods', {
    body: { metadata: { name: 'lonely', labels: { app: 'lonely' } }, spec: { nodeName: worker, containers: [{ name: 'main', image: 'ghcr.io/example/lonely:1.0' }] } },
  });
  await fx.kube.request('POST', '/apis/policy/v1/namespaces/default/poddisruptionbudgets', {
    body: { metadata: { name: 'lonely' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'lonely' } } } },
  });
  await fx.kube.request('POST', '/api/v1/namespaces/default/pods', {
    body: {
      metadata: { name: 'two-containers' },
      spec: { nodeName: worker, containers: [{ name: 'app', image: 'ghcr.io/example/app:3.1' }, { name: 'sidecar', image: 'ghcr.io/example/shipper:0.9' }] },
    },
  });
  await until('the test pods running', async () => (await Promise.all(['lonely', 'two-containers'].map((name) => readPod(name)))).every((p) => p?.status?.phase === 'Running') || undefined, LIVE_MS);
});
after(async () => {
  cleanup();
  await fx?.stop();
});

async function readPod(name: string, namespace = 'default'): Promise<KubePod | undefined> {
  return fx.kube.request<KubePod>('GET', `/api/v1/namespaces/${namespace}/pods/${name}`).catch(() => undefined);
}

async function open(route: Route) {
  const services = fx.services();
  liveSessionsFor(services, { graceMs: 0, retryMs: 500 });
  const app = renderApp({ services, size, initialRoute: route });
  return {
    ...app,
    waitFor: (check: string | ((frame: string) => boolean), timeoutMs = LIVE_MS) => app.waitFor(check, timeoutMs),
    type(text: string) {
      for (const ch of text) app.press(ch);
    },
    async close() {
      app.unmount();
      await liveSessionsFor(services).closeAll();
    },
  };
}

const lineOf = (frame: string, text: string) => frame.split('\n').find((line) => line.includes(text)) ?? '';
const podLines = (frame: string) => frame.split('\n').filter((line) => /^(demo|default|kube-system)\s/.test(line));
/** The confirmation dialog's text, its wrapped lines joined. */
const dialogText = (frame: string) =>
  frame
    .split('\n')
    .filter((line) => line.startsWith('║'))
    .map((line) => line.replace(/^║\s*|\s*║$/g, ''))
    .join(' ');
const lineCount = (frame: string) => Number(/lines \d+-\d+ of (\d+)/.exec(frame)?.[1] ?? -1);

/** The range of seconds an AGE like "12m" stands for. */
function ageRange(age: string): [number, number] {
  const n = Number(age.slice(0, -1));
  const unit = { s: 1, m: 60, h: 3600, d: 86400 }[age.slice(-1) as 's' | 'm' | 'h' | 'd'];
  return [n * unit, (n + 1) * unit - 1];
}

describe('pods, logs and YAML on the simulator', () => {
  test(':pods lists every pod with READY, STATUS, RESTARTS, NODE, AGE on the simulator clock and OWNER; / filters, S sorts', async () => {
    const app = await open({ name: 'clusters' });
    await app.waitFor(fx.name);
    app.press(':');
    await app.waitFor(':█');
    app.type(`pods ${fx.name}`);
    app.press(keys.enter);
    const before = fx.access.clock.now();
    const frame = await app.waitFor((f) => /demo\s+web-\S+\s+1\/1\s+Running/.test(f) && f.includes('two-containers'));
    const after = fx.access.clock.now();
    assert.match(frame, /Pods\(pods\.k8s\.local\)\[\d+\]/);
    assert.match(frame, /NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+NODE\s+AGE\s+OWNER/);
    const web = lineOf(frame, 'web-');
    assert.match(web, /^demo\s+web-\S+\s+1\/1\s+Running\s+0\s+ip-[\d-]+\.ec2\.internal\s+\d+[smhd]\s+ReplicaSet\/web-\S+/);
    assert.match(lineOf(frame, 'two-containers'), /default\s+two-containers\s+2\/2\s+Running\s+0\s+\S+\s+\d+[smhd]\s+<none>/);
    assert.match(lineOf(frame, 'kube-apiserver-'), /kube-system\s+kube-apiserver-\S+\s+1\/1\s+Running\s+0\s+\S+\s+\d+[smhd]\s+Node\//);

    // AGE is the simulator's: the cluster's clock runs 100 times faster than the wall clock.
    const name = web.split(/\s+/)[1];
    const created = Date.parse((await readPod(name, 'demo'))!.metadata.creationTimestamp!);
    const [low, high] = ageRange(web.split(/\s+/)[6]);
    const tick = 2 * 1000 * fx.speed; // the AGE column refreshes once a wall second
    assert.ok(high * 1000 >= before - created - tick && low * 1000 <= after - created, `AGE ${web.split(/\s+/)[6]} against ${formatAge(created, after)}`);

    app.press('/');
    app.type('web-');
    const filtered = await app.waitFor((f) => podLines(f).length > 0 && podLines(f).every((l) => l.includes('web-')));
    assert.ok(podLines(filtered).length >= 2, filtered);
    app.press(keys.enter);
    app.press(keys.escape);
    await app.waitFor((f) => f.includes('two-containers'));
    app.press('S');
    const sorted = await app.waitFor('STATUS↑');
    assert.ok(podLines(sorted).length > 3);
    await app.close();
  });

  test('p on a node lists that node\'s pods only; Esc goes back to the node', async () => {
    const app = await open({ name: 'node', cluster: fx.name, node: worker });
    await app.waitFor('Conditions');
    app.press('p');
    const frame = await app.waitFor((f) => f.includes(`on node ${worker}`) && f.includes('two-containers'));
    const rows = podLines(frame);
    assert.ok(rows.length >= 2);
    assert.ok(rows.every((row) => row.includes(worker)), frame);
    app.press(keys.escape);
    await app.waitFor(`Node ${worker} (${fx.name})`);
    await app.close();
  });

  test('ctrl-d asks what a delete does; n leaves the pod, D then y deletes it through the API', async () => {
    const app = await open({ name: 'pods', cluster: fx.name });
    const frame = await app.waitFor((f) => /demo\s+web-\S+\s+1\/1\s+Running/.test(f));
    const name = lineOf(frame, 'web-').split(/\s+/)[1];
    app.press('/');
    app.type(name);
    app.press(keys.enter);
    await app.waitFor((f) => podLines(f).length === 1);
    app.press(ctrlD);
    const question = dialogText(await app.waitFor(`Delete pod demo/${name}?`));
    assert.match(question, /The API server deletes it now, whatever its PodDisruptionBudget allows/);
    assert.match(question, /Its ReplicaSet web-\S+ creates a replacement, possibly on another node\./);
    app.press('n');
    await app.waitFor((f) => !f.includes('Delete pod'));
    assert.equal((await readPod(name, 'demo'))?.metadata.deletionTimestamp, undefined, 'no leaves the pod alone');

    app.press('D');
    await app.waitFor(`Delete pod demo/${name}?`);
    app.press('y');
    await app.waitFor(`Pod demo/${name} is being deleted`);
    await until(
      'the pod deleted in the API',
      async () => {
        const pod = await readPod(name, 'demo');
        return pod === undefined || pod.metadata.deletionTimestamp ? true : undefined;
      },
      LIVE_MS,
    );
    await app.waitFor((f) => lineOf(f, name).includes('Terminating') || !f.includes(name));
    await app.close();
  });

  test('e evicts through the Eviction API: a budget\'s refusal is said in words and nothing is done; an allowed one evicts', async () => {
    const app = await open({ name: 'pods', cluster: fx.name });
    await app.waitFor('lonely');
    app.press('/');
    app.type('lonely');
    app.press(keys.enter);
    await app.waitFor((f) => podLines(f).length === 1);
    app.press('e');
    const question = dialogText(await app.waitFor('Evict pod default/lonely?'));
    assert.match(question, /asks the PodDisruptionBudget covering it first: if evicting it now would break the budget, the eviction is refused and nothing is done/);
    assert.match(question, /Nothing recreates it: it has no controller\./);
    app.press('y');
    // The refusal stays on screen, whole (wrapped), until dismissed.
    const refused = (await app.waitFor('Eviction of default/lonely refused, nothing was done')).replace(/\s+/g, ' ');
    assert.match(refused, /Cannot evict pod as it would violate the pod's disruption budget\. The disruption budget lonely needs 1 healthy pods and has 1 currently\./);
    assert.equal((await readPod('lonely'))?.metadata.deletionTimestamp, undefined, 'a refused eviction leaves the pod');
    assert.match(app.lastFrame() ?? '', /<esc> dismiss message {2}<\/> filter {2}<\?> help/);

    app.press(keys.escape); // dismisses the message
    await app.waitFor((f) => !f.includes('refused') && f.includes('filter: lonely'));
    app.press(keys.escape); // clears the filter
    const all = await app.waitFor((f) => /demo\s+api-\S+\s+1\/1\s+Running/.test(f));
    const api = lineOf(all, 'api-').split(/\s+/)[1];
    app.press('/');
    app.type(api);
    app.press(keys.enter);
    await app.waitFor((f) => podLines(f).length === 1);
    app.press('e');
    await app.waitFor(`Evict pod demo/${api}?`);
    app.press('y');
    await app.waitFor(`Pod demo/${api} evicted`);
    const gone = await readPod(api, 'demo');
    assert.ok(gone === undefined || gone.metadata.deletionTimestamp, 'the evicted pod is being deleted');
    await app.close();
  });

  test('l follows a pod\'s log; f stops and follows again; p asks for the previous run; Esc goes back', async () => {
    const app = await open({ name: 'pods', cluster: fx.name });
    await app.waitFor('lonely');
    app.press('/');
    app.type('lonely');
    app.press(keys.enter);
    await app.waitFor((f) => podLines(f).length === 1);
    app.press('l');
    // A followed log shows its newest lines; once some are in, g goes to its first.
    await app.waitFor((f) => f.includes('Following') && lineCount(f) > 0);
    app.press('g');
    let frame = await app.waitFor((f) => f.includes('Following') && f.includes('starting main 1.0 (image ghcr.io/example/lonely:1.0)'));
    assert.match(frame, /Logs of default\/lonely, container main \(pods\.k8s\.local\)/);
    assert.match(frame, new RegExp(`running in pod default/lonely on node ${worker.replace(/\./g, '\\.')}`));
    const first = lineCount(frame);
    frame = await app.waitFor((f) => lineCount(f) > first + 1);
    assert.match(frame, /requests? in the last 15s/);

    app.press('f');
    frame = await app.waitFor('Not following');
    const stopped = lineCount(frame);
    // Two periodic lines' worth of simulated time: nothing new arrives once stopped.
    const from = fx.access.clock.now();
    await until('30 simulated seconds', () => fx.access.clock.now() - from > 30_000 || undefined, LIVE_MS);
    assert.equal(lineCount(app.lastFrame() ?? ''), stopped);
    app.press('f');
    await app.waitFor((f) => f.includes('Following') && lineCount(f) > stopped);

    app.press('p');
    frame = await app.waitFor('previous terminated container');
    assert.match(frame, /The API server refused: previous terminated container "main" in pod "lonely" not found\. p shows the current run\./);
    assert.match(frame, /container main, previous run/);
    app.press('p');
    await app.waitFor('Following');
    app.press(keys.escape);
    await app.waitFor((f) => f.includes('Pods(pods.k8s.local)') && f.includes('filter: lonely'));
    await app.close();
  });

  test('l on a pod with two containers asks which first; Esc from the log comes back to the choice', async () => {
    const app = await open({ name: 'pod-logs', cluster: fx.name, namespace: 'default', pod: 'two-containers' });
    const frame = await app.waitFor('Containers of pod default/two-containers');
    assert.match(frame, /NAME\s+IMAGE\s+READY\s+RESTARTS\s+STATE/);
    assert.match(lineOf(frame, 'sidecar'), /sidecar\s+ghcr\.io\/example\/shipper:0\.9\s+true\s+0\s+running/);
    app.press('j');
    await app.waitFor('2/2');
    app.press(keys.enter);
    await app.waitFor((f) => f.includes('container sidecar') && lineCount(f) > 0);
    app.press('g');
    await app.waitFor('starting sidecar 0.9 (image ghcr.io/example/shipper:0.9)');
    app.press(keys.escape);
    await app.waitFor('Containers of pod default/two-containers');
    await app.close();
  });

  test('y shows the YAML of a pod, a node (nodes screen and node detail) read fresh, without managedFields', async () => {
    // The simulator writes no managedFields; put some on, as a real API server's would be.
    await fx.kube.request('PATCH', '/api/v1/namespaces/default/pods/lonely', {
      body: { metadata: { managedFields: [{ manager: 'kubectl-client-side-apply', operation: 'Update' }] } },
      contentType: 'application/merge-patch+json',
    });
    assert.ok((await readPod('lonely'))?.metadata && 'managedFields' in (await readPod('lonely'))!.metadata, 'the API has them');
    const app = await open({ name: 'pods', cluster: fx.name });
    await app.waitFor('lonely');
    app.press('/');
    app.type('lonely');
    app.press(keys.enter);
    await app.waitFor((f) => podLines(f).length === 1);
    app.press('y');
    let frame = await app.waitFor('kind: Pod');
    assert.match(frame, /YAML of pod default\/lonely \(pods\.k8s\.local\)/);
    assert.match(frame, /^apiVersion: v1$/m);
    assert.match(frame, /^ {2}name: lonely$/m);
    assert.match(frame, /^ {2}creationTimestamp: "\d{4}-/m);
    assert.ok(!frame.includes('managedFields'), frame);
    app.press('G');
    frame = await app.waitFor((f) => /lines \d+-\d+ of \d+ \(100%\)/.test(f));
    assert.match(frame, /phase: Running/);
    app.press(keys.escape);
    await app.waitFor('filter: lonely');
    await app.close();

    const nodes = await open({ name: 'nodes', cluster: fx.name });
    await nodes.waitFor((f) => f.includes('3/3') || f.includes('1/3'));
    nodes.press('y');
    frame = await nodes.waitFor('kind: Node');
    assert.match(frame, /YAML of node ip-[\d-]+\.ec2\.internal/);
    assert.match(frame, /providerID: aws:\/\/\//);
    nodes.press(keys.escape);
    await nodes.waitFor('Nodes(pods.k8s.local)');
    nodes.press(keys.enter);
    await nodes.waitFor('Conditions');
    nodes.press('y');
    await nodes.waitFor('kind: Node');
    await nodes.close();
  });

  test('every key of the new screens is in the footer or the help, and does what it says', async () => {
    const app = await open({ name: 'pods', cluster: fx.name });
    let frame = await app.waitFor('two-containers');
    assert.match(frame, /<l> logs\s+<y> YAML\s+<e> evict\s+<ctrl-d> delete\s+<\/> filter/);
    app.press('?');
    frame = await app.waitFor('Help: Pods');
    for (const text of [/l\s+logs/, /y\s+YAML/, /e\s+evict \(asks first\)/, /ctrl-d\/D\s+delete \(asks first\)/, /P\s+sort by NAMESPACE/, /S\s+sort by STATUS/, /W\s+sort by OWNER/]) {
      assert.match(frame, text);
    }
    app.press(keys.escape);
    await app.waitFor((f) => !f.includes('Help: Pods'));
    app.press('l');
    frame = await app.waitFor('Following');
    assert.match(frame, /<f> stop following\s+<p> previous run/);
    await app.close();

    const node = await open({ name: 'node', cluster: fx.name, node: worker });
    frame = await node.waitFor('Conditions');
    assert.match(frame, /<p> its pods\s+<y> YAML/);
    await node.close();
  });
});
