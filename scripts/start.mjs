#!/usr/bin/env node
// `npm start`: builds dist/ only when a source is newer than the last build
// (tsc's incremental build still reads every file), then runs the console.
// Arguments after `npm start --` go to kopsdeck.
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

// Written after each build this script runs (tsc leaves its own files untouched when nothing changed).
const STAMP = 'dist/.built-at';

function newestMtime(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

const inputs = ['src', 'tsconfig.json', 'tsconfig.build.json', 'package.json'];
const stale = !existsSync(STAMP) || !existsSync('dist/cli.js') || Math.max(...inputs.map(newestMtime)) > statSync(STAMP).mtimeMs;
if (stale) {
  // Said first: a build takes a while, and a silent terminal looks hung.
  const why = existsSync('dist/cli.js') ? 'a source changed since the last build' : 'first start';
  process.stderr.write(`Building kopsdeck (${why}); this takes up to half a minute…\n`);
  const build = spawnSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
  writeFileSync(STAMP, `${new Date().toISOString()}\n`);
}
const run = spawnSync(process.execPath, ['dist/cli.js', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(run.status ?? 1);
