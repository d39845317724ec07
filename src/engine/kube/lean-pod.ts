// What a pod cache keeps of each pod: only the fields the engine reads (names,
// labels and owners, node, priority, emptyDir volumes, phase, readiness). A
// full pod is several kilobytes of JSON; at 150,000 pods the difference is
// most of the console's memory and much of its garbage-collection time.
import type { KubePod } from './types.js';

const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';

// JSON.parse makes a new string for every value; namespaces, label values,
// owner names, node names and phases repeat across thousands of pods, so each
// is kept once. Bounded: past the cap, strings are simply not shared.
const INTERN_CAP = 200_000;
const interned = new Map<string, string>();
function intern(value: string): string;
function intern(value: string | undefined): string | undefined;
function intern(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const known = interned.get(value);
  if (known !== undefined) return known;
  if (interned.size < INTERN_CAP) interned.set(value, value);
  return value;
}

function internLabels(labels: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!labels) return undefined;
  const out: Record<string, string> = {};
  for (const key in labels) out[intern(key)] = intern(labels[key]);
  return out;
}

export function leanPod(pod: KubePod): KubePod {
  const meta = pod.metadata;
  const mirror = meta.annotations?.[MIRROR_ANNOTATION];
  const emptyDirs = pod.spec?.volumes?.filter((v) => v.emptyDir !== undefined).map((v) => ({ name: v.name, emptyDir: {} }));
  const status = pod.status;
  // Readiness is read from the Ready condition (kube/selectors.ts isPodReady); the others are dropped.
  const ready = status?.conditions?.find((c) => c.type === 'Ready');
  return {
    apiVersion: pod.apiVersion,
    kind: pod.kind,
    metadata: {
      name: meta.name,
      namespace: intern(meta.namespace),
      uid: meta.uid,
      resourceVersion: meta.resourceVersion,
      creationTimestamp: meta.creationTimestamp,
      deletionTimestamp: meta.deletionTimestamp,
      labels: internLabels(meta.labels),
      annotations: mirror === undefined ? undefined : { [MIRROR_ANNOTATION]: mirror },
      ownerReferences: meta.ownerReferences?.map((r) => ({ kind: intern(r.kind), name: intern(r.name), uid: intern(r.uid), controller: r.controller })),
    },
    spec: {
      nodeName: intern(pod.spec?.nodeName),
      priorityClassName: intern(pod.spec?.priorityClassName),
      volumes: emptyDirs?.length ? emptyDirs : undefined,
    },
    status: status && {
      phase: intern(status.phase),
      hostIP: intern(status.hostIP),
      conditions: ready ? [{ type: 'Ready', status: intern(ready.status) }] : undefined,
      containerStatuses: status.containerStatuses?.map((c) => ({ name: intern(c.name), ready: c.ready, restartCount: c.restartCount })),
    },
  };
}
