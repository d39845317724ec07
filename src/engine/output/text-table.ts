// Plain-text tables as kops and kubectl print them: upper-case headers,
// columns padded to the widest cell, three spaces between columns. Cells come
// from outside (Kubernetes, AWS, the state store): each is made terminal-safe
// before it is measured, and measured in terminal columns, so an escape or a
// wide character cannot break the columns.
import { stringify } from 'yaml';
import { displayWidth, padEndToWidth } from './display-width.js';
import { terminalSafe } from './terminal-safe.js';

export { isOutputFormat, OUTPUT_FORMATS, type OutputFormat } from './output-format.js';

export function renderTextTable(headers: string[], rawRows: string[][], gap = 3): string {
  const rows = rawRows.map((row) => row.map((cell) => terminalSafe(cell ?? '')));
  // A reduce, not Math.max(...rows): `get nodes` tables have thousands of rows.
  const widths = headers.map((header, column) => rows.reduce((width, row) => Math.max(width, displayWidth(row[column] ?? '')), displayWidth(header)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : padEndToWidth(cell ?? '', widths[column])))
      .join(' '.repeat(gap))
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n') + '\n';
}

/** Serialises data for `-o json` / `-o yaml`. */
export function renderData(data: unknown, format: 'json' | 'yaml'): string {
  return format === 'json' ? JSON.stringify(data, null, 2) + '\n' : stringify(data, { lineWidth: 0 });
}
