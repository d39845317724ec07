// Cluster validation as kops defines it (pkg/validation), pure over the model:
// every instance group at its target size, every machine joined, every node
// Ready, each control-plane node running its kube-apiserver,
// kube-controller-manager and kube-scheduler, every system-critical pod running
// and ready; plus the API server's /readyz. Messages match kops' wording.
import type { ReadyzResult } from '../kube/readyz.js';
import type { KubeNode, KubePod } from '../kube/types.js';
import { isNodeReady, readyStatus } from '../kube/node-readiness.js';
import { nodeRoleFromLabels, roleOfIg, zoneOf } from '../live-model/node-row.js';
import type { IgCloudState, IgRole } from '../live-model/types.js';
import { managedByKarpenter } from '../spec/types.js';

/** What validation reads; ClusterModel satisfies it. */
export interface ValidationSource {
  instanceGroups(): IgCloudState[];
  nodeOfInstance(instanceId: string): KubeNode | undefined;
  nodeObjects(): Iterable<KubeNode>;
  podsOn(nodeName: string): KubePod[];
  criticalPods(): KubePod[];
  readonly hasCloud: boolean;
}

export interface ValidationFailure {
  kind: 'InstanceGroup' | 'Machine' | 'Node' | 'Pod' | 'APIServer';
  name: string;
  message: string;
  instanceGroup?: string;
}

export interface ValidationNode {
  name: string;
  zone: string;
  role: string;
  hostname: string;
  status: string;
  instanceGroup: string;
}

export interface ValidationIg {
  name: string;
  role: IgRole;
  machineType: string;
  min: number;
  max: number;
  target: number;
  zones: string[];
}

export interface ValidationResult {
  cluster: string;
  ok: boolean;
  failures: ValidationFailure[];
  /** Unready worker nodes let through by tolerateUnreadyNodes. */
  tolerated: ValidationFailure[];
  instanceGroups: ValidationIg[];
  nodes: ValidationNode[];
}

export interface ValidateOptions {
  /** Up to this many worker nodes may be not ready without failing validation. */
  tolerateUnreadyNodes?: number;
  /** The instance groups the spec declares, to report any missing from the cloud. */
  specInstanceGroups?: { name: string; role?: IgRole }[];
}

export const CONTROL_PLANE_POD_APPS = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler'];

/**
 * The spec's instance groups that must have an auto scaling group, for the
 * missing-group check: a group Karpenter manages has none (kops builds its
 * cloud group from Karpenter's tagged instances, which kopsdeck does not read
 * yet), so it is never reported missing.
 */
export function cloudGroupsOfSpec<Role extends string>(instanceGroups: readonly { metadata: { name: string }; spec: { role: Role; manager?: string } }[]): { name: string; role: Role }[] {
  return instanceGroups.filter((ig) => !managedByKarpenter(ig)).map((ig) => ({ name: ig.metadata.name, role: ig.spec.role }));
}

export function validateClusterHealth(cluster: string, source: ValidationSource, readyz: ReadyzResult, opts: ValidateOptions = {}): ValidationResult {
  const failures: ValidationFailure[] = [];
  const nodes: ValidationNode[] = [];
  if (!readyz.ok) failures.push({ kind: 'APIServer', name: 'readyz', message: `the Kubernetes API server is not ready: ${readyz.message}` });

  const groups = source.instanceGroups();
  const readyNodes = source.hasCloud ? validateGroups(groups, source, failures, nodes) : validateBareNodes(source, failures, nodes);
  for (const spec of opts.specInstanceGroups ?? []) {
    if (source.hasCloud && !groups.some((g) => g.name === spec.name)) {
      failures.push({ kind: 'InstanceGroup', name: spec.name, message: `InstanceGroup "${spec.name}" is missing from the cloud provider`, instanceGroup: spec.name });
    }
  }
  failures.push(...criticalPodFailures(source.criticalPods()));
  failures.push(...controlPlanePodFailures(readyNodes, source));

  const tolerated = tolerate(failures, opts.tolerateUnreadyNodes ?? 0);
  const remaining = failures.filter((f) => !tolerated.includes(f));
  return {
    cluster,
    ok: remaining.length === 0,
    failures: remaining,
    tolerated,
    instanceGroups: groups.map((g) => ({ name: g.name, role: g.role, machineType: g.machineType ?? '', min: g.minSize, max: g.maxSize, target: g.targetSize, zones: g.zones })),
    nodes: nodes.sort((a, b) => a.name.localeCompare(b.name)),
  };
}

