// The built kopsdeck in a real terminal (tmux) on a simulated cluster: from
// the clusters screen to the live nodes screen with `:nodes`, filter with `/`,
// drill into a node with Enter and come back with Esc, then quit.
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
  fx = await startLiveFixture({ name: 'tmux.k8s.local', workers: 2, speed: 100 });
});
after(async () => {
  await fx?.stop();
});

const nodeRows = (screen: string) => screen.split('\n').filter((line) => /^ip-[\d-]+\.ec2\.internal\s/.test(line));

test('console: :nodes, filter, drill into a node and back', { skip }, async () => {
  const cluster = fx!;
  // The console finds the simulator this test serves through KOPSDECK_HOME/sim.
  const session = new TmuxSession({
    columns: 160,
    rows: 40,
    env: { KOPSDECK_HOME: cluster.home, KOPS_STATE_STORE: cluster.stateUrl, KOPSDECK_SIM_SPEED: String(cluster.speed), TERM: 'xterm-256color' },
  });
  try {
    await session.waitFor(/PROMPT\$/);
    session.type(`node ${resolve('dist/cli.js')}; echo "exited with $?"`);
    await session.waitFor(/tmux\.k8s\.local/, 30_000);

    session.keys(':');
    session.type('nodes');
    await session.waitFor(/Nodes\(tmux\.k8s\.local\)\[3\]/);
    let screen = await session.waitFor(/^\s*1\/3\s*$/m);
    assert.equal(nodeRows(screen).length, 3, screen);
    assert.match(screen, /NAME\s+STATUS\s+ROLE\s+INSTANCEGROUP/);

    session.keys('/');
    session.type('nodes-us-east-1a');
    screen = await session.waitFor(/filter: nodes-us-east-1a/);
    assert.equal(nodeRows(screen).length, 2, screen);
    const selected = nodeRows(screen)[0].split(/\s+/)[0];

    session.keys('Enter');
    screen = await session.waitFor(/Pods \(\d+\)/);
    assert.ok(screen.includes(`Node ${selected} (tmux.k8s.local)`), screen);
    assert.match(screen, /Conditions/);
    assert.match(screen, /Launch template version/);

    session.keys('Escape');
    screen = await session.waitFor(/filter: nodes-us-east-1a/);
    assert.equal(nodeRows(screen).length, 2, 'the filter is kept when coming back');
    session.keys('Escape');
    screen = await session.waitFor(/^\s*\d\/3\s*$/m);
    assert.equal(nodeRows(screen).length, 3);

    session.keys('q');
    await session.waitFor(/exited with 0/);
  } finally {
    session.close();
  }
});
