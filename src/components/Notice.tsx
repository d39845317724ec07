// An outcome that must be read in full (an API's refusal, an error), kept on
// the screen until dismissed, word-wrapped to the width. The flash line is one
// row that goes after a few seconds: too little for a sentence from the API.
import { Box, Text } from 'ink';
import { displayWidth } from '../engine/output/display-width.js';
import { terminalSafe } from '../engine/output/terminal-safe.js';

export interface NoticeMessage {
  text: string;
  level: 'warn' | 'error';
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** A word wider than the line, in pieces that each fit. */
function splitWord(word: string, width: number): string[] {
  const pieces: string[] = [];
  let piece = '';
  for (const { segment } of graphemes.segment(word)) {
    if (piece && displayWidth(piece + segment) > width) {
      pieces.push(piece);
      piece = '';
    }
    piece += segment;
  }
  if (piece) pieces.push(piece);
  return pieces;
}

/** Greedy word wrap by display width. */
export function wrapWords(text: string, width: number): string[] {
  const max = Math.max(1, width);
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    for (const piece of displayWidth(word) > max ? splitWord(word, max) : [word]) {
      const candidate = line ? `${line} ${piece}` : piece;
      if (displayWidth(candidate) <= max) line = candidate;
      else {
        if (line) lines.push(line);
        line = piece;
      }
    }
  }
  if (line) lines.push(line);
  return lines;
}

/**
 * A line of prose wrapped to the width, its leading indent kept and its
 * following lines indented two more, so a wrapped sentence still reads as one
 * entry of a list. Infinity (no width known) leaves it whole.
 */
export function wrapIndented(line: string, width: number): string[] {
  if (!Number.isFinite(width) || displayWidth(line) <= width) return [line];
  const indent = /^ */.exec(line)![0];
  const first = wrapWords(line, width - indent.length);
  const rest = wrapWords(first.slice(1).join(' '), width - indent.length - 2);
  return [indent + first[0], ...rest.map((l) => `${indent}  ${l}`)];
}

/** The rows a notice takes at this width (0 without one). */
export function noticeRows(notice: NoticeMessage | undefined, width: number): number {
  return notice ? wrapWords(terminalSafe(notice.text), width).length : 0;
}

export function Notice({ notice, width }: { notice: NoticeMessage | undefined; width: number }) {
  if (!notice) return null;
  return (
    <Box flexDirection="column" width={width}>
      {wrapWords(terminalSafe(notice.text), width).map((line, i) => (
        <Text key={i} color={notice.level === 'error' ? 'red' : 'yellow'}>
          {line}
        </Text>
      ))}
    </Box>
  );
}
