// A cluster at a glance, live: kops' validation verdict with every failure,
// the counts (instance groups, instances, nodes Ready/total, pods), the
// Kubernetes versions the nodes run and how many instances are out of date.
// Enter on a failure opens what it is about (a node, or the instance groups).
// Below, the latest Events (warnings of the last minutes first) while there is room.
import { Box, Text } from 'ink';
import { eventListRows } from '../components/EventList.js';
import { LiveEventList } from '../components/LiveEventList.js';
import { LiveGate } from '../components/LiveGate.js';
import { LiveStatusLine } from '../components/LiveStatusLine.js';
import { Table, TABLE_CHROME_ROWS } from '../components/Table.js';
import type { ValidationFailure, ValidationResult } from '../engine/health/validate-cluster-health.js';
import type { ReadyzResult } from '../engine/kube/readyz.js';
import { byRelevance } from '../engine/live-model/event-rows.js';
import type { ModelSnapshot } from '../engine/live-model/types.js';
import type { KeyAction } from '../input/actions.js';
import { useBodySize } from '../hooks/useBodySize.js';
import { useClusterEvents } from '../hooks/useClusterEvents.js';
import { useClusterValidation } from '../hooks/useClusterValidation.js';
import { useScreenActions } from '../hooks/useKeymap.js';
import { useLiveCluster } from '../hooks/useLiveCluster.js';
import { useRolloutStanding } from '../hooks/useRolloutStanding.js';
import { useRouter, type Router } from '../hooks/useRouter.js';
import { standingSentence } from '../engine/rollout/standing.js';
import { useTable, type Column } from '../hooks/useTable.js';

const SUMMARY_ROWS = 7;
/** The Events block takes at most this many rows (title included)... */
const EVENT_ROWS = 10;
/** ...and leaves the failures table at least this many. */
const MIN_FAILURE_ROWS = 3;

const columns: Column<ValidationFailure>[] = [
  { key: 'kind', title: 'KIND', width: 13, sortKey: 'K', value: (f) => f.kind },
  { key: 'name', title: 'NAME', width: 24, grow: 1, sortKey: 'N', value: (f) => f.name },
  { key: 'message', title: 'MESSAGE', width: 30, grow: 3, value: (f) => f.message, color: () => 'red' },
];
const failureKey = (f: ValidationFailure) => `${f.kind}\u0000${f.name}\u0000${f.message}`;
const noFailures: readonly ValidationFailure[] = [];

function drillInto(failure: ValidationFailure, cluster: string, router: Router): void {
  if (failure.kind === 'Node') router.push({ name: 'node', cluster, node: failure.name });
  else if (failure.kind === 'InstanceGroup' || failure.kind === 'Machine') router.push({ name: 'instance-groups', cluster });
  else if (failure.kind === 'Pod') router.push({ name: 'nodes', cluster });
}

