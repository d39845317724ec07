// End to end in a real terminal: `kopsdeck create` opens the wizard on the
// simulator, the defaults (a 3-zone highly available cluster) are accepted
// step by step, the review is confirmed, and the console watches the cluster
// until it validates; then `kopsdeck validate cluster NAME` exits 0. No
// screen and no file it leaves holds a private key, but the state store's keys.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { tmuxAvailable, TmuxSession } from '../helpers/tmux.js';
import { builtCli } from '../helpers/built-cli.js';

test('the wizard with its defaults creates a 3-zone HA cluster on the simulator and watches it validate', { skip: !tmuxAvailable() && 'tmux is not installed', timeout: 240_000 }, async () => {
  builtCli();
  const home = mkdtempSync(join(tmpdir(), 'kopsdeck-e2e-create-'));
  const env = { KOPSDECK_HOME: home, KOPS_STATE_STORE: `file://${join(home, 'state')}`, KOPSDECK_SIM_SPEED: '50', KOPSDECK_CLOUD: 'sim', KOPSDECK_DEMO: 'off', TERM: 'xterm-256color' };
  const session = new TmuxSession({ columns: 120, rows: 40, env });
  const cli = `node ${resolve('dist/cli.js')}`;
  try {
    await session.waitFor(/PROMPT\$/);
    session.type(`${cli} create; echo "console exited with $?"`);
    let screen = await session.waitFor(/step 1 of 14 · Cluster name/, 30_000);
    assert.match(screen, /name: demo\.k8s\.local/);
    assert.match(screen, /Your cluster so far/);
    const steps = ['Cluster name', 'Region', 'Availability zones', 'Control plane', 'Control-plane machine type', 'Topology', 'Networking', 'DNS', 'Node machine type', 'Nodes per zone', 'Maximum nodes per zone', 'Kubernetes version', 'SSH public key', 'Admin access'];
    for (const [i, title] of steps.entries()) {
      screen = await session.waitFor(new RegExp(`step ${i + 1} of 14 · ${title.replace(/[()]/g, '\\$&')}`));
      if (title === 'Control plane') assert.match(screen, /● 3 instances/);
      // A text step opens its field on the prompt line; wait for it so Enter goes to the field.
      if (['Cluster name', 'Control-plane machine type', 'Node machine type', 'Nodes per zone', 'Maximum nodes per zone', 'SSH public key', 'Admin access'].includes(title)) {
        await session.waitFor(/█/);
      }
      session.keys('Enter');
    }
    screen = await session.waitFor(/Review: demo\.k8s\.local/);
    assert.match(screen, /kopsdeck create cluster demo\.k8s\.local --zones us-east-1a,us-east-1b,us-east-1c/);
    await session.waitFor(/Cloud plan: \d+ to create/, 30_000);
    session.keys('Tab');
    await session.waitFor(/Will create resources:/);
    session.keys('Enter');
    await session.waitFor(/Create cluster demo\.k8s\.local\?/);
    session.keys('y');
    await session.waitFor(/Creating demo\.k8s\.local/);
    screen = await session.waitFor(/Cluster demo\.k8s\.local is ready/, 150_000);
    assert.match(screen, /Cloud resources: (\d+) of \1 done/);
    for (const ig of ['control-plane-us-east-1a', 'control-plane-us-east-1b', 'control-plane-us-east-1c', 'nodes-us-east-1a', 'nodes-us-east-1b', 'nodes-us-east-1c']) {
      assert.match(screen, new RegExp(`${ig}\\s+1\\s+1\\s+1\\s+1/1`), ig);
    }
    assert.match(screen, /6 of 6 nodes Ready/);
    assert.match(screen, /Validation passed/);
    assert.match(screen, new RegExp(`Kubeconfig: ${home}/sim/kubeconfig \\(context demo\\.k8s\\.local\\)`));

    session.keys('q');
    await session.waitFor(/console exited with 0/, 20_000);
    session.type(`${cli} validate cluster demo.k8s.local --wait 2m; echo "validate exited with $?"`);
    screen = await session.waitFor(/validate exited with \d+/, 60_000);
    assert.match(screen, /validate exited with 0/, screen);

    // No private key on any screen of the whole create, nor in any file it left (the simulator's world with
    // every user-data, logs, kubeconfig) but the CA and service-account keys in the state store, owner-only.
    assert.ok(session.seen.length > 20, `${session.seen.length} screens seen`);
    assert.ok(!session.seen.some((s) => s.includes('PRIVATE KEY')), 'no screen shows a private key');
    const keyFiles = filesUnder(home).filter((file) => readFileSync(file).includes('PRIVATE KEY'));
    const state = join(home, 'state', 'demo.k8s.local', 'pki');
    assert.deepEqual(keyFiles.sort(), ['ca.key', 'etcd/ca.key', 'front-proxy-ca.key', 'sa.key'].map((f) => join(state, f)).sort());
    for (const file of keyFiles) assert.equal(statSync(file).mode & 0o077, 0, `${file} is readable by its owner only`);
  } finally {
    session.close();
    rmSync(home, { recursive: true, force: true });
  }
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : entry.isFile() ? [path] : [];
  });
}
