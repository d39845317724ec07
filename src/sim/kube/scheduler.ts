// The scheduler and the kubelet's start-up of pods: pending pods go to Ready,
// schedulable nodes whose taints they tolerate (avoiding PreferNoSchedule ones
// when another node will do), that match their node selector and affinity,
// have room for their requests and satisfy their pod (anti-)affinity
// (scheduler-filters.ts), spread so that replicas of one
// workload land on different nodes and nodes fill evenly; a few simulated
// seconds later the kubelet reports them Running and Ready.
import type { ClusterWorld } from './cluster-world.js';
import { boundStatus, runningStatus, unschedulableStatus } from './pod-factory.js';
import { AFFINITY_REASON, hasNodeConstraints, interPodCheck, ledgerOf, nodeAffinityMatches, podNeeds, type ResourceLedger, type PodPlacementCheck } from './scheduler-filters.js';
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
  const allNodes = world.nodes();
  const nodes = allNodes.filter((node) => schedulable(world, node));
  const load = new Map<string, number>();
  for (const node of nodes) load.set(node.metadata.name, world.store.indexSize('pods', 'node', node.metadata.name));
  const ledger = ledgerOf(world);
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
    const fit = podFit(world, pod);
    let best: KubeObject | undefined;
    let bestScore: Score = [Infinity, Infinity, Infinity];
    for (const node of nodes) {
      const name = node.metadata.name;
      if ((load.get(name) ?? 0) >= 110 || !fitsTaints(pod, node)) continue;
      if (fit && refusals(fit, node, ledger).length > 0) continue;
      const score: Score = [avoided(pod, node), spread?.get(name) ?? 0, load.get(name) ?? 0];
      if (better(score, bestScore)) {
        best = node;
        bestScore = score;
      }
    }
    if (!best) {
      markUnschedulable(world, pod, unschedulableMessage(world, pod, allNodes, load, fit, ledger));
      continue;
    }
    const nodeName = best.metadata.name;
    load.set(nodeName, (load.get(nodeName) ?? 0) + 1);
    spread?.set(nodeName, (spread.get(nodeName) ?? 0) + 1);
    bindPod(world, pod, best);
  }
}

/** What the pod asks of a node beyond taints; undefined for a pod that asks nothing (the common case, checked for free). */
export interface PodFit {
  pod: KubeObject;
  needs?: { cpu: number; memory: number };
  nodeConstraints: boolean;
  interPod?: PodPlacementCheck;
}

function podFit(world: ClusterWorld, pod: KubeObject): PodFit | undefined {
  const needs = podNeeds(pod);
  const fit: PodFit = {
    pod,
    ...(needs.cpu > 0 || needs.memory > 0 ? { needs } : {}),
    nodeConstraints: hasNodeConstraints(pod),
    interPod: interPodCheck(world, pod),
  };
  return fit.needs || fit.nodeConstraints || fit.interPod ? fit : undefined;
}

/**
 * The reasons of the first of NodeAffinity, NodeResourcesFit and
 * InterPodAffinity that refuses the node, in kube-scheduler's order.
 * NodeResourcesFit reports a full node (`full`: 110 pods) and every short
 * resource together.
 */