/** kops' validateNodes: members against target size, joins, readiness. Returns the Ready nodes. */
function validateGroups(groups: IgCloudState[], source: ValidationSource, failures: ValidationFailure[], nodes: ValidationNode[]): KubeNode[] {
  const ready: KubeNode[] = [];
  for (const ig of groups) {
    const members = ig.instances.filter((i) => !i.detached && !isLeaving(i.lifecycleState) && !isWarm(i.lifecycleState));
    if (members.length < ig.targetSize) {
      failures.push({
        kind: 'InstanceGroup',
        name: ig.name,
        message: `InstanceGroup "${ig.name}" did not have enough nodes ${members.length} vs ${ig.targetSize}`,
        instanceGroup: ig.name,
      });
    }
    const role = roleOfIg(ig.role) || 'node';
    for (const instance of ig.instances) {
      if (isLeaving(instance.lifecycleState) || isWarm(instance.lifecycleState)) continue;
      const node = source.nodeOfInstance(instance.id);
      if (!node) {
        if (ig.role !== 'Bastion' && !instance.detached) {
          failures.push({ kind: 'Machine', name: instance.id, message: `machine "${instance.id}" has not yet joined cluster`, instanceGroup: ig.name });
        }
        continue;
      }
      if (checkNode(node, role, ig.name, failures, nodes)) ready.push(node);
    }
  }
  return ready;
}

/** Without a cloud view (no inventory given), every node is judged on its own. */
function validateBareNodes(source: ValidationSource, failures: ValidationFailure[], nodes: ValidationNode[]): KubeNode[] {
  const ready: KubeNode[] = [];
  for (const node of source.nodeObjects()) {
    const role = nodeRoleFromLabels(node).includes('control-plane') ? 'control-plane' : 'node';
    if (checkNode(node, role, node.metadata.labels?.['kops.k8s.io/instancegroup'] ?? '', failures, nodes)) ready.push(node);
  }
  return ready;
}

function checkNode(node: KubeNode, role: string, instanceGroup: string, failures: ValidationFailure[], nodes: ValidationNode[]): boolean {
  const name = node.metadata.name;
  nodes.push({ name, zone: zoneOf(node), role, hostname: node.metadata.labels?.['kubernetes.io/hostname'] ?? '', status: readyStatus(node), instanceGroup });
  const ready = isNodeReady(node);
  if (!ready) failures.push({ kind: 'Node', name, message: `node "${name}" of role "${role}" is not ready`, instanceGroup });
  return ready;
}

/** An instance on its way out (terminating) is not a member that should have joined. */
function isLeaving(state: string): boolean {
  return /^Terminat/.test(state) || state === 'Detaching';
}

/** A warm-pool instance (Warmed:Pending, Warmed:Stopped, ...) waits outside the group, never joining until it enters service: kops skips it. */
function isWarm(state: string): boolean {
  return state.startsWith('Warmed:');
}

function criticalPodFailures(pods: KubePod[]): ValidationFailure[] {
  const failures: ValidationFailure[] = [];
  for (const pod of pods) {
    const priority = pod.spec?.priorityClassName ?? '';
    const phase = pod.status?.phase;
    if (phase === 'Succeeded') continue;
    const name = `${pod.metadata.namespace ?? 'default'}/${pod.metadata.name}`;
    if (phase === 'Pending' || phase === undefined) {
      failures.push({ kind: 'Pod', name, message: `${priority} pod "${pod.metadata.name}" is pending` });
    } else if (phase === 'Unknown') {
      failures.push({ kind: 'Pod', name, message: `${priority} pod "${pod.metadata.name}" is unknown phase` });
    } else {
      const notReady = (pod.status?.containerStatuses ?? []).filter((c) => !c.ready).map((c) => c.name);
      if (notReady.length) failures.push({ kind: 'Pod', name, message: `${priority} pod "${pod.metadata.name}" is not ready (${notReady.join(',')})` });
    }
  }
  return failures.sort((a, b) => a.name.localeCompare(b.name));
}

/** Each Ready control-plane node must run the three static control-plane pods. */
function controlPlanePodFailures(readyNodes: KubeNode[], source: ValidationSource): ValidationFailure[] {
  const failures: ValidationFailure[] = [];
  for (const node of readyNodes) {
    if (!Object.hasOwn(node.metadata.labels ?? {}, 'node-role.kubernetes.io/control-plane')) continue;
    const apps = new Set(
      source
        .podsOn(node.metadata.name)
        .filter((p) => p.metadata.namespace === 'kube-system')
        .map((p) => p.metadata.labels?.['k8s-app'] ?? ''),
    );
    for (const app of CONTROL_PLANE_POD_APPS) {
      if (!apps.has(app)) failures.push({ kind: 'Node', name: node.metadata.name, message: `control-plane node "${node.metadata.name}" is missing ${app} pod` });
    }
  }
  return failures;
}

function tolerate(failures: ValidationFailure[], allowed: number): ValidationFailure[] {
  if (allowed <= 0) return [];
  const unreadyWorkers = failures.filter((f) => f.kind === 'Node' && f.message.endsWith('of role "node" is not ready'));
  return unreadyWorkers.length <= allowed ? unreadyWorkers : [];
}
