// The built kopsdeck in a real terminal (tmux) on a simulated cluster: the
// overview shows the cluster's Events, and one made by a cordon through the
// API appears on its own; e opens every Event, and / filters them.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { tmuxAvailable, TmuxSession } from '../helpers/tmux.js';
import { builtCli } from '../helpers/built-cli.js';
import { startLiveFixture, type LiveFixture } from '../screens/live-fixture.js';

const skip = !tmuxAvailable() && 'tmux is not installed';
let fx: LiveFixture | undefined;

before(async () => {
  if (skip) return;
  builtCli();
  fx = await startLiveFixture({ name: 'tmuxev.k8s.local', workers: 1, speed: 100 });
});
after(async () => {
  await fx?.stop();
});

/** Cordons (or uncordons) through the API, once more if the server had just closed the idle keep-alive socket it reused. */
async function setCordon(worker: string, on: boolean): Promise<void> {
  const patch = () => fx!.kube.request('PATCH', `/api/v1/nodes/${worker}`, { body: { spec: { unschedulable: on ? true : null } }, contentType: 'application/merge-patch+json' });
  await patch().catch((error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? patch() : Promise.reject(error)));
}

test('console: the overview shows Events, a cordon appears there live, e lists them all', { skip, timeout: 120_000 }, async () => {
  const cluster = fx!;
  const worker = (await cluster.nodes()).find((n) => n.metadata.labels?.['node-role.kubernetes.io/node'] !== undefined)!.metadata.name;
  const session = new TmuxSession({
    columns: 160,
    rows: 40,
    env: { KOPSDECK_HOME: cluster.home, KOPS_STATE_STORE: cluster.stateUrl, KOPSDECK_SIM_SPEED: String(cluster.speed), TERM: 'xterm-256color' },
  });
  try {
    await session.waitFor(/PROMPT\$/);
    session.type(`node ${resolve('dist/cli.js')}; echo "exited with $?"`);
    await session.waitFor(/tmuxev\.k8s\.local/, 30_000);
    session.keys(':');
    session.type(`overview ${cluster.name}`);
    let screen = await session.waitFor(/Events: recent warnings first, then the newest/, 30_000);
    assert.match(screen, /^\d+[smh]\s+(Normal|Warning)\s+\S+\s+(pod|node)\/\S+\s+\S/m, screen);

    await setCordon(worker, true);
    screen = await session.waitFor(new RegExp(`Normal\\s+NodeNotSchedulable\\s+node/${worker.replace(/\./g, '\\.')}\\s+Node \\S+ status is now: NodeNotSchedulable`), 30_000);
    assert.match(screen, /1 cordoned/);

    session.keys('e');
    screen = await session.waitFor(/Events\(tmuxev\.k8s\.local\)\[\d+\]/);
    assert.match(screen, /LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE/);
    session.keys('/');
    session.type('NodeNotSchedulable');
    screen = await session.waitFor(/filter: NodeNotSchedulable/);
    assert.match(screen, /1\/1 of \d+/);

    session.keys('q');
    await session.waitFor(/exited with 0/);
  } finally {
    session.close();
    await setCordon(worker, false).catch(() => undefined);
  }
});
