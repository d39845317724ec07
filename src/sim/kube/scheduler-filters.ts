// kube-scheduler's filters beyond taints: NodeResourcesFit (cpu and memory
// requests against the node's allocatable), NodeAffinity (nodeSelector and
// required node affinity) and InterPodAffinity (required pod affinity and
// anti-affinity). A pod that asks for none of these gets no constraint at all,
// so that the large clusters' plain pods cost nothing more per node.
import { labelsMatch, labelValue, requirementHolds, requirementOf, requirementsOf } from '../../engine/kube/label-selector.js';
import type { LabelSelector } from '../../engine/kube/types.js';
import type { StoredEvent } from './api-store.js';
import type { ClusterWorld } from './cluster-world.js';
import { memoryBytes, milliCpu } from './quantity.js';
import type { KubeObject } from './types.js';

const ledgers = new WeakMap<ClusterWorld, ResourceLedger>();

/** The world's ledger of requested resources per node, made on first use. */
export function ledgerOf(world: ClusterWorld): ResourceLedger {
  let ledger = ledgers.get(world);
  if (!ledger) ledgers.set(world, (ledger = new ResourceLedger(world)));
  return ledger;
}

export const AFFINITY_REASON = "node(s) didn't match Pod's node affinity/selector";
export const ANTI_AFFINITY_REASON = "node(s) didn't match pod anti-affinity rules";
export const POD_AFFINITY_REASON = "node(s) didn't match pod affinity rules";

interface Needs {
  cpu: number;
  memory: number;
}
type Container = { resources?: { requests?: Record<string, string> } };

const live = (pod: KubeObject) => pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed';

// Stored objects are replaced, never changed, on update, and a workload's pods
// share their containers array when seeded: needs are parsed once per array
// (or per pod with init containers), however often a node is summed.
const needsCache = new WeakMap<object, Needs>();

/** The pod's cpu (millicores) and memory (bytes) requests: its containers' sum, or its largest init container's if larger. */
export function podNeeds(pod: KubeObject): Needs {
  const containers = pod.spec?.containers as object | undefined;
  const key = containers && !pod.spec?.initContainers ? containers : pod;
  let needs = needsCache.get(key);
  if (!needs) needsCache.set(key, (needs = sumNeeds(pod)));
  return needs;
}

function sumNeeds(pod: KubeObject): Needs {
  const of = (c: Container) => ({ cpu: milliCpu(c.resources?.requests?.cpu) || 0, memory: memoryBytes(c.resources?.requests?.memory) || 0 });
  const sum: Needs = { cpu: 0, memory: 0 };
  for (const c of (pod.spec?.containers as Container[] | undefined) ?? []) {
    const n = of(c);
    sum.cpu += n.cpu;
    sum.memory += n.memory;
  }
  for (const c of (pod.spec?.initContainers as Container[] | undefined) ?? []) {
    const n = of(c);
    sum.cpu = Math.max(sum.cpu, n.cpu);
    sum.memory = Math.max(sum.memory, n.memory);
  }
  return sum;
}

/** A change that leaves the pod on the same node, still running or still finished (a pod's requests do not change): nothing to count. */
function sameFootprint(before: KubeObject | undefined, after: KubeObject | undefined): boolean {
  return Boolean(before && after && before.spec?.nodeName === after.spec?.nodeName && live(before) === live(after));
}

/**
 * What the pods bound to each node request, one ledger per world for its
 * life. A node is summed the first time a pod with requests is weighed
 * against it (clusters whose pending pods ask nothing are never summed), then
 * kept up to date from the store's change events, so that a scheduling pass
 * over thousands of nodes does not re-add every pod of the cluster.
 */
export class ResourceLedger {
  private readonly used = new Map<string, Needs>();
  private readonly allocatable = new WeakMap<KubeObject, Needs>();
  private seenRv: number;

  constructor(private readonly world: ClusterWorld) {
    this.seenRv = world.store.resourceVersion;
    world.store.subscribe((event) => this.observe(event));
  }

