// On real AWS a cluster's machines read their secrets from the state store
// with their instance profile, so a local (file://) store can never boot
// them: creating a cluster there is refused before anything is written, and
// the simulator, whose machines may read a local store, is not affected.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runCreateFlow, type CreateEvent } from '../../src/engine/create/index.js';
import { storeUnreachableByMachines } from '../../src/engine/bootstrap/store-reach.js';
import { buildClusterSpec } from '../../src/engine/spec/defaults.js';
import { openStateStore } from '../../src/engine/store/open-store.js';
import { systemClock } from '../../src/engine/clock.js';

test('creating a cluster on real AWS with a local state store is refused before anything is written', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kopsdeck-local-store-'));
  try {
    const store = openStateStore(pathToFileURL(join(dir, 'state')).href);
    const events: CreateEvent[] = [];
    const outcome = await runCreateFlow({
      bundle: buildClusterSpec({ name: 'real.k8s.local', zones: ['us-east-1a'], topology: 'public', controlPlaneCount: 1, nodeCount: 1, kubernetesVersion: '1.36.3' }),
      store,
      access: { simulated: false, clock: systemClock, defaultRegion: 'us-east-1' },
      onEvent: (event) => events.push(event),
    });
    assert.ok(!outcome.ok && 'message' in outcome, 'a failure with a message');
    assert.equal(outcome.phase, 'store');
    assert.match(outcome.message, /^machines on AWS cannot read the state store file:\/\/.*: they fetch the cluster's certificates and bootstrap token from S3 .*Use an s3:\/\/ state store .*; nothing was created$/);
    assert.equal(outcome.stored, false);
    assert.deepEqual(await store.listClusters(), [], 'nothing was written');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an s3:// store, or the simulator with any store, is fine', () => {
  assert.equal(storeUnreachableByMachines('s3://bucket/prefix', { simulated: false }), undefined);
  assert.equal(storeUnreachableByMachines('file:///home/me/state', { simulated: true }), undefined);
  assert.match(storeUnreachableByMachines('file:///home/me/state', { simulated: false })!, /cannot read the state store file:\/\/\/home\/me\/state/);
});
