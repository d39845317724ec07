// `npm start` (scripts/start.mjs) builds only when a source is newer than its
// last build, then runs dist/cli.js with the arguments given: checked in a
// small stand-in project whose "build" counts how often it runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const START = resolve('scripts/start.mjs');

test('npm start builds when a source changed (or nothing was built), and only then; it passes the arguments on', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kopsdeck-start-'));
  try {
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'cli.ts'), '// a source\n');
    writeFileSync(join(dir, 'tsconfig.json'), '{}\n');
    writeFileSync(join(dir, 'tsconfig.build.json'), '{}\n');
    // The stand-in build writes dist/cli.js and counts its runs.
    const build = "node -e \"const fs=require('fs');fs.mkdirSync('dist',{recursive:true});fs.appendFileSync('builds','x');fs.writeFileSync('dist/cli.js','console.log(process.argv.slice(2).join(\\' \\'))')\"";
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'stand-in', private: true, scripts: { build } }));
    const start = (...args: string[]) => spawnSync(process.execPath, [START, ...args], { cwd: dir, encoding: 'utf8' });
    const builds = () => readFileSync(join(dir, 'builds'), 'utf8').length;

    const first = start('get', 'clusters');
    assert.equal(first.status, 0, first.stderr);
    assert.equal(first.stdout.trim(), 'get clusters');
    assert.equal(builds(), 1, 'nothing was built: it builds');
    assert.match(first.stderr, /^Building kopsdeck \(first start\); this takes up to half a minute…$/m, 'the wait is said before it starts');

    const again = start('--help');
    assert.equal(again.stdout.trim(), '--help');
    assert.equal(builds(), 1, 'nothing changed: no build');
    assert.doesNotMatch(again.stderr, /Building/, 'no build, nothing said');

    const later = new Date(Date.now() + 60_000);
    utimesSync(join(dir, 'src', 'cli.ts'), later, later);
    const changed = start();
    assert.equal(changed.status, 0);
    assert.equal(builds(), 2, 'a source changed: it builds again');
    assert.match(changed.stderr, /^Building kopsdeck \(a source changed since the last build\)/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
