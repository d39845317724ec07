// Templates that pick nodes by name (a nodeSelector or required node affinity
// on kubernetes.io/hostname, or a matchFields on metadata.name): the
// rehearsal's nodes have other names, so those names are translated to the
// nodes standing for them, and a workload naming a node that has none cannot
// be reproduced.
import type { NodeSelectorRequirement, SchedulingTemplate, ShapeWorkload } from './types.js';

const HOSTNAME = 'kubernetes.io/hostname';

const namesNode = (r: NodeSelectorRequirement, field: boolean) => (field ? r.key === 'metadata.name' : r.key === HOSTNAME);

/** The node names the template's node selection mentions. */
export function nodeNamesIn(t: SchedulingTemplate): string[] {
  const names = t.nodeSelector?.[HOSTNAME] !== undefined ? [t.nodeSelector[HOSTNAME]] : [];
  for (const term of t.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms ?? []) {
    for (const r of term.matchExpressions ?? []) if (namesNode(r, false)) names.push(...(r.values ?? []));
    for (const r of term.matchFields ?? []) if (namesNode(r, true)) names.push(...(r.values ?? []));
  }
  return names;
}

/** Workloads whose node selection names a node with no counterpart (`known` says which have one). */
export function unreproducible(workloads: ShapeWorkload[], known: (node: string) => boolean): ShapeWorkload[] {
  return workloads.filter((w) => nodeNamesIn(w.template).some((name) => !known(name)));
}

/** The template with each node name it selects by replaced by the name of the node standing for it. */
export function translateNodeNames(t: SchedulingTemplate, map: Map<string, string>): SchedulingTemplate {
  if (nodeNamesIn(t).length === 0) return t;
  const rename = (name: string) => map.get(name) ?? name;
  const out = structuredClone(t);
  if (out.nodeSelector?.[HOSTNAME] !== undefined) out.nodeSelector[HOSTNAME] = rename(out.nodeSelector[HOSTNAME]);
  for (const term of out.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms ?? []) {
    for (const r of term.matchExpressions ?? []) if (namesNode(r, false) && r.values) r.values = r.values.map(rename);
    for (const r of term.matchFields ?? []) if (namesNode(r, true) && r.values) r.values = r.values.map(rename);
  }
  return out;
}
