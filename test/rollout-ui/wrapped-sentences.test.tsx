// At 80 columns the rollout's sentences that say what will happen, and its
// warnings, wrap instead of being cut at the edge: the plan's note on an
// earlier run and what starting does, the drain question's "Asked again",
// its budgets and their warnings; the abort panel's sentences and choices,
// the blocked drain's, and their keys.
// The rows they take are the rows the screen
// gives up for them, so the screen still fits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { render } from 'ink-testing-library';
import { confirmChromeRows, ConfirmPanel, confirmPodLines } from '../../src/screens/rollout/ConfirmPanel.js';
import { planLines, planViewChromeRows, PlanView } from '../../src/screens/rollout/PlanView.js';
import { AbortPanel, abortPanelRows } from '../../src/screens/rollout/AbortPanel.js';
import type { InstanceRow } from '../../src/screens/rollout/rollout-progress.js';
import { BlockedDrain, blockedDrainRows, headerSentence, RunHeader, runHeaderRows } from '../../src/screens/rollout/RunView.js';
import type { RolloutSessionState } from '../../src/sessions/rollout-session-state.js';
import { DEFAULT_TIMINGS, initialRolloutView, type ConfirmRequest, type RolloutPlan } from '../../src/engine/rollout/index.js';

/** The frame's text as one line: borders and line ends are spaces, runs of spaces one. */
const flat = (frame: string) => frame.replace(/[│╭╮╰╯─]/g, ' ').replace(/\s+/g, ' ');

function assertReadInFull(frame: string, sentence: string) {
  assert.ok(flat(frame).includes(flat(sentence)), `"${sentence}" in full in:\n${frame}`);
}

function assertFits(frame: string, columns: number) {
  for (const line of frame.split('\n')) assert.ok(line.length <= columns, `fits in ${columns} columns: "${line}"`);
}

const plan: RolloutPlan = {
  cluster: 'c.example.com',
  order: ['nodes'],
  totalInstances: 2,
  estimatedMs: 60_000,
  force: true,
  groups: [
    {
      name: 'nodes',
      groupName: 'nodes.c.example.com',
      kind: 'Node',
      status: 'NeedsUpdate',
      needUpdate: 2,
      ready: 0,
      min: 2,
      target: 2,
      max: 4,
      nodes: 2,
      settings: { maxSurge: 1, maxUnavailable: 0, drainAndTerminate: true },
      instances: ['i-a', 'i-b'].map((id) => ({ id, group: 'nodes', nodeName: `node-${id.slice(2)}`, reason: 'forced', detached: false, ready: true })),
      waves: [['i-a'], ['i-b']],
      warm: [],
      canary: false,
    },
  ],
};

const state: RolloutSessionState = {
  cluster: 'c.example.com',
  phase: 'plan',
  force: true,
  plan,
  unfinished: { status: 'running', entries: [], planned: ['i-a', 'i-b', 'i-c'], resumesAsStarted: true },
  view: initialRolloutView,
  yesToAll: false,
  notes: [],
  timings: DEFAULT_TIMINGS,
};

test('80 columns: the plan says in full what starting does, and its closing sentence, within the rows it is given', () => {
  const width = 80;
  const height = 20;
  const lines = planLines(plan, state.unfinished, width);
  const scroll = { offset: 0, maxOffset: 0, actions: [] };
  const { lastFrame, unmount } = render(<PlanView state={state} plan={plan} lines={lines} scroll={scroll} width={width} height={height} />);
  const frame = lastFrame() ?? '';
  unmount();
  assertFits(frame, width);
  assertReadInFull(frame, 'Starting resumes exactly that rollout, with the force, groups and roles it was started with (this plan is what is left of it).');
  assertReadInFull(frame, 'Enter starts. Before each drain you see the pods it evicts and their budgets, and answer (nothing drains without it). p pauses, x aborts.');
  assert.ok(frame.split('\n').length <= height, `${frame.split('\n').length} rows in ${height}`);
  assert.equal(planViewChromeRows(plan, width), 5, 'the closing sentence takes two rows at 80 columns');
});

