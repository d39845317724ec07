// What Ink and the packages it measures text with (widest-line, cli-truncate)
// get for `import stringWidth from 'string-width'` in the bundle
// (scripts/bundle.mjs, inkStringWidthPlugin): the same widths, with the fast
// path of engine/output/display-width.ts for text of one-column characters.
// Ink measures every line of every text on screen; with box drawing or an
// ellipsis in a line, string-width would segment it into graphemes and test
// each against its emoji patterns (some 45 ms of the console's first frame).
import stringWidth from 'string-width';
import { displayWidth } from '../engine/output/display-width.js';

type Options = Parameters<typeof stringWidth>[1];

export default function inkStringWidth(text: string, options?: Options): number {
  // Options (ambiguous characters counted as wide, escapes counted) change what one column means.
  return options === undefined && typeof text === 'string' ? displayWidth(text) : stringWidth(text, options);
}
