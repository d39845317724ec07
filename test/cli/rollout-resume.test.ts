// The advice a stopped rolling update prints is a command that really resumes
// it: the same request (--force, the roles) and the same timings, so the next
// run continues that rollout ("Resuming") instead of planning a new one that
// finds nothing to do.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startLiveFixture, type LiveFixture } from '../screens/live-fixture.js';

let fx: LiveFixture;
before(async () => {
  fx = await startLiveFixture({ name: 'resume.k8s.local', workers: 2, speed: 100 });
});
after(async () => fx?.stop());

const budgetPath = '/apis/policy/v1/namespaces/demo/poddisruptionbudgets/api';
const setBudget = (maxUnavailable: number) => fx.kube.request('PATCH', budgetPath, { body: { spec: { maxUnavailable } }, contentType: 'application/merge-patch+json' });

test('a forced run stopped by a blocked drain advises the exact command, and that command resumes it', { timeout: 120_000 }, async () => {
  await setBudget(0);
  let stopped;
  try {
    stopped = await fx.cli(['rolling-update', 'cluster', fx.name, '--yes', '--force', '--instance-group-roles', 'node', '--drain-timeout', '1m', '--post-drain-delay', '0s', '--node-interval', '0s']);
  } finally {
    await setBudget(1);
  }
  assert.equal(stopped.code, 1, stopped.stdout);
  const advised = /run `kopsdeck (rolling-update cluster [^`]+)` again to resume where it stopped \(the same flags continue the same rollout\)/.exec(stopped.stderr);
  assert.ok(advised, stopped.stderr);
  const command = advised[1];
  assert.equal(command, `rolling-update cluster ${fx.name} --yes --force --instance-group-roles node --drain-timeout=1m --post-drain-delay=0s --node-interval=0s`);

  const resumed = await fx.cli(command.split(' '));
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stdout, new RegExp(`^Resuming rolling update of ${fx.name.replace(/\./g, '\\.')}: [1-9]\\d* instance\\(s\\)`, 'm'), 'the same rollout continued, with instances left to replace');
});
