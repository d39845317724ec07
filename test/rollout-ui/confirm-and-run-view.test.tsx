// The drain question and the run view without a cluster: pods grouped by
// owner with their budget (shared or per pod), the budgets involved, pods
// nothing recreates, DaemonSet and mirror pods listed after; a lockstep wave
// (every instance's step starts together) described as one, with every
// held-up drain shown and the skip/keep-waiting/abort choice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { render } from 'ink-testing-library';
import { ConfirmPanel, confirmPodLines } from '../../src/screens/rollout/ConfirmPanel.js';
import { BlockedDrain, RunHeader } from '../../src/screens/rollout/RunView.js';
import { AbortPanel, detachedNotTerminated } from '../../src/screens/rollout/AbortPanel.js';
import { describeNext, describeNow, instanceRows, progressOf } from '../../src/screens/rollout/rollout-progress.js';
import type { RolloutSessionState } from '../../src/sessions/rollout-session-state.js';
import { DEFAULT_TIMINGS, initialRolloutView, reduceRollout, type ConfirmPod, type ConfirmRequest, type RolloutEvent, type RolloutEventBody, type RolloutPlan } from '../../src/engine/rollout/index.js';

const web = { namespace: 'demo', name: 'web', disruptionsAllowed: 1 };
const api = { namespace: 'demo', name: 'api', disruptionsAllowed: 0 };
const pod = (name: string, ownerKind: string, ownerName: string, extra: Partial<ConfirmPod> = {}): ConfirmPod => ({
  namespace: 'demo',
  name,
  ownerKind,
  ownerName,
  disposition: 'evict',
  emptyDir: false,
  ...extra,
});

const request: ConfirmRequest = {
  cluster: 'c.example.com',
  instanceId: 'i-1',
  nodeName: 'node-1',
  group: 'nodes',
  kind: 'Node',
  reason: 'launch template version 1 -> 2',
  position: 2,
  total: 5,
  evict: [
    pod('web-7d9c-b', 'ReplicaSet', 'web-7d9c', { pdb: web }),
    pod('web-7d9c-a', 'ReplicaSet', 'web-7d9c', { pdb: web, emptyDir: true }),
    pod('web-7d9c-c', 'ReplicaSet', 'web-7d9c', { pdb: web }),
    pod('db-0', 'StatefulSet', 'db', { pdb: api, owner: { replicas: 2 } }),
    pod('db-1', 'StatefulSet', 'db', { owner: { replicas: 2 } }),
    pod('api-5f-x', 'ReplicaSet', 'api-5f', { pdb: api, owner: { replicas: 4, workload: 'Deployment demo/api' } }),
    pod('lonely', '', ''),
  ],
  leftAlone: [
    pod('kube-proxy-x', 'DaemonSet', 'kube-proxy', { namespace: 'kube-system', disposition: 'skip-daemonset' }),
    pod('etcd-node-1', 'Node', 'node-1', { namespace: 'kube-system', disposition: 'skip-mirror' }),
  ],
};

test('the evicted pods are grouped by owner with the budget they share, then the pods left alone', () => {
  const lines = confirmPodLines(request).map((l) => l.text);
  const at = (text: string) => lines.findIndex((l) => l.includes(text));
  const web = at('ReplicaSet demo/web-7d9c (3 pods) — PodDisruptionBudget demo/web allows 1 disruption now: evicted a few at a time');
  assert.ok(web >= 0, lines.join('\n'));
  assert.deepEqual(lines.slice(web + 1, web + 4), ['      demo/web-7d9c-a  (its emptyDir data is deleted)', '      demo/web-7d9c-b', '      demo/web-7d9c-c']);
  // Budgets that differ within one owner are said per pod.
  const db = at('StatefulSet demo/db (all 2 of its replicas are on this node) — budgets differ');
  assert.ok(db >= 0, lines.join('\n'));
  assert.match(lines[db + 1], /demo\/db-0 {2}PodDisruptionBudget demo\/api allows 0 disruptions now: the drain waits for it/);
  assert.match(lines[db + 2], /demo\/db-1 {2}no PodDisruptionBudget$/);
  assert.ok(at('(no owner) in demo (1 pod) — no PodDisruptionBudget; nothing recreates it') >= 0, lines.join('\n'));
  // The workload behind a ReplicaSet, and how many of its replicas are here (a ReplicaSet that could not be read says only its pods: web above).
  assert.ok(at('Deployment demo/api (ReplicaSet api-5f) (1 of its 4 replicas on this node) — PodDisruptionBudget demo/api allows 0 disruptions now') >= 0, lines.join('\n'));
  assert.equal(confirmPodLines(request).find((l) => l.text.includes('StatefulSet demo/db'))?.color, 'yellow', 'all replicas on one node is a warning');
  const leftAlone = at('Left alone (2 DaemonSet and mirror pods');
  assert.ok(leftAlone > Math.max(web, db));
  assert.ok(at('  kube-system/kube-proxy-x (DaemonSet kube-system/kube-proxy)') > leftAlone);
  assert.ok(at('  kube-system/etcd-node-1 (mirror pod)') > leftAlone);
});

