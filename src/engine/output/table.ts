// Plain-text tables as kubectl and kops print them: upper-case headers, columns
// padded to their widest cell, three spaces between columns, no borders.
export function renderTable(headers: string[], rows: string[][], gap = 3): string {
  const widths = headers.map((h, i) => rows.reduce((w, row) => Math.max(w, (row[i] ?? '').length), h.length));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : (cell ?? '').padEnd(widths[i] + gap)))
      .join('')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n') + '\n';
}

export type OutputFormat = 'table' | 'json' | 'yaml';

export function isOutputFormat(value: string): value is OutputFormat {
  return value === 'table' || value === 'json' || value === 'yaml';
}
