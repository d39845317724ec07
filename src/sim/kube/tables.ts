// meta.k8s.io/v1 Table responses: what `kubectl get` asks for (Accept:
// ...;as=Table) and prints column by column.
import { jsonOf, metadataJsonOf, type Holder } from './api-store.js';
import type { JsonPiece } from './http-body.js';
import { eventSourceText } from './event-objects.js';
import type { KubeObject } from './types.js';
import { conditionStatus } from './types.js';

interface Column {
  name: string;
  type: string;
  format?: string;
  priority: number;
  description: string;
  cell: (obj: KubeObject, now: number) => string | number;
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export function wantsTable(accept: string | undefined): boolean {
  return !!accept && /as=Table/.test(accept);
}

/** kubectl's "AGE" rendering (apimachinery's HumanDuration). */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(Math.max(0, ms) / 1000);
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (hours < 24 * 8) return hours % 24 === 0 ? `${days}d` : `${days}d${hours % 24}h`;
  if (days < 730) return `${days}d`;
  const years = Math.floor(days / 365);
  return years < 8 ? `${years}y${days % 365}d` : `${years}y`;
}

function age(obj: KubeObject, now: number): string {
  const created = Date.parse(obj.metadata.creationTimestamp ?? '');
  return Number.isNaN(created) ? '<unknown>' : humanDuration(now - created);
}

const nameColumn: Column = {
  name: 'Name',
  type: 'string',
  format: 'name',
  priority: 0,
  description: 'Name must be unique within a namespace.',
  cell: (obj) => obj.metadata.name,
};
const ageColumn: Column = {
  name: 'Age',
  type: 'string',
  priority: 0,
  description: 'CreationTimestamp of the object.',
  cell: age,
};

function nodeStatus(node: KubeObject): string {
  const ready = conditionStatus(node, 'Ready');
  const parts = [ready === 'True' ? 'Ready' : ready === 'False' ? 'NotReady' : 'Unknown'];
  if (node.spec?.unschedulable) parts.push('SchedulingDisabled');
  return parts.join(',');
}

function nodeRoles(node: KubeObject): string {
  const roles = Object.keys(node.metadata.labels ?? {})
    .filter((l) => l.startsWith('node-role.kubernetes.io/'))
    .map((l) => l.slice('node-role.kubernetes.io/'.length))
    .sort();
  return roles.length > 0 ? roles.join(',') : '<none>';
}

function nodeAddress(node: KubeObject, type: string): string {
  const found = (node.status?.addresses as { type: string; address: string }[] | undefined)?.find((a) => a.type === type);
  return found?.address ?? '<none>';
}

function podStatus(pod: KubeObject): string {
  if (pod.metadata.deletionTimestamp) return 'Terminating';
  const waiting = (pod.status?.containerStatuses as { state?: { waiting?: { reason?: string } } }[] | undefined)?.find(
    (c) => c.state?.waiting?.reason,
  );
  if (waiting) return waiting.state!.waiting!.reason!;
  return pod.status?.reason ?? pod.status?.phase ?? 'Unknown';
}

function podReady(pod: KubeObject): string {
  const statuses = (pod.status?.containerStatuses as { ready: boolean }[] | undefined) ?? [];
  const total = (pod.spec?.containers as unknown[] | undefined)?.length ?? statuses.length;
  return `${statuses.filter((c) => c.ready).length}/${total}`;
}

/** translateTimestampSince: a missing time is "<unknown>". */
function since(text: unknown, now: number): string {
  const ms = typeof text === 'string' ? Date.parse(text) : NaN;
  return Number.isNaN(ms) ? '<unknown>' : humanDuration(now - ms);
}

/** kubectl's event times: first seen from firstTimestamp (or eventTime), last seen from the series, lastTimestamp, or first seen. */
function eventFirstSeen(e: KubeObject, now: number): string {
  return since(e.firstTimestamp ?? e.eventTime, now);
}

function eventLastSeen(e: KubeObject, now: number): string {
  const series = e.series as { lastObservedTime?: string } | undefined;
  if (series) return since(series.lastObservedTime, now);
  return e.lastTimestamp ? since(e.lastTimestamp, now) : eventFirstSeen(e, now);
}

