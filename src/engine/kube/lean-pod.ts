// What a pod cache keeps of each pod: only the fields the engine reads (names,
// labels and owners, node, priority, emptyDir volumes, container names, phase
// and reason, readiness, restarts and why a container waits or stopped). A
// full pod is several kilobytes of JSON; at 150,000 pods the difference is
// most of the console's memory and much of its garbage-collection time.
// Not kept: apiVersion and kind (every cached pod is a v1 Pod) and the uid (a
// drain reads pods fresh from the API, uid included; nothing reads a cached
// one): at 150,000 pods the uid strings alone are 8 MiB of heap.
import type { ContainerState, ContainerStatus, KubePod, ObjectMeta } from './types.js';

const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';

// JSON.parse makes a new string for every value; namespaces, label values,
// owner names, node names and phases repeat across thousands of pods, so each
// is kept once. Bounded: past the cap, strings are simply not shared.
const INTERN_CAP = 200_000;
const interned = new Map<string, string>();
export function intern(value: string): string;
export function intern(value: string | undefined): string | undefined;
export function intern(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const known = interned.get(value);
  if (known !== undefined) return known;
  if (interned.size < INTERN_CAP) interned.set(value, value);
  return value;
}

// Whole sub-objects repeat too: every pod of a ReplicaSet has the same labels
// and owner reference, and almost every running pod the same Ready condition
// and container statuses. Those are kept once, frozen (nothing may edit a
// cached object in place; a frozen one fails loudly if something tries).
const SHARE_CAP = 20_000;
const sharedParts = new Map<string, object>();
function share<T extends object>(key: string, make: () => T): T {
  const known = sharedParts.get(key);
  if (known !== undefined) return known as T;
  const made = Object.freeze(make());
  if (sharedParts.size < SHARE_CAP) sharedParts.set(key, made);
  return made;
}

/**
 * A copy of labels (or annotations) with interned values. Not the keys: a
 * property name is already one string per text in V8 (an internalized string),
 * so looking keys up here would only cost time (some 10 ms of a 5,000-node list).
 */
export function internLabels(labels: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!labels) return undefined;
  const out: Record<string, string> = {};
  for (const name in labels) out[name] = intern(labels[name]);
  return out;
}

/** Labels (or annotations) with interned keys and values, shared with every object that has the same set. */
export function sharedLabels(labels: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!labels) return undefined;
  let key = '';
  for (const name in labels) key += `${name}\u0000${labels[name]}\u0001`;
  return share(`l\u0002${key}`, () => internLabels(labels)!);
}

function sharedOwners(refs: ObjectMeta['ownerReferences']): ObjectMeta['ownerReferences'] {
  if (!refs) return undefined;
  const key = refs.map((r) => `${r.kind}\u0000${r.name}\u0000${r.uid ?? ''}\u0000${r.controller ?? ''}`).join('\u0001');
  return share(`o\u0002${key}`, () =>
    refs.map((r) => Object.freeze({ kind: intern(r.kind), name: intern(r.name), uid: intern(r.uid), controller: r.controller })),
  );
}

function sharedReady(status: string | undefined): { type: string; status: string }[] | undefined {
  if (status === undefined) return undefined;
  return share(`r\u0002${status}`, () => [Object.freeze({ type: 'Ready', status: intern(status) })]);
}

/**
 * A container's state as the pods view reads it: nothing for a running one (the
 * usual case), the reason for a waiting or terminated one (kubectl's STATUS).
 */
function leanState(state: ContainerState | undefined): ContainerState | undefined {
  if (state?.waiting) return { waiting: { reason: intern(state.waiting.reason) } };
  if (state?.terminated) {
    const { reason, exitCode, signal } = state.terminated;
    return { terminated: { reason: intern(reason), exitCode, signal } };
  }
  return undefined;
}

function stateKey(state: ContainerState | undefined): string {
  if (state?.waiting) return `w${state.waiting.reason ?? ''}`;
  if (state?.terminated) return `t${state.terminated.reason ?? ''}/${state.terminated.exitCode ?? ''}/${state.terminated.signal ?? ''}`;
  return '';
}

function sharedContainers(statuses: ContainerStatus[] | undefined): ContainerStatus[] | undefined {
  if (!statuses) return undefined;
  const key = statuses.map((c) => `${c.name}\u0000${c.ready}\u0000${c.restartCount ?? ''}\u0000${stateKey(c.state)}`).join('\u0001');
  return share(`c\u0002${key}`, () =>
    statuses.map((c) => {
      const state = leanState(c.state);
      return Object.freeze({ name: intern(c.name), ready: c.ready, restartCount: c.restartCount, ...(state ? { state } : {}) });
    }),
  );
}

/** The containers' names only (READY counts them; the logs view asks the API for the rest). */
function sharedContainerNames(containers: { name: string }[] | undefined): { name: string }[] | undefined {
  if (!containers) return undefined;
  return share(`n\u0002${containers.map((c) => c.name).join('\u0001')}`, () => containers.map((c) => Object.freeze({ name: intern(c.name) })));
}

/** Fields leanPod never keeps that a list can leave unparsed (ListStreamOptions.dropFields). */
export const POD_FIELDS_NOT_KEPT = ['metadata.managedFields'] as const;

export function leanPod(pod: KubePod): KubePod {
  const meta = pod.metadata;
  const mirror = meta.annotations?.[MIRROR_ANNOTATION];
  const emptyDirs = pod.spec?.volumes?.filter((v) => v.emptyDir !== undefined).map((v) => ({ name: v.name, emptyDir: {} }));
  const status = pod.status;
  // Readiness is read from the Ready condition (kube/selectors.ts isPodReady); the others are dropped.
  const ready = status?.conditions?.find((c) => c.type === 'Ready');
  return {
    metadata: {
      name: meta.name,
      namespace: intern(meta.namespace),
      resourceVersion: meta.resourceVersion,
      creationTimestamp: intern(meta.creationTimestamp),
      deletionTimestamp: meta.deletionTimestamp,
      labels: sharedLabels(meta.labels),
      annotations: mirror === undefined ? undefined : sharedLabels({ [MIRROR_ANNOTATION]: mirror }),
      ownerReferences: sharedOwners(meta.ownerReferences),
    },
    spec: {
      nodeName: intern(pod.spec?.nodeName),
      priorityClassName: intern(pod.spec?.priorityClassName),
      volumes: emptyDirs?.length ? emptyDirs : undefined,
      containers: sharedContainerNames(pod.spec?.containers),
    },
    status: status && {
      phase: intern(status.phase),
      reason: intern(status.reason),
      hostIP: intern(status.hostIP),
      conditions: sharedReady(ready?.status),
      containerStatuses: sharedContainers(status.containerStatuses),
    },
  };
}
