// Which columns a table shows at a width, and how wide each is. Every column
// is at least as wide as its own minimum and wide enough that no two
// different values on screen are cut to the same text (v1.32.5 and v1.33.1
// never both read "v1.3…"). When that does not fit, whole columns are left
// out, least important first, and named, so the screen can say what it hides
// instead of dropping them silently.
import { displayWidth, truncateToWidth } from '../engine/output/display-width.js';

export interface LayoutColumn {
  title: string;
  /** Minimum width in cells. */
  width: number;
  /** Share of the width left over once every column has what it needs. */
  grow?: number;
  /** Lower is kept longer; columns without one rank by position after those with one. */
  priority?: number;
}

export interface TableLayout {
  /** Indexes of the columns shown, in their order. */
  shown: number[];
  /** Widths of the shown columns, in the same order. */
  widths: number[];
  /** Titles of the columns left out for lack of width. */
  hidden: string[];
}

/** The narrowest width from `min` at which distinct values stay distinct once cut (at most the longest value). */
export function distinctWidth(values: readonly string[], min: number): number {
  const distinct = [...new Set(values)];
  const longest = Math.max(0, ...distinct.map(displayWidth));
  for (let width = min; width < longest; width++) {
    const cut = new Set(distinct.map((v) => truncateToWidth(v, width)));
    if (cut.size === distinct.length) return width;
  }
  return Math.max(min, longest);
}

/**
 * Lays out columns in `total` cells with `gap` between them. `values[i]` are
 * the values column i shows on screen now.
 */
export function layoutTable(columns: readonly LayoutColumn[], values: readonly (readonly string[])[], total: number, gap = 1): TableLayout {
  const need = columns.map((c, i) => distinctWidth(values[i] ?? [], Math.max(c.width, displayWidth(c.title))));
  const rank = (i: number) => columns[i].priority ?? columns.length + i;
  let shown = columns.map((_, i) => i);
  const used = (indexes: number[]) => indexes.reduce((sum, i) => sum + need[i], 0) + Math.max(0, indexes.length - 1) * gap;
  while (shown.length > 1 && used(shown) > total) {
    const least = shown.reduce((a, b) => (rank(b) > rank(a) ? b : a));
    shown = shown.filter((i) => i !== least);
  }
  const widths = shown.map((i) => need[i]);
  // One column left and still too wide: it is cut to the width there is.
  if (shown.length === 1) widths[0] = Math.min(widths[0], total);
  const leftover = total - used(shown);
  const weight = shown.reduce((sum, i) => sum + (columns[i].grow ?? 0), 0);
  if (leftover > 0 && weight > 0) {
    let given = 0;
    shown.forEach((column, k) => {
      const share = Math.floor((leftover * (columns[column].grow ?? 0)) / weight);
      widths[k] += share;
      given += share;
    });
    let last = shown.length - 1;
    while ((columns[shown[last]].grow ?? 0) <= 0) last--;
    widths[last] += leftover - given;
  }
  const kept = new Set(shown);
  return { shown, widths, hidden: columns.filter((_, i) => !kept.has(i)).map((c) => c.title) };
}
