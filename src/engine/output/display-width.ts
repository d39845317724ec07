// Widths as the terminal counts them, not as JavaScript does: a CJK character
// or an emoji takes two columns, a combining accent none. Tables and screens
// pad and cut by these widths, so a node name in Japanese or with an emoji
// keeps its columns aligned. Plain ASCII, nearly everything, takes a fast
// path, and so does text whose every character is known to take one column
// on its own (box drawing, arrows, bullets, the ellipsis): string-width
// segments anything that is not ASCII into graphemes and tests each against
// emoji patterns, and Ink measures every line of every frame with it
// (terminal/ink-string-width.ts). string-width is Ink's own measure, so screens
// and tables agree.
import stringWidth from 'string-width';

/**
 * Text made only of characters that string-width counts as one column each,
 * whatever is next to them: printable ASCII and Latin-1 (but the soft hyphen),
 * Greek, general punctuation (not the zero-width and direction marks around
 * it), arrows and mathematical operators, box drawing, blocks and geometric
 * shapes (not the two emoji among them), braille (Ink's spinners), and ⚠ ✓ ✗.
 * None of them joins a neighbour into one grapheme (no combining mark, joiner,
 * variation selector or emoji among them), so the width is the length.
 * test/terminal/display-width.test.ts checks every one of them against string-width.
 */
export const NARROW_TEXT = /^[\x20-\x7e\xa0-\xac\xae-\xff\u0370-\u03ff\u2010-\u2027\u2030-\u205e\u2190-\u22ff\u2500-\u25fc\u25ff\u2800-\u297f\u26a0\u2713\u2717]*$/;
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

export function displayWidth(text: string): number {
  return NARROW_TEXT.test(text) ? text.length : stringWidth(text);
}

/** `text` cut to at most `width` columns, ending with … when something was cut. */
export function truncateToWidth(text: string, width: number): string {
  if (width <= 0) return '';
  if (displayWidth(text) <= width) return text;
  if (NARROW_TEXT.test(text)) return width === 1 ? '…' : text.slice(0, width - 1) + '…';
  let kept = '';
  let used = 0;
  for (const { segment } of graphemes.segment(text)) {
    const next = stringWidth(segment);
    if (used + next > width - 1) break;
    kept += segment;
    used += next;
  }
  return kept + '…';
}

export function padEndToWidth(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

export function padStartToWidth(text: string, width: number): string {
  return ' '.repeat(Math.max(0, width - displayWidth(text))) + text;
}
