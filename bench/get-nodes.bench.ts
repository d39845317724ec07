// `get nodes` at scale: the time to list 5,000 nodes through kopsdeck's client
// against `kubectl get nodes -o json`, the same simulator, side by side (both
// through one HTTPS front, bench/tls-front.ts, as kubectl needs TLS); plus
// the library's own list call and informer, which motivated our lean client,
// and the full `get nodes` path (nodes + 150,000 pods + cloud, into the model).
// Prints figures; asserts nothing.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { EC2Client } from '@aws-sdk/client-ec2';
import { CoreV1Api, makeInformer, type V1Node } from '@kubernetes/client-node';
import { systemClock } from '../src/engine/clock.js';
import { createKubeClient } from '../src/engine/kube/client.js';
import { Informer } from '../src/engine/kube/informer.js';
import type { KubeList, KubeNode } from '../src/engine/kube/types.js';
import { awsCloudInventory } from '../src/engine/live-model/aws-inventory.js';
import { loadClusterOnce } from '../src/engine/live-model/load-once.js';
import { formatNodes } from '../src/engine/output/get-output.js';
import { median, startSimulatorProcess } from './bench-helpers.js';
import { startTlsFront } from './tls-front.js';
import { simulatorCredentials } from '../src/startup/cloud-session.js';

const NODES = Number(process.env.BENCH_NODES ?? 5000);
const PODS_PER_NODE = Number(process.env.BENCH_PODS_PER_NODE ?? 30);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const CLUSTER = 'scale.example.com';

async function timeIt(label: string, fn: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  console.log(`${label.padEnd(46)} median ${median(times).toFixed(0).padStart(6)} ms   (${times.map((t) => t.toFixed(0)).join(', ')})`);
  return times;
}

