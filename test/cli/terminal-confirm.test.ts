// `rolling-update --interactive` in a plain terminal: the answers typed on
// stdin map to the engine's, with the console's keys.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { CommandContext } from '../../src/commands/command-context.js';
import { terminalConfirm } from '../../src/commands/terminal-confirm.js';
import type { ConfirmRequest } from '../../src/engine/rollout/types.js';

function request(position: number): ConfirmRequest {
  return {
    cluster: 'c.example.com',
    instanceId: `i-${position}`,
    nodeName: `node-${position}`,
    group: 'nodes-us-east-1a',
    kind: 'Node',
    reason: 'launch template version 1 -> 2',
    position,
    total: 3,
    evict: [{ namespace: 'demo', name: 'web-1', ownerKind: 'ReplicaSet', ownerName: 'web-abc', disposition: 'evict', emptyDir: false, pdb: { namespace: 'demo', name: 'web', disruptionsAllowed: 1 } }],
    leftAlone: [],
  } as ConfirmRequest;
}

function harness(lines: string) {
  let stdout = '';
  let stderr = '';
  const ctx = new CommandContext({ stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, env: {} }, () => ({}));
  const input = new PassThrough();
  input.end(lines);
  return { confirm: terminalConfirm(ctx, input), out: () => stdout, err: () => stderr };
}

test('y drains, s skips, x aborts; anything else is asked again', async () => {
  assert.equal(await harness('maybe\ny\n').confirm(request(1)), 'yes');
  assert.equal(await harness('s\n').confirm(request(1)), 'skip');
  assert.equal(await harness('x\n').confirm(request(1)), 'abort');
  const retried = harness('maybe\nx\n');
  assert.equal(await retried.confirm(request(1)), 'abort');
  assert.match(retried.err(), /Please answer y, s, a or x/);
});

test('a is yes to this node and every remaining one, without asking again', async () => {
  const h = harness('a\n');
  assert.equal(await h.confirm(request(1)), 'yes');
  assert.equal(await h.confirm(request(2)), 'yes');
  assert.equal(await h.confirm(request(3)), 'yes');
  assert.match(h.out(), /\[3\/3\] i-3 \(node node-3\)/);
  assert.match(h.out(), /yes to all: draining without asking/);
  assert.match(h.out(), /demo\/web-1 \(ReplicaSet web-abc\)\s+PodDisruptionBudget demo\/web: 1 disruption allowed now/);
});

test('closed input (no one to answer) aborts rather than draining', async () => {
  const h = harness('');
  assert.equal(await h.confirm(request(1)), 'abort');
  assert.match(h.err(), /input closed/);
});

test('a bastion (no node) is asked about as a replacement, never as a drain', async () => {
  const bastion = { ...request(1), instanceId: 'i-b', nodeName: undefined, group: 'bastions', kind: 'Bastion', reason: 'forced (--force)', evict: [], noDrain: 'bastion' } as ConfirmRequest;
  const h = harness('a\n');
  assert.equal(await h.confirm(bastion), 'yes');
  assert.equal(await h.confirm(request(2)), 'yes');
  assert.equal(h.out().split('\n').slice(0, 3).join('\n'), '\n[1/3] i-b in bastions: forced (--force)\n  A bastion registers no node, so nothing is drained: kops replaces bastions without a drain.');
  assert.match(h.err(), /^Replace it\? \[y\]es \/ \[s\]kip this instance \/ yes to \[a\]ll remaining \/ \[x\] abort: \n$/);
  assert.doesNotMatch(h.out().split('[2/3]')[0], /drain will evict|Left alone/);
});
