// The console at 80x24 and 100 columns (issue 15, item 9): the rollout keeps
// its abort key, its elapsed time and its ETA on screen, and its abort panel
// whole; kops' plan table keeps every column; the nodes table keeps NAME,
// STATUS, VERSION, its group, PODS and AGE, and names the columns it leaves
// out; help scrolls instead of being clipped.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { render } from 'ink-testing-library';
import { HelpOverlay } from '../../src/components/HelpOverlay.js';
import { upgradeCluster } from '../../src/engine/rollout/upgrade.js';
import type { KeyAction } from '../../src/input/actions.js';
import { rolloutSessionsFor } from '../../src/sessions/rollout-sessions.js';
import type { Services } from '../../src/hooks/services.js';
import { scrolledHelp } from '../../src/hooks/useShellState.js';
import type { InstanceRow } from '../../src/screens/rollout/rollout-progress.js';
import { StepList } from '../../src/screens/rollout/RunView.js';
import { keys, renderApp } from '../console/helpers.js';
import { consoleServicesFor, startRolloutHarness, type RolloutHarness } from '../helpers/sim-rollout.js';

const NAME = 'narrow.k8s.local';
let h: RolloutHarness;
let services: Services;

before(async () => {
  h = await startRolloutHarness({ speed: 50, name: NAME, zones: ['us-east-1a'], controlPlaneCount: 1, nodeCount: 2 });
  await upgradeCluster(h.store, NAME, '1.32.5');
  await h.update();
  services = consoleServicesFor(h);
});
after(async () => {
  const session = services && rolloutSessionsFor(services).peek(NAME);
  if (session?.running) await session.interrupt('the test ended');
  await h?.close();
});

const lines = (frame: string) => frame.split('\n');
const footer = (frame: string) => lines(frame).at(-1) ?? '';

function assertFits(frame: string, columns: number) {
  for (const line of lines(frame)) assert.ok(line.length <= columns, `fits in ${columns} columns: "${line}"`);
}

test('80x24: the plan keeps all of kops table; the run keeps abort, elapsed and ETA; the question keeps its answers', { timeout: 120_000 }, async () => {
  const view = renderApp({ services, size: { columns: 80, rows: 24 }, initialRoute: { name: 'rollout', cluster: NAME } });
  try {
    const plan = await view.waitFor('Estimated duration', 20_000);
    assertFits(plan, 80);
    assert.match(plan, /NAME +STATUS +NEEDUPDATE +READY +MIN +TARGET +MAX +NODES/, 'every column of the plan table');
    assert.match(footer(plan), /<enter> start/);
    view.press(keys.enter);
    const question = await view.waitFor('Drain node', 20_000);
    assertFits(question, 80);
    const status = lines(question).find((l) => /RUNNING/.test(l))!;
    assert.match(status, /RUNNING · 0\/3 replaced · elapsed \S+ · ETA \S+, held for your answer/, 'the status line, said short');
    assert.match(footer(question), /<y> drain .*<s> skip .*<x> abort… .*<\?> help/, 'the footer keeps the answers, abort and help');
    assert.match(question, /│ y drain · s skip \(not replaced\) · p drain, then pause · x abort… +│/);
    view.press('y');
    const running = await view.waitFor((f) => /RUNNING · 0\/3 replaced · elapsed \S+ · ETA \d/.test(f) && !f.includes('Drain node'), 20_000);
    assertFits(running, 80);
    assert.match(footer(running), /<p> pause .*<x> abort… .*<\?> help/);
    // Each instance's steps fit in a line: what is finished folds, the running step and the next show by name.
    for (const line of lines(running).filter((l) => /^ {3}[✓⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏·■]/.test(l))) assert.ok(!line.endsWith('…'), `steps not cut: ${line}`);
    // Abort asked: its sentences wrap, and its choices and the keys stay on the screen.
    view.press('x');
    const abort = await view.waitFor('Abort the rolling update?', 20_000);
    assertFits(abort, 80);
    assert.ok(lines(abort).length <= 24, `${lines(abort).length} rows`);
    assert.match(abort.replace(/[│╭╮╰╯─]/g, ' ').replace(/\s+/g, ' '), /It stops at the next safe point between steps \(a drain in progress is cancelled\)\. Instances already replaced stay replaced; a drained node stays cordoned\./);
    assert.match(abort, /│ n \/ Esc keep the rollout running +│/);
    assert.match(abort, /│ Running the rolling update again later resumes exactly where it stopped\. +│\n╰/, 'the panel whole, down to its bottom border');
    assert.match(footer(abort), /<u> .*<l> .*<\?> help/);
    view.press(keys.escape);
  } finally {
    view.unmount();
  }
});

