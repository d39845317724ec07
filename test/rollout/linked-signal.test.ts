// The rollout's child signals follow the run's signal and let go of it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { linkedSignal } from '../../src/engine/abort/linked-signal.js';

test('a linked signal aborts with its parent, on its own, and leaves no listener on the parent once disposed', () => {
  const parent = new AbortController();
  const children = Array.from({ length: 50 }, () => linkedSignal(parent.signal));
  assert.equal(getEventListeners(parent.signal, 'abort').length, 50);
  children[0].abort('mine');
  assert.equal(children[0].signal.reason, 'mine');
  assert.equal(parent.signal.aborted, false, 'a child never aborts its parent');
  for (const child of children.slice(0, 40)) child.dispose();
  assert.equal(getEventListeners(parent.signal, 'abort').length, 10, 'disposed children let go');
  parent.abort('stop');
  assert.ok(children.slice(40).every((c) => c.signal.aborted && c.signal.reason === 'stop'));
  assert.equal(children[1].signal.aborted, false, 'a disposed child no longer follows');
  const late = linkedSignal(parent.signal);
  assert.equal(late.signal.aborted, true, 'linked to an aborted parent: aborted at once');
});
