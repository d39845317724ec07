// End to end in a real terminal: the console runs under tmux, keys are sent
// with send-keys and the screen read with capture-pane. It checks that the
// console opens on the clusters screen, navigates, and that q, SIGTERM and a
// crash all hand the terminal back (main screen, cursor visible, prompt back).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ClusterStore } from '../../src/engine/store/cluster-store.js';
import { FileObjectStore } from '../../src/engine/store/file-store.js';
import { seedCluster } from './helpers.js';
import { builtCli } from '../helpers/built-cli.js';
import { until as poll } from '../helpers/wait.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const socket = `kopsdeck-e2e-${process.pid}`;
const fixture = resolve('test/console/fixtures/console-main.mjs');
// A shared machine can be slow to start Node: be patient, but bounded.
const START_TIMEOUT_MS = 60_000;

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
}
const screen = () => tmux('capture-pane', '-p', '-t', 'e2e');
const flags = () => tmux('display-message', '-p', '-t', 'e2e', '#{alternate_on} #{cursor_flag}').trim();

async function waitFor(what: string, check: () => boolean, timeoutMs = 15_000): Promise<void> {
  await poll(what, check, timeoutMs, 100).catch((error: Error) => {
    throw new Error(`${error.message}; screen:\n${screen()}`);
  });
}

describe('console in a real terminal (tmux)', { skip: hasTmux ? false : 'tmux is not installed' }, () => {
  let dir = '';
  before(async () => {
    builtCli();
    dir = await mkdtemp(join(tmpdir(), 'kopsdeck-e2e-'));
    const store = new ClusterStore(new FileObjectStore(join(dir, 'state')));
    await seedCluster(store, 'demo.example.com', ['us-east-1a', 'us-east-1b']);
    tmux('new-session', '-d', '-s', 'e2e', '-x', '100', '-y', '30', '-e', 'PS1=READY$ ', 'bash --norc --noprofile');
  });
  after(async () => {
    spawnSync('tmux', ['-L', socket, 'kill-server']);
    await rm(dir, { recursive: true, force: true });
  });

  async function start(extraEnv = ''): Promise<void> {
    tmux('send-keys', '-t', 'e2e', `clear; echo before-console; ${extraEnv} node ${fixture} ${join(dir, 'state')} ${join(dir, 'pid')}; echo EXIT=$?`, 'Enter');
    await waitFor('the clusters screen', () => screen().includes('demo.example.com'), START_TIMEOUT_MS);
    assert.equal(flags().split(' ')[0], '1', 'the console runs in the alternate screen');
  }

  async function assertShellBack(exitCode: number): Promise<string> {
    await waitFor('the shell prompt', () => screen().includes(`EXIT=${exitCode}`));
    const text = screen();
    assert.match(text, /before-console/, 'the main screen is back as it was');
    assert.ok(!text.includes('INSTANCEGROUPS'), 'no console leftovers on the main screen');
    assert.equal(flags(), '0 1', 'alternate screen off, cursor visible');
    return text;
  }

  test('opens on the clusters screen, navigates, and q gives the terminal back', async () => {
    await start();
    assert.match(screen(), /kopsdeck\s+Clusters/);
    tmux('send-keys', '-t', 'e2e', '?');
    await waitFor('help', () => screen().includes('Help: Clusters'));
    tmux('send-keys', '-t', 'e2e', 'Escape');
    await waitFor('help closed', () => !screen().includes('Help: Clusters'));
    tmux('send-keys', '-t', 'e2e', 's');
    await waitFor('the spec', () => screen().includes('kind: Cluster'));
    tmux('send-keys', '-t', 'e2e', 'Escape');
    await waitFor('back on clusters', () => screen().includes('INSTANCEGROUPS'));
    tmux('send-keys', '-t', 'e2e', 'q');
    await assertShellBack(0);
  });

  test('SIGTERM gives the terminal back', async () => {
    await start();
    const pid = Number(await readFile(join(dir, 'pid'), 'utf8'));
    process.kill(pid, 'SIGTERM');
    await assertShellBack(143);
  });

  test('an unhandled rejection gives the terminal back and prints the error', async () => {
    await start('KOPSDECK_FIXTURE_CRASH=1');
    const text = await assertShellBack(1);
    assert.match(text, /unexpected error: fixture crash/);
  });
});
