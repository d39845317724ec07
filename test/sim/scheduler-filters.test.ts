// The scheduler's filters beyond taints, on their own: a pod's requests,
// NodeAffinity's matching of nodeSelector and required node affinity, the
// ledger of what each node's pods request, and required pod (anti-)affinity.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ClusterWorld } from '../../src/sim/kube/cluster-world.js';
import { ANTI_AFFINITY_REASON, interPodCheck, nodeAffinityMatches, podNeeds, POD_AFFINITY_REASON, ResourceLedger } from '../../src/sim/kube/scheduler-filters.js';
import type { KubeObject } from '../../src/sim/kube/types.js';

const node = (name: string, labels: Record<string, string> = {}, allocatable: Record<string, string> = { cpu: '1900m', memory: '7557120Ki' }): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } },
  status: { allocatable },
});

let uid = 0;
const pod = (o: { name?: string; ns?: string; node?: string; labels?: Record<string, string>; cpu?: string; memory?: string; spec?: Record<string, unknown>; phase?: string } = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: o.name ?? `p${++uid}`, namespace: o.ns ?? 'default', uid: `u${++uid}`, labels: o.labels ?? {} },
  spec: {
    ...(o.node ? { nodeName: o.node } : {}),
    containers: [{ name: 'c', ...(o.cpu || o.memory ? { resources: { requests: { ...(o.cpu ? { cpu: o.cpu } : {}), ...(o.memory ? { memory: o.memory } : {}) } } } : {}) }],
    ...o.spec,
  },
  status: { phase: o.phase ?? 'Running' },
});

type Listener = (event: { rv: number; type: string; resource: string; holder: { obj: KubeObject }; previous?: KubeObject }) => void;

/** Just the store reads and change events the filters use, over a set of nodes and pods; `put` changes a pod as the store does. */
function worldOf(nodes: KubeObject[], pods: KubeObject[]): ClusterWorld & { put(pod: KubeObject, previous?: KubeObject): void } {
  const listeners: Listener[] = [];
  const store = {
    resourceVersion: 1,
    subscribe: (listener: Listener) => void listeners.push(listener),
    objectsByIndex: (_: string, index: string, value: string) => pods.filter((p) => (index === 'node' ? p.spec?.nodeName : p.metadata.namespace) === value),
    get: (_: string, name: string) => nodes.find((n) => n.metadata.name === name),
  };
  const put = (pod: KubeObject, previous?: KubeObject) => {
    if (previous) pods.splice(pods.indexOf(previous), 1);
    pods.push(pod);
    const rv = ++store.resourceVersion;
    for (const l of listeners) l({ rv, type: previous ? 'MODIFIED' : 'ADDED', resource: 'pods', holder: { obj: pod }, previous });
  };
  return { store, put } as unknown as ClusterWorld & { put: typeof put };
}

test("a pod's needs: its containers' requests summed, or its largest init container's", () => {
  assert.deepEqual(podNeeds(pod()), { cpu: 0, memory: 0 });
  const p = pod({ cpu: '250m', memory: '1Gi' });
  (p.spec!.containers as unknown[]).push({ name: 'd', resources: { requests: { cpu: '0.5' } } });
  assert.deepEqual(podNeeds(p), { cpu: 750, memory: 2 ** 30 });
  const withInit = { ...p, spec: { ...p.spec, initContainers: [{ name: 'i', resources: { requests: { cpu: '2', memory: '1Mi' } } }] } };
  assert.deepEqual(podNeeds(withInit), { cpu: 2000, memory: 2 ** 30 });
});

test('resource fit: the pods bound to the node plus the new one against allocatable, finished pods aside', () => {
  const n = node('a');
  const world = worldOf([n], [pod({ node: 'a', cpu: '1', memory: '4Gi' }), pod({ node: 'a', cpu: '1', phase: 'Succeeded' })]);
  const ledger = new ResourceLedger(world);
  assert.deepEqual(ledger.insufficient(n, { cpu: 900, memory: 2 ** 30 }), [], 'exactly fills the cpu left');
  assert.deepEqual(ledger.insufficient(n, { cpu: 901, memory: 0 }), ['Insufficient cpu']);
  assert.deepEqual(ledger.insufficient(n, { cpu: 2000, memory: 4 * 2 ** 30 }), ['Insufficient cpu', 'Insufficient memory']);
  const pending = pod({ cpu: '900m' });
  world.put(pending);
  assert.deepEqual(ledger.insufficient(n, { cpu: 1, memory: 0 }), [], 'a pending pod takes no room');
  const bound = { ...pending, spec: { ...pending.spec, nodeName: 'a' } };
  world.put(bound, pending);
  assert.deepEqual(ledger.insufficient(n, { cpu: 1, memory: 0 }), ['Insufficient cpu'], 'a pod bound since the node was summed counts');
  world.put({ ...bound, status: { phase: 'Succeeded' } }, bound);
  assert.deepEqual(ledger.insufficient(n, { cpu: 900, memory: 0 }), [], 'and stops counting when it finishes');
  assert.deepEqual(ledger.insufficient(n, { cpu: 0, memory: 0 }), [], 'a pod asking nothing always fits');
  assert.deepEqual(new ResourceLedger(world).insufficient(node('b', {}, {}), { cpu: 64_000, memory: 2 ** 40 }), [], 'no allocatable, no limit');
});