function refusals(fit: PodFit | undefined, node: KubeObject, ledger: ResourceLedger, full = false): string[] {
  if (fit?.nodeConstraints && !nodeAffinityMatches(fit.pod, node)) return [AFFINITY_REASON];
  const short = [...(full ? ['Too many pods'] : []), ...(fit?.needs ? ledger.insufficient(node, fit.needs) : [])];
  if (short.length > 0) return short;
  const refused = fit?.interPod?.(node);
  return refused ? [refused] : [];
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

/** Why a node cannot take the pod, as the first failing filter of kube-scheduler says it (NodeUnschedulable, TaintToleration, NodeAffinity, NodeResourcesFit, InterPodAffinity). */
function nodeUnavailable(world: ClusterWorld, pod: KubeObject, node: KubeObject, load: Map<string, number>, fit: PodFit | undefined, ledger: ResourceLedger): string[] {
  const name = node.metadata.name;
  const untolerated = (taint: Taint) => `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`;
  if (node.spec?.unschedulable && !tolerates(pod.spec?.tolerations, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' })) {
    return ['node(s) were unschedulable'];
  }
  // The node lifecycle controller taints a lost node unreachable and a NotReady one not-ready.
  if (world.instanceOfNode(name)?.terminated) return [untolerated({ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' })];
  if (!isNodeReady(node)) return [untolerated({ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' })];
  const taint = ((node.spec?.taints as Taint[] | undefined) ?? []).find((t) => t.effect !== 'PreferNoSchedule' && !tolerates(pod.spec?.tolerations, t));
  if (taint) return [untolerated(taint)];
  const full = (load.get(name) ?? world.store.indexSize('pods', 'node', name)) >= 110;
  const refused = refusals(fit, node, ledger, full);
  return refused.length > 0 ? refused : ['node(s) were unschedulable'];
}

/** "n reason" parts sorted as text, as kube-scheduler's FitError lists them. */
function histogram(reasons: string[]): string {
  const counts = new Map<string, number>();
  for (const reason of reasons) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  return [...counts].map(([reason, count]) => `${count} ${reason}`).sort().join(', ');
}

/** Reasons that evicting lower-priority pods could clear (a full node, pods in the way); the rest preemption cannot help. */
const PREEMPTIBLE = /^(Too many pods|Insufficient |node\(s\) didn't match pod anti-affinity)/;

/** kube-scheduler's FailedScheduling message: every node's reasons, then what preemption could do. */
export function unschedulableMessage(
  world: ClusterWorld,
  pod: KubeObject,
  nodes: KubeObject[],
  load: Map<string, number>,
  fit: PodFit | undefined = undefined,
  ledger: ResourceLedger = ledgerOf(world),
): string {
  if (nodes.length === 0) return 'no nodes available to schedule pods';
  const perNode = nodes.map((node) => nodeUnavailable(world, pod, node, load, fit, ledger));
  // Only such a node could be freed by preempting lower-priority pods; the simulator's pods never qualify.
  const preemption = perNode.map((reasons) => (reasons.some((r) => PREEMPTIBLE.test(r)) ? 'No preemption victims found for incoming pod' : 'Preemption is not helpful for scheduling'));
  const total = nodes.length;
  return `0/${total} nodes are available: ${histogram(perNode.flat())}. preemption: 0/${total} nodes are available: ${histogram(preemption)}.`;
}

function markUnschedulable(world: ClusterWorld, pod: KubeObject, message: string): void {
  const current = (pod.status?.conditions as { type: string; status: string; message?: string }[] | undefined)?.find((c) => c.type === 'PodScheduled');
  // Told again only when the verdict changes: the real scheduler retries with back-off, not on every change in the cluster.
  if (current?.status === 'False' && current.message === message) return;
  world.store.update('pods', keyOf(pod), (draft) => {
    draft.status = unschedulableStatus(draft, world.now(), message);
  });
  world.events.failedScheduling(pod, message);
}

export function bindPod(world: ClusterWorld, pod: KubeObject, node: KubeObject): void {
  const hostIP = (node.status?.addresses as { type: string; address: string }[] | undefined)?.find(
    (a) => a.type === 'InternalIP',
  )?.address;
  const bound = world.store.update('pods', keyOf(pod), (draft) => {
    draft.spec = { ...draft.spec, nodeName: node.metadata.name };
    draft.status = boundStatus(draft, hostIP, world.now());
  });
  if (!bound) return;
  world.events.scheduled(bound, node.metadata.name);
  if (isNodeReady(node)) world.schedulePodStart(bound);
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
  const started = world.store.update('pods', key, (draft) => {
    draft.status = runningStatus(draft, podIpOn(world, node, draft), world.now());
  });
  if (started) world.events.podStarted(started);
}
