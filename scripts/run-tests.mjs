#!/usr/bin/env node
// Runs every test/**/*.test.ts(x) file with Node's built-in test runner,
// TypeScript loaded through tsx. Node 20's --test does not expand globs itself.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

function findTests(dir) {
  const found = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) found.push(...findTests(path));
    else if (/\.test\.tsx?$/.test(entry)) found.push(path);
  }
  return found;
}

const filters = process.argv.slice(2);
const files = findTests('test')
  .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
  .sort();
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
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${CONCURRENCY}`, `--test-timeout=${TEST_TIMEOUT_MS}`, ...files],
  { stdio: 'inherit', env: { ...env, FORCE_COLOR: '0', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } },
);
process.exit(result.status ?? 1);
