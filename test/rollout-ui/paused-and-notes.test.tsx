// What the rollout screen says must still be true: abort asked while paused
// offers to leave it paused (not "keep the rollout running"), and a note
// about what is still to happen goes once it has happened or the run ended.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { render } from 'ink-testing-library';
import { AbortPanel } from '../../src/screens/rollout/AbortPanel.js';
import { rolloutActions } from '../../src/screens/rollout/rollout-actions.js';
import { foldRolloutEvent, notesAtEnd, type RolloutSessionState } from '../../src/sessions/rollout-session-state.js';
import type { RolloutSession } from '../../src/sessions/rollout-session.js';
import type { Router } from '../../src/hooks/useRouter.js';
import type { Shell } from '../../src/hooks/useShell.js';
import { DEFAULT_TIMINGS, initialRolloutView, type RolloutEventBody } from '../../src/engine/rollout/index.js';

function stateAfter(events: RolloutEventBody[]): RolloutSessionState {
  let state: RolloutSessionState = { cluster: 'c.example.com', phase: 'running', force: false, view: initialRolloutView, yesToAll: false, notes: [], timings: DEFAULT_TIMINGS };
  events.forEach((event, i) => (state = { ...state, ...foldRolloutEvent(state, { ...event, time: 1_000 + i }) }));
  return state;
}

const started = (id: string, node: string, step: 'confirm' | 'cordon' | 'drain'): RolloutEventBody => ({ type: 'step-started', instanceId: id, group: 'nodes', nodeName: node, step });

test('abort asked while paused: backing out leaves it paused, and the panel and the keys say so', () => {
  const paused = stateAfter([started('i-a', 'node-a', 'confirm'), { type: 'paused', at: 'step' }]);
  assert.equal(paused.view.status, 'paused');
  const panel = render(<AbortPanel rows={[]} paused width={200} />);
  const frame = panel.lastFrame() ?? '';
  panel.unmount();
  assert.doesNotMatch(frame, /keep the rollout running/);
  assert.match(frame, /n \/ Esc do not abort: the rollout stays paused/);
  assert.match(frame, /It is paused between steps and stops there\./);

  const inputs = { state: paused, session: {} as RolloutSession, router: {} as Router, shell: {} as Shell, remaining: 0, setAskingAbort: () => undefined, scroll: [], blocked: [], keepWaiting: () => undefined };
  const labels = (mode: 'abort' | 'running') => rolloutActions({ ...inputs, mode }).map((a) => a.label);
  assert.ok(labels('abort').includes('stay paused'), labels('abort').join(', '));
  assert.ok(!labels('abort').includes('keep running'));
  assert.ok(labels('running').includes('back (the rollout stays paused)'), labels('running').join(', '));

  // Running, the same keys say it keeps running.
  const running = stateAfter([started('i-a', 'node-a', 'confirm')]);
  assert.ok(rolloutActions({ ...inputs, state: running, mode: 'abort' }).some((a) => a.label === 'keep running'));
});

test('a note about what is still to happen goes once it has happened', () => {
  const scheduled = stateAfter([started('i-a', 'node-a', 'drain'), { type: 'pause-after-current', scheduled: true }]);
  assert.ok(scheduled.notes.some((n) => n.startsWith('The rollout pauses once')), scheduled.notes.join('\n'));
  const pausedThere = stateAfter([started('i-a', 'node-a', 'drain'), { type: 'pause-after-current', scheduled: true }, { type: 'paused', at: 'instance' }]);
  assert.ok(!pausedThere.notes.some((n) => n.startsWith('The rollout pauses once')), pausedThere.notes.join('\n'));
  assert.ok(pausedThere.notes.includes('Paused after the instance(s) in progress, as asked.'));
  const cancelled = stateAfter([started('i-a', 'node-a', 'drain'), { type: 'pause-after-current', scheduled: true }, { type: 'pause-after-current', scheduled: false }]);
  assert.ok(!cancelled.notes.some((n) => n.startsWith('The rollout pauses once')), 'a cancelled pause is no longer announced');

  const skipped = stateAfter([
    started('i-a', 'node-a', 'drain'),
    { type: 'skip-requested', instanceId: 'i-a', nodeName: 'node-a' },
    { type: 'skipped', instanceId: 'i-a', group: 'nodes', reason: 'skipped during its drain: uncordoned and not replaced' },
  ]);
  assert.ok(!skipped.notes.some((n) => n.startsWith('Skipping node-a')), skipped.notes.join('\n'));
  assert.ok(skipped.notes.some((n) => n.startsWith('Skipped i-a (not replaced)')));
});

test('when the run ends, notes about what was still to happen are dropped; what happened stays', () => {
  const notes = [
    'Yes to all: every remaining drain starts without asking (p pauses, x aborts).',
    'Skipping node-b: cancelling its drain, then uncordoning it.',
    'The rollout pauses once the instance(s) in progress are replaced and validated.',
    'Uncordoned node-c: the rollout stopped before it was drained.',
  ];
  assert.deepEqual(notesAtEnd(notes), ['Uncordoned node-c: the rollout stopped before it was drained.']);
});