function eventTarget(e: KubeObject): string {
  const ref = (e.involvedObject ?? {}) as { kind?: string; name?: string };
  const kind = (ref.kind ?? '').toLowerCase();
  return ref.name ? `${kind}/${ref.name}` : kind;
}

function eventCount(e: KubeObject): number {
  const series = e.series as { count?: number } | undefined;
  return series?.count ?? ((e.count as number | undefined) || 1);
}

function podRestarts(pod: KubeObject): number {
  const statuses = (pod.status?.containerStatuses as { restartCount?: number }[] | undefined) ?? [];
  return statuses.reduce((sum, c) => sum + (c.restartCount ?? 0), 0);
}

const str = (name: string, priority: number, description: string, cell: Column['cell']): Column => ({
  name,
  type: 'string',
  priority,
  description,
  cell,
});

const int = (name: string, description: string, cell: Column['cell']): Column => ({
  name,
  type: 'integer',
  priority: 0,
  description,
  cell,
});

const COLUMNS: Record<string, Column[]> = {
  nodes: [
    nameColumn,
    str('Status', 0, 'The status of the node', nodeStatus),
    str('Roles', 0, 'The roles of the node', nodeRoles),
    ageColumn,
    str('Version', 0, 'Kubelet Version reported by the node.', (n) => n.status?.nodeInfo?.kubeletVersion ?? ''),
    str('Internal-IP', 1, 'List of internal IPs in the node.', (n) => nodeAddress(n, 'InternalIP')),
    str('External-IP', 1, 'List of external IPs in the node.', (n) => nodeAddress(n, 'ExternalIP')),
    str('OS-Image', 1, 'OS image reported by the node.', (n) => n.status?.nodeInfo?.osImage ?? '<unknown>'),
    str('Kernel-Version', 1, 'Kernel version reported by the node.', (n) => n.status?.nodeInfo?.kernelVersion ?? '<unknown>'),
    str('Container-Runtime', 1, 'Container runtime reported by the node.', (n) => n.status?.nodeInfo?.containerRuntimeVersion ?? '<unknown>'),
  ],
  pods: [
    nameColumn,
    str('Ready', 0, 'The aggregate readiness state of this pod for accepting traffic.', podReady),
    str('Status', 0, 'The aggregate status of the containers in this pod.', podStatus),
    { name: 'Restarts', type: 'string', priority: 0, description: 'The number of times the containers have restarted.', cell: podRestarts },
    ageColumn,
    str('IP', 1, 'IP address allocated to the pod.', (p) => p.status?.podIP ?? '<none>'),
    str('Node', 1, 'Name of the Node onto which the pod is scheduled.', (p) => p.spec?.nodeName ?? '<none>'),
    str('Nominated Node', 1, 'Nominated node for the pod.', (p) => p.status?.nominatedNodeName ?? '<none>'),
    str('Readiness Gates', 1, 'Pod readiness gates.', () => '<none>'),
  ],
  poddisruptionbudgets: [
    nameColumn,
    str('Min Available', 0, 'The minimum number of pods that must be available.', (p) => String(p.spec?.minAvailable ?? 'N/A')),
    str('Max Unavailable', 0, 'The maximum number of pods that may be unavailable.', (p) => String(p.spec?.maxUnavailable ?? 'N/A')),
    int('Allowed Disruptions', 'Currently allowed disruptions.', (p) => p.status?.disruptionsAllowed ?? 0),
    ageColumn,
  ],
  deployments: [
    nameColumn,
    str('Ready', 0, 'Ready replicas / desired.', (d) => `${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 0}`),
    int('Up-to-date', 'Updated replicas.', (d) => d.status?.updatedReplicas ?? 0),
    int('Available', 'Available replicas.', (d) => d.status?.availableReplicas ?? 0),
    ageColumn,
  ],
  replicasets: [
    nameColumn,
    int('Desired', 'Desired replicas.', (r) => r.spec?.replicas ?? 0),
    int('Current', 'Current replicas.', (r) => r.status?.replicas ?? 0),
    int('Ready', 'Ready replicas.', (r) => r.status?.readyReplicas ?? 0),
    ageColumn,
  ],
  daemonsets: [
    nameColumn,
    int('Desired', 'Desired pods.', (d) => d.status?.desiredNumberScheduled ?? 0),
    int('Current', 'Current pods.', (d) => d.status?.currentNumberScheduled ?? 0),
    int('Ready', 'Ready pods.', (d) => d.status?.numberReady ?? 0),
    ageColumn,
  ],
  namespaces: [nameColumn, str('Status', 0, 'The status of the namespace', (n) => n.status?.phase ?? 'Active'), ageColumn],
  // The API server's own event printer: the same for core/v1 and events.k8s.io/v1 (one storage).
  events: [
    str('Last Seen', 0, 'Time when the most recent occurrence of this event was recorded.', eventLastSeen),
    str('Type', 0, 'Type of this event (Normal, Warning), new types could be added in the future', (e) => (e.type as string | undefined) ?? ''),
    str('Reason', 0, "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.", (e) => (e.reason as string | undefined) ?? ''),
    str('Object', 0, 'The object that this event is about.', eventTarget),
    str('Subobject', 1, 'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement.', (e) => (e.involvedObject as { fieldPath?: string } | undefined)?.fieldPath ?? ''),
    str('Source', 1, 'The component reporting this event. Should be a short machine understandable string.', eventSourceText),
    str('Message', 0, 'A human-readable description of the status of this operation.', (e) => ((e.message as string | undefined) ?? '').trim()),
    str('First Seen', 1, 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)', eventFirstSeen),
    { name: 'Count', type: 'string', priority: 1, description: 'The number of times this event has occurred.', cell: eventCount },
    { ...nameColumn, priority: 1 },
  ],
};