/** Runs a command to completion without blocking this process's event loop. */
function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], env });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} exited ${code}: ${stderr.slice(0, 500)}`))));
  });
}

/** The simulator's placeholder credentials as the SDK's environment variables. */
function simulatorEnvCredentials(token: string): Record<string, string> {
  const { accessKeyId, secretAccessKey } = simulatorCredentials(token);
  return { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey };
}

const home = mkdtempSync(join(tmpdir(), 'kopsdeck-bench-'));
const setupStart = performance.now();
const sim = await startSimulatorProcess(join(home, 'sim'), NODES, PODS_PER_NODE);
console.log(`simulator (own process) with ${NODES} nodes x ${PODS_PER_NODE} pods ready in ${(performance.now() - setupStart).toFixed(0)} ms`);
try {
  const kube = await createKubeClient({ cluster: CLUSTER, kubeconfigPath: sim.kubeconfigPath });
  // Warm the server (its first list builds caches) before timing anyone.
  await kube.request('GET', '/api/v1/nodes');
  let count = 0;
  const ours = await timeIt('kopsdeck client: list nodes (JSON)', async () => {
    count = (await kube.request<KubeList<KubeNode>>('GET', '/api/v1/nodes')).items.length;
  });
  console.log(`  nodes listed: ${count}`);

  const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
  let theirs: number[] | undefined;
  const front = await startTlsFront({ simUrl: sim.url, cluster: CLUSTER, token: sim.token, kubeconfigPath: join(home, 'tls-kubeconfig') });
  const kubectlArgs = ['--kubeconfig', front.kubeconfigPath, '--context', CLUSTER, '--cache-dir', join(home, 'kube-cache'), 'get', 'nodes', '-o', 'json'];
  // Warms its discovery cache, as a user's would be.
  const kubectlProblem = kubectl.status !== 0 ? 'kubectl not found' : await run('kubectl', kubectlArgs).then(() => undefined, (error: Error) => error.message.split('\n')[0]);
  if (!kubectlProblem) {
    theirs = await timeIt('kubectl get nodes -o json (process)', () => run('kubectl', kubectlArgs));
    // kubectl pages by 500 by default; one unpaged response is the like-for-like comparison with our list.
    await timeIt('kubectl get nodes -o json --chunk-size=0', () => run('kubectl', [...kubectlArgs, '--chunk-size=0']));
  } else {
    console.log(`kubectl side by side skipped: ${kubectlProblem.slice(0, 200)}`);
  }
  // The whole command as a user runs it: the bundled CLI, from its start to its exit.
  const cliArgs = ['dist/cli.js', 'get', 'nodes', CLUSTER, '-o', 'json'];
  const simEnv = { ...process.env, KOPSDECK_HOME: join(home, 'cli-home'), KOPSDECK_SIM_DIR: sim.dir, KOPS_STATE_STORE: '' };
  await timeIt('kopsdeck get nodes -o json (process, plain http)', () => run(process.execPath, cliArgs, simEnv));
  // As against a real cluster: AWS mode, the API through the same HTTPS front as kubectl, EC2 and auto scaling at the simulator.
  const awsEnv = {
    ...process.env,
    KOPSDECK_HOME: join(home, 'cli-home'),
    KOPSDECK_CLOUD: 'aws',
    KUBECONFIG: front.kubeconfigPath,
    KOPS_STATE_STORE: '',
    AWS_ENDPOINT_URL: sim.url,
    AWS_REGION: 'us-east-1',
    ...simulatorEnvCredentials(sim.token),
  };
  const wholeProcess = await timeIt('kopsdeck get nodes -o json (process, https)', () => run(process.execPath, cliArgs, awsEnv));
  const withPods = await timeIt('kopsdeck get nodes -o json --pods (process, https)', () => run(process.execPath, [...cliArgs, '--pods'], awsEnv));

  // The same list through the generated API (what a plain client-node program does).
  const { kc } = await import('../src/engine/kube/client.js').then((m) => m.loadKubeConfig({ cluster: CLUSTER, kubeconfigPath: sim.kubeconfigPath }));
  kc.clusters = kc.clusters.map((c) => ({ ...c, skipTLSVerify: true }));
  const core = kc.makeApiClient(CoreV1Api);
  await timeIt('client-node CoreV1Api.listNode', async () => {
    await core.listNode();
  });

  await timeIt('kopsdeck Informer: nodes synced', async () => {
    const informer = new Informer<KubeNode>({ client: kube, path: '/api/v1/nodes', clock: systemClock });
    informer.start();
    await informer.synced;
    await informer.stop();
  });
  await timeIt('client-node makeInformer: nodes synced', async () => {
    const informer = makeInformer<V1Node>(kc, '/api/v1/nodes', () => core.listNode());
    await informer.start();
    await informer.stop();
  });

  // Placeholders, not credentials: the simulator accepts any key.
  const aws = { region: 'us-east-1', endpoint: sim.url, credentials: simulatorCredentials(sim.token) };
  const cloud = awsCloudInventory({ autoscaling: new AutoScalingClient(aws), ec2: new EC2Client(aws) });
  const full = await timeIt('kopsdeck get nodes -o json (pods counted)', async () => {
    const snapshot = await loadClusterOnce({ cluster: CLUSTER, kube, cloud, clock: systemClock, pods: 'count' });
    formatNodes(snapshot, 'json', Date.now());
  });
  const light = await timeIt('kopsdeck get nodes -o json (no PODS column)', async () => {
    const snapshot = await loadClusterOnce({ cluster: CLUSTER, kube, cloud, clock: systemClock, pods: 'none' });
    formatNodes(snapshot, 'json', Date.now());
  });
  await timeIt('live model: nodes + 150k pods watched, synced', async () => {
    await loadClusterOnce({ cluster: CLUSTER, kube, cloud, clock: systemClock, pods: 'watch' });
  });

  if (theirs) {
    console.log(`ratio kopsdeck list / kubectl:                 ${(median(ours) / median(theirs)).toFixed(2)}  (below 1 = kopsdeck faster)`);
    console.log(`ratio kopsdeck get nodes (no pods) / kubectl:  ${(median(light) / median(theirs)).toFixed(2)}`);
    console.log(`ratio kopsdeck get nodes (PODS) / kubectl:    ${(median(full) / median(theirs)).toFixed(2)}`);
    console.log(`ratio whole processes, get nodes -o json (https): ${(median(wholeProcess) / median(theirs)).toFixed(2)}  (target 0.5)`);
    console.log(`ratio whole processes, the same with --pods:      ${(median(withPods) / median(theirs)).toFixed(2)}  (lists 150,000 pods more than kubectl does)`);
  }
  console.log(`resident memory ${(process.memoryUsage().rss / 1048576).toFixed(0)} MiB`);
  kube.close();
  await front.close();
} finally {
  await sim.stop();
  rmSync(home, { recursive: true, force: true });
}
