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

export function igCells(row: IgRow): string[] {
  return [row.name, row.role, row.machineType, String(row.min), String(row.target), String(row.max), String(row.ready), String(row.needUpdate), row.zones.join(',')];
}

export function instanceCells(row: InstanceRow): string[] {
  return [row.id, row.nodeName || '<none>', row.status, row.role, row.state, row.internalIp || '<none>', row.instanceGroup, row.machineType];
}

export function formatNodes(snapshot: ModelSnapshot, format: OutputFormat, nowMs: number): string {
  if (format === 'table') return renderTextTable(NODE_COLUMNS, snapshot.nodes.map((r) => nodeCells(r, nowMs)));
  return structured(snapshot.nodes, format);
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