const request: ConfirmRequest = {
  cluster: 'c.example.com',
  instanceId: 'i-0123456789abcdef0',
  nodeName: 'ip-10-0-1-23.ec2.internal',
  group: 'nodes',
  kind: 'Node',
  reason: 'launch template version 1 -> 2',
  earlierRun: 'An earlier run confirmed this instance and stopped before replacing it: its node is cordoned, not drained; it is detached from its group.',
  position: 1,
  total: 2,
  evict: [
    {
      namespace: 'payments',
      name: 'ledger-api-7d9c-x',
      ownerKind: 'ReplicaSet',
      ownerName: 'ledger-api-7d9c',
      owner: { replicas: 4, workload: 'Deployment payments/ledger-api' },
      pdb: { namespace: 'payments', name: 'ledger-api', disruptionsAllowed: 0 },
      disposition: 'evict',
      emptyDir: false,
    },
  ],
  leftAlone: [],
};

test('80 columns: the question says in full why it is asked again, the budgets and their warning; its rows are counted', () => {
  const width = 80;
  const lines = confirmPodLines(request, width);
  const scroll = { offset: 0, maxOffset: 0, actions: [] };
  const { lastFrame, unmount } = render(<ConfirmPanel request={request} lines={lines} scroll={scroll} listRows={lines.length} remaining={1} width={width} />);
  const frame = lastFrame() ?? '';
  unmount();
  assertFits(frame, width);
  assertReadInFull(frame, `Asked again: ${request.earlierRun}`);
  assertReadInFull(frame, 'PodDisruptionBudgets involved: payments/ledger-api allows 0 now (1 pod here)');
  assertReadInFull(frame, 'Deployment payments/ledger-api (ReplicaSet ledger-api-7d9c) (1 of its 4 replicas on this node) — PodDisruptionBudget payments/ledger-api allows 0 disruptions now: the drain waits for it (retried every 5s)');
  assert.equal(frame.split('\n').length, confirmChromeRows(request, width) + lines.length, 'the screen gives up exactly the rows the panel takes');
});

test('80 columns: a replacement without a drain says in full what an earlier run did', () => {
  const width = 80;
  const bastion: ConfirmRequest = { ...request, nodeName: undefined, kind: 'Bastion', noDrain: 'bastion', evict: [] };
  const { lastFrame, unmount } = render(<ConfirmPanel request={bastion} lines={[]} scroll={{ offset: 0, maxOffset: 0, actions: [] }} listRows={0} remaining={1} width={width} />);
  const frame = lastFrame() ?? '';
  unmount();
  assertFits(frame, width);
  assertReadInFull(frame, `Asked again: ${request.earlierRun}`);
  assertReadInFull(frame, 'A bastion registers no node, so nothing is drained: kops replaces bastions without a drain.');
  assert.equal(frame.split('\n').length, confirmChromeRows(bastion, width));
});

/** An instance of a surge caught mid-way: detached from its group, cordoned, its drain not finished. */
function surging(n: number): InstanceRow {
  const id = `i-0123456789abcde${String(n).padStart(2, '0')}`;
  const done = (step: 'confirm' | 'detach' | 'cordon') => ({ step, status: 'done' as const });
  return { id, group: 'nodes', kind: 'Node', nodeName: `ip-10-0-1-${n}.ec2.internal`, status: 'active', steps: [done('confirm'), done('detach'), done('cordon'), { step: 'drain', status: 'running' }], evicted: 0 };
}

