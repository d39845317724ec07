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
