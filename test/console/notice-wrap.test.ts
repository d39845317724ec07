// A notice (an API's refusal kept on screen) is word-wrapped to the width, so
// the whole sentence is readable however narrow the terminal; its row count
// is what the screen gives up for it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { noticeRows, wrapWords } from '../../src/components/Notice.js';

test('words wrap at the width, never cut, each line within it', () => {
  const text = "Eviction of demo/web-1 refused, nothing was done: Cannot evict pod as it would violate the pod's disruption budget.";
  const lines = wrapWords(text, 30);
  assert.ok(lines.every((line) => line.length <= 30), lines.join('\n'));
  assert.equal(lines.join(' '), text);
  assert.equal(noticeRows({ text, level: 'warn' }, 30), lines.length);
  assert.equal(noticeRows(undefined, 30), 0);
});

test('a word wider than the line is split into pieces that fit, wide characters counted as two columns', () => {
  assert.deepEqual(wrapWords('a bcdefghij k', 4), ['a', 'bcde', 'fghi', 'j k']);
  assert.deepEqual(wrapWords('節点節点節点', 4), ['節点', '節点', '節点']);
});