test('80 columns: the abort panel says in full when it stops, what stays running outside its group and each choice; its rows are counted', () => {
  const width = 80;
  const rows = [surging(1)];
  for (const paused of [false, true]) {
    const { lastFrame, unmount } = render(<AbortPanel rows={rows} paused={paused} width={width} />);
    const frame = lastFrame() ?? '';
    unmount();
    assertFits(frame, width);
    assertReadInFull(frame, `${paused ? 'It is paused between steps and stops there.' : 'It stops at the next safe point between steps (a drain in progress is cancelled).'} Instances already replaced stay replaced; a drained node stays cordoned.`);
    assertReadInFull(frame, 'Detached from its group and still running: i-0123456789abcde01 (ip-10-0-1-1.ec2.internal); it stays up outside the group (its replacement is in the group) until the rolling update runs again, which drains and terminates it.');
    assertReadInFull(frame, 'Cordoned but not drained right now: ip-10-0-1-1.ec2.internal. Choose what happens to it:');
    assertReadInFull(frame, 'u abort and uncordon it (pods may be scheduled there again)');
    assertReadInFull(frame, 'l abort and leave it cordoned (no new pods; uncordon it yourself later)');
    assertReadInFull(frame, `n / Esc ${paused ? 'do not abort: the rollout stays paused' : 'keep the rollout running'}`);
    assertReadInFull(frame, 'Running the rolling update again later resumes exactly where it stopped.');
    assert.equal(frame.split('\n').length, abortPanelRows(rows, paused, width), 'the screen gives up exactly the rows the panel takes');
  }
});

test('80x24: a surge of many instances shortens the abort panel\'s lists of names, never its choices', () => {
  const width = 80;
  // 24 rows less the console's header, command line and footer, less the rollout's status lines.
  const room = 20 - 4;
  const rows = Array.from({ length: 6 }, (_, i) => surging(i + 1));
  const { lastFrame, unmount } = render(<AbortPanel rows={rows} width={width} maxRows={room} />);
  const frame = lastFrame() ?? '';
  unmount();
  assertFits(frame, width);
  const height = frame.split('\n').length;
  assert.ok(height <= room, `${height} rows in ${room}:\n${frame}`);
  assert.equal(height, abortPanelRows(rows, false, width, room));
  assert.match(flat(frame), /Detached from their group and still running: i-0123456789abcde01 \(ip-10-0-1-1\.ec2\.internal\).* and \d more; they stay up/);
  assertReadInFull(frame, 'u abort and uncordon it (pods may be scheduled there again)');
  assertReadInFull(frame, 'n / Esc keep the rollout running');
  assert.ok(abortPanelRows(rows, false, width) > room, 'every name would not fit');
});

const evictRefused = 'Cannot evict pod as it would violate the pod\'s disruption budget.';

/** A node whose drain is held up by `pods` pods, each behind a budget that allows no disruption. */
function heldUp(n: number, pods: number, cordonedBefore = false): InstanceRow {
  const blocked = Array.from({ length: pods }, (_, p) => ({ pod: { namespace: 'payments', name: `ledger-api-7d9c-${n}${p}` }, pdb: { namespace: 'payments', name: 'ledger-api', disruptionsAllowed: 0 }, reason: evictRefused }));
  return { ...surging(n), cordonedBefore, blocked: { pods: blocked, message: evictRefused } };
}

