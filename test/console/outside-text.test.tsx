// Text from outside shown on console screens is shown, never obeyed: an error
// message, a drain question's pod names and the rollout's notes carry escape
// sequences as visible \u001b, and nothing raw reaches the terminal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { render } from 'ink-testing-library';
import { ErrorBox } from '../../src/components/ErrorBox.js';
import { Notes } from '../../src/screens/rollout/RunView.js';
import { ConfirmPanel, confirmPodLines } from '../../src/screens/rollout/ConfirmPanel.js';
import type { ConfirmRequest } from '../../src/engine/rollout/index.js';

const HOSTILE = 'evil\u001b]0;pwned\u0007\u001b[2J';

function assertShownNotObeyed(frame: string | undefined) {
  assert.ok(frame, 'a frame');
  assert.ok(!frame.includes('\u0007') && !frame.includes(']0;pwned\u0007'), `no raw control characters:\n${JSON.stringify(frame)}`);
  assert.match(frame, /evil\\u001b\]0;pwned\\u0007\\u001b\[2J/);
}

test('an error box shows a hostile message as visible escapes', () => {
  const { lastFrame, unmount } = render(<ErrorBox title="Could not read the cluster" error={new Error(`the API said: ${HOSTILE}`)} hint={`try ${HOSTILE}`} width={120} />);
  assertShownNotObeyed(lastFrame());
  unmount();
});

test('rollout notes and a drain question’s pod lines show hostile names as visible escapes', () => {
  const notes = render(<Notes notes={[`Uncordoned ${HOSTILE}: the rollout stopped before it was drained.`]} width={160} />);
  assertShownNotObeyed(notes.lastFrame());
  notes.unmount();
  const request: ConfirmRequest = {
    cluster: 'c.k8s.local',
    instanceId: 'i-1',
    nodeName: 'node-1',
    group: 'nodes',
    kind: 'Node',
    reason: 'out of date',
    position: 1,
    total: 1,
    evict: [{ namespace: 'demo', name: HOSTILE, ownerKind: 'ReplicaSet', ownerName: 'web-1', disposition: 'evict', emptyDir: false }],
    leftAlone: [],
  };
  const lines = confirmPodLines(request);
  const panel = render(<ConfirmPanel request={request} lines={lines} scroll={{ offset: 0, maxOffset: 0, actions: [] }} listRows={lines.length} remaining={0} width={160} />);
  assertShownNotObeyed(panel.lastFrame());
  panel.unmount();
});
