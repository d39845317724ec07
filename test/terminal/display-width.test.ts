// Columns counted as the terminal counts them: wide characters take two, a
// combining accent none, and an escape sequence is shown (not obeyed) and
// measured as shown, in CLI tables and in the console's cells alike.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import stringWidth from 'string-width';
import { renderTextTable } from '../../src/engine/output/text-table.js';
import { displayWidth, truncateToWidth } from '../../src/engine/output/display-width.js';
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
