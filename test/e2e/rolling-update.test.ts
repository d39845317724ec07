// End to end in a real terminal: the built kopsdeck on a simulated cluster
// (1 control plane + 2 workers). `:upgrade` walks the whole upgrade: pick
// the proposed version, write the spec, apply the cloud changes, then the
// rolling-update plan; start it and answer y to each drain question. Every
// node ends on the new Kubernetes version.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { proposedUpgrade } from '../../src/engine/rollout/upgrade.js';
import { shippedChannel } from '../../src/engine/channel/load-channel.js';
import { tmuxAvailable, TmuxSession } from '../helpers/tmux.js';
import { builtCli } from '../helpers/built-cli.js';
import { startLiveFixture, type LiveFixture } from '../screens/live-fixture.js';

const skip = !tmuxAvailable() && 'tmux is not installed';
const SPEED = 300;
let fx: LiveFixture | undefined;

before(async () => {
  if (skip) return;
  builtCli();
  // One minor below the newest kopsdeck supports, so that there is a next minor to upgrade to.
  fx = await startLiveFixture({ name: 'upgrade.k8s.local', workers: 2, speed: SPEED, kubernetesVersion: '1.35.7' });
});
after(async () => {
  await fx?.stop();
});

test('console: :upgrade -> spec -> cloud update -> rolling update, y for each node; every node ends on the new version', { skip, timeout: 150_000 }, async () => {
  const cluster = fx!;
  const current = (await cluster.store.getCluster(cluster.name))!.value.spec.kubernetesVersion;
  const target = proposedUpgrade(current, shippedChannel())!;
  assert.ok(target, `an upgrade exists from ${current}`);
  const session = new TmuxSession({
    columns: 160,
    rows: 45,
    env: { KOPSDECK_HOME: cluster.home, KOPS_STATE_STORE: cluster.stateUrl, KOPSDECK_SIM_SPEED: String(cluster.speed), TERM: 'xterm-256color' },
  });
  try {
    await session.waitFor(/PROMPT\$/);
    session.type(`node ${resolve('dist/cli.js')}; echo "exited with $?"`);
    await session.waitFor(/upgrade\.k8s\.local/, 30_000);

    session.keys(':');
    session.type(`upgrade ${cluster.name}`);
    let screen = await session.waitFor(/Pick the version:/, 20_000);
    assert.ok(screen.includes(`The cluster runs Kubernetes ${current}`), screen);
    assert.match(screen, new RegExp(`› ${target.replace(/\./g, '\\.')}\\s+proposed`));
    session.keys('Enter');

    screen = await session.waitFor(/The spec change:/);
    assert.match(screen, new RegExp(`Cluster\\s+KubernetesVersion\\s+${current.replace(/\./g, '\\.')}\\s+${target.replace(/\./g, '\\.')}`));
    session.keys('Enter');
    await session.waitFor(/Write Kubernetes .* to the spec/);
    session.keys('y');

    screen = await session.waitFor(/Cloud changes for Kubernetes .*: \d+ to create, [1-9]\d* to modify/, 30_000);
    assert.match(screen, /Will modify resources:/);
    assert.match(screen, /LaunchTemplate/);
    session.keys('Enter');
    await session.waitFor(/Apply .* to the cloud/);
    session.keys('y');

    screen = await session.waitFor(/Rolling update plan for upgrade\.k8s\.local/, 60_000);
    screen = await session.waitFor(/Estimated duration/, 30_000);
    assert.match(screen, /NAME\s+STATUS\s+NEEDUPDATE\s+READY\s+MIN\s+TARGET\s+MAX\s+NODES/);
    assert.match(screen, /Order: control-plane-us-east-1a -> nodes-us-east-1a/);
    session.keys('Enter');

    // One question per node; each answered y once.
    const answered: string[] = [];
    while (answered.length < 3) {
      // Wait for the whole panel: a capture can land while a frame is still being written.
      screen = await session.waitFor(/Drain node (\S+)\?[\s\S]*y drain and replace it/, 60_000);
      const node = /Drain node (\S+)\?/.exec(screen)![1];
      if (answered.includes(node)) {
        await new Promise((r) => setTimeout(r, 100));
        continue;
      }
      assert.match(screen, /The drain will evict \d+ pods?/);
      assert.match(screen, /y drain and replace it/);
      answered.push(node);
      session.keys('y');
    }
    screen = await session.waitFor(/Rolling update finished in \S+: 3 replaced, 0 skipped/, 90_000);
    assert.match(screen, /FINISHED/);

    session.keys('q');
    await session.waitFor(/exited with 0/);
  } finally {
    session.close();
  }
  const nodes = await cluster.waitForReadyNodes(3);
  assert.deepEqual(
    nodes.map((n) => n.status?.nodeInfo?.kubeletVersion),
    nodes.map(() => `v${target}`),
    'every node runs the new version',
  );
});
