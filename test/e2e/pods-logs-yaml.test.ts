// The built kopsdeck in a real terminal (tmux) on a simulated cluster: `:pods`
// lists the pods live, `/` narrows them, `l` follows a pod's log (lines keep
// coming on the simulator's clock), Esc comes back, `y` shows the pod's YAML
// read from the API, then quit.
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
  fx = await startLiveFixture({ name: 'tmuxpods.k8s.local', workers: 2, speed: 100 });
});
after(async () => {
  await fx?.stop();
});

const webRows = (screen: string) => screen.split('\n').filter((line) => /^demo\s+web-\S+\s+1\/1\s+Running\s/.test(line));
const logLines = (screen: string) => Number(/lines \d+-\d+ of (\d+)/.exec(screen)?.[1] ?? -1);

test('console: :pods, a pod\'s followed log and its YAML', { skip }, async () => {
  const cluster = fx!;
  const session = new TmuxSession({
    columns: 160,
    rows: 40,
    env: { KOPSDECK_HOME: cluster.home, KOPS_STATE_STORE: cluster.stateUrl, KOPSDECK_SIM_SPEED: String(cluster.speed), TERM: 'xterm-256color' },
  });
  try {
    await session.waitFor(/PROMPT\$/);
    session.type(`node ${resolve('dist/cli.js')}; echo "exited with $?"`);
    await session.waitFor(/tmuxpods\.k8s\.local/, 30_000);

    session.keys(':');
    session.type('pods');
    let screen = await session.waitFor(/^demo\s+web-\S+\s+1\/1\s+Running\s/m);
    assert.match(screen, /Pods\(tmuxpods\.k8s\.local\)\[\d+\]/);
    assert.match(screen, /NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+NODE\s+AGE\s+OWNER/);

    session.keys('/');
    session.type('web-');
    screen = await session.waitFor(/filter: web-/);
    const rows = webRows(screen);
    assert.ok(rows.length >= 1, screen);
    const pod = rows[0].split(/\s+/)[1];

    session.keys('l');
    // A followed log shows its newest lines; once some are in, g goes to its first.
    screen = await session.waitFor(/lines \d+-\d+ of [1-9]\d*/);
    assert.match(screen, /Following: new lines appear as they are written/);
    session.keys('g');
    screen = await session.waitFor(/starting web 1\.27 \(image nginx:1\.27\)/);
    assert.ok(screen.includes(`Logs of demo/${pod}, container web`), screen);
    const first = logLines(screen);
    // Followed: periodic lines keep arriving as the simulator's clock runs.
    screen = await session.waitFor(new RegExp(`lines \\d+-\\d+ of (?!${first}\\b)\\d+`));
    assert.ok(logLines(screen) > first, screen);
    assert.match(screen, /requests? in the last 15s/);

    session.keys('Escape');
    screen = await session.waitFor(/filter: web-/);
    session.keys('y');
    screen = await session.waitFor(/kind: Pod/);
    assert.ok(screen.includes(`YAML of pod demo/${pod}`), screen);
    assert.ok(screen.includes(`  name: ${pod}`), screen);
    assert.match(screen, /^apiVersion: v1$/m);

    session.keys('Escape');
    await session.waitFor(/filter: web-/);
    session.keys('q');
    await session.waitFor(/exited with 0/);
  } finally {
    session.close();
  }
});
