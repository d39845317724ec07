// A table that renders only the rows on screen: a header with the sort marker,
// the visible window with the selected row highlighted, and a status line
// (position, filter). State and keys come from useTable.
import { Box, Text } from 'ink';
import { memo } from 'react';
import type { Column, TableModel } from '../hooks/useTable.js';
import { fit } from './cells.js';
import { layoutTable } from './table-layout.js';

export interface TableProps<T> {
  table: TableModel<T>;
  width: number;
  /** Shown in place of rows when there are none (after filtering). */
  emptyMessage?: string;
}

function renderRow<T>(row: T, columns: readonly Column<T>[], widths: number[]): string {
  return columns.map((c, i) => fit(c.value(row), widths[i], c.align)).join(' ');
}

const Row = memo(function Row({ text, selected, color }: { text: string; selected: boolean; color?: string }) {
  return (
    <Text inverse={selected} color={selected ? undefined : color} wrap="truncate-end">
      {text}
    </Text>
  );
});

export function Table<T>({ table, width, emptyMessage = 'Nothing to show.' }: TableProps<T>) {
  const { sort } = table;
  // Widths fit the values on screen (none cut to look like another); columns that do not fit are named below.
  const layout = layoutTable(
    table.columns,
    table.columns.map((c) => table.visible.map((row) => c.value(row))),
    width,
  );
  const columns = layout.shown.map((i) => table.columns[i]);
  const widths = layout.widths;
  const header = columns
    .map((c, i) => {
      if (sort?.column !== c.key) return fit(c.title, widths[i], c.align);
      // Keep the sort marker visible even when the title has to be cut.
      const title = c.title.length + 1 > widths[i] ? fit(c.title, widths[i] - 1) : c.title;
      return fit(title + (sort.descending ? '↓' : '↑'), widths[i], c.align);
    })
    .join(' ');
  const position = table.rows.length === 0 ? 0 : table.selectedIndex + 1;
  const counts = table.filter
    ? `${position}/${table.rows.length} of ${table.totalCount} · filter: ${table.filter}`
    : `${position}/${table.rows.length}`;
  const hidden = layout.hidden.length ? ` · not shown at this width: ${layout.hidden.join(', ')}` : '';
  return (
    <Box flexDirection="column" width={width}>
      <Text bold wrap="truncate-end">
        {header}
      </Text>
      {table.visible.length === 0 ? (
        <Text dimColor>{table.filter ? `No rows match "${table.filter}". Press Esc to clear the filter.` : emptyMessage}</Text>
      ) : (
        table.visible.map((row, i) => {
          const selected = table.offset + i === table.selectedIndex;
          const color = columns.map((c) => c.color?.(row)).find(Boolean);
          return <Row key={table.rowKey(row)} text={renderRow(row, columns, widths)} selected={selected} color={color} />;
        })
      )}
      <Text dimColor wrap="truncate-end">
        {counts + hidden}
      </Text>
    </Box>
  );
}

/** Lines a Table needs besides its data rows (header and status line). */
export const TABLE_CHROME_ROWS = 2;
