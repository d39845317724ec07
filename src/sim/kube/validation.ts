// What the API server refuses with 422 Invalid on create and update, for the
// fields the simulator itself reads (its scheduler, controllers and node
// lifecycle): an object that passes here cannot make them throw later.
// Messages follow the API server's field-path style.
import type { KubeObject } from './types.js';

type Json = unknown;

const isObject = (value: Json): value is Record<string, Json> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** Problems with the object, as `path: reason`; empty when it is valid. */
export function objectProblems(resource: string, obj: KubeObject): string[] {
  const problems: string[] = [];
  stringMap(obj.metadata?.labels, 'metadata.labels', problems);
  stringMap(obj.metadata?.annotations, 'metadata.annotations', problems);
  const spec = (obj as { spec?: Json }).spec;
  if (spec !== undefined && !isObject(spec)) problems.push('spec: Invalid value: must be an object');
  else if (spec !== undefined) {
    if (resource === 'pods') podSpec(spec, 'spec', problems);
    if (resource === 'nodes') nodeSpec(spec, problems);
    if (['deployments', 'replicasets', 'daemonsets'].includes(resource)) workloadSpec(spec, resource !== 'daemonsets', problems);
    if (resource === 'poddisruptionbudgets' && spec.selector !== undefined && !isObject(spec.selector)) problems.push('spec.selector: Invalid value: must be an object');
  } else if (resource === 'pods') problems.push('spec.containers: Required value');
  return problems;
}

function stringMap(value: Json, path: string, problems: string[]): void {
  if (value === undefined || value === null) return;
  if (!isObject(value) || Object.values(value).some((v) => typeof v !== 'string')) problems.push(`${path}: Invalid value: must be a map of strings`);
}

function podSpec(spec: Record<string, Json>, path: string, problems: string[]): void {
  const containers = spec.containers;
  if (!Array.isArray(containers) || containers.length === 0) {
    problems.push(`${path}.containers: Required value`);
  } else {
    containers.forEach((c, i) => {
      if (!isObject(c)) return problems.push(`${path}.containers[${i}]: Invalid value: must be an object`);
      if (typeof c.name !== 'string' || c.name === '') problems.push(`${path}.containers[${i}].name: Required value`);
      if (typeof c.image !== 'string' || c.image === '') problems.push(`${path}.containers[${i}].image: Required value`);
    });
  }
  if (spec.nodeName !== undefined && typeof spec.nodeName !== 'string') problems.push(`${path}.nodeName: Invalid value: must be a string`);
  listOfObjects(spec.tolerations, `${path}.tolerations`, problems);
  listOfObjects(spec.volumes, `${path}.volumes`, problems);
}

function nodeSpec(spec: Record<string, Json>, problems: string[]): void {
  if (spec.unschedulable !== undefined && typeof spec.unschedulable !== 'boolean') problems.push('spec.unschedulable: Invalid value: must be a boolean');
  if (spec.providerID !== undefined && typeof spec.providerID !== 'string') problems.push('spec.providerID: Invalid value: must be a string');
  listOfObjects(spec.taints, 'spec.taints', problems);
  if (Array.isArray(spec.taints)) {
    spec.taints.forEach((t, i) => {
      if (isObject(t) && (typeof t.key !== 'string' || t.key === '')) problems.push(`spec.taints[${i}].key: Required value`);
      if (isObject(t) && !['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(t.effect as string)) problems.push(`spec.taints[${i}].effect: Unsupported value: ${JSON.stringify(t.effect)}`);
    });
  }
}

function workloadSpec(spec: Record<string, Json>, hasReplicas: boolean, problems: string[]): void {
  if (hasReplicas && spec.replicas !== undefined && !(Number.isInteger(spec.replicas) && (spec.replicas as number) >= 0)) {
    problems.push('spec.replicas: Invalid value: must be a whole number, 0 or more');
  }
  if (spec.selector !== undefined && !isObject(spec.selector)) problems.push('spec.selector: Invalid value: must be an object');
  const template = spec.template;
  if (!isObject(template) || !isObject(template.spec)) return void problems.push('spec.template.spec: Required value');
  stringMap(isObject(template.metadata) ? template.metadata.labels : undefined, 'spec.template.metadata.labels', problems);
  podSpec(template.spec, 'spec.template.spec', problems);
}

function listOfObjects(value: Json, path: string, problems: string[]): void {
  if (value === undefined || value === null) return;
  if (!Array.isArray(value) || value.some((item) => !isObject(item))) problems.push(`${path}: Invalid value: must be a list of objects`);
}