test('80 columns: a blocked drain says in full why, what the drain does next and each choice; its rows are counted', () => {
  const width = 80;
  const now = 1_000_000;
  for (const cordonedBefore of [false, true]) {
    const rows = [heldUp(1, 1, cordonedBefore)];
    const { lastFrame, unmount } = render(<BlockedDrain state={state} rows={rows} folded={false} now={now} width={width} />);
    const frame = lastFrame() ?? '';
    unmount();
    assertFits(frame, width);
    assertReadInFull(frame, 'Drain of ip-10-0-1-1.ec2.internal is blocked: 15m00s left before the drain timeout (15m00s); 1 pod(s) holding it');
    assertReadInFull(frame, `payments/ledger-api-7d9c-10: PodDisruptionBudget payments/ledger-api allows 0 disruption(s) now · ${evictRefused}`);
    assertReadInFull(frame, 'The drain retries every 5s (a budget frees up when a replacement pod is Ready); at the timeout the rollout stops and says why.');
    assertReadInFull(frame, `w keep waiting · s skip ip-10-0-1-1.ec2.internal: cancel its drain, ${cordonedBefore ? 'leave it cordoned (as it was before the rollout)' : 'uncordon it'}, leave it unreplaced (pods already evicted stay evicted) · x abort…`);
    assert.equal(frame.split('\n').length, blockedDrainRows(state, rows, false, now, width), 'the screen gives up exactly the rows the panel takes');
  }

  // Kept waiting, it folds to a line that still says it in full, with its keys.
  const rows = [heldUp(1, 1), heldUp(2, 1)];
  const { lastFrame, unmount } = render(<BlockedDrain state={state} rows={rows} folded now={now} width={width} />);
  const frame = lastFrame() ?? '';
  unmount();
  assertFits(frame, width);
  assertReadInFull(frame, 'Waiting for the held-up drain of ip-10-0-1-1.ec2.internal (15m00s left), ip-10-0-1-2.ec2.internal (15m00s left) · s skip ip-10-0-1-1.ec2.internal · x abort');
  assert.equal(frame.split('\n').length, blockedDrainRows(state, rows, true, now, width));
});

test('80x24: a lockstep wave of held-up drains shows fewer pods and nodes, never fewer keys', () => {
  const width = 80;
  const now = 1_000_000;
  const room = 20 - 4;
  const rows = [heldUp(1, 5), heldUp(2, 5), heldUp(3, 5), heldUp(4, 5)];
  const { lastFrame, unmount } = render(<BlockedDrain state={state} rows={rows} folded={false} now={now} width={width} maxRows={room} />);
  const frame = lastFrame() ?? '';
  unmount();
  assertFits(frame, width);
  const height = frame.split('\n').length;
  assert.ok(height <= room, `${height} rows in ${room}:\n${frame}`);
  assert.equal(height, blockedDrainRows(state, rows, false, now, width, room));
  assertReadInFull(frame, 'Drain of ip-10-0-1-1.ec2.internal is blocked');
  assert.match(frame, /… and \d more node\(s\) held up/);
  assertReadInFull(frame, 'The drain retries every 5s (a budget frees up when a replacement pod is Ready); at the timeout the rollout stops and says why.');
  assertReadInFull(frame, 'w keep waiting · s skip ip-10-0-1-1.ec2.internal: cancel its drain, uncordon it, leave it unreplaced (pods already evicted stay evicted) · x abort…');
  assert.ok(blockedDrainRows(state, rows, false, now, width) > room, 'every pod of three nodes would not fit');
});

test('80 columns: "Now" and "Next" wrap to two rows each, the rows are counted, and a longer one ends with …', () => {
  const now = 'Draining ip-172-20-32-4.ec2.internal (i-0123456789abcde01): 12 of 30 pods evicted, 3 held up by their budgets; the drain retries every 5s.';
  const next = 'then ip-172-20-33-9.ec2.internal (i-0123456789abcde02) in nodes-us-east-1a (asked before its drain)';
  const progress = { done: 1, skipped: 0, total: 4, elapsedMs: 60_000 };
  const { lastFrame, unmount } = render(<RunHeader state={state} progress={progress} now={now} next={next} width={80} />);
  const frame = lastFrame() ?? '';
  unmount();
  assertReadInFull(frame, `Now: ${now}`);
  assertReadInFull(frame, `Next: ${next}`);
  assertFits(frame, 80);
  assert.equal(frame.split('\n').length, runHeaderRows(now, next, 80));
  const long = headerSentence('Now:', `${now} ${now} ${now}`, 80);
  assert.equal(long.length, 2);
  assert.ok(long[1].endsWith('…') && long[1].length <= 80, long[1]);
});
