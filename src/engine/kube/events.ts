// Kubernetes Events (core/v1, which every API server serves and kubectl reads)
// as the engine reads them: the wire fields kopsdeck shows, and a lean copy
// for the cache. Both recorders' shapes arrive here: the legacy one (source,
// first/lastTimestamp, count) and the events.k8s.io one seen through core/v1
// (eventTime, series, reportingComponent, no source).
import type { KubeObject } from './types.js';

export interface EventObjectRef {
  kind?: string;
  name?: string;
  namespace?: string;
  uid?: string;
  fieldPath?: string;
}

export interface KubeEvent extends KubeObject {
  involvedObject?: EventObjectRef;
  reason?: string;
  message?: string;
  type?: string;
  source?: { component?: string; host?: string };
  reportingComponent?: string;
  reportingInstance?: string;
  count?: number;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  series?: { count?: number; lastObservedTime?: string } | null;
}

/** Longer messages are cut in the cache: an Event's message can be any size, and nothing shows more. */
export const MAX_EVENT_MESSAGE = 1024;

/** Only what kopsdeck reads of an Event (the cache may hold every Event of the last hour). */
export function leanEvent(event: KubeEvent): KubeEvent {
  const ref = event.involvedObject ?? {};
  const message = event.message ?? '';
  return {
    metadata: { name: event.metadata.name, namespace: event.metadata.namespace, resourceVersion: event.metadata.resourceVersion, creationTimestamp: event.metadata.creationTimestamp },
    involvedObject: { kind: ref.kind, name: ref.name, namespace: ref.namespace, uid: ref.uid, fieldPath: ref.fieldPath },
    reason: event.reason,
    message: message.length > MAX_EVENT_MESSAGE ? message.slice(0, MAX_EVENT_MESSAGE) : message,
    type: event.type,
    source: event.source,
    reportingComponent: event.reportingComponent,
    reportingInstance: event.reportingInstance,
    count: event.count,
    firstTimestamp: event.firstTimestamp,
    lastTimestamp: event.lastTimestamp,
    eventTime: event.eventTime,
    series: event.series,
  };
}
