// A mistyped --state (or KOPS_STATE_STORE) is not an empty store: commands
// that read (get, validate, export --admin, edit, the console) say there is no
// state store there and exit 1, creating nothing; `create cluster` (and the
// create wizard) writes there, and its first write creates the directory.
// kopsdeck's own default store reads as empty until its first write.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../../src/commands/program.js';
import { openConsole } from '../../src/commands/open-console.js';
import { cliHarness, type CliResult } from '../helpers/cli-harness.js';
import { tempDir } from '../helpers/temp-dir.js';

const NO_SIM = { KOPSDECK_CLOUD: 'aws', AWS_REGION: 'us-east-1' };

function missingStore() {
  const cli = cliHarness();
  const dir = join(cli.home, 'typo');
  const url = `file://${dir}`;
  return { cli, dir, url, said: `Error: no state store at ${url} (the directory does not exist)\n` };
}

test('reading commands on a --state directory that does not exist say so, exit 1 and create nothing', async () => {
  const { cli, dir, url, said } = missingStore();
  for (const args of [
    ['get', 'clusters'],
    ['get', 'ig', '--name', 'a.example.com'],
    ['get', 'nodes', 'a.example.com'],
    ['get', 'instances', 'a.example.com'],
    ['get', 'secrets', 'a.example.com'],
    ['validate', 'cluster', 'a.example.com'],
    ['export', 'kubeconfig', 'a.example.com', '--admin', '--kubeconfig', join(cli.home, 'kubeconfig')],
    ['edit', 'cluster', 'a.example.com', '--set', 'spec.kubernetesVersion=1.32.5'],
    ['rolling-update', 'cluster', 'a.example.com'],
  ]) {
    const result = await cli.run(['--state', url, ...args], NO_SIM);
    assert.equal(result.code, 1, args.join(' '));
    assert.equal(
      result.stderr,
      said + 'Check --state and KOPS_STATE_STORE for a typo; `kopsdeck create cluster` creates the directory when it writes the first cluster there.\n',
      args.join(' '),
    );
    assert.equal(result.stdout, '', args.join(' '));
    assert.equal(existsSync(dir), false, `${args.join(' ')} created ${dir}`);
  }
});

test('a KOPS_STATE_STORE directory that does not exist is refused the same way', async () => {
  const { cli, dir, url, said } = missingStore();
  // The harness passes its own --state; without it, KOPS_STATE_STORE names the store.
  let stderr = '';
  const code = await runCli(['get', 'clusters'], { stdout: { write: () => true }, stderr: { write: (t: string) => (stderr += t) }, env: { ...process.env, KOPSDECK_HOME: cli.home, KOPS_STATE_STORE: url } }, {
    openConsole: async () => undefined,
  });
  assert.equal(code, 1);
  assert.ok(stderr.startsWith(said), stderr);
  assert.equal(existsSync(dir), false);
});

test('the console on a --state directory that does not exist says so and creates nothing; the create wizard may write there', async () => {
  const { cli, dir, url, said } = missingStore();
  const run = (args: string[]) => runWithConsole(cli.home, ['--state', url, ...args]);
  const reading = await run([]);
  assert.equal(reading.code, 1);
  assert.ok(reading.stderr.startsWith(said), reading.stderr);
  assert.equal(existsSync(dir), false);
  // `kopsdeck create` opens the wizard, which writes the store: it is not refused for a missing directory
  // (here it stops only because the test has no terminal), and opening it creates nothing either.
  const creating = await run(['create']);
  assert.doesNotMatch(creating.stderr, /no state store/);
  assert.match(creating.stderr, /Name the cluster: kopsdeck create cluster NAME|needs an interactive terminal/);
  assert.equal(existsSync(dir), false);
});

test('create cluster on a --state directory that does not exist creates it, and the store reads from then on', async () => {
  const { cli, dir, url } = missingStore();
  const created = await cli.run(['--state', url, 'create', 'cluster', 'new.example.com', '--zones', 'us-east-1a']);
  assert.equal(created.code, 0, created.stderr);
  assert.match(created.stdout, new RegExp(`^Cluster "new\\.example\\.com" written to ${url.replace(/[./]/g, '\\$&')} with instance groups: `));
  assert.equal(existsSync(join(dir, 'new.example.com', 'config')), true);
  const listed = await cli.run(['--state', url, 'get', 'clusters']);
  assert.equal(listed.code, 0, listed.stderr);
  assert.match(listed.stdout, /^new\.example\.com\s+aws\s+us-east-1a$/m);
});

test("kopsdeck's own default store reads as empty until its first write, and is not created by a read", async () => {
  const home = tempDir('kopsdeck-default-');
  let stdout = '';
  const code = await runCli(['get', 'clusters'], { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: () => true }, env: { ...process.env, KOPSDECK_HOME: home, KOPS_STATE_STORE: '' } }, {
    openConsole: async () => undefined,
  });
  assert.equal(code, 0);
  assert.match(stdout, /^No clusters found in file:\/\/.*\/state\. Create one with: kopsdeck create cluster NAME/);
  assert.equal(existsSync(join(home, 'state')), false);
});

/** runCli with the real console opener (it checks the store before it needs a terminal). */
async function runWithConsole(home: string, args: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, env: { ...process.env, KOPSDECK_HOME: home, KOPS_STATE_STORE: '', ...NO_SIM } }, { openConsole });
  return { code, stdout, stderr };
}