test('the panel names the node, the budgets involved with what they allow now, and the keys', () => {
  const lines = confirmPodLines(request);
  const scroll = { offset: 0, maxOffset: 0, actions: [] };
  const { lastFrame, unmount } = render(<ConfirmPanel request={request} lines={lines} scroll={scroll} listRows={lines.length} remaining={3} width={230} />);
  const frame = lastFrame() ?? '';
  unmount();
  assert.match(frame, /Drain node node-1\? {2}\(instance 2 of 5\)/);
  assert.match(frame, /The drain will evict 7 pods of 4 owners:/);
  assert.match(frame, /PodDisruptionBudgets involved: demo\/api allows 0 now \(2 pods here\), demo\/web allows 1 now \(3 pods here\)/);
  assert.match(frame, /y drain and replace it · s skip this node \(not replaced\) · p drain it, then pause after this node · x abort/);
  assert.match(frame, /a yes to this node and all 3 remaining/);
  assert.doesNotMatch(frame, /\bY\b/);
});

test('at 80 columns the panel says its answers in fewer words, and abort is still among them', () => {
  const lines = confirmPodLines(request);
  const scroll = { offset: 0, maxOffset: 0, actions: [] };
  const { lastFrame, unmount } = render(<ConfirmPanel request={request} lines={lines} scroll={scroll} listRows={lines.length} remaining={3} width={80} />);
  const frame = lastFrame() ?? '';
  unmount();
  assert.match(frame, /│ y drain · s skip \(not replaced\) · p drain, then pause · x abort… +│/);
  assert.match(frame, /│ a yes to this and all 3 remaining, no more questions \(asks first\) +│/);
  for (const line of frame.split('\n')) assert.ok(line.length <= 80, `fits in 80 columns: ${line}`);
});

const plan: RolloutPlan = {
  cluster: 'c.example.com',
  order: ['nodes'],
  totalInstances: 3,
  estimatedMs: 60_000,
  force: false,
  groups: [
    {
      name: 'nodes',
      groupName: 'nodes.c.example.com',
      kind: 'Node',
      status: 'NeedsUpdate',
      needUpdate: 3,
      ready: 0,
      min: 3,
      target: 3,
      max: 6,
      nodes: 3,
      settings: { maxSurge: 2, maxUnavailable: 0, drainAndTerminate: true },
      instances: ['i-a', 'i-b', 'i-c'].map((id) => ({ id, group: 'nodes', nodeName: `node-${id.slice(2)}`, reason: 'r', detached: false, ready: true })),
      waves: [['i-a', 'i-b'], ['i-c']],
      warm: [],
      canary: false,
    },
  ],
};

/** The state after these events: the run started two minutes before `now`, every later event a minute before it. */
function stateOf(events: RolloutEventBody[], now: number): RolloutSessionState {
  const timed = events.map((e, i): RolloutEvent => ({ ...e, time: i === 0 ? now - 120_000 : now - 60_000 }));
  return {
    cluster: 'c.example.com',
    phase: 'running',
    force: false,
    plan,
    view: timed.reduce(reduceRollout, initialRolloutView),
    yesToAll: true,
    notes: [],
    timings: { ...DEFAULT_TIMINGS, drainTimeoutMs: 10 * 60_000 },
  };
}

