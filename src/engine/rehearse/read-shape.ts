// Reads a cluster's shape for a rehearsal, with GET requests only: instance
// groups (from the cloud), nodes, pods, their controllers, PodDisruptionBudgets
// and DaemonSets. Pod templates are cut down to what scheduling needs.
import type { AwsInstanceGroup } from '../cloud/aws/instance-groups.js';
import type { KubeClient } from '../kube/client.js';
import type { KubeList, KubeNode, KubeObject, KubePdb, KubePod } from '../kube/types.js';
import type { ClusterShape, JoinTimes, PodAffinityTerm, RequiredAffinity, SchedulingTemplate, ShapePdb, ShapeWorkload } from './types.js';

interface PodTemplateSpec {
  containers?: { name: string; resources?: { requests?: Record<string, string> } }[];
  volumes?: { name: string; emptyDir?: unknown }[];
  priorityClassName?: string;
  priority?: number;
  terminationGracePeriodSeconds?: number;
  tolerations?: unknown[];
  nodeSelector?: Record<string, string>;
  affinity?: {
    nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: NonNullable<RequiredAffinity['nodeAffinity']>['requiredDuringSchedulingIgnoredDuringExecution'] };
    podAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: (PodAffinityTerm & Record<string, unknown>)[] };
    podAntiAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: (PodAffinityTerm & Record<string, unknown>)[] };
  };
}
type Obj = KubeObject & { spec?: { replicas?: number; template?: { metadata?: { labels?: Record<string, string> }; spec?: PodTemplateSpec } } };

async function list<T>(kube: KubeClient, path: string): Promise<T[]> {
  try {
    return (await kube.request<KubeList<T>>('GET', path)).items;
  } catch {
    // A kind the API does not serve (or that we may not list) is read as none.
    return [];
  }
}

export async function readClusterShape(kube: KubeClient, cluster: string, cloudGroups: AwsInstanceGroup[]): Promise<ClusterShape> {
  const [nodes, pods, pdbs, deployments, replicaSets, daemonSets, statefulSets] = await Promise.all([
    list<KubeNode>(kube, '/api/v1/nodes'),
    list<KubePod>(kube, '/api/v1/pods'),
    list<KubePdb>(kube, '/apis/policy/v1/poddisruptionbudgets'),
    list<Obj>(kube, '/apis/apps/v1/deployments'),
    list<Obj>(kube, '/apis/apps/v1/replicasets'),
    list<Obj>(kube, '/apis/apps/v1/daemonsets'),
    list<Obj>(kube, '/apis/apps/v1/statefulsets'),
  ]);
  const live = pods.filter((p) => !p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
  const owners = new OwnerIndex(replicaSets);
  const workloads = [
    ...deployments.map((d) => workloadOf(d, 'Deployment', 'Deployment', live, owners)),
    ...statefulSets.map((s) => workloadOf(s, 'Deployment', 'StatefulSet', live, owners)),
    ...replicaSets.filter((rs) => !controllerRef(rs)).map((rs) => workloadOf(rs, 'Deployment', 'ReplicaSet', live, owners)),
    ...daemonSets.map((d) => workloadOf(d, 'DaemonSet', 'DaemonSet', live, owners)),
  ];
  const groupOf = (node: KubeNode) => node.metadata.labels?.['kops.k8s.io/instancegroup'];
  return {
    cluster,
    groups: cloudGroups.map((g) => ({
      name: g.name,
      groupName: g.groupName,
      role: g.role,
      minSize: g.minSize,
      maxSize: g.maxSize,
      desiredCapacity: g.desiredCapacity,
      nodes: nodes.filter((n) => groupOf(n) === g.name).map((n) => n.metadata.name).sort(),
    })),
    taints: Object.fromEntries(nodes.map((n) => [n.metadata.name, (n.spec?.taints ?? []).filter((t) => !t.key.startsWith('node.kubernetes.io/'))])),
    nodeLabels: Object.fromEntries(nodes.map((n) => [n.metadata.name, withoutHostname(n.metadata.labels ?? {})])),
    workloads,
    pdbs: pdbs.map(pdbOf),
    barePods: live.filter((p) => !controllerRef(p) && !p.metadata.annotations?.['kubernetes.io/config.mirror']).length,
    joinTimes: joinTimes(nodes, cloudGroups),
  };
}

function controllerRef(obj: KubeObject): { kind: string; name: string; uid?: string } | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller);
}

/** Resolves a pod's controller to its top workload (a ReplicaSet to its Deployment). */
class OwnerIndex {
  private readonly rsOwner = new Map<string, string>();
  constructor(replicaSets: Obj[]) {
    for (const rs of replicaSets) {
      const owner = controllerRef(rs);
      this.rsOwner.set(rs.metadata.uid ?? '', (owner ? owner.uid : rs.metadata.uid) ?? '');
    }
  }
  topOf(pod: KubePod): string | undefined {
    const ref = controllerRef(pod);
    if (!ref) return undefined;
    const uid = ref.uid ?? '';
    return ref.kind === 'ReplicaSet' ? this.rsOwner.get(uid) ?? uid : uid;
  }
}

