// Columns counted as the terminal counts them: wide characters take two, a
// combining accent none, and an escape sequence is shown (not obeyed) and
// measured as shown, in CLI tables and in the console's cells alike.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import stringWidth from 'string-width';
import fc from 'fast-check';
import inkStringWidth from '../../src/terminal/ink-string-width.js';
import { renderTextTable } from '../../src/engine/output/text-table.js';
import { NARROW_TEXT, displayWidth, truncateToWidth } from '../../src/engine/output/display-width.js';
import { fit } from '../../src/components/cells.js';

test('a table with wide characters, combining accents and an escape keeps every column aligned', () => {
  const table = renderTextTable(
    ['NAME', 'STATUS', 'ROLE'],
    [
      ['ノード-1', 'Ready', 'node'],
      ['café-node', 'Ready', 'node'],
      ['evil\u001b]0;pwned\u0007', 'NotReady', 'node'],
      ['plain', 'Ready', 'control-plane'],
    ],
  );
  const lines = table.trimEnd().split('\n');
  assert.ok(!table.includes('\u001b') && !table.includes('\u0007'), 'nothing reaches the terminal raw');
  assert.match(table, /evil\\u001b\]0;pwned\\u0007/);
  // The third column starts at the same terminal column on every line.
  const roles = ['ROLE', 'node', 'node', 'node', 'control-plane'];
  const columns = lines.map((line, i) => stringWidth(line.slice(0, line.lastIndexOf(roles[i]))));
  assert.equal(new Set(columns).size, 1, `ROLE at columns ${columns.join(', ')}:\n${table}`);
});

test('fit gives exactly the width in terminal columns, cutting wide text with … and never splitting a character', () => {
  for (const text of ['ノードノードノード', 'cafe\u0301-cafe\u0301-cafe\u0301', '🚀🚀🚀🚀🚀', 'ascii-only-name']) {
    for (const width of [1, 2, 5, 8, 30]) {
      const cell = fit(text, width);
      assert.equal(stringWidth(cell), width, `${JSON.stringify(text)} in ${width}: ${JSON.stringify(cell)}`);
      assert.ok(!cell.includes('\ufffd'));
    }
  }
  assert.equal(truncateToWidth('ノードノード', 5), 'ノー…');
  assert.equal(displayWidth('cafe\u0301'), 4);
  assert.equal(fit('ノード', 8, 'right'), '  ノード');
});

// The fast path of displayWidth and of Ink's measure in the bundle (src/terminal/ink-string-width.ts).
const NARROW_RANGES: [number, number][] = [
  [0x20, 0x7e], [0xa0, 0xac], [0xae, 0xff], [0x370, 0x3ff], [0x2010, 0x2027], [0x2030, 0x205e],
  [0x2190, 0x22ff], [0x2500, 0x25fc], [0x25ff, 0x25ff], [0x2800, 0x297f], [0x26a0, 0x26a0], [0x2713, 0x2713], [0x2717, 0x2717],
];
const narrowCodePoints = NARROW_RANGES.flatMap(([from, to]) => Array.from({ length: to - from + 1 }, (_, i) => from + i));

test('every character the fast path counts as one column, string-width counts as one, and the pattern takes exactly those', () => {
  const notOne = narrowCodePoints.filter((cp) => stringWidth(String.fromCodePoint(cp)) !== 1);
  assert.deepEqual(notOne.map((cp) => cp.toString(16)), []);
  // The pattern and the list agree over the whole Basic Multilingual Plane (surrogates aside).
  const listed = new Set(narrowCodePoints);
  const mismatched: string[] = [];
  for (let cp = 0; cp <= 0xffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    if (NARROW_TEXT.test(String.fromCharCode(cp)) !== listed.has(cp)) mismatched.push(cp.toString(16));
  }
  assert.deepEqual(mismatched, []);
});

test('displayWidth and Ink\'s measure equal string-width on any text, narrow or not', () => {
  const narrow = fc.constantFrom(...narrowCodePoints.map((cp) => String.fromCodePoint(cp)));
  // What may join a neighbour or take two columns: combining marks, joiners, variation selectors, emoji, CJK, controls, escapes.
  const tricky = fc.constantFrom('\u0301', '\u200d', '\ufe0f', '\ufe0e', '\u00ad', '\u200b', '🚀', '👍🏽', 'ノ', '한', '\u1100', '\u1161', '\u001b[1m', '\u0007', '\t', '\u25fd', '\u231a', '\u2705');
  const text = fc.array(fc.oneof({ arbitrary: narrow, weight: 4 }, { arbitrary: tricky, weight: 1 }), { maxLength: 12 }).map((parts) => parts.join(''));
  fc.assert(
    fc.property(text, (s) => {
      assert.equal(displayWidth(s), stringWidth(s), JSON.stringify(s));
      assert.equal(inkStringWidth(s), stringWidth(s), JSON.stringify(s));
    }),
    { numRuns: 3000 },
  );
  // Options change what one column is; they go to string-width as given.
  assert.equal(inkStringWidth('─…', { ambiguousIsNarrow: false }), stringWidth('─…', { ambiguousIsNarrow: false }));
  assert.equal(inkStringWidth('─…', { ambiguousIsNarrow: false }), 4);
  assert.equal(truncateToWidth('──────', 4), '───…');
});
