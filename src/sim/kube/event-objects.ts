// Kubernetes Events as the API server keeps them: one storage, core/v1 shaped,
// served also as events.k8s.io/v1 by the API server's own conversion
// (message <-> note, involvedObject <-> regarding, source <-> deprecatedSource,
// first/lastTimestamp and count <-> their deprecated* twins), so the same Event
// is visible through both groups. Two recorders write them upstream: the
// legacy one (kubelet, node controller: source, first/lastTimestamp, count)
// and the events.k8s.io one (kube-scheduler: eventTime, action,
// reportingController, series). Both shapes are built here.
import { timestamp, type KubeObject } from './types.js';

/** What an Event is about (core/v1 ObjectReference). */
export interface ObjectRef {
  kind: string;
  name: string;
  namespace?: string;
  uid?: string;
  apiVersion?: string;
  resourceVersion?: string;
  /** The part of the object, e.g. spec.containers{web}. */
  fieldPath?: string;
}

export type EventType = 'Normal' | 'Warning';

/** Who writes an Event through the legacy recorder: its component and, for a kubelet, the node. */
export interface LegacySource {
  component: string;
  host?: string;
}

/** Who writes an Event through the events.k8s.io recorder. */
export interface Reporter {
  controller: string;
  instance: string;
}

export interface EventContent {
  ref: ObjectRef;
  type: EventType;
  reason: string;
  message: string;
}

/** metav1.MicroTime: RFC 3339 with microseconds, as eventTime and series.lastObservedTime are written. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** The reference as client-go's GetReference writes it (empty fields left out). */
function involvedObject(ref: ObjectRef): Record<string, string> {
  const out: Record<string, string> = { kind: ref.kind };
  for (const field of ['namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath'] as const) {
    const value = ref[field];
    if (value) out[field] = value;
  }
  return out;
}

/** Events of cluster-scoped objects (nodes) go to the default namespace, as both recorders do. */
export function eventNamespace(ref: ObjectRef): string {
  return ref.namespace || 'default';
}

/** A new Event as the legacy recorder (client-go tools/record) posts it. */
export function legacyEvent(name: string, content: EventContent, source: LegacySource, now: number): KubeObject {
  const at = timestamp(now);
  return {
    kind: 'Event',
    apiVersion: 'v1',
    metadata: { name, namespace: eventNamespace(content.ref) },
    involvedObject: involvedObject(content.ref),
    reason: content.reason,
    message: content.message,
    source: source.host ? { component: source.component, host: source.host } : { component: source.component },
    firstTimestamp: at,
    lastTimestamp: at,
    count: 1,
    type: content.type,
    eventTime: null,
    reportingComponent: source.component,
    reportingInstance: source.host ?? '',
  };
}

/** A new Event as the events.k8s.io recorder (client-go tools/events) posts it, seen in its stored core/v1 form. */
export function seriesEvent(name: string, content: EventContent, reporter: Reporter, action: string, now: number): KubeObject {
  return {
    kind: 'Event',
    apiVersion: 'v1',
    metadata: { name, namespace: eventNamespace(content.ref) },
    involvedObject: involvedObject(content.ref),
    reason: content.reason,
    message: content.message,
    source: {},
    firstTimestamp: null,
    lastTimestamp: null,
    type: content.type,
    eventTime: microTime(now),
    action,
    reportingComponent: reporter.controller,
    reportingInstance: reporter.instance,
  };
}

/** The same Event seen once more: the legacy recorder counts, the events.k8s.io one keeps a series. */
export function repeated(event: KubeObject, now: number): KubeObject {
  if (event.eventTime) {
    const count = ((event.series as { count?: number } | undefined)?.count ?? 1) + 1;
    return { ...event, series: { count, lastObservedTime: microTime(now) } };
  }
  return { ...event, count: ((event.count as number | undefined) ?? 1) + 1, lastTimestamp: timestamp(now) };
}

/** When the Event was last seen (epoch ms): series, lastTimestamp, eventTime, or its creation. */
export function lastSeen(event: KubeObject): number {
  const series = event.series as { lastObservedTime?: string } | undefined;
  for (const text of [series?.lastObservedTime, event.lastTimestamp, event.eventTime, event.metadata.creationTimestamp]) {
    const ms = typeof text === 'string' ? Date.parse(text) : NaN;
    if (!Number.isNaN(ms)) return ms;
  }
  return 0;
}

/** The stored (core/v1) Event in its events.k8s.io/v1 form. */
export function toEventsV1(event: KubeObject): KubeObject {
  const {
    kind: _kind,
    apiVersion: _apiVersion,
    metadata,
    involvedObject: regarding,
    message,
    source,
    firstTimestamp,
    lastTimestamp,
    count,
    reportingComponent,
    reportingInstance,
    ...rest
  } = event;
  // events.k8s.io/v1 leaves empty strings out where core/v1 writes "".
  const out: KubeObject = { kind: 'Event', apiVersion: 'events.k8s.io/v1', metadata, ...rest, regarding };
  if (message !== undefined) out.note = message;
  if (reportingComponent) out.reportingController = reportingComponent;
  if (reportingInstance) out.reportingInstance = reportingInstance;
  if (source && Object.keys(source as object).length > 0) out.deprecatedSource = source;
  if (firstTimestamp) out.deprecatedFirstTimestamp = firstTimestamp;
  if (lastTimestamp) out.deprecatedLastTimestamp = lastTimestamp;
  if (count) out.deprecatedCount = count;
  if (out.eventTime === undefined) out.eventTime = null;
  return out;
}

/** Field selector paths of events.k8s.io/v1 Events and the stored fields they select on (the API server's field label conversion). */
export const EVENTS_V1_FIELDS: Readonly<Record<string, string>> = {
  'regarding.kind': 'involvedObject.kind',
  'regarding.namespace': 'involvedObject.namespace',
  'regarding.name': 'involvedObject.name',
  'regarding.uid': 'involvedObject.uid',
  'regarding.apiVersion': 'involvedObject.apiVersion',
  'regarding.resourceVersion': 'involvedObject.resourceVersion',
  'regarding.fieldPath': 'involvedObject.fieldPath',
  reportingController: 'reportingComponent',
};

/** kubectl's SOURCE column: component (or reporting controller), then host (or reporting instance). */
export function eventSourceText(event: KubeObject): string {
  const source = (event.source ?? {}) as { component?: string; host?: string };
  const component = source.component || (event.reportingComponent as string | undefined) || '';
  const host = source.host || (event.reportingInstance as string | undefined) || '';
  return host ? `${component}, ${host}` : component;
}
