// Running pods per node, for one-shot listings (`get nodes`) that need the PODS
// column but not the pods: asks the server for a Table (names and cells only,
// no objects) and falls back to a full list when the server cannot make one.
import type { KubeClient } from './client.js';
import type { KubeList, KubePod } from './types.js';

interface PodTable {
  kind: string;
  columnDefinitions?: { name: string }[];
  rows?: { cells: unknown[] }[];
  metadata?: { continue?: string };
}

const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
const FINISHED = new Set(['Completed', 'Succeeded', 'Failed', 'Error']);

export async function countPodsPerNode(client: KubeClient, signal?: AbortSignal): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const first = await client.request<PodTable | KubeList<KubePod>>('GET', '/api/v1/pods?includeObject=None', { signal, accept: TABLE_ACCEPT });
  if ((first as PodTable).kind !== 'Table') return countFromList(first as KubeList<KubePod>, counts);
  const table = first as PodTable;
  const nodeColumn = table.columnDefinitions?.findIndex((c) => c.name === 'Node') ?? -1;
  const statusColumn = table.columnDefinitions?.findIndex((c) => c.name === 'Status') ?? -1;
  if (nodeColumn < 0) return countFromList(await client.request<KubeList<KubePod>>('GET', '/api/v1/pods', { signal }), counts);
  for (const row of table.rows ?? []) {
    const node = String(row.cells[nodeColumn] ?? '');
    if (!node || node === '<none>') continue;
    if (statusColumn >= 0 && FINISHED.has(String(row.cells[statusColumn]))) continue;
    counts.set(node, (counts.get(node) ?? 0) + 1);
  }
  return counts;
}

function countFromList(list: KubeList<KubePod>, counts: Map<string, number>): Map<string, number> {
  for (const pod of list.items) {
    const node = pod.spec?.nodeName;
    const phase = pod.status?.phase;
    if (!node || phase === 'Succeeded' || phase === 'Failed') continue;
    counts.set(node, (counts.get(node) ?? 0) + 1);
  }
  return counts;
}
