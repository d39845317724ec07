// A row cache for Ink's frame compositor.
//
// Why: Ink 6.8 builds every frame from scratch. Its Output.get() makes a fresh
// cell grid, re-tokenizes the ANSI of every line on screen and re-encodes every
// row, with caches that live for one frame only. For a 160x50 screen of text
// that is ~40 ms a frame on a 2-core machine (profiled: tokenize,
// styledCharsFromTokens and styledCharsToString are ~50% of it, garbage
// collection most of the rest), whatever changed. A live table receiving watch
// events changes one or two rows a frame, so that is nearly all waste.
//
// What: Output.get() is replaced by one that gathers, for each row, the text
// segments written on it (after Ink's own vertical clipping and transformers)
// and reuses the row's string from an earlier frame when its segments are the
// same: a row's output depends on nothing else. A new row of plain ASCII text
// is composed directly (for such text Ink's per-cell encoding is the identity);
// any other new row is composed by Ink's own original get() on a one-row
// Output, so styled text, wide characters and every edge Ink handles come out
// byte for byte as Ink makes them. Frames that clip horizontally (a Box with
// overflow or overflowX "hidden") go to the original get() whole: kopsdeck's
// layout clips only vertically. test/terminal/ink-row-cache.test.ts checks the
// result equals Ink's own on random frames.
//
// KOPSDECK_INK_ROW_CACHE=off leaves Ink as it is (for comparison or diagnosis).

import { importInkOutputModule } from './ink-output-module.js';

interface Clip {
  x1?: number;
  x2?: number;
  y1?: number;
  y2?: number;
}

type Transformer = (line: string, index: number) => string;

type Operation =
  | { type: 'write'; x: number; y: number; text: string; transformers: Transformer[] }
  | { type: 'clip'; clip: Clip }
  | { type: 'unclip' };

/** The parts of Ink's (internal) Output class this module relies on. */
interface InkOutput {
  width: number;
  height: number;
  operations: Operation[];
  write(x: number, y: number, text: string, options: { transformers: Transformer[] }): void;
  get(): { output: string; height: number };
}

type OutputClass = { new (options: { width: number; height: number }): InkOutput; prototype: InkOutput };

/** One row's segments: x, then the text, for each write landing on the row, in order. */
type RowSegments = (number | string)[];

const ROW_CACHE_LIMIT = 4096;
const PLAIN_ASCII = /^[\x20-\x7e]*$/;

/** Rows made before, by their width and segments; least recently used first. */
class RowCache {
  private readonly rows = new Map<string, string>();

  get(key: string): string | undefined {
    const row = this.rows.get(key);
    if (row !== undefined) {
      // Refresh its place so the rows on screen are the last to go.
      this.rows.delete(key);
      this.rows.set(key, row);
    }
    return row;
  }

  set(key: string, row: string): void {
    this.rows.set(key, row);
    if (this.rows.size > ROW_CACHE_LIMIT) this.rows.delete(this.rows.keys().next().value!);
  }
}

const isNumber = (value: unknown): value is number => typeof value === 'number';
const clipsHorizontally = (clip: Clip | undefined) => isNumber(clip?.x1) && isNumber(clip?.x2);
const clipsVertically = (clip: Clip | undefined) => isNumber(clip?.y1) && isNumber(clip?.y2);

/**
 * Each row's segments, as Ink's get() would place them, or undefined when the
 * frame needs Ink's own compositor (horizontal clipping, a transformer that
 * adds a line break).
 */
function segmentsByRow(output: InkOutput): RowSegments[] | undefined {
  const rows: RowSegments[] = Array.from({ length: output.height }, () => []);
  const clips: (Clip | undefined)[] = [];
  for (const operation of output.operations) {
    if (operation.type === 'clip') {
      if (clipsHorizontally(operation.clip)) return undefined;
      clips.push(operation.clip);
    } else if (operation.type === 'unclip') {
      clips.pop();
    } else if (operation.type === 'write') {
      if (!placeWrite(operation, clips.at(-1), rows)) return undefined;
    } else {
      return undefined; // an operation this module does not know: leave the frame to Ink
    }
  }
  return rows;
}

