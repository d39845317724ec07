// Events as compact lines: columns fitted to the width, and texts cut so that
// two different Events never read the same.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatEventLines } from '../../src/components/event-lines.js';
import type { EventRow } from '../../src/engine/live-model/event-rows.js';
import { displayWidth } from '../../src/engine/output/display-width.js';
import { distinctTruncate, truncateMiddle } from '../../src/engine/output/distinct-truncate.js';

const now = Date.UTC(2026, 0, 1, 1, 0, 0);

function row(over: Partial<EventRow> & { message: string }): EventRow {
  return {
    key: `demo/${over.message}`,
    namespace: 'demo',
    name: 'e',
    type: 'Normal',
    reason: 'Scheduled',
    object: { kind: 'Pod', name: 'web-7c9d8f6b5-abcde', namespace: 'demo' },
    source: 'default-scheduler',
    count: 1,
    lastAt: now - 42_000,
    order: 1,
    ...over,
  };
}

describe('distinctTruncate', () => {
  it('cuts at the end, but shows where texts differ when the cut would make them equal', () => {
    const a = 'Successfully assigned demo/web-7c9d8f6b5-abcde to ip-172-20-1-2.ec2.internal';
    const b = 'Successfully assigned demo/web-7c9d8f6b5-abcde to ip-172-20-1-3.ec2.internal';
    const c = 'Successfully assigned demo/web-7c9d8f6b5-zzzzz to ip-172-20-1-3.ec2.internal';
    const cut = distinctTruncate([a, b, c, a, 'short'], 40);
    assert.equal(new Set(cut.slice(0, 3)).size, 3, cut.join('\n'));
    assert.equal(cut[0], cut[3], 'the same text is cut the same way');
    assert.equal(cut[4], 'short');
    assert.ok(cut.every((text) => displayWidth(text) <= 40));
    assert.ok(cut.slice(0, 3).every((text) => text.startsWith('Successfully')), 'each keeps its start');
    // Nothing collides: plain cuts at the end.
    assert.deepEqual(distinctTruncate(['alpha beta gamma', 'delta epsilon'], 8), ['alpha b…', 'delta e…']);
  });

  it('cuts names in the middle, keeping the tail that tells them apart', () => {
    assert.equal(truncateMiddle('pod/web-7c9d8f6b5-abcde', 16), 'pod/we…6b5-abcde');
    const cut = distinctTruncate(['pod/web-7c9d8f6b5-abcde', 'pod/web-7c9d8f6b5-abcdf'], 12, 'middle');
    assert.notEqual(cut[0], cut[1]);
  });
});

describe('formatEventLines', () => {
  it('AGE TYPE REASON OBJECT MESSAGE within the width, a header when asked', () => {
    const lines = formatEventLines([row({ message: 'Successfully assigned demo/web-7c9d8f6b5-abcde to ip-172-20-1-2.ec2.internal' }), row({ type: 'Warning', reason: 'FailedScheduling', message: 'no nodes available to schedule pods', lastAt: now - 3 * 60_000 })], now, 140, true);
    assert.match(lines[0].text, /^AGE\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$/);
    assert.match(lines[1].text, /^42s\s+Normal\s+Scheduled\s+pod\/web-7c9d8f6b5-abcde\s+Successfully assigned demo\/web-7c9d8f6b5-abcde to ip-172-20-1-2\.ec2\.internal$/);
    assert.match(lines[2].text, /^3m\s+Warning\s+FailedScheduling\s+pod\/web-7c9d8f6b5-abcde\s+no nodes available to schedule pods$/);
    assert.equal(lines[2].warning, true);
  });

  it('at 80 columns two Events that differ past the cut still read differently, and control characters are shown escaped', () => {
    const rows = [
      row({ message: 'Successfully assigned demo/web-7c9d8f6b5-abcde to ip-172-20-1-2.ec2.internal' }),
      row({ message: 'Successfully assigned demo/web-7c9d8f6b5-abcde to ip-172-20-1-3.ec2.internal' }),
      row({ message: 'evil \u001b[2J message', object: { kind: 'Pod', name: 'web-7c9d8f6b5-abcdf' } }),
    ];
    const lines = formatEventLines(rows, now, 80);
    assert.equal(new Set(lines.map((l) => l.text)).size, 3, lines.map((l) => l.text).join('\n'));
    assert.ok(lines.every((l) => displayWidth(l.text) <= 80));
    assert.ok(!lines.some((l) => l.text.includes('\u001b')));
    assert.match(lines[2].text, /evil \\u001b\[2J message/);
  });

  it('at 80 columns a node is never cut to what another node would show: its domain goes first, its own part stays', () => {
    // A short block refreshed as the rollout goes: one node's Event among pods' at a time.
    const block = (node: string) => [
      row({ reason: 'RemovingNode', object: { kind: 'Node', name: node }, message: `Node ${node} event: Removing Node ${node} from Controller`, lastAt: now }),
      row({ reason: 'Killing', object: { kind: 'Pod', name: 'web-9dlmpxc4m2-2svxd' }, message: 'Stopping container web' }),
      row({ reason: 'Killing', object: { kind: 'Pod', name: 'api-5c7v4dtgf-skhd9' }, message: 'Stopping container api' }),
    ];
    const nodeLine = (node: string) => formatEventLines(block(node), now, 80)[0].text;
    const [a, b] = [nodeLine('ip-172-20-32-4.ec2.internal'), nodeLine('ip-172-20-32-6.ec2.internal')];
    const objectOf = (line: string) => line.split(/\s+/)[3];
    assert.notEqual(objectOf(a), objectOf(b), `${a}\n${b}`);
    assert.match(objectOf(a), /32-4/, a);
    assert.match(objectOf(b), /32-6/, b);
    // Names that differ only in their domain keep it.
    const twins = formatEventLines([...block('ip-10-0-0-1.ec2.internal'), ...block('ip-10-0-0-1.us-west-2.compute.internal')], now, 80).map((l) => objectOf(l.text));
    assert.notEqual(twins[0], twins[3], twins.join('\n'));
  });
});
