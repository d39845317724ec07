// The resources this API server serves, and the discovery documents built
// from them (legacy discovery: kubectl and client-node fall back to it).
import { EVENTS_V1_FIELDS, toEventsV1 } from './event-objects.js';
import type { KubeObject } from './types.js';

export interface ResourceDef {
  group: string; // '' for the core group
  version: string;
  name: string; // plural, the URL segment and store table
  singularName: string;
  kind: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  /** Subresources served under <name>/<sub>. */
  subresources?: { name: string; kind: string; verbs: string[]; group?: string; version?: string }[];
  /** The store table behind it when it is another group's view of the same objects (events.k8s.io Events are core Events: one storage upstream). */
  storage?: string;
  /** This group's form of a stored object. */
  served?: (obj: KubeObject) => KubeObject;
  /** Field selector paths of this group's form, and the stored form's paths they select on. */
  fieldPaths?: Readonly<Record<string, string>>;
  /** The verbs served, when not all of them (a read-only view). */
  verbs?: string[];
}

const READ_WRITE = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export const RESOURCES: ResourceDef[] = [
  { group: '', version: 'v1', name: 'namespaces', singularName: 'namespace', kind: 'Namespace', namespaced: false, shortNames: ['ns'] },
  {
    group: '',
    version: 'v1',
    name: 'nodes',
    singularName: 'node',
    kind: 'Node',
    namespaced: false,
    shortNames: ['no'],
    subresources: [{ name: 'status', kind: 'Node', verbs: ['get', 'patch', 'update'] }],
  },
  {
    group: '',
    version: 'v1',
    name: 'pods',
    singularName: 'pod',
    kind: 'Pod',
    namespaced: true,
    shortNames: ['po'],
    categories: ['all'],
    subresources: [
      { name: 'eviction', kind: 'Eviction', verbs: ['create'], group: 'policy', version: 'v1' },
      { name: 'status', kind: 'Pod', verbs: ['get', 'patch', 'update'] },
      { name: 'log', kind: 'Pod', verbs: ['get'] },
    ],
  },
  { group: '', version: 'v1', name: 'events', singularName: 'event', kind: 'Event', namespaced: true, shortNames: ['ev'] },
  {
    group: 'apps',
    version: 'v1',
    name: 'daemonsets',
    singularName: 'daemonset',
    kind: 'DaemonSet',
    namespaced: true,
    shortNames: ['ds'],
    categories: ['all'],
  },
  {
    group: 'apps',
    version: 'v1',
    name: 'deployments',
    singularName: 'deployment',
    kind: 'Deployment',
    namespaced: true,
    shortNames: ['deploy'],
    categories: ['all'],
  },
  {
    group: 'apps',
    version: 'v1',
    name: 'replicasets',
    singularName: 'replicaset',
    kind: 'ReplicaSet',
    namespaced: true,
    shortNames: ['rs'],
    categories: ['all'],
  },
  {
    group: 'events.k8s.io',
    version: 'v1',
    name: 'events',
    singularName: 'event',
    kind: 'Event',
    namespaced: true,
    shortNames: ['ev'],
    storage: 'events',
    served: toEventsV1,
    fieldPaths: EVENTS_V1_FIELDS,
    // Read here; the simulated components write their Events straight into the store.
    verbs: ['get', 'list', 'watch'],
  },
  {
    group: 'policy',
    version: 'v1',
    name: 'poddisruptionbudgets',
    singularName: 'poddisruptionbudget',
    kind: 'PodDisruptionBudget',
    namespaced: true,
    shortNames: ['pdb'],
    subresources: [{ name: 'status', kind: 'PodDisruptionBudget', verbs: ['get', 'patch', 'update'] }],
  },
];

/** The store table a resource's objects are kept in. */
export function storeOf(def: ResourceDef): string {
  return def.storage ?? def.name;
}

/** Whether `verb` (get, list, watch, create, update, patch, delete) is served on this resource. */
export function serves(def: ResourceDef, verb: string): boolean {
  return (def.verbs ?? READ_WRITE).includes(verb);
}

export function apiVersionOf(def: ResourceDef): string {
  return def.group ? `${def.group}/${def.version}` : def.version;
}

export function findResource(group: string, version: string, name: string): ResourceDef | undefined {
  return RESOURCES.find((r) => r.group === group && r.version === version && r.name === name);
}

export function groupVersions(): { group: string; version: string }[] {
  const seen = new Map<string, { group: string; version: string }>();
  for (const r of RESOURCES) seen.set(`${r.group}/${r.version}`, { group: r.group, version: r.version });
  return [...seen.values()];
}

export function apiVersionsDoc(serverAddress: string): unknown {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groupDoc(group: string): unknown {
  const versions = groupVersions()
    .filter((gv) => gv.group === group)
    .map((gv) => ({ groupVersion: `${group}/${gv.version}`, version: gv.version }));
  return { name: group, versions, preferredVersion: versions[0] };
}

export function apiGroupListDoc(): unknown {
  const groups = [...new Set(groupVersions().map((gv) => gv.group))].filter((g) => g !== '');
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: groups.map(groupDoc) };
}

export function apiGroupDoc(group: string): unknown | undefined {
  if (!groupVersions().some((gv) => gv.group === group && group !== '')) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...(groupDoc(group) as object) };
}

export function resourceListDoc(group: string, version: string): unknown | undefined {
  const defs = RESOURCES.filter((r) => r.group === group && r.version === version);
  if (defs.length === 0) return undefined;
  const resources: unknown[] = [];
  for (const def of defs) {
    resources.push({
      name: def.name,
      singularName: def.singularName,
      namespaced: def.namespaced,
      kind: def.kind,
      verbs: def.verbs ?? READ_WRITE,
      ...(def.shortNames ? { shortNames: def.shortNames } : {}),
      ...(def.categories ? { categories: def.categories } : {}),
    });
    for (const sub of def.subresources ?? []) {
      resources.push({
        name: `${def.name}/${sub.name}`,
        singularName: '',
        namespaced: def.namespaced,
        ...(sub.group !== undefined ? { group: sub.group, version: sub.version } : {}),
        kind: sub.kind,
        verbs: sub.verbs,
      });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources };
}
