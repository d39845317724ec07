// Fitting text into fixed-width cells. Tables build one string per row, which
// keeps a frame cheap even when a screen shows many rows. Every cell is made
// terminal-safe here: its text comes from Kubernetes, AWS or the state store.
import { terminalSafe } from '../engine/output/terminal-safe.js';
import { padEndToWidth, padStartToWidth, truncateToWidth } from '../engine/output/display-width.js';

/** Exactly `width` terminal columns (display-width.ts: wide characters count two). */
export function fit(raw: string, width: number, align: 'left' | 'right' = 'left'): string {
  if (width <= 0) return '';
  const text = truncateToWidth(terminalSafe(raw), width);
  return align === 'right' ? padStartToWidth(text, width) : padEndToWidth(text, width);
}

/**
 * Widths for columns given their minimums and grow weights: every column gets
 * its minimum, the leftover goes to growing columns; when the minimums do not
 * fit, the last columns shrink (and may vanish) first.
 */
export function layoutColumns(specs: readonly { width: number; grow?: number }[], total: number, gap = 1): number[] {
  const widths = specs.map((s) => s.width);
  const gaps = Math.max(0, specs.length - 1) * gap;
  let overflow = widths.reduce((a, b) => a + b, 0) + gaps - total;
  for (let i = widths.length - 1; i >= 0 && overflow > 0; i--) {
    const cut = Math.min(widths[i], overflow);
    widths[i] -= cut;
    overflow -= cut;
  }
  const leftover = -overflow;
  const weight = specs.reduce((sum, s) => sum + (s.grow ?? 0), 0);
  if (leftover > 0 && weight > 0) {
    let given = 0;
    specs.forEach((s, i) => {
      const share = Math.floor((leftover * (s.grow ?? 0)) / weight);
      widths[i] += share;
      given += share;
    });
    let last = specs.length - 1;
    while ((specs[last].grow ?? 0) <= 0) last--;
    widths[last] += leftover - given;
  }
  return widths;
}