test('nodeSelector and required node affinity (In, NotIn, Exists, DoesNotExist; terms ORed, expressions ANDed)', () => {
  const n = node('a', { 'topology.kubernetes.io/zone': 'us-east-1a', pool: 'gpu' });
  const sel = (nodeSelector: Record<string, string>) => pod({ spec: { nodeSelector } });
  assert.equal(nodeAffinityMatches(pod(), n), true);
  assert.equal(nodeAffinityMatches(sel({ pool: 'gpu' }), n), true);
  assert.equal(nodeAffinityMatches(sel({ pool: 'cpu' }), n), false);
  const affinity = (...terms: { key: string; operator: string; values?: string[] }[][]) =>
    pod({ spec: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms.map((matchExpressions) => ({ matchExpressions })) } } } } });
  assert.equal(nodeAffinityMatches(affinity([{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['us-east-1a', 'us-east-1b'] }]), n), true);
  assert.equal(nodeAffinityMatches(affinity([{ key: 'topology.kubernetes.io/zone', operator: 'NotIn', values: ['us-east-1a'] }]), n), false);
  assert.equal(nodeAffinityMatches(affinity([{ key: 'pool', operator: 'Exists' }, { key: 'spot', operator: 'DoesNotExist' }]), n), true);
  assert.equal(nodeAffinityMatches(affinity([{ key: 'spot', operator: 'Exists' }]), n), false);
  assert.equal(nodeAffinityMatches(affinity([{ key: 'spot', operator: 'Exists' }], [{ key: 'pool', operator: 'In', values: ['gpu'] }]), n), true, 'one term is enough');
  assert.equal(nodeAffinityMatches(affinity([]), n), false, 'an empty term matches no node');
});

const antiAffinity = (topologyKey: string, extra: Record<string, unknown> = {}) => ({
  affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'web' } }, topologyKey, ...extra }] } },
});

test('required anti-affinity: no node in a topology domain that holds a selected pod of the namespace', () => {
  const nodes = [node('a', { zone: 'z1' }), node('b', { zone: 'z1' }), node('c', { zone: 'z2' })];
  const pods = [pod({ node: 'a', labels: { app: 'web' } }), pod({ node: 'c', ns: 'other', labels: { app: 'web' } }), pod({ node: 'b', labels: { app: 'db' } })];
  const world = worldOf(nodes, pods);
  assert.equal(interPodCheck(world, pod({ labels: { app: 'web' } })), undefined, 'no affinity, no check');
  const byHost = interPodCheck(world, pod({ labels: { app: 'web' }, spec: antiAffinity('kubernetes.io/hostname') }))!;
  assert.deepEqual(nodes.map(byHost), [ANTI_AFFINITY_REASON, undefined, undefined]);
  const byZone = interPodCheck(world, pod({ labels: { app: 'web' }, spec: antiAffinity('zone') }))!;
  assert.deepEqual(nodes.map(byZone), [ANTI_AFFINITY_REASON, ANTI_AFFINITY_REASON, undefined]);
  const acrossNamespaces = interPodCheck(world, pod({ spec: antiAffinity('kubernetes.io/hostname', { namespaces: ['default', 'other'] }) }))!;
  assert.deepEqual(nodes.map(acrossNamespaces), [ANTI_AFFINITY_REASON, undefined, ANTI_AFFINITY_REASON]);
});

test('required pod affinity: only where a selected pod runs, except for the first of a group that selects itself', () => {
  const nodes = [node('a', { zone: 'z1' }), node('b', { zone: 'z2' })];
  const affinity = { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'zone' }] } } };
  const first = interPodCheck(worldOf(nodes, []), pod({ labels: { app: 'web' }, spec: affinity }))!;
  assert.deepEqual(nodes.map(first), [undefined, undefined]);
  const stranger = interPodCheck(worldOf(nodes, []), pod({ labels: { app: 'cache' }, spec: affinity }))!;
  assert.deepEqual(nodes.map(stranger), [POD_AFFINITY_REASON, POD_AFFINITY_REASON]);
  const follower = interPodCheck(worldOf(nodes, [pod({ node: 'b', labels: { app: 'web' } })]), pod({ labels: { app: 'cache' }, spec: affinity }))!;
  assert.deepEqual(nodes.map(follower), [POD_AFFINITY_REASON, undefined]);
});
