// Plain-text tables as kops and kubectl print them: upper-case headers,
// columns padded to the widest cell, three spaces between columns.
import { stringify } from 'yaml';

export type OutputFormat = 'table' | 'json' | 'yaml';

export const OUTPUT_FORMATS: readonly OutputFormat[] = ['table', 'json', 'yaml'];

export function isOutputFormat(value: string): value is OutputFormat {
  return (OUTPUT_FORMATS as readonly string[]).includes(value);
}

export function renderTextTable(headers: string[], rows: string[][], gap = 3): string {
  // A reduce, not Math.max(...rows): `get nodes` tables have thousands of rows.
  const widths = headers.map((header, column) => rows.reduce((width, row) => Math.max(width, (row[column] ?? '').length), header.length));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : (cell ?? '').padEnd(widths[column])))
      .join(' '.repeat(gap))
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n') + '\n';
}

/** Serialises data for `-o json` / `-o yaml`. */
export function renderData(data: unknown, format: 'json' | 'yaml'): string {
  return format === 'json' ? JSON.stringify(data, null, 2) + '\n' : stringify(data, { lineWidth: 0 });
}
