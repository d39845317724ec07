// A sentence with parts set apart (a key in bold, a warning in color),
// word-wrapped to the width like wrapWords, each word keeping its style: a
// line of choices on a narrow terminal wraps instead of being cut at the
// edge, and its keys still stand out.
import { Text } from 'ink';
import { displayWidth } from '../engine/output/display-width.js';
import { wrapWords } from './Notice.js';

export interface Run {
  text: string;
  bold?: boolean;
  color?: string;
  dimColor?: boolean;
}

const PLAIN: Run = { text: '' };

/**
 * The runs wrapped to `width` columns, one array of runs a row. Rows after
 * the first are indented by `indent` (a choice's text lines up under it).
 */
export function wrapRuns(runs: readonly Run[], width: number, indent = 0): Run[][] {
  const text = runs.map((r) => r.text).join('');
  // A line that fits is left as it is (its spacing too).
  if (displayWidth(text) <= width) return [runs.map((r) => ({ ...r }))];
  // The run each UTF-16 unit of the text comes from, to give wrapped words back their style.
  const from: Run[] = runs.flatMap((r) => Array.from({ length: r.text.length }, () => r));
  const first = wrapWords(text, width);
  const rows = first.length > 1 && indent > 0 ? [first[0], ...wrapWords(first.slice(1).join(' '), width - indent)] : first;
  let cursor = 0;
  return rows.map((row, i) => {
    const out: Run[] = i > 0 && indent > 0 ? [{ text: ' '.repeat(indent) }] : [];
    const add = (source: Run, piece: string) => {
      const last = out.at(-1);
      if (last && sameStyle(last, source)) last.text += piece;
      else out.push({ ...source, text: piece });
    };
    row.split(' ').forEach((word, w) => {
      const at = text.indexOf(word, cursor);
      // A space between two words of one run keeps the run's style (a bold "n / Esc" stays one piece).
      if (w > 0) add(from[at - 1] === from[cursor - 1] && from[at] === from[at - 1] ? from[at] : PLAIN, ' ');
      for (let c = 0; c < word.length; c++) add(from[at + c], word[c]);
      cursor = at + word.length;
    });
    return out;
  });
}

function sameStyle(a: Run, b: Run): boolean {
  return a.bold === b.bold && a.color === b.color && a.dimColor === b.dimColor;
}

/** Rows wrapped by wrapRuns (a row still too wide is cut at the edge). */
export function StyledRows({ rows }: { rows: readonly (readonly Run[])[] }) {
  return (
    <>
      {rows.map((row, i) => (
        <Text key={i} wrap="truncate-end">
          {row.map((run, j) => (
            <Text key={j} bold={run.bold} color={run.color} dimColor={run.dimColor}>
              {run.text}
            </Text>
          ))}
        </Text>
      ))}
    </>
  );
}
