// One node -> one row: the facts every view shows, derived once per node event.
import type { Clock } from '../clock.js';
import { hasNeedsUpdateAnnotation } from '../kube/needs-update-annotation.js';
import { isNodeReady, readinessWord } from '../kube/node-readiness.js';
import { instanceIdOf } from '../kube/provider-id.js';
import type { KubeNode } from '../kube/types.js';
import type { CloudInstance, IgRole, NodeRow } from './types.js';

export function zoneOf(node: KubeNode): string {
  const labels = node.metadata.labels ?? {};
  return labels['topology.kubernetes.io/zone'] ?? labels['failure-domain.beta.kubernetes.io/zone'] ?? '';
}

const ROLE_PREFIX = 'node-role.kubernetes.io/';

/** Role names as Kubernetes labels them (node-role.kubernetes.io/<role>), sorted and joined as kubectl shows them. */
export function nodeRoleFromLabels(node: KubeNode): string {
  const labels = node.metadata.labels ?? {};
  // A plain loop: this runs for every node of a 5,000-node list before the first frame.
  let roles: string[] | undefined;
  for (const key in labels) {
    if (key.length > ROLE_PREFIX.length && key.startsWith(ROLE_PREFIX)) (roles ??= []).push(key.slice(ROLE_PREFIX.length));
  }
  if (roles) return roles.length === 1 ? roles[0] : roles.sort().join(',');
  return labels['kubernetes.io/role'] ?? '';
}

/** A kops instance group role as a node role: ControlPlane/Master -> control-plane, Node -> node. */
export function roleOfIg(role: IgRole | undefined): string {
  switch (role) {
    case 'ControlPlane':
    case 'Master':
      return 'control-plane';
    case 'APIServer':
      return 'apiserver';
    case 'Bastion':
      return 'bastion';
    case 'Node':
      return 'node';
    default:
      return '';
  }
}

export function taintsText(node: KubeNode): string {
  return (node.spec?.taints ?? []).map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`).join(',');
}

export function internalIpOf(node: KubeNode): string {
  return node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? '';
}

export interface NodeJoin {
  instanceGroup?: string;
  igRole?: IgRole;
  instance?: CloudInstance;
}

export function buildNodeRow(node: KubeNode, pods: number, join: NodeJoin): NodeRow {
  const ready = isNodeReady(node);
  const unschedulable = node.spec?.unschedulable === true;
  const readiness = readinessWord(node);
  const created = node.metadata.creationTimestamp ? Date.parse(node.metadata.creationTimestamp) : NaN;
  const annotated = hasNeedsUpdateAnnotation(node);
  return {
    name: node.metadata.name,
    status: unschedulable ? `${readiness},SchedulingDisabled` : readiness,
    ready,
    unschedulable,
    role: nodeRoleFromLabels(node) || roleOfIg(join.igRole) || 'node',
    instanceGroup: join.instanceGroup ?? node.metadata.labels?.['kops.k8s.io/instancegroup'] ?? '',
    zone: zoneOf(node) || join.instance?.zone || '',
    version: node.status?.nodeInfo?.kubeletVersion ?? '',
    pods,
    taints: taintsText(node),
    createdAt: Number.isFinite(created) ? created : undefined,
    instanceId: instanceIdOf(node) ?? '',
    internalIp: internalIpOf(node),
    needsUpdate: join.instance ? join.instance.needsUpdate || annotated : false,
    needsUpdateAnnotation: annotated,
  };
}

/** How often (wall ms) a live AGE is redrawn: every 5 s of the cluster's clock (a sped-up simulator's too), at most once a second. */
export function ageTickMs(clock: Pick<Clock, 'speed'>): number {
  return Math.max(1000, 5000 / clock.speed);
}

/** kubectl's AGE: 45s, 12m, 5h, 3d, told against `nowMs` on the clock the creation timestamp was written on. */
export function formatAge(fromMs: number | undefined, nowMs: number): string {
  if (fromMs === undefined) return '<unknown>';
  const seconds = Math.max(0, Math.floor((nowMs - fromMs) / 1000));
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 120) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h`;
  return `${Math.floor(hours / 24)}d`;
}
