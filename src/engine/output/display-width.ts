// Widths as the terminal counts them, not as JavaScript does: a CJK character
// or an emoji takes two columns, a combining accent none. Tables and screens
// pad and cut by these widths, so a node name in Japanese or with an emoji
// keeps its columns aligned. Plain ASCII, nearly everything, takes the fast
// path. (string-width is Ink's own measure, so screens and tables agree.)
import stringWidth from 'string-width';

const PLAIN_ASCII = /^[\x20-\x7e]*$/;
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

export function displayWidth(text: string): number {
  return PLAIN_ASCII.test(text) ? text.length : stringWidth(text);
}

/** `text` cut to at most `width` columns, ending with … when something was cut. */
export function truncateToWidth(text: string, width: number): string {
  if (width <= 0) return '';
  if (displayWidth(text) <= width) return text;
  if (PLAIN_ASCII.test(text)) return width === 1 ? '…' : text.slice(0, width - 1) + '…';
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
