// The simulated pods/log endpoint, as the API server serves it: plain text
// lines (startup lines naming the image and node, then periodic lines on the
// simulated clock), the same text for every reader, tailLines, follow (new
// lines as simulated time passes, the end when the pod is deleted), previous,
// and the API server's refusals with their messages, as kubectl logs reads them.
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { CoreV1Api, Log, PatchStrategy, setHeaderOptions, type V1Pod } from '@kubernetes/client-node';
import { simInstance, startKubeHarness, waitFor, type KubeHarness } from '../helpers/sim-kube.js';

const CLUSTER = 'logs.example.com';
const kubectlMissing = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).error !== undefined;
let h: KubeHarness;
let core: CoreV1Api;

async function get(path: string): Promise<{ status: number; text: string; json?: { reason?: string; message?: string; code?: number } }> {
  const response = await fetch(`${h.serverUrl(CLUSTER)}${path}`, { headers: { Authorization: 'Bearer simulated' } });
  const text = await response.text();
  const json = response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : undefined;
  return { status: response.status, text, json };
}

const logPath = (pod: V1Pod, query = '') => `/api/v1/namespaces/${pod.metadata!.namespace}/pods/${pod.metadata!.name}/log${query ? `?${query}` : ''}`;
const linesOf = (text: string) => text.split('\n').filter(Boolean);
const running = (pod: V1Pod) => pod.status?.phase === 'Running' && !pod.metadata?.deletionTimestamp;

async function runningPod(namespace: string, labelSelector: string): Promise<V1Pod> {
  return waitFor(`a running pod (${labelSelector})`, async () => (await core.listNamespacedPod({ namespace, labelSelector })).items.find(running));
}

/** Collects what a followed log writes, and whether the stream ended. */
function collector() {
  const state = { text: '', ended: false };
  const stream = new Writable({
    write(chunk, _encoding, done) {
      state.text += String(chunk);
      done();
    },
  });
  stream.on('finish', () => (state.ended = true));
  return { state, stream };
}

