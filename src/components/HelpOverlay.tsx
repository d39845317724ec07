// `?`: every key of the current screen and the global ones, grouped, side by
// side as the width allows. When the groups do not fit the height, the help
// scrolls (j/k, PgDn/PgUp, g/G) and says how much is left.
import { Box, Text } from 'ink';
import { useLayoutEffect } from 'react';
import { groupActions, type KeyAction } from '../input/actions.js';
import { displayKey } from '../input/keys.js';
import { padEndToWidth, truncateToWidth } from '../engine/output/display-width.js';

export interface HelpOverlayProps {
  screenTitle: string;
  screenActions: readonly KeyAction[];
  globalActions: readonly KeyAction[];
  width: number;
  height: number;
  /** First row of the groups shown (scrolled by the shell). */
  offset: number;
  /** Tells the shell how far the help can scroll and how many rows a page is. */
  onLimits(limits: { maxOffset: number; page: number }): void;
}

/** One cell of the help: a group's title, a key with its label, or nothing. */
export type HelpCell = { kind: 'title'; text: string } | { kind: 'key'; keys: string; keyWidth: number; label: string; dangerous: boolean; disabled: boolean } | { kind: 'blank' };

const GUTTER = 3;
/** Lines above the groups: the title and how to close. */
const HEAD_ROWS = 2;

function keysOf(action: KeyAction): string {
  return [action.key, ...(action.aliases ?? [])].map(displayKey).join('/');
}

function blockOf(title: string, actions: readonly KeyAction[]): HelpCell[] {
  const keyWidth = Math.max(...actions.map((a) => keysOf(a).length));
  const entries = actions.map((a): HelpCell => ({ kind: 'key', keys: keysOf(a), keyWidth, label: `${a.label}${a.dangerous ? ' (asks first)' : ''}`, dangerous: Boolean(a.dangerous), disabled: Boolean(a.disabled) }));
  return [{ kind: 'title', text: title }, ...entries, { kind: 'blank' }];
}

const cellText = (cell: HelpCell) => (cell.kind === 'title' ? cell.text : cell.kind === 'key' ? `${cell.keys.padEnd(cell.keyWidth)}  ${cell.label}` : '');

/**
 * The groups laid out in as many columns as the width holds (each group kept
 * whole in one column, columns of about equal height): rows of cells, and
 * each column's width.
 */
export function helpRows(blocks: readonly HelpCell[][], width: number): { rows: HelpCell[][]; widths: number[] } {
  const columnWidth = Math.max(...blocks.flat().map((c) => cellText(c).length)) + GUTTER;
  const count = Math.max(1, Math.min(blocks.length, Math.floor((width + GUTTER) / columnWidth)));
  const total = blocks.reduce((sum, b) => sum + b.length, 0);
  const target = Math.ceil(total / count);
  const columns: HelpCell[][] = [[]];
  for (const block of blocks) {
    const current = columns[columns.length - 1];
    if (current.length > 0 && current.length + block.length > target && columns.length < count) columns.push([...block]);
    else current.push(...block);
  }
  const height = Math.max(...columns.map((c) => c.length));
  const rows = Array.from({ length: height }, (_, r) => columns.map((column) => column[r] ?? { kind: 'blank' as const }));
  const widths = columns.map((column) => Math.max(0, ...column.map((c) => cellText(c).length)) + GUTTER);
  return { rows, widths };
}

function Cell({ cell, width }: { cell: HelpCell; width: number }) {
  const text = padEndToWidth(truncateToWidth(cellText(cell), Math.max(0, width - 1)), width);
  if (cell.kind === 'title')
    return (
      <Text bold color="cyan">
        {text}
      </Text>
    );
  if (cell.kind === 'blank') return <Text>{text}</Text>;
  return (
    <Text dimColor={cell.disabled}>
      <Text color={cell.dangerous ? 'red' : 'yellow'}>{text.slice(0, cell.keyWidth)}</Text>
      {text.slice(cell.keyWidth)}
    </Text>
  );
}

export function HelpOverlay({ screenTitle, screenActions, globalActions, width, height, offset, onLimits }: HelpOverlayProps) {
  const groups = [...groupActions(screenActions, screenTitle), ['Global', [...globalActions]] as const];
  const { rows, widths } = helpRows(
    groups.map(([title, actions]) => blockOf(title, actions)),
    width,
  );
  const room = Math.max(1, height - HEAD_ROWS);
  // The last row of a scrolling help says where it is.
  const page = rows.length > room ? room - 1 : room;
  const maxOffset = Math.max(0, rows.length - page);
  const top = Math.min(Math.max(0, offset), maxOffset);
  useLayoutEffect(() => onLimits({ maxOffset, page }), [onLimits, maxOffset, page]);
  const shown = rows.slice(top, top + page);
  return (
    <Box flexDirection="column" width={width} height={height} overflowY="hidden">
      <Text bold wrap="truncate-end">{`Help: ${screenTitle}`}</Text>
      <Text dimColor wrap="truncate-end">
        Press Esc or ? to close.
      </Text>
      {shown.map((row, r) => (
        <Text key={top + r} wrap="truncate-end">
          {row.map((cell, c) => (
            <Cell key={c} cell={cell} width={widths[c]} />
          ))}
        </Text>
      ))}
      {rows.length > page ? <Text dimColor wrap="truncate-end">{`rows ${top + 1}-${top + shown.length} of ${rows.length} · j/k scroll, PgDn/PgUp page, g/G top/bottom`}</Text> : null}
    </Box>
  );
}
