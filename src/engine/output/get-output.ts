// Rows and text for `kopsdeck get nodes|instances|ig`, from a model snapshot.
import { stringify } from 'yaml';
import { formatAge } from '../live-model/node-row.js';
import type { IgRow, InstanceRow, ModelSnapshot, NodeRow } from '../live-model/types.js';
import { renderTextTable, type OutputFormat } from './text-table.js';

export const NODE_COLUMNS = ['NAME', 'STATUS', 'ROLE', 'INSTANCEGROUP', 'ZONE', 'VERSION', 'PODS', 'TAINTS', 'AGE', 'INSTANCE'];
export const IG_COLUMNS = ['NAME', 'ROLE', 'MACHINETYPE', 'MIN', 'TARGET', 'MAX', 'READY', 'NEEDUPDATE', 'ZONES'];
export const INSTANCE_COLUMNS = ['ID', 'NODE-NAME', 'STATUS', 'ROLES', 'STATE', 'INTERNAL-IP', 'INSTANCE-GROUP', 'MACHINE-TYPE'];

export function nodeCells(row: NodeRow, nowMs: number): string[] {
  return [
    row.name,
    row.status,
    row.role || '<none>',
    row.instanceGroup || '<none>',
    row.zone || '<none>',
    row.version,
    String(row.pods),
    row.taints || '<none>',
    formatAge(row.createdAt, nowMs),
    row.instanceId || '<none>',
  ];
}

export interface NodeOutputOptions {
  /** Whether the pods were counted: when not, the PODS column and the `pods` field are left out, not shown as 0. */
  pods: boolean;
}

export function igCells(row: IgRow): string[] {
  return [row.name, row.role, row.machineType, String(row.min), String(row.target), String(row.max), String(row.ready), String(row.needUpdate), row.zones.join(',')];
}

export function instanceCells(row: InstanceRow): string[] {
  return [row.id, row.nodeName || '<none>', row.status, row.role, row.state, row.internalIp || '<none>', row.instanceGroup, row.machineType];
}

export function formatNodes(snapshot: ModelSnapshot, format: OutputFormat, nowMs: number, options: NodeOutputOptions = { pods: true }): string {
  if (format === 'table') {
    const podsColumn = NODE_COLUMNS.indexOf('PODS');
    const keep = (_: string, i: number) => options.pods || i !== podsColumn;
    return renderTextTable(NODE_COLUMNS.filter(keep), snapshot.nodes.map((r) => nodeCells(r, nowMs).filter(keep)));
  }
  return structured(options.pods ? snapshot.nodes : snapshot.nodes.map(withoutPods), format);
}

function withoutPods(row: NodeRow): Omit<NodeRow, 'pods'> {
  const { pods: _uncounted, ...rest } = row;
  return rest;
}

export function formatInstanceGroups(snapshot: ModelSnapshot, format: OutputFormat): string {
  if (format === 'table') return renderTextTable(IG_COLUMNS, snapshot.instanceGroups.map(igCells));
  return structured(snapshot.instanceGroups, format);
}

export function formatInstances(snapshot: ModelSnapshot, format: OutputFormat): string {
  if (format === 'table') return renderTextTable(INSTANCE_COLUMNS, snapshot.instances.map(instanceCells));
  return structured(snapshot.instances, format);
}

function structured(rows: readonly object[], format: 'json' | 'yaml'): string {
  return format === 'json' ? JSON.stringify(rows, null, 2) + '\n' : stringify(rows);
}
