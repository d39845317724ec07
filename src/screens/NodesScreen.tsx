// A cluster's nodes, live: NAME STATUS ROLE INSTANCEGROUP ZONE VERSION PODS
// TAINTS AGE INSTANCE. Enter opens a node; c / u cordon and uncordon it (after
// a confirmation). Rows come from the live model, already sorted by name and
// rebuilt only for the nodes that changed; the table draws only what fits.
import { Box, Text } from 'ink';
import { useMemo } from 'react';
import { LiveGate } from '../components/LiveGate.js';
import { Table, TABLE_CHROME_ROWS } from '../components/Table.js';
import { systemClock } from '../engine/clock.js';
import { cordon, uncordon } from '../engine/kube/node-ops.js';
import { ageTickMs, formatAge } from '../engine/live-model/node-row.js';
import type { ModelSnapshot, NodeRow } from '../engine/live-model/types.js';
import type { KeyAction } from '../input/actions.js';
import { useServices } from '../hooks/services.js';
import { useBodySize } from '../hooks/useBodySize.js';
import { useScreenActions } from '../hooks/useKeymap.js';
import { useLiveCluster, useTicker } from '../hooks/useLiveCluster.js';
import { useRouter } from '../hooks/useRouter.js';
import { useShell } from '../hooks/useShell.js';
import { useTable, type Column } from '../hooks/useTable.js';
import { LiveStatusLine } from '../components/LiveStatusLine.js';

const TITLE_ROWS = 2;
/**
 * The table's columns; AGE is told against `now`, the cluster's clock (the
 * simulator's time on the simulator). On a narrow terminal the least
 * important go first (priority): INSTANCE, TAINTS, ROLE, ZONE; NAME, STATUS
 * and VERSION (what an upgrade changes) stay longest.
 */
export function nodeColumns(now: number): Column<NodeRow>[] {
  return [
    { key: 'name', title: 'NAME', width: 27, grow: 1, priority: 0, sortKey: 'N', value: (n) => n.name },
    {
      key: 'status',
      title: 'STATUS',
      width: 6,
      grow: 3,
      priority: 1,
      sortKey: 'S',
      value: (n) => n.status,
      color: (n) => (!n.ready ? 'red' : n.unschedulable ? 'yellow' : undefined),
    },
    { key: 'role', title: 'ROLE', width: 13, priority: 7, sortKey: 'R', value: (n) => n.role || '<none>' },
    { key: 'ig', title: 'INSTANCEGROUP', width: 24, priority: 3, sortKey: 'I', value: (n) => n.instanceGroup || '<none>' },
    { key: 'zone', title: 'ZONE', width: 10, priority: 6, sortKey: 'Z', value: (n) => n.zone || '<none>' },
    { key: 'version', title: 'VERSION', width: 7, priority: 2, sortKey: 'V', value: (n) => n.version },
    { key: 'pods', title: 'PODS', width: 4, priority: 5, align: 'right', sortKey: 'P', value: (n) => String(n.pods), sortValue: (n) => n.pods },
    { key: 'taints', title: 'TAINTS', width: 6, grow: 1, priority: 8, sortKey: 'T', value: (n) => n.taints || '<none>' },
    { key: 'age', title: 'AGE', width: 4, priority: 4, sortKey: 'A', value: (n) => formatAge(n.createdAt, now), sortValue: (n) => -(n.createdAt ?? 0) },
    { key: 'instance', title: 'INSTANCE', width: 19, priority: 9, value: (n) => n.instanceId || '<none>', color: (n) => (n.needsUpdate ? 'yellow' : undefined) },
  ];
}

const rowKey = (n: NodeRow) => n.name;
const noRows: readonly NodeRow[] = [];

