// Tables and the pieces under them: only visible rows are rendered, moving,
// paging, sorting, filtering; plus the pure helpers (column layout, prompt
// editing, completion, key splitting, history).
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { cleanup } from 'ink-testing-library';
import { fit } from '../../src/components/cells.js';
import { distinctWidth, layoutTable } from '../../src/components/table-layout.js';
import { ClusterStore } from '../../src/engine/store/cluster-store.js';
import { commonPrefix, completeCommandLine, runCommandLine, type Command, type CommandContext } from '../../src/screens/command-line.js';
import { toKeyPresses } from '../../src/input/keys.js';
import { editPrompt } from '../../src/input/prompt.js';
import { historyReducer } from '../../src/hooks/useRouter.js';
import { scrollWindow } from '../../src/hooks/useTable.js';
import { keys, makeServices, MemoryObjectStore, renderApp, seedCluster } from './helpers.js';

after(() => cleanup());

const size = { columns: 100, rows: 24 };
const name = (i: number) => `c${String(i).padStart(3, '0')}.example.com`;

async function manyClusters(count: number): Promise<ClusterStore> {
  const store = new ClusterStore(new MemoryObjectStore());
  for (let i = 0; i < count; i++) {
    await seedCluster(store, name(i), i % 2 ? ['us-east-1a'] : ['eu-west-1a', 'eu-west-1b'], i % 3 ? '1.31.4' : '1.29.9');
  }
  return store;
}

const shownNames = (frame: string) => [...frame.matchAll(/^(c\d{3}\.example\.com)\s/gm)].map((m) => m[1]);

describe('table on the clusters screen', () => {
  test('renders only the rows that fit, and scrolls with j/k, PgDn/PgUp, g/G', async () => {
    const app = renderApp({ services: makeServices(await manyClusters(60)), size });
    let frame = await app.waitFor(name(0));
    // 24 rows: header 2, title 1, table header 1, status 1, command line 1, footer 1 -> 17 data rows
    assert.deepEqual(shownNames(frame), Array.from({ length: 17 }, (_, i) => name(i)));
    assert.match(frame, /1\/60/);
    app.press('G');
    frame = await app.waitFor('60/60');
    assert.deepEqual(shownNames(frame), Array.from({ length: 17 }, (_, i) => name(43 + i)));
    app.press('g');
    frame = await app.waitFor('1/60');
    assert.equal(shownNames(frame)[0], name(0));
    app.press(keys.pageDown);
    await app.waitFor('17/60');
    app.press(keys.pageDown);
    frame = await app.waitFor('33/60');
    assert.equal(shownNames(frame).at(-1), name(32), 'the window follows the selection');
    app.press(keys.pageUp);
    await app.waitFor('17/60');
    app.press('jjj');
    await app.waitFor('20/60');
    app.press('k');
    await app.waitFor('19/60');
    app.press(keys.down);
    await app.waitFor('20/60');
    app.press(keys.up);
    await app.waitFor('19/60');
    app.unmount();
  });

  test('sorts by a column with its key; the same key again reverses', async () => {
    const app = renderApp({ services: makeServices(await manyClusters(6)), size });
    let frame = await app.waitFor(name(0));
    assert.deepEqual(shownNames(frame), [0, 1, 2, 3, 4, 5].map(name));
    app.press('N');
    frame = await app.waitFor('NAME↓');
    assert.deepEqual(shownNames(frame), [5, 4, 3, 2, 1, 0].map(name));
    app.press('K');
    frame = await app.waitFor('KUBERNET…↑');
    assert.deepEqual(shownNames(frame).slice(0, 2).sort(), [0, 3].map(name), '1.29.9 sorts first');
    app.press('K');
    frame = await app.waitFor('KUBERNET…↓');
    assert.ok(shownNames(frame).slice(-2).includes(name(0)));
    app.unmount();
  });

  test('/ filters as you type; Enter keeps the filter, Esc clears it', async () => {
    const app = renderApp({ services: makeServices(await manyClusters(30)), size });
    await app.waitFor(name(0));
    app.press('/');
    await app.waitFor('/█');
    app.press('c01');
    let frame = await app.waitFor('/c01█');
    assert.deepEqual(shownNames(frame), Array.from({ length: 10 }, (_, i) => name(10 + i)));
    app.press(keys.enter);
    frame = await app.waitFor('filter: c01');
    assert.match(frame, /1\/10 of 30 · filter: c01/);
    assert.match(frame, /<esc> clear filter/);
    app.press('G');
    await app.waitFor('10/10 of 30');
    app.press('/');
    app.press(keys.backspace);
    app.press(keys.backspace);
    app.press(keys.backspace);
    app.press('east');
    frame = await app.waitFor('/east█');
    assert.equal(shownNames(frame).length, 15, 'the filter matches any column (zones)');
    app.press('zzz');
    frame = await app.waitFor('No rows match');
    app.press(keys.escape);
    frame = await app.waitFor((f) => shownNames(f).length === 17);
    assert.ok(!frame.includes('filter:'), 'Esc in the prompt clears the filter');
    app.press('/');
    app.press('c02');
    app.press(keys.enter);
    await app.waitFor('filter: c02');
    app.press(keys.escape);
    frame = await app.waitFor((f) => !f.includes('filter:'));
    assert.match(frame, /Clusters \[30\]/, 'Esc cleared the filter and stayed on the screen');
    app.unmount();
  });
});

