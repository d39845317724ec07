// Puts a cluster shape's workloads onto a freshly built rehearsal cluster
// (through its Kubernetes API, never the source's): node taints, Deployments
// and DaemonSets from scheduling-only templates, PodDisruptionBudgets, and
// each workload's pods on the nodes that stand for the source's nodes.
import type { Clock } from '../clock.js';
import type { KubeClient } from '../kube/client.js';
import type { KubeList, KubeNode, KubeObject, KubePod } from '../kube/types.js';
import { isNodeReady } from '../kube/node-readiness.js';
import type { RolloutPlan } from '../rollout/types.js';
import { translateNodeNames, unreproducible } from './node-names.js';
import type { ClusterShape, ShapePdb, ShapeWorkload } from './types.js';

export const PAUSE_IMAGE = 'registry.k8s.io/pause:3.10';

/**
 * Source node name -> the rehearsal node standing for it: within each instance
 * group, the nodes in the order their rollouts replace them (so the node the
 * source drains first is the one the rehearsal drains first), then the rest
 * in name order.
 */
export function mapNodes(shape: ClusterShape, rehearsalNodes: KubeNode[], sourcePlan: RolloutPlan, rehearsalPlan: RolloutPlan): Map<string, string> {
  const byGroup = new Map<string, string[]>();
  for (const node of rehearsalNodes) {
    const group = node.metadata.labels?.['kops.k8s.io/instancegroup'] ?? '';
    byGroup.set(group, [...(byGroup.get(group) ?? []), node.metadata.name]);
  }
  const map = new Map<string, string>();
  for (const group of shape.groups) {
    const source = inRolloutOrder(group.nodes, sourcePlan, group.name);
    const mine = inRolloutOrder(byGroup.get(group.name) ?? [], rehearsalPlan, group.name);
    source.forEach((node, i) => {
      if (mine[i]) map.set(node, mine[i]);
    });
  }
  return map;
}

function inRolloutOrder(nodes: string[], plan: RolloutPlan, group: string): string[] {
  const planned = (plan.groups.find((g) => g.name === group)?.instances ?? []).map((i) => i.nodeName).filter((n): n is string => Boolean(n) && nodes.includes(n!));
  return [...planned, ...nodes.filter((n) => !planned.includes(n)).sort()];
}

export interface ReplicateOptions {
  kube: KubeClient;
  clock: Clock;
  shape: ClusterShape;
  nodeMap: Map<string, string>;
  /** Wall ms to wait for a workload's pods to be placed. */
  timeoutMs?: number;
}

/**
 * Pods that ran on a node in the source run on the node standing for it here,
 * even where the node's taints would not let them schedule now: a NoSchedule
 * taint added after a pod was bound leaves the pod where it is (kube-scheduler
 * only filters new placements), and a cluster's placement often predates its
 * taints. So the workloads with placed pods are placed before the taints are
 * copied; DaemonSets and workloads with no pod placed in the source come
 * after, and the taints then hold them as they hold them in the source.
 */
