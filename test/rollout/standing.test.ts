// Where a cluster's rolling update stands, from its lock and journal: running
// (a live lock), unfinished (a journal that did not end, its run gone), or
// nothing to say; and the command that resumes it with the request it had.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { processSpaceId } from '../../src/engine/process-space.js';
import { resumeWords, rolloutStanding, standingSentence } from '../../src/engine/rollout/standing.js';
import type { JournalDocument } from '../../src/engine/rollout/journal.js';
import type { LockBody } from '../../src/engine/rollout/lock.js';

const NOW = Date.now();
const journal = (status: JournalDocument['status'], reason?: string): JournalDocument => ({
  kind: 'RolloutJournal',
  cluster: 'c.example.com',
  runId: 'r1',
  status,
  reason,
  startedAt: 1,
  updatedAt: 2,
  request: { force: true, instanceGroups: ['nodes-a', 'nodes-b'], roles: [], cloudOnly: false },
  entries: [
    { instance: 'i-1', group: 'nodes-a', step: 'confirm', at: 1 },
    { instance: 'i-1', group: 'nodes-a', step: 'cordon', at: 2 },
  ],
});
const lock = (pid: number, heartbeatAt = NOW): LockBody => ({ holder: 'ana@laptop (CLI)', runId: 'r1', pid, host: hostname(), space: processSpaceId(), acquiredAt: heartbeatAt, heartbeatAt });

test('a live lock is a run under way, whatever the journal says', () => {
  const standing = rolloutStanding(lock(process.pid), journal('running'), NOW);
  assert.deepEqual(standing, { kind: 'running', holder: 'ana@laptop (CLI)' });
  assert.equal(standingSentence(standing, 'R'), 'A rolling update is running now, by ana@laptop (CLI).');
});

test('a journal that did not end, its run gone, is unfinished, with how to resume it as it was asked for', () => {
  const failed = rolloutStanding(null, journal('failed', 'drain of node n-1 timed out'), NOW);
  assert.equal(
    standingSentence(failed, `\`${resumeWords('c.example.com', failed.kind === 'unfinished' ? failed.request : undefined)}\``),
    'The last rolling update did not finish: it failed: drain of node n-1 timed out. 1 instance is part way through (cordoned, drained or terminated, not yet replaced). `kopsdeck rolling-update cluster c.example.com --yes --force --instance-group nodes-a,nodes-b` resumes it.',
  );
  // A pid above Linux's pid_max (2^22) cannot exist: the run crashed.
  const crashed = rolloutStanding(lock(4_194_305), journal('running'), NOW);
  assert.equal(
    standingSentence(crashed, 'R'),
    'The last rolling update did not finish: its process (pid 4194305) is gone. 1 instance is part way through (cordoned, drained or terminated, not yet replaced). R resumes it.',
  );
  const stale = rolloutStanding({ ...lock(process.pid, NOW - 60 * 60_000), space: 'elsewhere' }, journal('paused'), NOW);
  assert.ok(stale.kind === 'unfinished' && stale.status === 'its heartbeat stopped', JSON.stringify(stale));
  // A run that asked before each drain is resumed asking: never a bare --yes that drains the rest unasked.
  const asked = rolloutStanding(null, { ...journal('aborted'), asksBeforeDrains: true }, NOW);
  assert.ok(asked.kind === 'unfinished');
  assert.equal(resumeWords('c.example.com', asked.request, asked.asksBeforeDrains), 'kopsdeck rolling-update cluster c.example.com --interactive --force --instance-group nodes-a,nodes-b');
});

test('nothing to say: no journal, or the last run finished', () => {
  assert.equal(standingSentence(rolloutStanding(null, null, NOW), 'R'), undefined);
  assert.equal(standingSentence(rolloutStanding(null, journal('finished'), NOW), 'R'), undefined);
});