  private observe(event: StoredEvent): void {
    if (event.resource === 'pods' && !sameFootprint(event.previous, event.type === 'DELETED' ? undefined : event.holder.obj)) {
      this.count(event.previous, -1);
      if (event.type !== 'DELETED') this.count(event.holder.obj, 1);
    }
    this.seenRv = event.rv;
  }

  /** Adds (or takes away) a pod's requests on a node already summed; one summed later reads the store. */
  private count(pod: KubeObject | undefined, sign: 1 | -1): void {
    const node = pod?.spec?.nodeName as string | undefined;
    const used = node ? this.used.get(node) : undefined;
    if (!used || !live(pod!)) return;
    const n = podNeeds(pod!);
    used.cpu += sign * n.cpu;
    used.memory += sign * n.memory;
  }

  usedOn(node: string): Needs {
    // A bulk load (seeding, restore) changes the store without events: start again from it.
    if (this.world.store.resourceVersion !== this.seenRv) {
      this.used.clear();
      this.seenRv = this.world.store.resourceVersion;
    }
    let used = this.used.get(node);
    if (!used) {
      used = { cpu: 0, memory: 0 };
      for (const pod of this.world.store.objectsByIndex('pods', 'node', node)) {
        if (!live(pod)) continue;
        const n = podNeeds(pod);
        used.cpu += n.cpu;
        used.memory += n.memory;
      }
      this.used.set(node, used);
    }
    return used;
  }

  allocatableOf(node: KubeObject): Needs {
    let free = this.allocatable.get(node);
    if (!free) {
      const a = (node.status?.allocatable ?? {}) as Record<string, string>;
      // A node that reports no allocatable is not limited by it.
      free = { cpu: a.cpu === undefined ? Infinity : milliCpu(a.cpu), memory: a.memory === undefined ? Infinity : memoryBytes(a.memory) };
      this.allocatable.set(node, free);
    }
    return free;
  }

  /** kube-scheduler's NodeResourcesFit reasons for cpu and memory (empty when the pod fits). */
  insufficient(node: KubeObject, needs: Needs): string[] {
    const used = this.usedOn(node.metadata.name);
    const free = this.allocatableOf(node);
    const reasons: string[] = [];
    if (needs.cpu > 0 && used.cpu + needs.cpu > free.cpu) reasons.push('Insufficient cpu');
    if (needs.memory > 0 && used.memory + needs.memory > free.memory) reasons.push('Insufficient memory');
    return reasons;
  }
}

interface NodeSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}
interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[];
  matchFields?: NodeSelectorRequirement[];
}

/** A node selector requirement: the label selector's four operators (one rule for both), and Gt and Lt on integers. */
function nodeRequirementHolds(r: NodeSelectorRequirement, value: string | undefined): boolean {
  if (r.operator === 'Gt' || r.operator === 'Lt') {
    const have = Number(value);
    const limit = Number(r.values?.[0]);
    if (value === undefined || !Number.isInteger(have) || !Number.isInteger(limit)) return false;
    return r.operator === 'Gt' ? have > limit : have < limit;
  }
  const requirement = requirementOf(r);
  return requirement !== undefined && requirementHolds(requirement, value);
}

/** A term with no requirement matches no node, as in the API's NodeSelectorTerm. */
function termMatches(term: NodeSelectorTerm, node: KubeObject): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  return (
    exprs.every((r) => nodeRequirementHolds(r, labelValue(node.metadata.labels, r.key))) &&
    fields.every((r) => nodeRequirementHolds(r, r.key === 'metadata.name' ? node.metadata.name : undefined))
  );
}

/** NodeAffinity: every nodeSelector label, and one of the required node affinity terms. */
export function nodeAffinityMatches(pod: KubeObject, node: KubeObject): boolean {
  const selector = pod.spec?.nodeSelector as Record<string, string> | undefined;
  const labels = node.metadata.labels ?? {};
  if (selector && !Object.entries(selector).every(([k, v]) => labels[k] === v)) return false;
  const terms = requiredNodeTerms(pod);
  return !terms || terms.some((t) => termMatches(t, node));
}