export function NodesScreen({ cluster, filter }: { cluster: string; filter?: string }) {
  const services = useServices();
  const router = useRouter();
  const shell = useShell();
  const body = useBodySize();
  const { session, state, ready, snapshot } = useLiveCluster(cluster, 'nodes');
  const clock = services.access?.clock ?? systemClock;
  const now = useTicker(() => clock.now(), ageTickMs(clock));
  const columns = useMemo(() => nodeColumns(now), [now]);
  // A drill-down from an instance group arrives with a filter; it seeds the table's once.
  if (filter && !router.entry.memory.has('nodes:filter')) router.entry.memory.set('nodes:filter', filter);
  const table = useTable({ id: 'nodes', rows: snapshot?.nodes ?? noRows, columns, rowKey, height: body.rows - TITLE_ROWS - TABLE_CHROME_ROWS });
  const selected = table.selected;
  const kube = state.status === 'live' ? state.kube : undefined;

  const setCordon = (node: string, on: boolean) => {
    if (!kube) return;
    (on ? cordon(kube, node) : uncordon(kube, node)).then(
      () => shell.flash(on ? `Node ${node} cordoned: no new pods will be scheduled on it.` : `Node ${node} uncordoned.`),
      (error: unknown) => shell.flash(`Could not ${on ? 'cordon' : 'uncordon'} ${node}: ${(error as Error).message}`, 'error'),
    );
  };
  const actions: KeyAction[] = [
    { key: 'enter', label: 'describe', disabled: !selected, run: () => selected && router.push({ name: 'node', cluster, node: selected.name }) },
    { key: 'y', label: 'YAML', disabled: !selected, run: () => selected && router.push({ name: 'yaml', cluster, kind: 'node', object: selected.name }) },
    {
      key: 'c',
      label: 'cordon',
      dangerous: true,
      confirm: `Cordon node ${selected?.name}? No new pods will be scheduled on it.`,
      disabled: !selected || !kube || selected.unschedulable,
      run: () => selected && setCordon(selected.name, true),
    },
    {
      key: 'u',
      label: 'uncordon',
      dangerous: true,
      confirm: `Uncordon node ${selected?.name}? Pods may be scheduled on it again.`,
      disabled: !selected || !kube || !selected.unschedulable,
      run: () => selected && setCordon(selected.name, false),
    },
    { key: 'i', label: 'instance groups', hidden: true, run: () => router.push({ name: 'instance-groups', cluster }) },
    { key: 'o', label: 'overview', hidden: true, run: () => router.push({ name: 'cluster', cluster }) },
    { key: 'r', aliases: ['ctrl+r'], label: 'refresh', hidden: true, run: () => void session.refresh() },
    ...table.actions,
  ];
  useScreenActions('Nodes', actions, { cluster });

  return (
    <Box flexDirection="column">
      <NodesTitle cluster={cluster} snapshot={snapshot} listing={state.status === 'live' && state.nodesSynced && !state.synced} />
      <LiveGate cluster={cluster} state={state} ready={ready} width={body.columns}>
        {() => <Table table={table} width={body.columns} emptyMessage={`${cluster} has no nodes yet: instances register a Node once they boot.`} />}
      </LiveGate>
    </Box>
  );
}

function NodesTitle({ cluster, snapshot, listing }: { cluster: string; snapshot: ModelSnapshot | undefined; listing: boolean }) {
  const counts = snapshot?.counts;
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold color="cyan">{`Nodes(${cluster})[${counts?.nodes ?? '…'}]`}</Text>
        {counts ? <Text>{`  ${counts.nodesReady} Ready`}</Text> : null}
        {counts && counts.nodes > counts.nodesReady ? <Text color="red">{`  ${counts.nodes - counts.nodesReady} not ready`}</Text> : null}
        {counts?.nodesCordoned ? <Text color="yellow">{`  ${counts.nodesCordoned} cordoned`}</Text> : null}
        {counts?.outOfDate ? <Text color="yellow">{`  ${counts.outOfDate} out of date`}</Text> : null}
        {listing ? <Text dimColor>{`  still listing pods (${counts?.pods ?? 0} so far) and instance groups…`}</Text> : null}
      </Text>
      <LiveStatusLine snapshot={snapshot} />
    </Box>
  );
}
