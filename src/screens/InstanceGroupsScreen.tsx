// A cluster's instance groups as the cloud runs them, live: NAME ROLE
// MACHINETYPE MIN TARGET MAX READY NEEDUPDATE ZONES. A group short of its
// target is red, one with instances out of date yellow. Enter lists its nodes.
// A bastion group registers no nodes: its READY counts instances in service.
import { Box, Text } from 'ink';
import { LiveGate } from '../components/LiveGate.js';
import { LiveStatusLine } from '../components/LiveStatusLine.js';
import { Table, TABLE_CHROME_ROWS } from '../components/Table.js';
import type { IgRow } from '../engine/live-model/types.js';
import type { KeyAction } from '../input/actions.js';
import { useBodySize } from '../hooks/useBodySize.js';
import { useScreenActions } from '../hooks/useKeymap.js';
import { useLiveCluster } from '../hooks/useLiveCluster.js';
import { useRouter } from '../hooks/useRouter.js';
import { useTable, type Column } from '../hooks/useTable.js';

const TITLE_ROWS = 2;
const num = (pick: (g: IgRow) => number) => ({ align: 'right' as const, value: (g: IgRow) => String(pick(g)), sortValue: pick });

const columns: Column<IgRow>[] = [
  { key: 'name', title: 'NAME', width: 24, grow: 2, sortKey: 'N', value: (g) => g.name },
  { key: 'role', title: 'ROLE', width: 12, sortKey: 'R', value: (g) => g.role },
  { key: 'machineType', title: 'MACHINETYPE', width: 11, sortKey: 'M', value: (g) => g.machineType || '<none>' },
  { key: 'min', title: 'MIN', width: 3, ...num((g) => g.min) },
  { key: 'target', title: 'TARGET', width: 6, sortKey: 'T', ...num((g) => g.target) },
  { key: 'max', title: 'MAX', width: 3, ...num((g) => g.max) },
  { key: 'ready', title: 'READY', width: 5, sortKey: 'Y', ...num((g) => g.ready), color: (g) => (g.ready < g.target ? 'red' : undefined) },
  { key: 'needUpdate', title: 'NEEDUPDATE', width: 10, sortKey: 'U', ...num((g) => g.needUpdate), color: (g) => (g.needUpdate > 0 ? 'yellow' : undefined) },
  { key: 'zones', title: 'ZONES', width: 10, grow: 1, sortKey: 'Z', value: (g) => g.zones.join(',') },
];

const rowKey = (g: IgRow) => g.name;
const noRows: readonly IgRow[] = [];

export function InstanceGroupsScreen({ cluster }: { cluster: string }) {
  const router = useRouter();
  const body = useBodySize();
  const { session, state, ready, snapshot } = useLiveCluster(cluster);
  const table = useTable({ id: 'instance-groups', rows: snapshot?.instanceGroups ?? noRows, columns, rowKey, height: body.rows - TITLE_ROWS - TABLE_CHROME_ROWS });
  const selected = table.selected;
  const actions: KeyAction[] = [
    // Bastions register no nodes: there are none to list.
    { key: 'enter', label: 'nodes', disabled: !selected || selected.role === 'Bastion', run: () => selected && router.push({ name: 'nodes', cluster, filter: selected.name }) },
    { key: 'n', label: 'all nodes', hidden: true, run: () => router.push({ name: 'nodes', cluster }) },
    { key: 'o', label: 'overview', hidden: true, run: () => router.push({ name: 'cluster', cluster }) },
    { key: 'l', label: 'rolling update', run: () => router.push({ name: 'rollout', cluster }) },
    { key: 'u', label: 'upgrade', run: () => router.push({ name: 'upgrade', cluster }) },
    { key: 'r', aliases: ['ctrl+r'], label: 'refresh', run: () => void session.refresh() },
    ...table.actions,
  ];
  useScreenActions('Instance groups', actions, { cluster });

  const groups = snapshot?.instanceGroups;
  const short = groups?.filter((g) => g.ready < g.target).length ?? 0;
  const bastions = groups?.some((g) => g.role === 'Bastion') ?? false;
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold color="cyan">{`InstanceGroups(${cluster})[${groups?.length ?? '…'}]`}</Text>
        {short > 0 ? <Text color="red">{`  ${short} below target`}</Text> : null}
        {bastions ? <Text dimColor>{'  bastions register no node: their READY counts instances in service'}</Text> : null}
      </Text>
      <LiveStatusLine snapshot={snapshot} />
      <LiveGate cluster={cluster} state={state} ready={ready} width={body.columns}>
        {() => (
          <Table
            table={table}
            width={body.columns}
            emptyMessage={`No auto scaling groups tagged for ${cluster} in the cloud; run \`kopsdeck update cluster ${cluster} --yes\` to create them.`}
          />
        )}
      </LiveGate>
    </Box>
  );
}
