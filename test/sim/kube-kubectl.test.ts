// kubectl against the simulated API server: get nodes/pods (server-side
// tables), cordon, and a drain that goes through the Eviction API and must
// respect every PodDisruptionBudget.
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { CoreV1Api, PolicyV1Api, Watch, type V1PodDisruptionBudget } from '@kubernetes/client-node';
import { simInstance, startKubeHarness, waitFor, type KubeHarness } from '../helpers/sim-kube.js';

const run = promisify(execFile);
const kubectlMissing = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).error !== undefined;
const skip = kubectlMissing ? 'kubectl is not installed; skipping the kubectl compatibility tests' : false;

describe('kubectl against the simulator', { skip }, () => {
  const cluster = 'kubectl.example.com';
  let h: KubeHarness;
  let core: CoreV1Api;
  let kubectl: (...args: string[]) => Promise<string>;
  let kubectlFull: (...args: string[]) => Promise<{ stdout: string; stderr: string }>;
  let firstWorker: string;

  before(async () => {
    // Slow enough that replacement pods cannot turn Ready while kubectl sends its first evictions.
    h = await startKubeHarness({ speed: 20 });
    h.kube.clusterSeen(cluster);
    // One worker first, so every demo pod lands on it; two more join afterwards.
    h.kube.instanceRunning(simInstance(cluster, { role: 'ControlPlane' }));
    const worker = simInstance(cluster);
    firstWorker = worker.privateDnsName;
    h.kube.instanceRunning(worker);
    core = h.kubeConfig(cluster).makeApiClient(CoreV1Api);
    await waitFor('demo pods Ready', async () => {
      const pods = (await core.listNamespacedPod({ namespace: 'demo' })).items;
      return pods.length === 9 && pods.every((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
    });
    for (let i = 0; i < 2; i++) h.kube.instanceRunning(simInstance(cluster));
    await waitFor('4 nodes Ready', async () => {
      const nodes = (await core.listNode()).items;
      return nodes.length === 4 && nodes.every((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
    });
    const env = { ...process.env, KUBECONFIG: h.kubeconfigFile(cluster), HOME: h.dir };
    kubectlFull = (...args) => run('kubectl', ['--request-timeout=20s', ...args], { env, timeout: 180_000 });
    kubectl = async (...args) => (await kubectlFull(...args)).stdout;
  });
  after(async () => {
    await h?.close();
  });

  it('kubectl get nodes prints the server-side table', async () => {
    const out = await kubectl('get', 'nodes');
    const lines = out.trim().split('\n');
    assert.match(lines[0], /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION$/);
    assert.equal(lines.length, 5);
    assert.equal(lines.filter((l) => /\sReady\s+control-plane\s+\S+\s+v1\.30\.2$/.test(l)).length, 1);
    assert.equal(lines.filter((l) => /\sReady\s+node\s+\S+\s+v1\.30\.2$/.test(l)).length, 3);
    const pods = await kubectl('get', 'pods', '-A');
    assert.match(pods.split('\n')[0], /^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    assert.match(pods, /^demo\s+web-\S+\s+1\/1\s+Running\s+0\s+/m);
  });

  it('kubectl get events lists what the components recorded, from either API group', async () => {
    const out = await kubectl('get', 'events', '-A');
    const lines = out.trim().split('\n');
    assert.match(lines[0], /^NAMESPACE\s+LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$/);
    assert.match(out, /^demo\s+\S+\s+Normal\s+Scheduled\s+pod\/web-\S+\s+Successfully assigned demo\/web-\S+ to ip-[\d-]+\.ec2\.internal$/m);
    assert.match(out, /^demo\s+\S+\s+Normal\s+Started\s+pod\/web-\S+\s+Started container web$/m);
    assert.match(out, /^default\s+\S+\s+Normal\s+NodeReady\s+node\/ip-\S+\s+Node ip-\S+ status is now: NodeReady$/m);
    assert.match(out, /^demo\s+\S+\s+Warning\s+FailedScheduling\s+pod\/\S+\s+(no nodes available to schedule pods|0\/\d nodes are available: )/m);
    // -o wide adds the server's priority-1 columns; a field selector narrows to one object.
    const wide = await kubectl('get', 'events', '-n', 'default', '-o', 'wide', '--field-selector', `involvedObject.name=${firstWorker},reason=Starting`);
    assert.match(wide.split('\n')[0], /^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+SUBOBJECT\s+SOURCE\s+MESSAGE\s+FIRST SEEN\s+COUNT\s+NAME$/);
    assert.match(wide, new RegExp(`Normal\\s+Starting\\s+node/${firstWorker.replace(/\./g, '\\.')}\\s+kubelet, ${firstWorker.replace(/\./g, '\\.')}\\s+Starting kubelet\\.\\s+\\S+\\s+1\\s+${firstWorker.replace(/\./g, '\\.')}\\.[0-9a-f]+$`, 'm'));
    // The same Events through events.k8s.io/v1 (one storage).
    const v1 = await kubectl('get', 'events.events.k8s.io', '-A', '--no-headers');
    assert.equal(v1.trim().split('\n').length, lines.length - 1);
    // kubectl events --for matches the Node's uid too: the node controller's Events carry it; a
    // kubelet's carry the node's name as uid (kubectl describe node asks for those), as upstream.
    const forNode = await kubectl('events', '-n', 'default', '--for', `node/${firstWorker}`);
    assert.match(forNode, /Normal\s+RegisteredNode\s+Node\/ip-\S+\s+Node ip-\S+ event: Registered Node ip-\S+ in Controller/);
    assert.doesNotMatch(forNode, /NodeReady/);
  });

  it('kubectl cordon marks the node unschedulable', async () => {
    const node = (await core.listNode({ labelSelector: 'node-role.kubernetes.io/node' })).items[0].metadata!.name!;
    assert.match(await kubectl('cordon', node), /cordoned/);
    assert.equal((await core.readNode({ name: node })).spec?.unschedulable, true);
    assert.match(await kubectl('get', 'node', node), /Ready,SchedulingDisabled/);
    assert.match(await kubectl('uncordon', node), /uncordoned/);
    assert.ok(!(await core.readNode({ name: node })).spec?.unschedulable);
  });

  it('kubectl drain --ignore-daemonsets --delete-emptydir-data empties a node without breaking a budget', async () => {
    // Every web pod runs on the first worker: the budget (minAvailable 4 of 6) must hold evictions back.
    const node = firstWorker;
    const web = (await core.listNamespacedPod({ namespace: 'demo', labelSelector: 'app=web' })).items;
    assert.deepEqual([...new Set(web.map((p) => p.spec?.nodeName))], [node]);
    const budgets: V1PodDisruptionBudget[] = [];
    const watch = await new Watch(h.kubeConfig(cluster)).watch('/apis/policy/v1/poddisruptionbudgets', {}, (_t, obj) => budgets.push(obj), () => {});
    let output: { stdout: string; stderr: string };
    try {
      output = await kubectlFull('drain', node, '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=150s');
    } finally {
      watch.abort();
    }
    assert.match(output.stdout, /drained/);
    assert.match(output.stderr, /Cannot evict pod as it would violate the pod's disruption budget/, 'kubectl met the budget and retried');
    const left = (await core.listPodForAllNamespaces({ fieldSelector: `spec.nodeName=${node}` })).items;
    const leftKinds = left.map((p) => p.metadata?.ownerReferences?.[0]?.kind);
    assert.ok(leftKinds.length > 0 && leftKinds.every((kind) => kind === 'DaemonSet'), `only DaemonSet pods stay, got ${leftKinds}`);
    assert.equal((await core.readNode({ name: node })).spec?.unschedulable, true);
    assert.deepEqual(h.stats.violations, [], 'no budget was broken');
    for (const pdb of budgets) {
      assert.ok((pdb.status?.currentHealthy ?? 0) >= (pdb.status?.desiredHealthy ?? 0),
        `${pdb.metadata?.name} had ${pdb.status?.currentHealthy} healthy for ${pdb.status?.desiredHealthy} desired`);
    }
    const policy = h.kubeConfig(cluster).makeApiClient(PolicyV1Api);
    await waitFor('web healthy again elsewhere', async () => {
      const pdb = await policy.readNamespacedPodDisruptionBudget({ name: 'web', namespace: 'demo' });
      return pdb.status?.currentHealthy === 6;
    });
  });
});
