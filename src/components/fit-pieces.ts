// Fitting a line made of pieces (status, counts, times; key hints) into a
// width without losing what matters: every piece in its long form if that
// fits, else every piece in its short form, else the pieces that are not
// essential are left out from the end. Essential pieces are never left out,
// so a narrow terminal still shows, say, the abort key and the ETA.
import { displayWidth } from '../engine/output/display-width.js';

export interface Piece {
  long: string;
  /** The same, said in fewer columns (defaults to long). */
  short?: string;
  /** Kept whatever the width. */
  essential?: boolean;
}

export interface FittedPiece {
  /** Index in the pieces given. */
  index: number;
  text: string;
}

/**
 * The pieces to show, in their order, within `width` (essential ones even if
 * they do not fit). Long forms are joined by `separator`, short ones by
 * `shortSeparator` (the same by default).
 */
export function fitPieces(pieces: readonly Piece[], width: number, separator: string, shortSeparator = separator): FittedPiece[] {
  const all = pieces.map((_, index) => index);
  const long = pieces.map((p) => p.long);
  if (lineWidth(all, long, separator) <= width) return all.map((index) => ({ index, text: long[index] })).filter((p) => p.text !== '');
  separator = shortSeparator;
  const short = pieces.map((p) => p.short ?? p.long);
  const kept = [...all];
  // Leave out optional pieces from the end until the line fits.
  for (let i = kept.length - 1; i >= 0 && lineWidth(kept, short, separator) > width; i--) {
    if (!pieces[kept[i]].essential) kept.splice(i, 1);
  }
  return kept.filter((index) => short[index] !== '').map((index) => ({ index, text: short[index] }));
}

function lineWidth(indexes: readonly number[], texts: readonly string[], separator: string): number {
  const shown = indexes.filter((i) => texts[i] !== '');
  return shown.reduce((sum, i) => sum + displayWidth(texts[i]), 0) + Math.max(0, shown.length - 1) * displayWidth(separator);
}
