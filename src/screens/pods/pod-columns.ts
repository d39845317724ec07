// The pods table's columns, as `kubectl get pods -A` names them plus NODE and
// OWNER: NAMESPACE NAME READY STATUS RESTARTS NODE AGE OWNER. AGE is told
// against the cluster's clock (the simulator's time on the simulator), as on
// the nodes screen.
import { formatAge } from '../../engine/live-model/node-row.js';
import type { PodRow } from '../../engine/live-model/pod-rows.js';
import type { Column } from '../../hooks/useTable.js';

/** Where a pod is on its way: yellow while it starts or stops, red when something is wrong. */
export function podColor(row: PodRow): string | undefined {
  if (row.healthy) return undefined;
  if (['Pending', 'ContainerCreating', 'PodInitializing', 'Terminating'].includes(row.status)) return 'yellow';
  if (row.status === 'Running') return 'yellow'; // running, not every container ready yet
  return 'red';
}

export function podOwnerText(row: PodRow): string {
  return row.ownerKind ? `${row.ownerKind}/${row.ownerName}` : '<none>';
}

export function podColumns(now: number): Column<PodRow>[] {
  return [
    { key: 'namespace', title: 'NAMESPACE', width: 11, sortKey: 'P', value: (p) => p.namespace },
    { key: 'name', title: 'NAME', width: 24, grow: 3, sortKey: 'N', value: (p) => p.name },
    { key: 'ready', title: 'READY', width: 5, sortKey: 'R', value: (p) => `${p.ready}/${p.total}`, sortValue: (p) => (p.total === 0 ? 1 : p.ready / p.total) },
    { key: 'status', title: 'STATUS', width: 17, sortKey: 'S', value: (p) => p.status, color: podColor },
    { key: 'restarts', title: 'RESTARTS', width: 8, align: 'right', sortKey: 'T', value: (p) => String(p.restarts), sortValue: (p) => p.restarts },
    { key: 'node', title: 'NODE', width: 16, grow: 2, sortKey: 'O', value: (p) => p.node || '<none>' },
    { key: 'age', title: 'AGE', width: 4, sortKey: 'A', value: (p) => formatAge(p.createdAt, now), sortValue: (p) => -(p.createdAt ?? 0) },
    { key: 'owner', title: 'OWNER', width: 14, grow: 2, sortKey: 'W', value: podOwnerText },
  ];
}
