// Table state: sorting, filtering, the selected row (kept by key, so it stays on
// the same object when rows change live) and the window of visible rows. The
// actions it returns go into the screen's useScreenActions list.
import { useMemo, useRef } from 'react';
import type { KeyAction } from '../input/actions.js';
import { matchesFilter, useFilter } from './useFilter.js';
import { useRouteMemory } from './useRouter.js';
import { clamp } from './useScroll.js';

export interface Column<T> {
  key: string;
  title: string;
  /** Minimum width in cells. */
  width: number;
  /** Share of the width left over once every column has its minimum. */
  grow?: number;
  /** When the terminal is too narrow for every column: lower is kept longer (default: by position). */
  priority?: number;
  align?: 'left' | 'right';
  value(row: T): string;
  /** Sort by this instead of value() (numbers sort numerically). */
  sortValue?(row: T): string | number;
  /** The key that sorts by this column, k9s style (e.g. 'N' for NAME). */
  sortKey?: string;
  color?(row: T): string | undefined;
}

export interface SortState {
  column: string;
  descending: boolean;
}

export interface TableOptions<T> {
  /** Distinguishes this table's remembered state from other tables on the screen. */
  id: string;
  rows: readonly T[];
  columns: readonly Column<T>[];
  rowKey(row: T): string;
  /** How many data rows fit on screen. */
  height: number;
  initialSort?: SortState;
  group?: string;
}

export interface TableModel<T> {
  columns: readonly Column<T>[];
  /** Rows after filter and sort. */
  rows: readonly T[];
  /** Only the rows on screen. */
  visible: readonly T[];
  offset: number;
  selectedIndex: number;
  selected: T | undefined;
  totalCount: number;
  filter: string;
  sort: SortState | undefined;
  rowKey(row: T): string;
  actions: KeyAction[];
}

// One collator for every comparison: localeCompare with options builds one per call,
// which made re-sorting 5,000 rows on each live update cost tens of milliseconds.
const collator = new Intl.Collator(undefined, { numeric: true });

function compareValues(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return collator.compare(String(a), String(b));
}

function sortRows<T>(rows: readonly T[], columns: readonly Column<T>[], sort: SortState | undefined): readonly T[] {
  const column = sort && columns.find((c) => c.key === sort.column);
  if (!column || !sort) return rows;
  const valueOf = column.sortValue ?? column.value;
  const keyed = rows.map((row) => ({ row, value: valueOf(row) }));
  keyed.sort((a, b) => compareValues(a.value, b.value) * (sort.descending ? -1 : 1));
  return keyed.map((k) => k.row);
}

/**
 * The filter's text of a row (its cells, lower-cased), remembered per row
 * object: live rows are replaced only when their node changes, so a filtered
 * view re-derives the text of the changed rows, not of all 5,000.
 */
function filterTexts<T>(columns: readonly Column<T>[]): (row: T) => string {
  const cache = new WeakMap<object, string>();
  return (row) => {
    const cacheable = typeof row === 'object' && row !== null;
    const known = cacheable ? cache.get(row) : undefined;
    if (known !== undefined) return known;
    const text = columns.map((c) => c.value(row)).join(' ').toLowerCase();
    if (cacheable) cache.set(row, text);
    return text;
  };
}

/** Where the row with `key` is now: first where it was (the usual case), else a scan. */
function findRow<T>(rows: readonly T[], rowKey: (row: T) => string, key: string | undefined, hint: number): number | undefined {
  if (key === undefined) return undefined;
  if (hint < rows.length && rowKey(rows[hint]) === key) return hint;
  for (let i = 0; i < rows.length; i++) if (rowKey(rows[i]) === key) return i;
  return undefined;
}

/** Keeps the selected row inside the window, moving the window as little as possible. */
export function scrollWindow(previousOffset: number, selected: number, height: number, total: number): number {
  const maxOffset = Math.max(0, total - height);
  let offset = clamp(previousOffset, 0, maxOffset);
  if (selected < offset) offset = selected;
  if (selected >= offset + height) offset = selected - height + 1;
  return clamp(offset, 0, maxOffset);
}

export function useTable<T>(options: TableOptions<T>): TableModel<T> {
  const { id, rows, columns, rowKey, initialSort } = options;
  const height = Math.max(1, options.height);
  const group = options.group ?? 'Table';
  const filter = useFilter(id, group);
  const [sort, setSort] = useRouteMemory<SortState | undefined>(`${id}:sort`, initialSort);
  const [selectedKey, setSelectedKey] = useRouteMemory<string | undefined>(`${id}:selected`, undefined);
  const lastIndex = useRef(0);
  const offsetRef = useRef(0);

  const textOf = useMemo(() => filterTexts(columns), [columns]);
  const filtered = useMemo(() => {
    if (filter.text === '') return rows;
    return rows.filter((row) => matchesFilter(textOf(row), filter.text));
  }, [rows, textOf, filter.text]);
  const sorted = useMemo(() => sortRows(filtered, columns, sort), [filtered, columns, sort]);

  // The selection follows its row; if the row went away, stay at the same position.
  const found = findRow(sorted, rowKey, selectedKey, lastIndex.current);
  const selectedIndex = sorted.length === 0 ? -1 : clamp(found ?? lastIndex.current, 0, sorted.length - 1);
  lastIndex.current = Math.max(0, selectedIndex);
  const offset = scrollWindow(offsetRef.current, Math.max(0, selectedIndex), height, sorted.length);
  offsetRef.current = offset;

  const actions = useMemo<KeyAction[]>(() => {
    // Moves start from lastIndex (updated synchronously), not from this render's
    // selection, so several keys in one input event all count.
    const select = (target: (current: number) => number) => () => {
      if (sorted.length === 0) return;
      const index = clamp(target(lastIndex.current), 0, sorted.length - 1);
      lastIndex.current = index;
      setSelectedKey(rowKey(sorted[index]));
    };
    const page = Math.max(1, height - 1);
    const moves: KeyAction[] = [
      { key: 'down', aliases: ['j'], label: 'down', group, hidden: true, run: select((at) => at + 1) },
      { key: 'up', aliases: ['k'], label: 'up', group, hidden: true, run: select((at) => at - 1) },
      { key: 'pagedown', aliases: ['ctrl+f'], label: 'page down', group, hidden: true, run: select((at) => at + page) },
      { key: 'pageup', aliases: ['ctrl+b'], label: 'page up', group, hidden: true, run: select((at) => at - page) },
      { key: 'g', aliases: ['home'], label: 'first row', group, hidden: true, run: select(() => 0) },
      { key: 'G', aliases: ['end'], label: 'last row', group, hidden: true, run: select(() => sorted.length - 1) },
    ];
    const sorts: KeyAction[] = columns
      .filter((c) => c.sortKey)
      .map((c) => ({
        key: c.sortKey!,
        label: `sort by ${c.title}`,
        group: 'Sort',
        hidden: true,
        run: () => setSort((previous) => ({ column: c.key, descending: previous?.column === c.key ? !previous.descending : false })),
      }));
    return [...moves, ...filter.actions, ...sorts];
  }, [sorted, height, group, columns, filter.actions, rowKey, setSelectedKey, setSort]);

  return {
    columns,
    rows: sorted,
    visible: sorted.slice(offset, offset + height),
    offset,
    selectedIndex,
    selected: selectedIndex >= 0 ? sorted[selectedIndex] : undefined,
    totalCount: rows.length,
    filter: filter.text,
    sort,
    rowKey,
    actions,
  };
}