/** Adds one write's lines to their rows; false when the frame must go to Ink. */
function placeWrite(write: Extract<Operation, { type: 'write' }>, clip: Clip | undefined, rows: RowSegments[]): boolean {
  let { y } = write;
  let lines = write.text.split('\n');
  if (clip && clipsVertically(clip)) {
    const { y1, y2 } = clip as Required<Clip>;
    if (y + lines.length < y1 || y > y2) return true; // wholly outside the clip
    const from = y < y1 ? y1 - y : 0;
    const to = y + lines.length > y2 ? y2 - y : lines.length;
    lines = lines.slice(from, to);
    if (y < y1) y = y1;
  }
  for (let index = 0; index < lines.length; index++) {
    const row = rows[y + index];
    // Ink stops placing a write's lines at the first one that falls off the frame.
    if (!row) break;
    let line = lines[index];
    for (const transform of write.transformers) line = transform(line, index);
    if (line.includes('\n')) return false;
    row.push(write.x, line);
  }
  return true;
}

/** A row of plain ASCII segments inside the frame, composed directly; undefined otherwise. */
function composePlainRow(width: number, segments: RowSegments): string | undefined {
  let row = '';
  for (let i = 0; i < segments.length; i += 2) {
    const x = segments[i] as number;
    const text = segments[i + 1] as string;
    if (!Number.isInteger(x) || x < 0 || x + text.length > width || !PLAIN_ASCII.test(text)) return undefined;
    if (text.length === 0) continue;
    row = row.length < x ? row + ' '.repeat(x - row.length) + text : row.slice(0, x) + text + row.slice(x + text.length);
  }
  return row.trimEnd();
}

/** Unambiguous: each text is prefixed by its length, so no text can pass for a separator. */
function rowKey(width: number, segments: RowSegments): string {
  let key = String(width);
  for (let i = 0; i < segments.length; i += 2) {
    const text = segments[i + 1] as string;
    key += `|${segments[i]},${text.length},${text}`;
  }
  return key;
}

export function installInkRowCache(Output: OutputClass): () => void {
  const originalGet = Output.prototype.get;
  const cache = new RowCache();

  /** A row composed by Ink itself, on an Output one row high. */
  const inkRow = (width: number, segments: RowSegments): string => {
    const single = new Output({ width, height: 1 });
    for (let i = 0; i < segments.length; i += 2) single.write(segments[i] as number, 0, segments[i + 1] as string, { transformers: [] });
    return originalGet.call(single).output;
  };

  Output.prototype.get = function getWithRowCache(this: InkOutput) {
    if (!Array.isArray(this.operations)) return originalGet.call(this);
    const rows = segmentsByRow(this);
    if (!rows) return originalGet.call(this);
    const lines = rows.map((segments) => {
      if (segments.length === 0) return '';
      const key = rowKey(this.width, segments);
      let line = cache.get(key);
      if (line === undefined) {
        line = composePlainRow(this.width, segments) ?? inkRow(this.width, segments);
        cache.set(key, line);
      }
      return line;
    });
    return { output: lines.join('\n'), height: this.height };
  };
  return () => {
    Output.prototype.get = originalGet;
  };
}

/** Ink's Output class, from the Ink this process loaded (it is not exported; the pinned 6.8 keeps it in build/output.js). */
export async function loadInkOutputClass(): Promise<OutputClass | undefined> {
  try {
    const Output = (await importInkOutputModule()).default as OutputClass | undefined;
    return typeof Output?.prototype?.get === 'function' ? Output : undefined;
  } catch {
    return undefined; // a different Ink layout: run it as it is
  }
}

let installed = false;

/** Installs the row cache once per process unless KOPSDECK_INK_ROW_CACHE=off. */
export async function enableInkRowCache(): Promise<boolean> {
  if (installed) return true;
  if (process.env.KOPSDECK_INK_ROW_CACHE === 'off') return false;
  const Output = await loadInkOutputClass();
  if (!Output) return false;
  installInkRowCache(Output);
  installed = true;
  return true;
}