test('100 columns: the nodes table keeps VERSION, PODS and AGE whole and names what it leaves out', { timeout: 60_000 }, async () => {
  const view = renderApp({ services, size: { columns: 100, rows: 30 }, initialRoute: { name: 'nodes', cluster: NAME } });
  try {
    const frame = await view.waitFor((f) => /v1\.3\d\.\d+/.test(f) && f.includes('not shown at this width'), 20_000);
    assertFits(frame, 100);
    const header = lines(frame).find((l) => l.startsWith('NAME'))!;
    const titles = header.trim().split(/\s+/);
    for (const title of ['STATUS', 'INSTANCEGROUP', 'VERSION', 'PODS', 'AGE']) assert.ok(titles.includes(title), `${title} in ${header}`);
    assert.doesNotMatch(frame, /v1\.3…/, 'no version cut');
    const hidden = /not shown at this width: (.+)$/m.exec(frame)![1];
    for (const title of hidden.split(', ')) assert.ok(!titles.includes(title), `${title} is said hidden and is not shown`);
  } finally {
    view.unmount();
  }
});

test('help taller than the screen scrolls, and says where it is', () => {
  const actions: KeyAction[] = Array.from({ length: 30 }, (_, i) => ({ key: String.fromCharCode(97 + (i % 26)) + (i >= 26 ? '2' : ''), label: `action number ${i + 1}`, run: () => undefined }));
  let limits = { maxOffset: 0, page: 0 };
  const onLimits = (l: typeof limits) => (limits = l);
  const frameAt = (offset: number) => {
    const view = render(<HelpOverlay screenTitle="Long" screenActions={actions} globalActions={[]} width={80} height={12} offset={offset} onLimits={onLimits} />);
    const frame = view.lastFrame() ?? '';
    view.unmount();
    return frame;
  };
  const top = frameAt(0);
  assert.match(top, /action number 1\b/);
  assert.match(top, /rows 1-9 of \d+ · j\/k scroll/);
  assert.ok(limits.maxOffset > 0 && limits.page === 9, JSON.stringify(limits));
  const bottom = frameAt(scrolledHelp(0, 'G', limits)!);
  assert.match(bottom, /action number 30\b/);
  assert.doesNotMatch(bottom, /action number 1\b/);
  assert.equal(scrolledHelp(limits.maxOffset, 'j', limits), limits.maxOffset, 'no scrolling past the end');
  assert.equal(scrolledHelp(0, 'k', limits), 0);
  assert.equal(scrolledHelp(0, 'x', limits), undefined, 'other keys do not scroll');
});

test('the step list never cuts two group names to the same text', () => {
  const row = (id: string, group: string): InstanceRow => ({ id, group, kind: 'Node', nodeName: `node-${id}`, status: 'waiting', steps: [{ step: 'confirm', status: 'pending' }], evicted: 0 });
  const groups = ['nodes-eu-west-1-spot-instances-large-a', 'nodes-eu-west-1-spot-instances-large-b'];
  const view = render(<StepList rows={[row('i-1', groups[0]), row('i-2', groups[1])]} height={10} width={80} />);
  const frame = view.lastFrame() ?? '';
  view.unmount();
  const shown = frame.split('\n').filter((l) => l.startsWith('i-')).map((l) => l.trim().split(/\s+/).at(-1));
  assert.equal(shown.length, 2, frame);
  assert.notEqual(shown[0], shown[1], `told apart:\n${frame}`);
  assertFits(frame, 80);
});
