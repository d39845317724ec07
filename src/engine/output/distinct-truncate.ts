// Cutting several texts to one width so that different texts still look
// different: two Event messages that differ only past the cut ("... to
// ip-10-0-1-5" and "... to ip-10-0-1-6") would otherwise read the same. Each
// text is cut at its end (or in its middle, for names whose tail tells them
// apart); where that makes different texts equal, those show their start, an
// ellipsis, and the stretch around where they differ.
import { displayWidth, truncateToWidth } from './display-width.js';

export type TruncateStyle = 'end' | 'middle';

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

interface Glyphs {
  parts: string[];
  widths: number[];
}

function glyphsOf(text: string): Glyphs {
  const parts = [...graphemes.segment(text)].map((g) => g.segment);
  return { parts, widths: parts.map((p) => displayWidth(p)) };
}

/** The longest run of glyphs from `start` (forwards) or ending at `end` (backwards) within `width` columns. */
function take(g: Glyphs, from: number, width: number, backwards = false): string {
  let used = 0;
  const out: string[] = [];
  for (let i = from; backwards ? i >= 0 : i < g.parts.length; i += backwards ? -1 : 1) {
    if (used + g.widths[i] > width) break;
    used += g.widths[i];
    out.push(g.parts[i]);
  }
  return (backwards ? out.reverse() : out).join('');
}

/** `text` in `width` columns with an ellipsis in the middle: its start and its end. */
export function truncateMiddle(text: string, width: number): string {
  if (width <= 0) return '';
  if (displayWidth(text) <= width) return text;
  if (width < 3) return truncateToWidth(text, width);
  const g = glyphsOf(text);
  const head = Math.floor((width - 1) * 0.4);
  return take(g, 0, head) + '…' + take(g, g.parts.length - 1, width - 1 - head, true);
}

/** Index (in glyphs) of the first glyph where a and b differ. */
function firstDifference(a: Glyphs, b: Glyphs): number {
  let i = 0;
  while (i < a.parts.length && i < b.parts.length && a.parts[i] === b.parts[i]) i++;
  return i;
}

/** Its start, an ellipsis, then the stretch from a little before glyph `at` (and an ellipsis if more follows). */
function aroundDifference(text: string, at: number, width: number): string {
  if (width < 5) return truncateToWidth(text, width);
  const g = glyphsOf(text);
  const head = take(g, 0, Math.floor((width - 2) / 3));
  const headLength = [...graphemes.segment(head)].length;
  const room = width - displayWidth(head) - 1;
  // The tail, when it fits from somewhere at or before the difference.
  let start = g.parts.length;
  let tail = 0;
  while (start > headLength && tail + g.widths[start - 1] <= room) tail += g.widths[--start];
  if (start <= at) return head + '…' + g.parts.slice(start).join('');
  const from = Math.max(headLength, at - Math.floor(room / 3));
  return head + '…' + take(g, from, room - 1) + '…';
}

export function distinctTruncate(texts: readonly string[], width: number, style: TruncateStyle = 'end'): string[] {
  const out = texts.map((t) => (style === 'middle' ? truncateMiddle(t, width) : truncateToWidth(t, width)));
  // A few passes: fixing one group can leave a smaller group that still collides.
  for (let pass = 0; pass < 3; pass++) {
    const groups = new Map<string, number[]>();
    out.forEach((shown, i) => groups.set(shown, [...(groups.get(shown) ?? []), i]));
    let changed = false;
    for (const members of groups.values()) {
      if (new Set(members.map((i) => texts[i])).size < 2) continue;
      const glyphs = members.map((i) => glyphsOf(texts[i]));
      members.forEach((i, m) => {
        const others = members.filter((j, n) => n !== m && texts[j] !== texts[i]);
        const at = Math.min(...others.map((j) => firstDifference(glyphs[m], glyphs[members.indexOf(j)])));
        const next = aroundDifference(texts[i], at, width);
        if (next !== out[i]) changed = true;
        out[i] = next;
      });
    }
    if (!changed) break;
  }
  return out;
}