function requiredNodeTerms(pod: KubeObject): NodeSelectorTerm[] | undefined {
  const affinity = pod.spec?.affinity as { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: NodeSelectorTerm[] } } } | undefined;
  return affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
}

interface PodAffinityTerm {
  labelSelector?: LabelSelector;
  namespaces?: string[];
  topologyKey: string;
}

function requiredPodTerms(pod: KubeObject, kind: 'podAffinity' | 'podAntiAffinity'): PodAffinityTerm[] {
  const affinity = pod.spec?.affinity as Record<string, { requiredDuringSchedulingIgnoredDuringExecution?: PodAffinityTerm[] } | undefined> | undefined;
  return affinity?.[kind]?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
}

/** A term's topology: the values of its key on the nodes of the live, bound pods it selects (the pod itself aside). */
function occupied(world: ClusterWorld, pod: KubeObject, term: PodAffinityTerm): { values: Set<string>; matchesSelf: boolean } {
  const requirements = requirementsOf(term.labelSelector);
  const values = new Set<string>();
  const namespaces = term.namespaces?.length ? term.namespaces : [pod.metadata.namespace ?? 'default'];
  if (!requirements) return { values, matchesSelf: false };
  for (const ns of namespaces) {
    for (const other of world.store.objectsByIndex('pods', 'namespace', ns)) {
      const nodeName = other.spec?.nodeName as string | undefined;
      if (!nodeName || other.metadata.uid === pod.metadata.uid || other.metadata.deletionTimestamp || !live(other)) continue;
      if (!labelsMatch(requirements, other.metadata.labels)) continue;
      const value = world.store.get('nodes', nodeName)?.metadata.labels?.[term.topologyKey];
      if (value !== undefined) values.add(value);
    }
  }
  return { values, matchesSelf: labelsMatch(requirements, pod.metadata.labels) && namespaces.includes(pod.metadata.namespace ?? 'default') };
}

/** InterPodAffinity for one pod: a node -> the reason it is refused, or undefined. */
export type PodPlacementCheck = (node: KubeObject) => string | undefined;

/**
 * The pod's required anti-affinity (no selected pod in the node's topology
 * domain) and affinity (a selected pod there; the first of a group that
 * selects itself may go anywhere). Undefined when the pod has neither.
 * Read from the store when called, so it sees the pods bound earlier in the pass.
 */
export function interPodCheck(world: ClusterWorld, pod: KubeObject): PodPlacementCheck | undefined {
  const anti = requiredPodTerms(pod, 'podAntiAffinity');
  const affinity = requiredPodTerms(pod, 'podAffinity');
  if (anti.length === 0 && affinity.length === 0) return undefined;
  const antiTerms = anti.map((t) => ({ key: t.topologyKey, ...occupied(world, pod, t) }));
  const affinityTerms = affinity.map((t) => ({ key: t.topologyKey, ...occupied(world, pod, t) }));
  // With no pod anywhere matching, a pod that matches its own terms starts the group.
  const firstOfGroup = affinityTerms.every((t) => t.values.size === 0 && t.matchesSelf);
  return (node) => {
    const labels = node.metadata.labels ?? {};
    if (!firstOfGroup && affinityTerms.some((t) => labels[t.key] === undefined || !t.values.has(labels[t.key]))) return POD_AFFINITY_REASON;
    if (antiTerms.some((t) => labels[t.key] !== undefined && t.values.has(labels[t.key]))) return ANTI_AFFINITY_REASON;
    return undefined;
  };
}

/** Whether the pod asks for anything these filters look at (else it is placed as before, without them). */
export function hasNodeConstraints(pod: KubeObject): boolean {
  return Boolean(pod.spec?.nodeSelector || requiredNodeTerms(pod));
}
