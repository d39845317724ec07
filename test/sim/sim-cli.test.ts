// `kopsdeck sim` as a process: it prints exactly the three KEY=value lines a
// client needs (where the token is, not the token), serves until SIGTERM, then
// saves and exits 0.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { tempDir } from '../helpers/sim-aws.js';
import { simAdminFetch } from '../../src/sim/admin-client.js';
import { waitFor } from '../helpers/wait.js';
import { builtCli } from '../helpers/built-cli.js';

describe('kopsdeck sim', () => {
  it('prints AWS_ENDPOINT_URL, KUBECONFIG and SIM_TOKEN_FILE, serves, and saves on SIGTERM', async () => {
    const home = tempDir();
    const dir = join(home, 'sim');
    const child = spawn(process.execPath, [builtCli(), 'sim', '--port', '0', '--speed', '10', '--seed', '7', '--dir', dir], {
      env: { ...process.env, KOPSDECK_HOME: home, NODE_NO_WARNINGS: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    try {
      await waitFor(() => stdout.split('\n').length >= 3 || child.exitCode !== null, { describe: 'three lines from the simulator', timeoutMs: 20_000, intervalMs: 50 }).catch(() => undefined);
      const lines = stdout.trimEnd().split('\n');
      assert.equal(lines.length, 3, `three lines, got: ${stdout} ${stderr}`);
      assert.match(lines[0], /^AWS_ENDPOINT_URL=http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(lines[1], `KUBECONFIG=${join(dir, 'kubeconfig')}`);
      assert.equal(lines[2], `SIM_TOKEN_FILE=${join(dir, 'token')}`, 'where the token is, never the token itself');
      assert.equal(statSync(join(dir, 'token')).mode & 0o777, 0o600);
      assert.doesNotMatch(stdout, /SECRET|placeholder/i);
      assert.equal(statSync(join(dir, 'kubeconfig')).mode & 0o777, 0o600);
      const url = lines[0].slice('AWS_ENDPOINT_URL='.length);
      assert.equal((await fetch(`${url}/sim/health`)).status, 401, 'the admin API wants the token');
      const token = readFileSync(join(dir, 'token'), 'utf8').trim();
      assert.ok(!stdout.includes(token), 'the token is not printed');
      const health = await (await simAdminFetch({ url, token }, '/sim/health')).json();
      assert.equal(health.ok, true);
      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      assert.equal(code, 0, stderr);
      assert.ok(existsSync(join(dir, 'world.json')), 'the world is saved on exit');
      assert.ok(!existsSync(join(dir, 'endpoint.json')), 'the endpoint record is removed on exit');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(home, { recursive: true, force: true });
    }
  });
});
