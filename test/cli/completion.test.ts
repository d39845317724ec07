// Shell completion (issue 16): the candidates come from the command tree and
// the local state store, and the bash script, sourced in a real bash against
// the built CLI, fills COMPREPLY from them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { builtCli } from '../helpers/built-cli.js';
import { cliHarness } from '../helpers/cli-harness.js';

const cli = cliHarness();
const complete = async (...words: string[]) => {
  const result = await cli.run(['__complete', '--', ...words]);
  assert.equal(result.code, 0, result.stderr);
  return result.stdout.split('\n').filter(Boolean);
};

test('candidates: commands, subcommands, options, option values, resources and clusters', async () => {
  assert.equal((await cli.run(['create', 'cluster', 'one.k8s.local', '--zones', 'us-east-1a'])).code, 0);
  assert.equal((await cli.run(['create', 'cluster', 'two.k8s.local', '--zones', 'us-east-1a'])).code, 0);
  assert.deepEqual(await complete('ro'), ['rolling-update', 'rotate']);
  assert.deepEqual(await complete('rolling-update', ''), ['cluster']);
  assert.ok((await complete('rolling-update', 'cluster', '--f')).includes('--force'));
  assert.deepEqual(await complete('rolling-update', 'cluster', ''), ['one.k8s.local', 'two.k8s.local']);
  assert.deepEqual(await complete('validate', 'cluster', 't'), ['two.k8s.local']);
  assert.deepEqual(await complete('rolling-update', 'cluster', '--name', ''), ['one.k8s.local', 'two.k8s.local'], 'the value of --name');
  assert.deepEqual(await complete('get', 'node'), ['node', 'nodes']);
  assert.deepEqual(await complete('get', 'nodes', 'o'), ['one.k8s.local']);
  assert.deepEqual(await complete('--cloud', ''), ['aws', 'sim']);
  assert.deepEqual(await complete('completion', ''), ['bash', 'fish', 'zsh']);
  assert.ok(!(await complete('')).includes('__complete'), 'the hidden command is not offered');
});

test('the completion scripts: an unknown shell is an error; bash completes through the installed kopsdeck', { skip: spawnSync('bash', ['--version']).status !== 0 && 'bash is not installed' }, async () => {
  const unknown = await cli.run(['completion', 'tcsh']);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /Unknown shell "tcsh"; use one of bash, zsh, fish\./);
  for (const shell of ['zsh', 'fish']) assert.match((await cli.run(['completion', shell])).stdout, /kopsdeck __complete -- /);

  builtCli();
  const dir = mkdtempSync(join(tmpdir(), 'kopsdeck-completion-'));
  try {
    // kopsdeck on the PATH, as `npm link` puts it there.
    mkdirSync(join(dir, 'bin'));
    writeFileSync(join(dir, 'bin', 'kopsdeck'), `#!/bin/sh\nexec "${process.execPath}" "${resolve('dist/cli.js')}" "$@"\n`, { mode: 0o755 });
    const script = (await cli.run(['completion', 'bash'])).stdout;
    writeFileSync(join(dir, 'kopsdeck.bash'), script);
    const bash = (line: string) =>
      spawnSync('bash', ['-c', `source "${join(dir, 'kopsdeck.bash')}"; COMP_WORDS=(${line}); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); _kopsdeck; printf '%s\\n' "\${COMPREPLY[@]}"`], {
        env: { ...process.env, PATH: `${join(dir, 'bin')}:${process.env.PATH}`, KOPSDECK_HOME: cli.home, KOPS_STATE_STORE: cli.stateUrl },
        encoding: 'utf8',
      });
    const sub = bash(`kopsdeck rolling-update ''`);
    assert.equal(sub.stdout.trim(), 'cluster', sub.stderr);
    const clusters = bash(`kopsdeck validate cluster ''`);
    assert.deepEqual(clusters.stdout.trim().split('\n'), ['one.k8s.local', 'two.k8s.local'], clusters.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
