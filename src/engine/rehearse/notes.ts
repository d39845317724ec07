// What a rehearsal approximates, each a sentence a person can weigh.
import type { RolloutPlan } from '../rollout/types.js';
import { unreproducible } from './node-names.js';
import type { ClusterShape } from './types.js';

/** `nodeMap`: source node -> the rehearsal node standing for it (what replicate.ts placed by). */
export function rehearsalNotes(shape: ClusterShape, plan: RolloutPlan, nodeMap: Map<string, string>): string[] {
  const notes: string[] = [];
  const j = shape.joinTimes;
  if (j.launchToRegisterMs === undefined && j.registerToReadyMs === undefined) {
    notes.push("Boot and join times were not measured from the cluster's nodes: the simulator's boot model is assumed.");
  } else {
    notes.push(`The rehearsal's machines were given the join times measured on ${j.samples} node(s) of the cluster (what was not measured kept the simulator's default).`);
  }
  for (const group of plan.groups) {
    if (group.instances.length > 0 && group.instances.length < group.target) {
      notes.push(`${group.name}: ${group.instances.length} of ${group.target} instance(s) need replacing; the rehearsal replaced all ${group.target}.`);
    }
  }
  const modelled = shape.workloads.filter((w) => w.sourceKind !== w.kind);
  if (modelled.length) notes.push(`${modelled.length} workload(s) (${[...new Set(modelled.map((w) => w.sourceKind))].join(', ')}) were modelled as Deployments with the same replicas.`);
  if (shape.barePods) notes.push(`${shape.barePods} pod(s) without a controller were not copied (a drain would evict them for good).`);
  // The same rule replicate.ts leaves them out by.
  const named = unreproducible(shape.workloads, (node) => nodeMap.has(node));
  if (named.length) notes.push(`${named.length} workload(s) (${named.map((w) => `${w.namespace}/${w.name}`).join(', ')}) select a node by a name that no node of the rehearsal stands for: not reproduced.`);
  notes.push(
    "The simulator schedules by taints and tolerations, cpu and memory requests (against the allocatable it gives each instance type, not the source nodes' own), a 110-pod limit, nodeSelector, required node affinity and a pod's own required pod affinity and anti-affinity (namespaceSelector is not read); it ignores preferred affinity, topology spread constraints, other resources (ephemeral storage, GPUs, host ports), volume zones and the anti-affinity of pods already running against a newcomer.",
  );
  return notes;
}
