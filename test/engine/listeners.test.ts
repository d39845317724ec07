// The one listener set behind every subscribe of the engine and the sessions
// (src/engine/listeners.ts): order, unsubscribing, changes made while
// notifying, and a throwing listener with and without isolation.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Listeners } from '../../src/engine/listeners.js';

test('listeners are called in the order they were added, each with the value; unsubscribing stops one', () => {
  const listeners = new Listeners<number>();
  const calls: string[] = [];
  const stopA = listeners.add((v) => calls.push(`a${v}`));
  listeners.add((v) => calls.push(`b${v}`));
  listeners.add((v) => calls.push(`c${v}`));
  listeners.notify(1);
  stopA();
  listeners.notify(2);
  assert.deepEqual(calls, ['a1', 'b1', 'c1', 'b2', 'c2']);
  assert.equal(listeners.size, 2);
});

test('the same function added twice is called once, and an unsubscribe called twice does not remove it when added again', () => {
  const listeners = new Listeners();
  let calls = 0;
  const listener = () => calls++;
  const first = listeners.add(listener);
  listeners.add(listener);
  listeners.notify();
  assert.equal(calls, 1);
  first();
  listeners.notify();
  assert.equal(calls, 1);
  listeners.add(listener);
  first();
  listeners.notify();
  assert.equal(calls, 2);
});

test('a listener added during a notify is first called by the next one', () => {
  const listeners = new Listeners<number>();
  const calls: string[] = [];
  let added = false;
  listeners.add((v) => {
    calls.push(`a${v}`);
    if (added) return;
    added = true;
    listeners.add((w) => calls.push(`late${w}`));
  });
  listeners.notify(1);
  listeners.notify(2);
  assert.deepEqual(calls, ['a1', 'a2', 'late2']);
});

test('a listener removed during a notify is not called any more, and one unsubscribing itself does not make others miss the notify', () => {
  const listeners = new Listeners<number>();
  const calls: string[] = [];
  let stopC = () => {};
  // A unsubscribes itself (as rollout-sessions' closeIfIdle does), B removes C.
  const stopA = listeners.add((v) => {
    calls.push(`a${v}`);
    stopA();
  });
  listeners.add((v) => {
    calls.push(`b${v}`);
    stopC();
  });
  stopC = listeners.add((v) => calls.push(`c${v}`));
  listeners.add((v) => calls.push(`d${v}`));
  listeners.notify(1);
  listeners.notify(2);
  assert.deepEqual(calls, ['a1', 'b1', 'd1', 'b2', 'd2']);
});

test('a notify inside a listener reaches every listener, and the outer notify goes on with the rest', () => {
  const listeners = new Listeners<number>();
  const calls: string[] = [];
  listeners.add((v) => {
    calls.push(`a${v}`);
    if (v === 1) listeners.notify(2);
  });
  listeners.add((v) => calls.push(`b${v}`));
  listeners.notify(1);
  assert.deepEqual(calls, ['a1', 'a2', 'b2', 'b1']);
});

test('without onError a throwing listener throws out of notify, as a direct call would', () => {
  const listeners = new Listeners();
  const calls: string[] = [];
  listeners.add(() => calls.push('a'));
  listeners.add(() => {
    throw new Error('broken screen');
  });
  listeners.add(() => calls.push('c'));
  assert.throws(() => listeners.notify(), /broken screen/);
  assert.deepEqual(calls, ['a']);
});

test('with onError a throwing listener is isolated: its error is reported and the others are still called', () => {
  const errors: unknown[] = [];
  const listeners = new Listeners<string>({ onError: (error) => errors.push(error) });
  const calls: string[] = [];
  listeners.add((v) => calls.push(`a${v}`));
  listeners.add(() => {
    throw new Error('broken screen');
  });
  listeners.add((v) => calls.push(`c${v}`));
  listeners.notify('!');
  listeners.notify('?');
  assert.deepEqual(calls, ['a!', 'c!', 'a?', 'c?']);
  assert.equal(errors.length, 2);
  assert.match((errors[0] as Error).message, /broken screen/);
});