describe('helpers', () => {
  test('fit pads, aligns and truncates with an ellipsis', () => {
    assert.equal(fit('abc', 5), 'abc  ');
    assert.equal(fit('abc', 5, 'right'), '  abc');
    assert.equal(fit('abcdef', 4), 'abc…');
    assert.equal(fit('abc', 0), '');
  });

  test('layoutTable gives minimums, spreads the rest by weight, and leaves out whole columns, least important first, naming them', () => {
    const col = (title: string, width: number, extra: { grow?: number; priority?: number } = {}) => ({ title, width, ...extra });
    assert.deepEqual(layoutTable([col('A', 10, { grow: 1 }), col('B', 5), col('C', 10, { grow: 1 })], [], 40), { shown: [0, 1, 2], widths: [16, 5, 17], hidden: [] });
    // Too narrow: the last column goes whole (not cut to 3 cells), and is named.
    assert.deepEqual(layoutTable([col('A', 10), col('B', 10), col('C', 10)], [], 25), { shown: [0, 1], widths: [10, 10], hidden: ['C'] });
    // Priorities choose what goes: C (priority 1) stays, B goes.
    assert.deepEqual(layoutTable([col('A', 10, { priority: 0 }), col('B', 10), col('C', 10, { priority: 1 })], [], 25), { shown: [0, 2], widths: [10, 10], hidden: ['B'] });
    const wide = layoutTable([col('A', 10, { grow: 2 }), col('B', 10, { grow: 1 })], [], 100);
    assert.equal(wide.widths[0] + wide.widths[1] + 1, 100);
  });

  test('no two different values are cut to the same text', () => {
    // Kubernetes versions during an upgrade: "v1.3…" would make them look alike.
    assert.equal(distinctWidth(['v1.32.5', 'v1.33.1'], 4), 6);
    assert.equal(distinctWidth(['v1.32.5', 'v1.32.5'], 4), 4, 'equal values may be cut');
    // Group names that differ only at the end are shown whole.
    const names = ['nodes-eu-west-1-spot-a', 'nodes-eu-west-1-spot-b'];
    const layout = layoutTable([{ title: 'GROUP', width: 10 }, { title: 'AGE', width: 4 }], [names, ['3d', '4d']], 40);
    assert.deepEqual(layout.widths, [names[0].length, 4]);
    const cut = new Set(names.map((n) => fit(n, layout.widths[0])));
    assert.equal(cut.size, 2);
  });

  test('scrollWindow moves the window as little as possible', () => {
    assert.equal(scrollWindow(0, 5, 10, 100), 0);
    assert.equal(scrollWindow(0, 12, 10, 100), 3);
    assert.equal(scrollWindow(20, 15, 10, 100), 15);
    assert.equal(scrollWindow(95, 99, 10, 100), 90);
    assert.equal(scrollWindow(0, 0, 10, 3), 0);
  });

  test('editPrompt types, deletes, completes, submits and cancels', () => {
    const [a] = toKeyPresses('a', noKey());
    assert.deepEqual(editPrompt('x', a), { kind: 'text', text: 'xa' });
    const [backspace] = toKeyPresses('', { ...noKey(), delete: true });
    assert.deepEqual(editPrompt('xa', backspace), { kind: 'text', text: 'x' });
    assert.deepEqual(editPrompt('', backspace), { kind: 'cancel' });
    assert.deepEqual(editPrompt('x', toKeyPresses('', { ...noKey(), return: true })[0]), { kind: 'submit' });
    assert.deepEqual(editPrompt('x', toKeyPresses('', { ...noKey(), tab: true })[0]), { kind: 'complete' });
    assert.deepEqual(editPrompt('spec demo', toKeyPresses('w', { ...noKey(), ctrl: true })[0]), { kind: 'text', text: 'spec ' });
  });

  test('a run of characters is split into keypresses', () => {
    assert.deepEqual(toKeyPresses('jjG\r', noKey()).map((p) => p.name), ['j', 'j', 'G', 'enter']);
    assert.deepEqual(toKeyPresses('c', { ...noKey(), ctrl: true }).map((p) => p.name), ['ctrl+c']);
  });

  test('commands: completion of names and arguments, unknown commands', async () => {
    const ran: string[][] = [];
    const commands: Command[] = [
      { name: 'clusters', description: '', run: () => void ran.push(['clusters']) },
      { name: 'cordon', description: '', run: () => undefined },
      { name: 'spec', description: '', run: (args) => void ran.push(['spec', ...args]), completeArgument: () => ['demo.example.com', 'dev.example.com'] },
    ];
    const ctx = {} as CommandContext;
    assert.deepEqual(await completeCommandLine('c', commands, ctx), { text: 'c', candidates: ['clusters', 'cordon'] });
    assert.deepEqual(await completeCommandLine('cl', commands, ctx), { text: 'clusters ', candidates: [] });
    assert.deepEqual(await completeCommandLine('spec d', commands, ctx), { text: 'spec de', candidates: ['demo.example.com', 'dev.example.com'] });
    assert.deepEqual(await completeCommandLine('spec dem', commands, ctx), { text: 'spec demo.example.com', candidates: [] });
    assert.equal(commonPrefix(['abc', 'abd']), 'ab');
    assert.equal(runCommandLine('spec  x ', commands, ctx), undefined);
    assert.deepEqual(ran, [['spec', 'x']]);
    assert.match(runCommandLine('nodes', commands, ctx) ?? '', /Unknown command ":nodes"/);
  });

  test('history: push, replace, back; never empty; no duplicate push', () => {
    let history = historyReducer([], { type: 'push', route: { name: 'clusters' } });
    history = historyReducer(history, { type: 'push', route: { name: 'clusters' } });
    assert.equal(history.length, 1);
    history = historyReducer(history, { type: 'push', route: { name: 'cluster-spec', cluster: 'a' } });
    history = historyReducer(history, { type: 'replace', route: { name: 'cluster-spec', cluster: 'b' } });
    assert.deepEqual(history.map((e) => e.route), [{ name: 'clusters' }, { name: 'cluster-spec', cluster: 'b' }]);
    history = historyReducer(history, { type: 'back' });
    history = historyReducer(history, { type: 'back' });
    assert.deepEqual(history.map((e) => e.route), [{ name: 'clusters' }]);
  });
});

function noKey() {
  return {
    upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false,
    home: false, end: false, return: false, escape: false, ctrl: false, shift: false, tab: false,
    backspace: false, delete: false, meta: false, super: false, hyper: false, capsLock: false, numLock: false,
  };
}
