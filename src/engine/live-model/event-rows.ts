// Events as views list them, and the selections they make: newest first,
// about one object (a node, a pod), on given nodes (what their kubelets did),
// and by relevance (warnings first). Pure functions over rows.
import type { KubeEvent } from '../kube/events.js';

export interface EventRow {
  /** namespace/name of the Event. */
  key: string;
  namespace: string;
  name: string;
  /** Normal or Warning (any other text a component chose). */
  type: string;
  reason: string;
  message: string;
  object: { kind: string; name: string; namespace?: string; fieldPath?: string };
  /** The node a kubelet reported it from (its pods' Events carry it too). */
  host?: string;
  /** Who reported it: component, then host or instance, as kubectl's SOURCE column. */
  source: string;
  /** Times seen (a repeat is counted on the same Event). */
  count: number;
  /** Epoch ms first and last seen; lastAt orders rows. */
  firstAt?: number;
  lastAt: number;
  /** Write order among Events last seen in the same second (the resourceVersion: opaque, but increasing in etcd and the simulator). */
  order: number;
}

function parseTime(text: string | null | undefined): number | undefined {
  if (!text) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

export function eventRowOf(event: KubeEvent): EventRow {
  const ref = event.involvedObject ?? {};
  const namespace = event.metadata.namespace ?? '';
  const host = event.source?.host || undefined;
  const component = event.source?.component || event.reportingComponent || '';
  const instance = host ?? (event.reportingInstance || undefined);
  const firstAt = parseTime(event.firstTimestamp) ?? parseTime(event.eventTime);
  const lastAt = parseTime(event.series?.lastObservedTime) ?? parseTime(event.lastTimestamp) ?? firstAt ?? parseTime(event.metadata.creationTimestamp) ?? 0;
  return {
    key: `${namespace}/${event.metadata.name}`,
    namespace,
    name: event.metadata.name,
    type: event.type || 'Normal',
    reason: event.reason ?? '',
    message: (event.message ?? '').trim(),
    object: { kind: ref.kind ?? '', name: ref.name ?? '', namespace: ref.namespace || undefined, fieldPath: ref.fieldPath || undefined },
    host,
    source: instance ? `${component}, ${instance}` : component,
    count: event.series?.count ?? (event.count || 1),
    firstAt,
    lastAt,
    order: Number(event.metadata.resourceVersion) || 0,
  };
}

export function compareNewestFirst(a: EventRow, b: EventRow): number {
  return b.lastAt - a.lastAt || b.order - a.order || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

export function isWarning(row: EventRow): boolean {
  return row.type === 'Warning';
}

/** The object as kubectl names it: pod/web-1, node/ip-10-0-0-1.ec2.internal. */
export function objectText(row: EventRow): string {
  const kind = row.object.kind.toLowerCase();
  return row.object.name ? `${kind}/${row.object.name}` : kind;
}

/** Rows about this object (kind and name; a namespace when given). */
export function aboutObject(rows: readonly EventRow[], kind: string, name: string, namespace?: string): EventRow[] {
  return rows.filter((r) => r.object.kind === kind && r.object.name === name && (namespace === undefined || r.object.namespace === namespace));
}

/** Rows about these nodes, or reported by their kubelets (what happened to their pods: an eviction's Killing). */
export function onNodes(rows: readonly EventRow[], nodes: ReadonlySet<string>): EventRow[] {
  return rows.filter((r) => (r.object.kind === 'Node' && nodes.has(r.object.name)) || (r.host !== undefined && nodes.has(r.host)));
}

/** Warnings first, each part keeping its order (newest first when the rows were). */
export function warningsFirst(rows: readonly EventRow[]): EventRow[] {
  return [...rows.filter(isWarning), ...rows.filter((r) => !isWarning(r))];
}

/** How long a Warning stays ahead of newer Events in byRelevance(): older ones are history. */
export const RECENT_WARNING_MS = 10 * 60_000;

/** Warnings of the last `recentMs` first, then every other Event; newest first in each part. */
export function byRelevance(rows: readonly EventRow[], now: number, recentMs = RECENT_WARNING_MS): EventRow[] {
  const urgent = (r: EventRow) => isWarning(r) && r.lastAt >= now - recentMs;
  return [...rows.filter(urgent), ...rows.filter((r) => !urgent(r))];
}

/**
 * What a rolling update's supervisor wants to see, newest first: everything
 * about the nodes being replaced and from their kubelets (cordon, evictions,
 * NotReady, removal), every Node's own Events (the replacements registering
 * and turning Ready), and every Warning (pods that cannot be scheduled).
 */
export function rolloutEvents(rows: readonly EventRow[], replacing: ReadonlySet<string>): EventRow[] {
  return rows.filter((r) => r.object.kind === 'Node' || isWarning(r) || (r.host !== undefined && replacing.has(r.host)));
}
