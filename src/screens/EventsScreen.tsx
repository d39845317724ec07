// A cluster's Events, live, newest first: LAST SEEN TYPE REASON OBJECT
// MESSAGE COUNT FROM, warnings in yellow; `/` filters as in every table, W
// shows warnings only, and the selected Event's whole message is shown under
// the table. Enter on a node's Event opens the node.
import { Box, Text } from 'ink';
import { useMemo } from 'react';
import { Table, TABLE_CHROME_ROWS } from '../components/Table.js';
import { isWarning, objectText, type EventRow } from '../engine/live-model/event-rows.js';
import { ageTickMs, formatAge } from '../engine/live-model/node-row.js';
import { terminalSafe } from '../engine/output/terminal-safe.js';
import type { KeyAction } from '../input/actions.js';
import { useBodySize } from '../hooks/useBodySize.js';
import { useClusterEvents } from '../hooks/useClusterEvents.js';
import { useScreenActions } from '../hooks/useKeymap.js';
import { useTicker } from '../hooks/useLiveCluster.js';
import { useRouteMemory, useRouter } from '../hooks/useRouter.js';
import { useTable, type Column } from '../hooks/useTable.js';

/** The title line, and the two lines of the selected Event's message. */
const CHROME_ROWS = 3;

export function eventColumns(now: number): Column<EventRow>[] {
  return [
    { key: 'age', title: 'LAST SEEN', width: 9, sortKey: 'A', value: (e) => formatAge(e.lastAt, now), sortValue: (e) => -e.lastAt },
    { key: 'type', title: 'TYPE', width: 7, sortKey: 'T', value: (e) => e.type, color: (e) => (isWarning(e) ? 'yellow' : undefined) },
    { key: 'reason', title: 'REASON', width: 12, sortKey: 'R', value: (e) => e.reason },
    { key: 'object', title: 'OBJECT', width: 20, grow: 1, sortKey: 'O', value: objectText },
    { key: 'message', title: 'MESSAGE', width: 20, grow: 3, value: (e) => e.message },
    { key: 'count', title: 'COUNT', width: 5, align: 'right', sortKey: 'C', value: (e) => String(e.count), sortValue: (e) => e.count },
    { key: 'source', title: 'FROM', width: 10, value: (e) => e.source },
  ];
}

const rowKey = (e: EventRow) => e.key;
const onlyWarnings = (rows: readonly EventRow[]) => rows.filter(isWarning);

export function EventsScreen({ cluster }: { cluster: string }) {
  const router = useRouter();
  const body = useBodySize();
  const [warningsOnly, setWarningsOnly] = useRouteMemory('events:warnings', false);
  const events = useClusterEvents(cluster, warningsOnly ? onlyWarnings : undefined);
  const now = useTicker(() => events.clock.now(), ageTickMs(events.clock));
  const columns = useMemo(() => eventColumns(now), [now]);
  const errorRows = events.error ? 1 : 0;
  const table = useTable({ id: 'events', rows: events.rows, columns, rowKey, height: body.rows - CHROME_ROWS - errorRows - TABLE_CHROME_ROWS });
  const selected = table.selected;
  const actions: KeyAction[] = [
    {
      key: 'enter',
      label: 'open node',
      disabled: selected?.object.kind !== 'Node',
      run: () => selected && router.push({ name: 'node', cluster, node: selected.object.name }),
    },
    { key: 'W', label: warningsOnly ? 'all events' : 'warnings only', run: () => setWarningsOnly(!warningsOnly) },
    ...table.actions,
  ];
  useScreenActions(`Events of ${cluster}`, actions, { cluster });

  const warnings = events.rows.filter(isWarning).length;
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold color="cyan">{`Events(${cluster})[${events.synced ? events.rows.length : '…'}]`}</Text>
        {warningsOnly ? <Text color="yellow">{'  warnings only'}</Text> : warnings > 0 ? <Text color="yellow">{`  ${warnings} warning${warnings === 1 ? '' : 's'}`}</Text> : null}
        <Text dimColor>{'  newest first; the API server keeps Events an hour'}</Text>
      </Text>
      {events.error ? <Text color="red" wrap="truncate-end">{terminalSafe(events.error)}</Text> : null}
      <Table table={table} width={body.columns} emptyMessage={events.synced ? (warningsOnly ? 'No warnings.' : 'No Events.') : 'Listing Events…'} />
      <Box height={2} overflowY="hidden">
        <Text wrap="wrap" dimColor={!selected}>
          {selected ? terminalSafe(`${selected.reason} ${objectText(selected)} (${selected.source}): ${selected.message}`) : ' '}
        </Text>
      </Box>
    </Box>
  );
}
