// Helpers that used to be written out in many places: the message of anything
// thrown, and the name a rollout lock gives its holder.
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { test } from 'node:test';
import { errorMessage } from '../../src/engine/error-message.js';
import type { KubeClient } from '../../src/engine/kube/client.js';
import { loadCloudFirst } from '../../src/engine/live-model/load-once.js';
import { lockHolderName } from '../../src/engine/rollout/lock.js';
import { instantClock } from '../health/instant-clock.js';

test('the message of anything thrown: an Error says its message, anything else is shown as text', () => {
  assert.equal(errorMessage(new TypeError('bad input')), 'bad input');
  assert.equal(errorMessage('plain words'), 'plain words');
  assert.equal(errorMessage(404), '404');
  assert.equal(errorMessage(undefined), 'undefined');
  assert.equal(errorMessage(null), 'null');
});

test('a node list that fails with no Error at all leaves the instances without nodes, instead of failing the read', async () => {
  // A copy that read `(error as Error).message` threw a TypeError of its own here.
  const kube = { requestList: () => Promise.reject(null) } as unknown as KubeClient;
  const loaded = await loadCloudFirst({ cluster: 'c.k8s.local', cloud: { listInstanceGroups: async () => [] }, kube, clock: instantClock() });
  assert.equal(loaded.nodesUnknown, 'null');
  assert.deepEqual(loaded.snapshot.nodes, []);
});

test('a rollout lock names its holder by user, host and front end', () => {
  for (const frontEnd of ['console', 'CLI'] as const) {
    const name = lockHolderName(frontEnd);
    assert.ok(name.endsWith(` (${frontEnd})`), name);
    assert.ok(name.includes(hostname()), name);
  }
});
