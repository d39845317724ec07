// A new user's first start: the built kopsdeck on the embedded simulator, with
// an empty home, lands on a living demo cluster created by the engine, and its
// overview turns to "Validation passed" on its own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { tmuxAvailable, TmuxSession } from '../helpers/tmux.js';
import { builtCli } from '../helpers/built-cli.js';
import { cliHarness } from '../helpers/cli-harness.js';
import { tempDir } from '../helpers/temp-dir.js';

test('first start on the simulator: a demo cluster comes up and validates', { skip: !tmuxAvailable() && 'tmux is not installed' }, async () => {
  builtCli();
  const home = tempDir('kopsdeck-first-');
  const session = new TmuxSession({ columns: 140, rows: 40, env: { KOPSDECK_HOME: home, KOPSDECK_SIM_SPEED: '50', TERM: 'xterm-256color' } });
  try {
    await session.waitFor(/PROMPT\$/);
    session.type(`node ${resolve('dist/cli.js')}; echo "exited with $?"`);
    const clusters = await session.waitFor(/demo\.k8s\.local/, 60_000);
    assert.match(clusters, /SIMULATED/, 'the header says the cloud is simulated');

    session.keys('Enter');
    const overview = await session.waitFor(/Validation passed: your cluster demo\.k8s\.local is ready/, 90_000);
    assert.match(overview, /Nodes 4\/4 Ready/);

    session.keys('q');
    await session.waitFor(/exited with 0/);
  } finally {
    session.close();
  }

  // The same cluster, from a script: the world was saved when the console quit.
  const cli = cliHarness();
  const validate = await cli.run(['--state', `file://${join(home, 'state')}`, 'validate', 'cluster', 'demo.k8s.local'], { KOPSDECK_HOME: home, KOPSDECK_SIM_SPEED: '50' });
  assert.equal(validate.code, 0, validate.stdout + validate.stderr);
  assert.match(validate.stdout, /Your cluster demo\.k8s\.local is ready/);
});
