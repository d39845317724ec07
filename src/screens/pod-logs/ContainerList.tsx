// The choice of container when a pod has several (the API serves one
// container's log at a time): its containers and init containers with image,
// readiness, restarts and state; Enter opens that container's log.
import { Box, Text } from 'ink';
import { Table, TABLE_CHROME_ROWS } from '../../components/Table.js';
import type { ContainerInfo } from '../../engine/kube/pod-containers.js';
import type { KeyAction } from '../../input/actions.js';
import type { Route } from '../../navigation/routes.js';
import { useBodySize } from '../../hooks/useBodySize.js';
import { useScreenActions } from '../../hooks/useKeymap.js';
import { useRouter } from '../../hooks/useRouter.js';
import { useTable, type Column } from '../../hooks/useTable.js';

type LogsRoute = Extract<Route, { name: 'pod-logs' }>;

const TITLE_ROWS = 2;
const columns: Column<ContainerInfo>[] = [
  { key: 'name', title: 'NAME', width: 20, grow: 1, value: (c) => (c.init ? `${c.name} (init)` : c.name) },
  { key: 'image', title: 'IMAGE', width: 30, grow: 2, value: (c) => c.image },
  { key: 'ready', title: 'READY', width: 5, value: (c) => (c.ready ? 'true' : 'false') },
  { key: 'restarts', title: 'RESTARTS', width: 8, align: 'right', value: (c) => String(c.restarts) },
  { key: 'state', title: 'STATE', width: 20, grow: 1, value: (c) => c.state },
];
const rowKey = (c: ContainerInfo) => c.name;

export function ContainerList({ route, containers }: { route: LogsRoute; containers: readonly ContainerInfo[] }) {
  const router = useRouter();
  const body = useBodySize();
  const table = useTable({ id: 'containers', rows: containers, columns, rowKey, height: body.rows - TITLE_ROWS - TABLE_CHROME_ROWS });
  const selected = table.selected;
  const actions: KeyAction[] = [
    { key: 'enter', label: 'show its log', disabled: !selected, run: () => selected && router.push({ ...route, container: selected.name }) },
    ...table.actions,
  ];
  useScreenActions('Containers', actions, { cluster: route.cluster });
  return (
    <Box flexDirection="column">
      <Text bold color="cyan" wrap="truncate-end">{`Containers of pod ${route.namespace}/${route.pod} (${route.cluster})`}</Text>
      <Text dimColor wrap="truncate-end">
        The pod has several containers and each has its own log: choose one with Enter.
      </Text>
      <Table table={table} width={body.columns} />
    </Box>
  );
}