const PARTIAL_METADATA_HEAD = '{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":';

function partialMetadata(obj: KubeObject): unknown {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
}

export function includeObjectOf(value: string | null): IncludeObject {
  return value === 'None' || value === 'Object' ? value : 'Metadata';
}

/** `shown` are the objects as this group serves them (when it is a view of another's storage); cells read the stored ones. */
export function tableOf(
  resource: string,
  objects: KubeObject[],
  listMeta: Record<string, unknown>,
  now: number,
  include: IncludeObject,
  shown: KubeObject[] = objects,
): unknown {
  const columns = COLUMNS[resource] ?? [nameColumn, ageColumn];
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMeta,
    columnDefinitions: columns.map(({ cell: _cell, ...def }) => ({ format: '', ...def })),
    rows: objects.map((obj, i) => ({
      cells: columns.map((c) => c.cell(obj, now)),
      ...(include === 'None' ? {} : { object: include === 'Object' ? shown[i] : partialMetadata(obj) }),
    })),
  };
}

export interface TableWriter {
  /** Everything before the first row: `{"kind":"Table",...,"rows":[`. */
  head: string;
  /** One row, for a stored object. */
  row(holder: Holder): JsonPiece;
  tail: string;
}

/**
 * A list's Table written row by row: head + rows joined by commas + tail are
 * the bytes JSON.stringify(tableOf(...)) gives for the same objects, but each
 * row's object (or its metadata) comes from the stored object's cached JSON.
 */
export function tableWriter(
  resource: string,
  listMeta: Record<string, unknown>,
  now: number,
  include: IncludeObject,
  objectJson: (holder: Holder) => string = jsonOf,
): TableWriter {
  const columns = COLUMNS[resource] ?? [nameColumn, ageColumn];
  const empty = JSON.stringify(tableOf(resource, [], listMeta, now, include));
  const tail = ']}';
  const head = empty.slice(0, -tail.length);
  const row = (holder: Holder): JsonPiece => {
    const cells = `{"cells":${JSON.stringify(columns.map((c) => c.cell(holder.obj, now)))}`;
    let text: string;
    if (include === 'None') text = `${cells}}`;
    else if (include === 'Object') text = `${cells},"object":${objectJson(holder)}}`;
    else text = `${cells},"object":${PARTIAL_METADATA_HEAD}${metadataJsonOf(holder)}}}`;
    return { text, bytes: Buffer.byteLength(text) };
  };
  return { head, row, tail };
}