test('a lockstep wave: one sentence for the instances draining together, every held-up drain shown with its time left', () => {
  const started = (id: string, step: 'confirm' | 'detach' | 'cordon' | 'drain'): RolloutEventBody => ({ type: 'step-started', instanceId: id, group: 'nodes', nodeName: `node-${id.slice(2)}`, step });
  const finished = (id: string, step: 'confirm' | 'detach' | 'cordon'): RolloutEventBody => ({ type: 'step-finished', instanceId: id, group: 'nodes', nodeName: `node-${id.slice(2)}`, step, durationMs: 1000 });
  const blocked = (id: string, pdb: typeof api | undefined, reason: string): RolloutEventBody => ({
    type: 'drain-blocked',
    instanceId: id,
    nodeName: `node-${id.slice(2)}`,
    blocked: [{ pod: { namespace: 'demo', name: `p-${id}` }, pdb, reason }],
    message: reason,
  });
  const events: RolloutEventBody[] = [{ type: 'plan', plan, resumed: false }, { type: 'wave-started', group: 'nodes', wave: 1, waves: 2, instances: ['i-a', 'i-b'] }];
  for (const step of ['confirm', 'detach', 'cordon'] as const) {
    events.push(started('i-a', step), started('i-b', step), finished('i-a', step), finished('i-b', step));
  }
  events.push(started('i-a', 'drain'), started('i-b', 'drain'));
  const now = 10_000_000;
  let state = stateOf(events, now);
  let rows = instanceRows(state, now);
  assert.deepEqual(rows.map((r) => r.status), ['active', 'active', 'waiting']);
  assert.equal(describeNow(state, rows, now), 'Draining 2 nodes together (node-a, node-b): 0 pod(s) evicted so far.');

  events.push(blocked('i-a', api, 'Cannot evict pod as it would violate the disruption budget'), blocked('i-b', undefined, 'evicted but still terminating'));
  events.push({ type: 'pause-after-current', scheduled: true });
  state = stateOf(events, now);
  rows = instanceRows(state, now);
  assert.match(describeNow(state, rows, now), /^Draining 2 nodes together \(node-a, node-b\): 0 pod\(s\) evicted so far; 2 held up \(node-a 9m00s left, node-b 9m00s left\)\. Then the rollout pauses, as you asked\.$/);
  assert.match(describeNext(state, rows), /then PAUSE \(as you asked\), then node-c \(i-c\) once you resume/);

  const held = rows.filter((r) => r.blocked);
  const { lastFrame, unmount } = render(<BlockedDrain state={state} rows={held} folded={false} now={now} width={230} />);
  const frame = lastFrame() ?? '';
  unmount();
  assert.match(frame, /Drain of node-a is blocked: 9m00s left before the drain timeout \(10m00s\); 1 pod\(s\) holding it/);
  assert.match(frame, /demo\/p-i-a: PodDisruptionBudget demo\/api allows 0 disruption\(s\) now · Cannot evict pod/);
  assert.match(frame, /Drain of node-b is blocked/);
  assert.match(frame, /demo\/p-i-b: no budget · evicted but still terminating/);
  assert.match(frame, /w keep waiting · s skip node-a: cancel its drain, uncordon it, leave it unreplaced/);

  const folded = render(<BlockedDrain state={state} rows={held} folded now={now} width={230} />);
  assert.match(folded.lastFrame() ?? '', /Waiting for the held-up drain of node-a \(9m00s left\), node-b \(9m00s left\) {2}· {2}s skip node-a · x abort/);
  folded.unmount();

  // Skipping node-a: it leaves the held-up list and shows as skipped during its drain.
  events.push({ type: 'skip-requested', instanceId: 'i-a', nodeName: 'node-a' });
  assert.equal(instanceRows(stateOf(events, now), now)[0].skipping, true);
  events.push({ type: 'uncordoned', instanceId: 'i-a', nodeName: 'node-a', reason: 'its drain was skipped' });
  events.push({ type: 'skipped', instanceId: 'i-a', group: 'nodes', reason: 'skipped while its drain was held up: uncordoned and not replaced' });
  rows = instanceRows(stateOf(events, now), now);
  assert.equal(rows[0].status, 'skipped');
  assert.equal(rows[0].blocked, undefined);
  assert.deepEqual(rows.filter((r) => r.blocked).map((r) => r.id), ['i-b']);
});