export function ClusterOverviewScreen({ cluster }: { cluster: string }) {
  const router = useRouter();
  const body = useBodySize();
  const { session, state, ready, snapshot } = useLiveCluster(cluster);
  const validation = useClusterValidation(state, snapshot);
  const failures = validation.result?.failures ?? noFailures;
  const events = useClusterEvents(cluster);
  // An unfinished or running rolling update is said here, not only once R is pressed.
  const rollout = standingSentence(useRolloutStanding(cluster), 'R');
  const summaryRows = SUMMARY_ROWS + (rollout ? Math.ceil(rollout.length / Math.max(1, body.columns)) : 0);
  const failureRows = failures.length > 0 ? TABLE_CHROME_ROWS + Math.min(failures.length, MIN_FAILURE_ROWS) : 0;
  const eventRows = eventListRows(events.rows.length, Math.min(EVENT_ROWS, body.rows - summaryRows - failureRows));
  const table = useTable({ id: 'failures', rows: failures, columns, rowKey: failureKey, height: body.rows - summaryRows - eventRows - TABLE_CHROME_ROWS, group: 'Failures' });
  const selected = table.selected;
  const actions: KeyAction[] = [
    { key: 'enter', label: 'open', disabled: !selected || selected.kind === 'APIServer', run: () => selected && drillInto(selected, cluster, router) },
    { key: 'n', label: 'nodes', run: () => router.push({ name: 'nodes', cluster }) },
    { key: 'i', label: 'instance groups', run: () => router.push({ name: 'instance-groups', cluster }) },
    { key: 'e', label: 'events', run: () => router.push({ name: 'events', cluster }) },
    { key: 's', label: 'spec', run: () => router.push({ name: 'cluster-spec', cluster }) },
    { key: 'R', label: 'rolling update', run: () => router.push({ name: 'rollout', cluster }) },
    { key: 'U', label: 'upgrade', run: () => router.push({ name: 'upgrade', cluster }) },
    {
      key: 'r',
      aliases: ['ctrl+r'],
      label: 'revalidate',
      run: () => {
        validation.recheck();
        void session.refresh();
      },
    },
    ...table.actions,
  ];
  useScreenActions('Cluster overview', actions, { cluster });

  return (
    <Box flexDirection="column">
      <Text bold color="cyan" wrap="truncate-end">{`Cluster ${cluster}`}</Text>
      <LiveStatusLine snapshot={snapshot} />
      <LiveGate cluster={cluster} state={state} ready={ready} width={body.columns}>
        {() => (
          <Box flexDirection="column">
            <Summary snapshot={snapshot!} />
            {rollout ? <Text color="yellow">{rollout}</Text> : null}
            <Verdict cluster={cluster} result={validation.result} readyz={validation.readyz} />
            {failures.length > 0 ? <Table table={table} width={body.columns} /> : null}
            <LiveEventList events={events} order={byRelevance} title="Events: recent warnings first, then the newest" width={body.columns} rows={eventRows} none="No Events: the API server keeps them an hour after their last occurrence." />
          </Box>
        )}
      </LiveGate>
    </Box>
  );
}

function Summary({ snapshot }: { snapshot: ModelSnapshot }) {
  const c = snapshot.counts;
  const versions = snapshot.versions.map((v) => `${v.version || '?'} (${v.nodes} node${v.nodes === 1 ? '' : 's'})`).join(', ');
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        {`Instance groups ${c.instanceGroups}   Instances ${c.instances}   `}
        <Text color={c.nodesReady < c.nodes ? 'red' : 'green'}>{`Nodes ${c.nodesReady}/${c.nodes} Ready`}</Text>
        {c.nodesCordoned > 0 ? <Text color="yellow">{` (${c.nodesCordoned} cordoned)`}</Text> : null}
        {`   Pods ${c.pods}`}
      </Text>
      <Text wrap="truncate-end">{`Kubernetes versions: ${versions || 'no nodes yet'}`}</Text>
      <Text wrap="truncate-end" color={c.outOfDate > 0 ? 'yellow' : undefined}>
        {c.outOfDate > 0
          ? `Out of date: ${c.outOfDate} instance${c.outOfDate === 1 ? '' : 's'} (launch template version behind their group's); a rolling update replaces them`
          : 'Out of date: none; every instance runs its group\'s current launch template'}
      </Text>
    </Box>
  );
}

function Verdict({ cluster, result, readyz }: { cluster: string; result: ValidationResult | undefined; readyz: ReadyzResult | undefined }) {
  const api = readyz ? (readyz.ok ? 'API server ready (/readyz ok)' : `API server not ready: ${readyz.message}`) : 'asking the API server /readyz…';
  if (!result) {
    return (
      <Box flexDirection="column">
        <Text dimColor>{api}</Text>
        <Text dimColor>Validating…</Text>
      </Box>
    );
  }
  const tolerated = result.tolerated.length > 0 ? ` (${result.tolerated.length} unready node(s) tolerated)` : '';
  return (
    <Box flexDirection="column">
      <Text color={readyz?.ok ? undefined : 'red'} wrap="truncate-end">{api}</Text>
      {result.ok ? (
        <Text color="green" bold>{`Validation passed: your cluster ${cluster} is ready${tolerated}`}</Text>
      ) : (
        <Text color="red" bold>{`Validation failed: ${result.failures.length} problem${result.failures.length === 1 ? '' : 's'}${tolerated}`}</Text>
      )}
    </Box>
  );
}