describe('simulated pod logs', () => {
  before(async () => {
    h = await startKubeHarness({ speed: 100 });
    h.kube.clusterSeen(CLUSTER);
    h.kube.instanceRunning(simInstance(CLUSTER, { role: 'ControlPlane' }));
    h.kube.instanceRunning(simInstance(CLUSTER));
    core = h.kubeConfig(CLUSTER).makeApiClient(CoreV1Api);
    await runningPod('demo', 'app=web');
  });
  after(async () => {
    await h.close();
  });

  it('serves plain text: startup lines naming the image and the node, then periodic lines; the same text for every reader', async () => {
    const pod = await runningPod('demo', 'app=web');
    // Periodic lines come every 15 simulated seconds: wait for a few.
    const text = await waitFor('three periodic lines', async () => {
      const log = await core.readNamespacedPodLog({ name: pod.metadata!.name!, namespace: 'demo' });
      return linesOf(log).length >= 7 ? log : undefined;
    });
    const lines = linesOf(text);
    assert.match(lines[0], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ INFO {2}starting web 1\.27 \(image nginx:1\.27\)$/);
    assert.match(lines[1], new RegExp(`running in pod demo/${pod.metadata!.name} on node ${pod.spec!.nodeName!.replace(/\./g, '\\.')}$`));
    assert.match(lines[2], new RegExp(`listening on ${pod.status!.podIP!.replace(/\./g, '\\.')}:\\d+$`));
    assert.match(lines[4], /INFO {2}\d+ requests? in the last 15s, p50 \d+ms, uptime 15s$/);
    assert.match(lines[5], /uptime 30s$/);
    // Timestamps are the simulator's clock: the first periodic line is 15 s after the start.
    const at = (line: string) => Date.parse(line.slice(0, 20));
    assert.equal(at(lines[4]) - at(lines[0]), 15_000);

    const again = linesOf((await get(logPath(pod))).text);
    assert.deepEqual(again.slice(0, lines.length), lines, 'a second reader sees the same lines');
    const tail = await get(logPath(pod, 'tailLines=2'));
    assert.equal(tail.status, 200);
    const tailLines = linesOf(tail.text);
    assert.equal(tailLines.length, 2);
    const full = linesOf((await get(logPath(pod))).text);
    const start = full.indexOf(tailLines[0]);
    assert.ok(start >= 0 && full[start + 1] === tailLines[1], 'tailLines gives the newest lines, in order');
  });

  it('follow streams new lines as simulated time passes and ends when the pod is deleted', async () => {
    const pod = await runningPod('demo', 'app=api');
    const { state, stream } = collector();
    const controller = await new Log(h.kubeConfig(CLUSTER)).log('demo', pod.metadata!.name!, 'api', stream, { follow: true, tailLines: 1 });
    try {
      const first = await waitFor('the tail line', () => (linesOf(state.text).length >= 1 ? linesOf(state.text)[0] : undefined));
      await waitFor('two more lines, streamed', () => linesOf(state.text).length >= 3);
      const streamed = linesOf(state.text);
      assert.equal(streamed[0], first);
      assert.ok(Date.parse(streamed[2].slice(0, 20)) > Date.parse(streamed[1].slice(0, 20)), 'each new line is later on the simulated clock');
      assert.equal(state.ended, false, 'a followed log stays open while the container runs');

      await core.deleteNamespacedPod({ name: pod.metadata!.name!, namespace: 'demo' });
      await waitFor('the stream to end once the pod is gone', () => state.ended, 20_000);
      assert.match(linesOf(state.text).at(-1)!, /received SIGTERM, draining connections and shutting down$/);
    } finally {
      controller.abort();
    }
  });

  it('refuses as the API server does: unknown pod, unknown container, previous of a container that never restarted, bad tailLines', async () => {
    const pod = await runningPod('demo', 'app=web');
    const name = pod.metadata!.name!;
    const missing = await get('/api/v1/namespaces/demo/pods/no-such-pod/log');
    assert.equal(missing.status, 404);
    assert.equal(missing.json?.reason, 'NotFound');
    assert.equal(missing.json?.message, 'pods "no-such-pod" not found');

    const container = await get(logPath(pod, 'container=nope'));
    assert.equal(container.status, 400);
    assert.equal(container.json?.reason, 'BadRequest');
    assert.equal(container.json?.message, `container nope is not valid for pod ${name}`);

    const previous = await get(logPath(pod, 'previous=true'));
    assert.equal(previous.status, 400);
    assert.equal(previous.json?.reason, 'BadRequest');
    assert.equal(previous.json?.message, `previous terminated container "web" in pod "${name}" not found`);

    const negative = await get(logPath(pod, 'tailLines=-1'));
    assert.equal(negative.status, 422);
    assert.match(negative.json?.message ?? '', /tailLines: Invalid value: -1: must be greater than or equal to 0/);
    assert.equal((await get(logPath(pod, 'tailLines=many'))).status, 400);
  });

  it('a pod with two containers needs a container name; previous serves the run before a restart', async () => {
    const node = (await core.listNode({ labelSelector: 'node-role.kubernetes.io/node' })).items[0].metadata!.name!;
    const created = await core.createNamespacedPod({
      namespace: 'default',
      body: {
        metadata: { name: 'two-containers' },
        spec: { nodeName: node, containers: [{ name: 'app', image: 'ghcr.io/example/app:3.1' }, { name: 'sidecar', image: 'ghcr.io/example/shipper:0.9' }] },
      },
    });
    const pod = await waitFor('both containers running', async () => {
      const current = await core.readNamespacedPod({ name: 'two-containers', namespace: 'default' });
      return running(current) ? current : undefined;
    });
    assert.equal(created.metadata?.name, 'two-containers');
    const unnamed = await get(logPath(pod));
    assert.equal(unnamed.status, 400);
    assert.equal(unnamed.json?.message, 'a container name must be specified for pod two-containers, choose one of: [app sidecar]');
    assert.match(linesOf((await get(logPath(pod, 'container=sidecar'))).text)[0], /starting sidecar 0\.9 \(image ghcr\.io\/example\/shipper:0\.9\)$/);

    // A restart as the kubelet reports it: the run before this one becomes lastState.terminated.
    const started = pod.status!.containerStatuses!.find((c) => c.name === 'app')!.state!.running!.startedAt!;
    const startedAt = new Date(started).getTime();
    const rfc3339 = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
    const statuses = pod.status!.containerStatuses!.map((c) =>
      c.name !== 'app'
        ? c
        : {
            ...c,
            restartCount: 1,
            containerID: `containerd://${'a'.repeat(64)}`,
            lastState: {
              terminated: { exitCode: 137, reason: 'OOMKilled', startedAt: rfc3339(startedAt - 70_000), finishedAt: rfc3339(startedAt - 10_000), containerID: c.containerID },
            },
          },
    );
    await core.patchNamespacedPodStatus(
      { name: 'two-containers', namespace: 'default', body: { status: { containerStatuses: statuses } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    const previous = await get(logPath(pod, 'container=app&previous=true'));
    assert.equal(previous.status, 200, previous.text);
    const lines = linesOf(previous.text);
    assert.match(lines[0], /starting app 3\.1/);
    assert.equal(lines.length, 4 + 3 + 1, 'startup lines, the periodic lines of its 60 s, and its exit');
    assert.match(lines.at(-1)!, /ERROR exiting with code 137 \(OOMKilled\)$/);
    const current = linesOf((await get(logPath(pod, 'container=app'))).text);
    assert.equal(Date.parse(lines[0].slice(0, 20)), startedAt - 70_000, 'the previous run starts when it started');
    assert.equal(Date.parse(current[0].slice(0, 20)), startedAt, 'the current run starts at the restart');
    const sidecarPrevious = await get(logPath(pod, 'container=sidecar&previous=true'));
    assert.equal(sidecarPrevious.json?.message, 'previous terminated container "sidecar" in pod "two-containers" not found');
  });

  it('kubectl logs reads the same text, and says what the API server refused', { skip: kubectlMissing && 'kubectl is not installed' }, async () => {
    const pod = await runningPod('demo', 'app=web');
    const env = { ...process.env, KUBECONFIG: h.kubeconfigFile(CLUSTER), HOME: h.dir };
    const kubectl = (...args: string[]) => promisify(execFile)('kubectl', ['--request-timeout=20s', ...args], { env, timeout: 60_000 });
    const { stdout } = await kubectl('logs', '-n', 'demo', pod.metadata!.name!, '--tail=100');
    const lines = linesOf(stdout);
    assert.ok(lines.length >= 4, stdout);
    const served = linesOf((await get(logPath(pod))).text);
    assert.ok(served.join('\n').includes(lines.slice(0, 4).join('\n')), 'kubectl prints the lines the endpoint serves');
    await assert.rejects(kubectl('logs', '-n', 'demo', pod.metadata!.name!, '--previous'), (error: { stderr?: string }) => {
      assert.match(error.stderr ?? '', new RegExp(`Error from server \\(BadRequest\\): previous terminated container "web" in pod "${pod.metadata!.name}" not found`));
      return true;
    });
  });
});
