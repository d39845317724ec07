// The scheduler and the kubelet's start-up of pods: pending pods go to Ready,
// schedulable nodes whose taints they tolerate (avoiding PreferNoSchedule ones
// when another node will do), spread so that replicas of one
// workload land on different nodes and nodes fill evenly; a few simulated
// seconds later the kubelet reports them Running and Ready.
import type { ClusterWorld } from './cluster-world.js';
import { boundStatus, runningStatus, unschedulableStatus } from './pod-factory.js';
import { controllerOf, isNodeReady, keyOf, type KubeObject } from './types.js';

export const POD_START_MS = 2_000;

interface Taint {
  key: string;
  value?: string;
  effect: string;
}
interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
}

export function tolerates(tolerations: Toleration[] | undefined, taint: Taint): boolean {
  return (tolerations ?? []).some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (t.operator === 'Exists') return !t.key || t.key === taint.key;
    return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
  });
}

export function fitsTaints(pod: KubeObject, node: KubeObject): boolean {
  const taints = (node.spec?.taints as Taint[] | undefined) ?? [];
  return taints.every((taint) => taint.effect === 'PreferNoSchedule' || tolerates(pod.spec?.tolerations, taint));
}

export function schedulable(world: ClusterWorld, node: KubeObject): boolean {
  return isNodeReady(node) && !node.spec?.unschedulable && !world.instanceOfNode(node.metadata.name)?.terminated;
}

export function schedulePending(world: ClusterWorld): void {
  const pendingKeys = world.store.byIndex('pods', 'unscheduled', 'yes').sort();
  if (pendingKeys.length === 0) return;
  const nodes = world.nodes().filter((node) => schedulable(world, node));
  const load = new Map<string, number>();
  for (const node of nodes) load.set(node.metadata.name, world.store.indexSize('pods', 'node', node.metadata.name));
  const ownerSpread = new Map<string, Map<string, number>>();
  const spreadOf = (ownerUid: string): Map<string, number> => {
    let spread = ownerSpread.get(ownerUid);
    if (!spread) ownerSpread.set(ownerUid, (spread = new Map(world.tally.of(ownerUid).nodes)));
    return spread;
  };

  for (const key of pendingKeys) {
    const pod = world.store.get('pods', key)!;
    if (pod.metadata.deletionTimestamp) continue;
    const owner = controllerOf(pod)?.uid;
    const spread = owner ? spreadOf(owner) : undefined;
    let best: KubeObject | undefined;
    let bestScore: Score = [Infinity, Infinity, Infinity];
    for (const node of nodes) {
      const name = node.metadata.name;
      if ((load.get(name) ?? 0) >= 110 || !fitsTaints(pod, node)) continue;
      const score: Score = [avoided(pod, node), spread?.get(name) ?? 0, load.get(name) ?? 0];
      if (better(score, bestScore)) {
        best = node;
        bestScore = score;
      }
    }
    if (!best) {
      markUnschedulable(world, pod, nodes.length);
      continue;
    }
    const nodeName = best.metadata.name;
    load.set(nodeName, (load.get(nodeName) ?? 0) + 1);
    spread?.set(nodeName, (spread.get(nodeName) ?? 0) + 1);
    bindPod(world, pod, best);
  }
}

/** Lower is better: PreferNoSchedule taints the pod does not tolerate, then replicas of its owner there, then pods there. */
type Score = [number, number, number];

function better(a: Score, b: Score): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i];
  return false;
}

/** The scheduler's TaintToleration score: PreferNoSchedule taints are avoided when another node will do. */
function avoided(pod: KubeObject, node: KubeObject): number {
  const taints = (node.spec?.taints as Taint[] | undefined) ?? [];
  return taints.filter((taint) => taint.effect === 'PreferNoSchedule' && !tolerates(pod.spec?.tolerations, taint)).length;
}

function markUnschedulable(world: ClusterWorld, pod: KubeObject, candidates: number): void {
  const already = (pod.status?.conditions as { type: string; status: string }[] | undefined)?.some(
    (c) => c.type === 'PodScheduled' && c.status === 'False',
  );
  if (already) return;
  const message =
    candidates === 0
      ? '0/0 nodes are available: no Ready, schedulable nodes.'
      : `0/${candidates} nodes are available: the pod does not tolerate the nodes' taints or they are full.`;
  world.store.update('pods', keyOf(pod), (draft) => {
    draft.status = unschedulableStatus(draft, world.now(), message);
  });
}

export function bindPod(world: ClusterWorld, pod: KubeObject, node: KubeObject): void {
  const hostIP = (node.status?.addresses as { type: string; address: string }[] | undefined)?.find(
    (a) => a.type === 'InternalIP',
  )?.address;
  const bound = world.store.update('pods', keyOf(pod), (draft) => {
    draft.spec = { ...draft.spec, nodeName: node.metadata.name };
    draft.status = boundStatus(draft, hostIP, world.now());
  });
  if (bound && isNodeReady(node)) world.schedulePodStart(bound);
}

function podIpOn(world: ClusterWorld, node: KubeObject | undefined, pod: KubeObject): string {
  if (pod.spec?.hostNetwork && pod.status?.hostIP) return pod.status.hostIP as string;
  const cidr = (node?.spec?.podCIDR as string | undefined) ?? '100.96.0.0/24';
  const prefix = cidr.split('.').slice(0, 3).join('.');
  return `${prefix}.${2 + Math.floor(world.deps.random.next() * 250)}`;
}

/** The kubelet has pulled images and started containers. */
export function startPod(world: ClusterWorld, key: string, uid: string): void {
  const pod = world.store.get('pods', key);
  if (!pod || pod.metadata.uid !== uid || pod.metadata.deletionTimestamp || pod.status?.phase !== 'Pending') return;
  const node = world.store.get('nodes', pod.spec?.nodeName ?? '');
  if (!node || !isNodeReady(node) || world.instanceOfNode(node.metadata.name)?.terminated) return;
  world.store.update('pods', key, (draft) => {
    draft.status = runningStatus(draft, podIpOn(world, node, draft), world.now());
  });
}
