// Start-up as a user waits for it: whole processes, from their start to their
// exit, for the commands scripts and shells call most (`--help`, `get
// clusters` on a local store, a completion), next to `node -e 0` and
// `kubectl version --client` on the same machine. Peak memory (max RSS) from
// GNU time when it is installed. Prints figures; asserts nothing.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { median } from './bench-helpers.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const home = mkdtempSync(join(tmpdir(), 'kopsdeck-startup-'));
const env = { ...process.env, KOPSDECK_HOME: home, KOPS_STATE_STORE: '' };
const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const cli = resolve('dist/cli.js');

/** Median wall ms and median max RSS (MiB, when measurable) of a whole process. */
function measure(command: string, args: string[]): { ms: number; mib?: number } {
  const times: number[] = [];
  const rss: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = process.hrtime.bigint();
    const run = gnuTime ? spawnSync(gnuTime, ['-f', '%M', command, ...args], { env, encoding: 'utf8' }) : spawnSync(command, args, { env, encoding: 'utf8' });
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
    const kb = gnuTime ? Number(run.stderr.trim().split('\n').at(-1)) : NaN;
    if (Number.isFinite(kb)) rss.push(kb / 1024);
  }
  return { ms: median(times), mib: rss.length ? median(rss) : undefined };
}

const baseline = measure(process.execPath, ['-e', '0']);
const rows: [string, { ms: number; mib?: number }][] = [['node -e 0', baseline]];
if (spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0) rows.push(['kubectl version --client', measure('kubectl', ['version', '--client'])]);
rows.push(['kopsdeck --help', measure(process.execPath, [cli, '--help'])]);
rows.push(['kopsdeck get clusters (local store)', measure(process.execPath, [cli, 'get', 'clusters'])]);
rows.push(['kopsdeck __complete -- rolling-update ""', measure(process.execPath, [cli, '__complete', '--', 'rolling-update', ''])]);
console.log(`start-up, whole processes, median of ${RUNS}:`);
for (const [label, { ms, mib }] of rows) {
  const memory = mib === undefined ? '' : `  ${mib.toFixed(0)} MiB`;
  console.log(`  ${label.padEnd(44)} ${ms.toFixed(0).padStart(5)} ms  ${(ms / baseline.ms).toFixed(1).padStart(4)}x node -e 0${memory}`);
}
rmSync(home, { recursive: true, force: true });