export async function replicateWorkloads(o: ReplicateOptions): Promise<void> {
  await removeSeeded(o.kube);
  // Node selectors and affinity may name the source's own node labels: the nodes standing for them carry them first.
  await copyLabels(o);
  // A workload that selects a node with no counterpart is left out (the notes say so): here it could only be stranded.
  const left = new Set(unreproducible(o.shape.workloads, (node) => o.nodeMap.has(node)));
  const workloads = o.shape.workloads.filter((w) => !left.has(w));
  const namespaces = new Set([...workloads.map((w) => w.namespace), ...o.shape.pdbs.map((p) => p.namespace)]);
  for (const ns of namespaces) await createIgnoringConflict(o.kube, '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  for (const pdb of o.shape.pdbs) await createIgnoringConflict(o.kube, `/apis/policy/v1/namespaces/${pdb.namespace}/poddisruptionbudgets`, pdbObject(pdb));
  const placedFirst = (w: ShapeWorkload) => w.kind === 'Deployment' && targetsOf(o, w).size > 0;
  for (const workload of workloads.filter(placedFirst)) await placeWorkload(o, workload);
  await copyTaints(o);
  for (const workload of workloads.filter((w) => !placedFirst(w))) await placeWorkload(o, workload);
}

/** The rehearsal nodes standing for the source nodes the workload's pods ran on. */
function targetsOf(o: ReplicateOptions, w: ShapeWorkload): Set<string> {
  return new Set(Object.keys(w.placement).map((n) => o.nodeMap.get(n)).filter((n): n is string => Boolean(n)));
}

async function copyTaints(o: ReplicateOptions): Promise<void> {
  for (const [source, target] of o.nodeMap) {
    const wanted = (o.shape.taints[source] ?? []) as { key: string; effect: string }[];
    if (wanted.length === 0) continue;
    const node = await o.kube.request<KubeNode>('GET', `/api/v1/nodes/${target}`);
    const have = node.spec?.taints ?? [];
    const merged = [...have, ...wanted.filter((t) => !have.some((h) => h.key === t.key && h.effect === t.effect))];
    await o.kube.request('PATCH', `/api/v1/nodes/${target}`, { body: { spec: { taints: merged } }, contentType: 'application/merge-patch+json' });
  }
}

/** The source node's labels that the node standing for it lacks (its own, such as its name and zone, are kept). */
async function copyLabels(o: ReplicateOptions): Promise<void> {
  const nodes = new Map((await o.kube.request<KubeList<KubeNode>>('GET', '/api/v1/nodes')).items.map((n) => [n.metadata.name, n]));
  for (const [source, target] of o.nodeMap) {
    const wanted = o.shape.nodeLabels?.[source] ?? {};
    const have = nodes.get(target)?.metadata.labels ?? {};
    const missing = Object.fromEntries(Object.entries(wanted).filter(([key]) => have[key] === undefined));
    if (Object.keys(missing).length === 0) continue;
    await o.kube.request('PATCH', `/api/v1/nodes/${target}`, { body: { metadata: { labels: missing } }, contentType: 'application/merge-patch+json' });
  }
}

/**
 * The rehearsal cluster's own seeded Deployments and budgets go: only the
 * source's run there. Their pods go at once (not after a grace period): a
 * pod still terminating when the rollout starts would be one the source does
 * not have, on a node the rollout drains.
 */
async function removeSeeded(kube: KubeClient): Promise<void> {
  for (const kind of ['/apis/apps/v1/deployments', '/apis/policy/v1/poddisruptionbudgets']) {
    const items = (await kube.request<KubeList<KubeObject>>('GET', kind)).items;
    for (const item of items) {
      const base = kind.replace(/\/(deployments|poddisruptionbudgets)$/, `/namespaces/${item.metadata.namespace}/$1`);
      await kube.request('DELETE', `${base}/${item.metadata.name}`).catch(() => undefined);
    }
  }
  const terminating = (await kube.request<KubeList<KubePod>>('GET', '/api/v1/pods')).items.filter((p) => p.metadata.deletionTimestamp);
  for (const pod of terminating) {
    await kube.request('DELETE', `/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}?gracePeriodSeconds=0`).catch(() => undefined);
  }
}

async function createIgnoringConflict(kube: KubeClient, path: string, body: unknown): Promise<void> {
  await kube.request('POST', path, { body }).catch((error: Error) => {
    if (!/already exists|409/i.test(error.message)) throw error;
  });
}

function pdbObject(pdb: ShapePdb): unknown {
  const spec: Record<string, unknown> = { selector: pdb.selector };
  if (pdb.minAvailable !== undefined) spec.minAvailable = pdb.minAvailable;
  if (pdb.maxUnavailable !== undefined) spec.maxUnavailable = pdb.maxUnavailable;
  return { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: pdb.name, namespace: pdb.namespace }, spec };
}

