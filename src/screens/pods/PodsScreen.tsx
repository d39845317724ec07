// A cluster's pods (or one node's), live: NAMESPACE NAME READY STATUS RESTARTS
// NODE AGE OWNER, from the live session's pod informer. l shows a pod's log,
// y its YAML; ctrl-d / D delete it and e evicts it through the Eviction API,
// each after a question that says what will happen.
import { Box, Text } from 'ink';
import { useMemo, useState } from 'react';
import { LiveGate } from '../../components/LiveGate.js';
import { LiveStatusLine } from '../../components/LiveStatusLine.js';
import { Notice, noticeRows, type NoticeMessage } from '../../components/Notice.js';
import { Table, TABLE_CHROME_ROWS } from '../../components/Table.js';
import { systemClock } from '../../engine/clock.js';
import { apiMessage } from '../../engine/kube/client.js';
import { deletePod, evictPod } from '../../engine/kube/pod-ops.js';
import { ageTickMs } from '../../engine/live-model/node-row.js';
import type { PodRow } from '../../engine/live-model/pod-rows.js';
import type { KeyAction } from '../../input/actions.js';
import { useServices } from '../../hooks/services.js';
import { useBodySize } from '../../hooks/useBodySize.js';
import { useScreenActions } from '../../hooks/useKeymap.js';
import { useLiveCluster, useTicker } from '../../hooks/useLiveCluster.js';
import { usePodRows } from '../../hooks/usePodRows.js';
import { useRouter } from '../../hooks/useRouter.js';
import { useShell } from '../../hooks/useShell.js';
import { useTable } from '../../hooks/useTable.js';
import { podColumns } from './pod-columns.js';
import { deleteQuestion, evictQuestion, podRefText } from './pod-disruption-text.js';

const TITLE_ROWS = 2;
const rowKey = (row: PodRow) => row.key;

export function PodsScreen({ cluster, node }: { cluster: string; node?: string }) {
  const services = useServices();
  const router = useRouter();
  const shell = useShell();
  const body = useBodySize();
  const { state, live, ready, snapshot } = useLiveCluster(cluster, 'nodes');
  const pods = usePodRows(live, snapshot, node);
  const clock = services.access?.clock ?? systemClock;
  const now = useTicker(() => clock.now(), ageTickMs(clock));
  const columns = useMemo(() => podColumns(now), [now]);
  // A refusal or an error stays on screen, whole, until dismissed (the flash line is one row for a few seconds).
  const [notice, setNotice] = useState<NoticeMessage | undefined>(undefined);
  const height = body.rows - TITLE_ROWS - TABLE_CHROME_ROWS - noticeRows(notice, body.columns);
  const table = useTable({ id: 'pods', rows: pods.rows, columns, rowKey, height });
  const selected = table.selected;
  const kube = state.status === 'live' ? state.kube : undefined;

  const failed = (what: string) => (error: unknown) => setNotice({ text: `Could not ${what}: ${apiMessage(error)}`, level: 'error' });
  const remove = (row: PodRow) => {
    if (!kube) return;
    setNotice(undefined);
    deletePod(kube, row).then(() => shell.flash(`Pod ${podRefText(row)} is being deleted: its containers get their grace period to stop.`), failed(`delete pod ${podRefText(row)}`));
  };
  const evict = (row: PodRow) => {
    if (!kube) return;
    setNotice(undefined);
    evictPod(kube, row).then((result) => {
      if (result.evicted) shell.flash(`Pod ${podRefText(row)} evicted: it is being deleted with its grace period.`);
      else setNotice({ text: `Eviction of ${podRefText(row)} refused, nothing was done: ${result.reason}`, level: 'warn' });
    }, failed(`evict pod ${podRefText(row)}`));
  };
  const deleting = selected ? deleteQuestion(selected) : undefined;
  const evicting = selected ? evictQuestion(selected) : undefined;
  const actions: KeyAction[] = [
    {
      key: 'l',
      label: 'logs',
      disabled: !selected,
      run: () => selected && router.push({ name: 'pod-logs', cluster, namespace: selected.namespace, pod: selected.name }),
    },
    {
      key: 'y',
      label: 'YAML',
      disabled: !selected,
      run: () => selected && router.push({ name: 'yaml', cluster, kind: 'pod', namespace: selected.namespace, object: selected.name }),
    },
    {
      key: 'e',
      label: 'evict',
      dangerous: true,
      confirm: evicting?.message,
      confirmDetail: evicting?.detail,
      disabled: !selected || !kube,
      run: () => selected && evict(selected),
    },
    {
      key: 'ctrl+d',
      aliases: ['D'],
      label: 'delete',
      dangerous: true,
      confirm: deleting?.message,
      confirmDetail: deleting?.detail,
      disabled: !selected || !kube,
      run: () => selected && remove(selected),
    },
    // While a message is shown, Esc dismisses it (and only then clears the filter, or goes back).
    ...(notice ? [{ key: 'escape', label: 'dismiss message', run: () => setNotice(undefined) }] : []),
    ...table.actions.filter((action) => !(notice && action.key === 'escape')),
  ];
  useScreenActions('Pods', actions, { cluster });

  return (
    <Box flexDirection="column">
      <PodsTitle cluster={cluster} node={node} rows={pods.rows} listing={ready && !pods.listed} />
      <LiveStatusLine snapshot={snapshot} />
      <Notice notice={notice} width={body.columns} />
      <LiveGate cluster={cluster} state={state} ready={ready} width={body.columns}>
        {() => (
          <Table
            table={table}
            width={body.columns}
            emptyMessage={pods.listed ? (node ? `No pods on ${node}.` : `${cluster} has no pods.`) : `Listing the pods of ${cluster}…`}
          />
        )}
      </LiveGate>
    </Box>
  );
}

function PodsTitle({ cluster, node, rows, listing }: { cluster: string; node?: string; rows: readonly PodRow[]; listing: boolean }) {
  const unhealthy = useMemo(() => rows.filter((row) => !row.healthy).length, [rows]);
  return (
    <Text wrap="truncate-end">
      <Text bold color="cyan">{`Pods(${cluster})[${rows.length}]`}</Text>
      {node ? <Text bold>{`  on node ${node}`}</Text> : null}
      {unhealthy ? <Text color="yellow">{`  ${unhealthy} neither ready nor completed`}</Text> : null}
      {listing ? <Text dimColor>{`  still listing pods (${rows.length} so far)…`}</Text> : null}
    </Text>
  );
}
