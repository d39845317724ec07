#!/usr/bin/env node
// Runs every test/**/*.test.ts(x) file with Node's built-in test runner,
// TypeScript loaded through tsx. Node 20's --test does not expand globs itself.
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import { spawnSync } from 'node:child_process';
import { availableParallelism, tmpdir } from 'node:os';

function findTests(dir) {
  const found = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) found.push(...findTests(path));
    else if (/\.test\.tsx?$/.test(entry)) found.push(path);
  }
  return found;
}

// The files that take longest (each 20-60 s, mostly waiting: real retry backoff,
// fsync-bound lock races, rehearsals timed against a simulated clock) start
// first, so none of them begins near the end and runs on alone while the other
// cores sit idle. Only the order changes; a file missing here runs in its
// alphabetical place.
const START_FIRST = [
  'test/reconcile/faults.test.ts',
  'test/store/stale-lock-race.test.ts',
  'test/e2e/pods-logs-yaml.test.ts',
  'test/rollout-ui/watch-cli-run.test.tsx',
  'test/rehearse/blocking-pdb.test.ts',
  'test/bootstrap/script-run.test.ts',
  'test/e2e/events.test.ts',
  'test/rehearse/one-node.test.ts',
  'test/rehearse/cli-rehearse.test.ts',
  'test/rehearse/no-capacity.test.ts',
  'test/e2e/rolling-update.test.ts',
  'test/e2e/create-cluster.test.ts',
  'test/sim/kube-kubectl.test.ts',
];
const startRank = (file) => {
  const rank = START_FIRST.indexOf(file.split(sep).join('/'));
  return rank < 0 ? START_FIRST.length : rank;
};

const filters = process.argv.slice(2);
const files = findTests('test')
  .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
  .sort((a, b) => startRank(a) - startRank(b) || (a < b ? -1 : a > b ? 1 : 0));
const missing = START_FIRST.filter((file) => !existsSync(file));
if (missing.length > 0) console.error(`scripts/run-tests.mjs: START_FIRST names files that do not exist: ${missing.join(', ')}`);
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
// Ink renders only a final frame when CI is set; the console's tests drive it
// as the interactive terminal it is meant for, so they run without CI.
const { CI, CONTINUOUS_INTEGRATION, ...env } = process.env;
// A test that hangs fails after 5 minutes, with its name, instead of holding CI until its own limit.
const TEST_TIMEOUT_MS = 5 * 60_000;
// One test file more than there are cores: many files spend part of their time
// waiting (for a child process, a simulated clock, a shell in tmux), and a third
// file keeps both cores of a 2-core machine busy meanwhile. TEST_CONCURRENCY
// overrides it (1 runs the files one by one).
const CONCURRENCY = Number(process.env.TEST_CONCURRENCY ?? availableParallelism() + 1);
// The tests' temporary files go to a directory of this run (TMPDIR), removed
// at the end: nothing a test wrote (state stores, keys, kubeconfigs) stays
// behind, even from a test killed by its timeout. What a test left there is
// named, so the test can be made to clean up after itself.
const runTmp = mkdtempSync(join(tmpdir(), 'kopsdeck-tests-'));
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${CONCURRENCY}`, `--test-timeout=${TEST_TIMEOUT_MS}`, ...files],
  { stdio: 'inherit', env: { ...env, TMPDIR: runTmp, FORCE_COLOR: '0', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } },
);
// tsx keeps its compile cache there (tsx-<uid>): not a test's.
const leftovers = readdirSync(runTmp).filter((name) => !name.startsWith('tsx-'));
if (leftovers.length > 0) console.error(`scripts/run-tests.mjs: the tests left ${leftovers.length} temporary files or directories (now removed): ${leftovers.sort().join(', ')}`);
rmSync(runTmp, { recursive: true, force: true });
process.exit(result.status ?? 1);