test('while a surge waits for its replacements, "Now" says what it waits for, not "Between steps"', () => {
  const now = 10_000_000;
  const detach = (type: 'step-started' | 'step-finished', id: string): RolloutEventBody =>
    type === 'step-started' ? { type, instanceId: id, group: 'nodes', nodeName: `node-${id.slice(2)}`, step: 'detach' } : { type, instanceId: id, group: 'nodes', nodeName: `node-${id.slice(2)}`, step: 'detach', durationMs: 1000 };
  const events: RolloutEventBody[] = [
    { type: 'plan', plan, resumed: false },
    { type: 'wave-started', group: 'nodes', wave: 1, waves: 2, instances: ['i-a', 'i-b'] },
    detach('step-started', 'i-a'),
    detach('step-started', 'i-b'),
    detach('step-finished', 'i-a'),
    detach('step-finished', 'i-b'),
    { type: 'waiting-for-replacement', group: 'nodes', want: 5, ready: 3, joining: 2 },
  ];
  const state = stateOf(events, now);
  const text = describeNow(state, instanceRows(state, now), now);
  assert.equal(text, 'Waiting for the replacements in nodes: 3 of 5 in service and Ready, 2 joining.');
});

test('the status tells the truth: no stale "last check passed" once a node is out, skipped is not done, one elapsed time at the end', () => {
  const now = 10_000_000;
  const events: RolloutEventBody[] = [
    { type: 'plan', plan, resumed: false },
    { type: 'validation-attempt', group: 'nodes', attempt: 1, ok: true, consecutivePasses: 1, required: 1, failures: [] },
  ];
  assert.equal(stateOf(events, now).view.validation?.ok, true, 'shown while it describes the cluster');
  events.push({ type: 'step-started', instanceId: 'i-a', group: 'nodes', nodeName: 'node-a', step: 'confirm' });
  assert.equal(stateOf(events, now).view.validation?.ok, true, 'a question takes nothing out');
  events.push({ type: 'step-started', instanceId: 'i-a', group: 'nodes', nodeName: 'node-a', step: 'cordon' });
  assert.equal(stateOf(events, now).view.validation, undefined, 'once node-a is cordoned the last check is no longer current');

  // i-a replaced, i-b skipped, i-c left: one of three replaced, not two.
  for (const step of ['confirm', 'cordon', 'drain', 'post-drain', 'terminate', 'join', 'validate'] as const) {
    events.push({ type: 'step-finished', instanceId: 'i-a', group: 'nodes', nodeName: 'node-a', step, durationMs: 1000 });
  }
  events.push({ type: 'skipped', instanceId: 'i-b', group: 'nodes', reason: 'you skipped it' });
  const running = stateOf(events, now);
  const rows = instanceRows(running, now);
  const header = render(<RunHeader state={running} progress={progressOf(running, rows, now)} now="" next="" width={200} />);
  assert.match(header.lastFrame() ?? '', /1 of 3 instances replaced, 1 skipped {2}· {2}elapsed 2m00s/);
  header.unmount();

  // Ended: the header's elapsed is the result's duration, however long the screen stays open.
  const ended: RolloutSessionState = {
    ...running,
    phase: 'ended',
    result: { status: 'finished', replaced: ['i-a'], skipped: ['i-b'], durationMs: 95_000 },
  };
  assert.equal(progressOf(ended, rows, now + 3_600_000).elapsedMs, 95_000);
});

test('the abort panel names an instance a surge detached and did not terminate: it keeps running outside its group', () => {
  const now = 10_000_000;
  const events: RolloutEventBody[] = [{ type: 'plan', plan, resumed: false }];
  for (const step of ['confirm', 'detach', 'cordon'] as const) {
    events.push({ type: 'step-started', instanceId: 'i-a', group: 'nodes', nodeName: 'node-a', step }, { type: 'step-finished', instanceId: 'i-a', group: 'nodes', nodeName: 'node-a', step, durationMs: 1000 });
  }
  const rows = instanceRows(stateOf(events, now), now);
  assert.deepEqual(detachedNotTerminated(rows).map((r) => r.id), ['i-a']);
  const panel = render(<AbortPanel rows={rows} width={400} />);
  const frame = panel.lastFrame() ?? '';
  panel.unmount();
  assert.match(frame, /Detached from its group and still running: i-a \(node-a\); it stays up outside the group \(its replacement is in the group\) until the rolling update runs again, which drains and terminates it\./);
  assert.match(frame, /Cordoned but not drained right now: node-a\./);
  const none = render(<AbortPanel rows={instanceRows(stateOf([{ type: 'plan', plan, resumed: false }], now), now)} width={400} />);
  assert.match(none.lastFrame() ?? '', /No instance is detached from its group and still running\./);
  none.unmount();
});
