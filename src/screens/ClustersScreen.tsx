// The clusters in the state store: NAME CLOUD ZONES KUBERNETES INSTANCEGROUPS.
// Enter (or o) opens a cluster's live overview; s its spec.
import { Box, Text } from 'ink';
import { ErrorBox } from '../components/ErrorBox.js';
import { Loading } from '../components/Loading.js';
import { Table, TABLE_CHROME_ROWS } from '../components/Table.js';
import type { KeyAction } from '../input/actions.js';
import { useServices } from '../hooks/services.js';
import { useBodySize } from '../hooks/useBodySize.js';
import { useClusterSummaries, type ClusterSummary } from '../hooks/useClusterSummaries.js';
import { useScreenActions } from '../hooks/useKeymap.js';
import { useRouter } from '../hooks/useRouter.js';
import { useTable, type Column } from '../hooks/useTable.js';

const columns: Column<ClusterSummary>[] = [
  { key: 'name', title: 'NAME', width: 24, grow: 1, sortKey: 'N', value: (c) => c.name, color: (c) => (c.problem ? 'red' : undefined) },
  { key: 'cloud', title: 'CLOUD', width: 5, sortKey: 'C', value: (c) => c.cloud },
  { key: 'zones', title: 'ZONES', width: 20, grow: 1, sortKey: 'Z', value: (c) => (c.problem ? `unreadable: ${c.problem}` : c.zones.join(',')) },
  { key: 'version', title: 'KUBERNETES', width: 10, sortKey: 'K', value: (c) => c.kubernetesVersion },
  { key: 'igs', title: 'INSTANCEGROUPS', width: 14, align: 'right', sortKey: 'I', value: (c) => String(c.instanceGroups), sortValue: (c) => c.instanceGroups },
];

const rowKey = (c: ClusterSummary) => c.name;
const TITLE_ROWS = 1;

export function ClustersScreen() {
  const { storeUrl } = useServices();
  const router = useRouter();
  const body = useBodySize();
  const summaries = useClusterSummaries();
  const rows = summaries.value ?? [];
  const table = useTable({
    id: 'clusters',
    rows,
    columns,
    rowKey,
    height: body.rows - TITLE_ROWS - TABLE_CHROME_ROWS,
    initialSort: { column: 'name', descending: false },
  });
  const selected = table.selected;
  const actions: KeyAction[] = [
    {
      key: 'enter',
      aliases: ['o'],
      label: 'open',
      disabled: !selected,
      run: () => selected && router.push({ name: 'cluster', cluster: selected.name }),
    },
    {
      key: 's',
      label: 'spec',
      disabled: !selected,
      run: () => selected && router.push({ name: 'cluster-spec', cluster: selected.name }),
    },
    { key: 'n', label: 'new cluster', run: () => router.push({ name: 'create-cluster' }) },
    { key: 'r', aliases: ['ctrl+r'], label: 'refresh', run: summaries.reload },
    ...table.actions,
  ];
  useScreenActions('Clusters', actions, { cluster: selected?.name });

  const title = (
    <Text>
      <Text bold color="cyan">{`Clusters [${rows.length}]`}</Text>
      {summaries.status === 'loading' && summaries.value ? <Text dimColor> refreshing…</Text> : null}
    </Text>
  );
  if (summaries.status === 'error') {
    return (
      <Box flexDirection="column">
        {title}
        <ErrorBox
          title="Could not read the clusters in the state store"
          error={summaries.error}
          hint={`Check that ${storeUrl} exists and is readable (choose another with --state or KOPS_STATE_STORE), then press r to retry.`}
          width={body.columns}
        />
      </Box>
    );
  }
  if (summaries.value === undefined) {
    return (
      <Box flexDirection="column">
        {title}
        <Loading label={`Reading clusters from ${storeUrl}`} />
      </Box>
    );
  }
  if (rows.length === 0) {
    return (
      <Box flexDirection="column">
        {title}
        <Text>{`No clusters yet in ${storeUrl}.`}</Text>
        <Text>
          Press <Text bold color="yellow">n</Text> to create one with a guided wizard: it explains each choice and shows the plan before anything is made.
        </Text>
        <Text>Or from a script, for example:</Text>
        <Text color="yellow">{'  kopsdeck create cluster demo.k8s.local --zones us-east-1a,us-east-1b,us-east-1c --control-plane-count 3 --yes'}</Text>
        <Text>then press r here to refresh.</Text>
      </Box>
    );
  }
  return (
    <Box flexDirection="column">
      {title}
      <Table table={table} width={body.columns} />
    </Box>
  );
}