/** The workload as created in the rehearsal; node names it selects are translated through `nodeMap`. */
export function workloadObject(w: ShapeWorkload, nodeMap: Map<string, string> = new Map()): KubeObject & { spec: unknown } {
  const t = translateNodeNames(w.template, nodeMap);
  const podSpec = {
    containers: (t.containers.length ? t.containers : [{ name: 'main' }]).map((c) => ({ name: c.name, image: PAUSE_IMAGE, ...(c.requests ? { resources: { requests: c.requests } } : {}) })),
    ...(t.emptyDirs.length ? { volumes: t.emptyDirs.map((name) => ({ name, emptyDir: {} })) } : {}),
    ...(t.priorityClassName ? { priorityClassName: t.priorityClassName } : {}),
    ...(t.priority !== undefined ? { priority: t.priority } : {}),
    ...(t.terminationGracePeriodSeconds !== undefined ? { terminationGracePeriodSeconds: t.terminationGracePeriodSeconds } : {}),
    ...(t.tolerations ? { tolerations: t.tolerations } : {}),
    ...(t.nodeSelector ? { nodeSelector: t.nodeSelector } : {}),
    ...(t.affinity ? { affinity: t.affinity } : {}),
  };
  const spec: Record<string, unknown> = { selector: { matchLabels: w.labels }, template: { metadata: { labels: w.labels }, spec: podSpec } };
  if (w.kind === 'Deployment') spec.replicas = w.replicas;
  return { apiVersion: 'apps/v1', kind: w.kind, metadata: { name: w.name, namespace: w.namespace, labels: w.labels }, spec };
}

const resourceOf = (w: ShapeWorkload) => (w.kind === 'Deployment' ? 'deployments' : 'daemonsets');

/**
 * Creates the workload. When its source pods sat on only some of the nodes,
 * the other nodes are cordoned while its pods are placed (and uncordoned
 * after), so that a workload packed onto one node is packed here too.
 */
async function placeWorkload(o: ReplicateOptions, w: ShapeWorkload): Promise<void> {
  const path = `/apis/apps/v1/namespaces/${w.namespace}/${resourceOf(w)}`;
  if (w.kind === 'DaemonSet') {
    const exists = await o.kube.request('GET', `${path}/${w.name}`).then(() => true, () => false);
    if (!exists) await createIgnoringConflict(o.kube, path, workloadObject(w, o.nodeMap));
    return;
  }
  const targets = targetsOf(o, w);
  const nodes = (await o.kube.request<KubeList<KubeNode>>('GET', '/api/v1/nodes')).items.filter((n) => isNodeReady(n) && !n.spec?.unschedulable);
  const fence = targets.size > 0 ? nodes.map((n) => n.metadata.name).filter((n) => !targets.has(n)) : [];
  await cordon(o.kube, fence, true);
  try {
    await createIgnoringConflict(o.kube, path, workloadObject(w, o.nodeMap));
    await waitForPlacement(o, w);
  } finally {
    await cordon(o.kube, fence, false);
  }
}

async function cordon(kube: KubeClient, nodes: string[], on: boolean): Promise<void> {
  for (const node of nodes) {
    await kube.request('PATCH', `/api/v1/nodes/${node}`, { body: { spec: { unschedulable: on } }, contentType: 'application/merge-patch+json' });
  }
}

/** Until the workload has its replicas bound to nodes (or its pods are found unschedulable), bounded in wall time. */
async function waitForPlacement(o: ReplicateOptions, w: ShapeWorkload): Promise<void> {
  const deadline = Date.now() + (o.timeoutMs ?? 20_000);
  const selector = Object.entries(w.labels).map(([k, v]) => `${k}=${v}`).join(',');
  while (Date.now() < deadline) {
    const pods = (await o.kube.request<KubeList<KubePod>>('GET', `/api/v1/namespaces/${w.namespace}/pods?labelSelector=${encodeURIComponent(selector)}`)).items;
    const bound = pods.filter((p) => p.spec?.nodeName && !p.metadata.deletionTimestamp).length;
    const stuck = pods.some((p) => p.status?.conditions?.some((c) => c.type === 'PodScheduled' && c.status === 'False'));
    if (bound >= w.replicas || stuck) return;
    await o.clock.sleep(1_000);
  }
}