function workloadOf(obj: Obj, kind: ShapeWorkload['kind'], sourceKind: string, pods: KubePod[], owners: OwnerIndex): ShapeWorkload {
  const mine = pods.filter((p) => owners.topOf(p) === obj.metadata.uid);
  const placement: Record<string, number> = {};
  for (const pod of mine) {
    const node = pod.spec?.nodeName;
    if (node) placement[node] = (placement[node] ?? 0) + 1;
  }
  const templateSpec = obj.spec?.template?.spec ?? {};
  return {
    kind,
    sourceKind,
    namespace: obj.metadata.namespace ?? 'default',
    name: obj.metadata.name,
    replicas: kind === 'DaemonSet' ? mine.length : Number(obj.spec?.replicas ?? 1),
    labels: { ...(obj.spec?.template?.metadata?.labels ?? {}) },
    template: schedulingTemplate(templateSpec),
    placement,
  };
}

export function schedulingTemplate(spec: PodTemplateSpec): SchedulingTemplate {
  const containers = (spec.containers ?? []).map((c) => ({
    name: c.name,
    ...(c.resources?.requests ? { requests: { ...c.resources.requests } } : {}),
  }));
  return {
    ...(spec.priorityClassName ? { priorityClassName: spec.priorityClassName } : {}),
    ...(typeof spec.priority === 'number' ? { priority: spec.priority } : {}),
    ...(typeof spec.terminationGracePeriodSeconds === 'number' ? { terminationGracePeriodSeconds: spec.terminationGracePeriodSeconds } : {}),
    ...(spec.tolerations ? { tolerations: spec.tolerations } : {}),
    ...(spec.nodeSelector ? { nodeSelector: { ...spec.nodeSelector } } : {}),
    ...requiredAffinity(spec.affinity),
    containers,
    emptyDirs: (spec.volumes ?? []).filter((v) => v.emptyDir).map((v) => v.name),
  };
}

/** A node's own name is no label of the node standing for it. */
function withoutHostname(labels: Record<string, string>): Record<string, string> {
  const { 'kubernetes.io/hostname': _hostname, ...rest } = labels;
  return rest;
}

/** The hard rules of an affinity (node terms; pod terms' selector, namespaces and topology key), or nothing. */
function requiredAffinity(affinity: PodTemplateSpec['affinity']): { affinity?: RequiredAffinity } {
  const out: RequiredAffinity = {};
  const nodeTerms = affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (nodeTerms) out.nodeAffinity = { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: structuredClone(nodeTerms) } };
  const podTerms = (terms: (PodAffinityTerm & Record<string, unknown>)[] | undefined) =>
    (terms ?? []).map((t) => ({
      ...(t.labelSelector ? { labelSelector: structuredClone(t.labelSelector) } : {}),
      ...(t.namespaces?.length ? { namespaces: [...t.namespaces] } : {}),
      topologyKey: t.topologyKey,
    }));
  const together = podTerms(affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution);
  const apart = podTerms(affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution);
  if (together.length) out.podAffinity = { requiredDuringSchedulingIgnoredDuringExecution: together };
  if (apart.length) out.podAntiAffinity = { requiredDuringSchedulingIgnoredDuringExecution: apart };
  return Object.keys(out).length ? { affinity: out } : {};
}

function pdbOf(pdb: KubePdb): ShapePdb {
  const spec = (pdb.spec ?? {}) as { selector?: unknown; minAvailable?: number | string; maxUnavailable?: number | string };
  return {
    namespace: pdb.metadata.namespace ?? 'default',
    name: pdb.metadata.name,
    selector: spec.selector,
    ...(spec.minAvailable !== undefined ? { minAvailable: spec.minAvailable } : {}),
    ...(spec.maxUnavailable !== undefined ? { maxUnavailable: spec.maxUnavailable } : {}),
  };
}

function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * Launch -> register (node creationTimestamp vs the instance's LaunchTime) and
 * register -> Ready, from the cluster's own nodes that joined a running
 * cluster, as a rolling update's replacements do. A node launched before the
 * API served (the first node registered) waited for the control plane while
 * the cluster was created: its times say nothing about a replacement's.
 */
export function joinTimes(nodes: KubeNode[], groups: AwsInstanceGroup[]): JoinTimes {
  const launches = new Map<string, number>();
  for (const g of groups) for (const i of g.instances) if (i.launchTime) launches.set(i.id, new Date(i.launchTime).getTime());
  const registrations = nodes.map((n) => Date.parse(n.metadata.creationTimestamp ?? '')).filter(Number.isFinite);
  const apiServingSince = registrations.length ? Math.min(...registrations) : Infinity;
  const toRegister: number[] = [];
  const toReady: number[] = [];
  for (const node of nodes) {
    const created = Date.parse(node.metadata.creationTimestamp ?? '');
    const instanceId = node.spec?.providerID?.split('/').pop() ?? '';
    const launched = launches.get(instanceId);
    if (launched === undefined || launched < apiServingSince) continue;
    if (Number.isFinite(created) && created >= launched) toRegister.push(created - launched);
    const ready = node.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'True');
    const readyAt = Date.parse(ready?.lastTransitionTime ?? '');
    // A Ready that turned True long after registration is a later recovery, not the join.
    if (Number.isFinite(created) && Number.isFinite(readyAt) && readyAt >= created && readyAt - created < 30 * 60_000) toReady.push(readyAt - created);
  }
  return { launchToRegisterMs: median(toRegister), registerToReadyMs: median(toReady), samples: Math.max(toRegister.length, toReady.length) };
}
