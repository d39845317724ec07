// The built kopsdeck in a real terminal: it opens on the clusters screen, and
// q quits back to the shell prompt with the terminal restored.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { tmuxAvailable, TmuxSession } from '../helpers/tmux.js';
import { builtCli } from '../helpers/built-cli.js';
import { cliHarness } from '../helpers/cli-harness.js';
import { tempDir } from '../helpers/temp-dir.js';

test('the console opens on the clusters screen and q restores the terminal', { skip: !tmuxAvailable() && 'tmux is not installed' }, async () => {
  builtCli();
  const cli = cliHarness();
  const created = await cli.run(['create', 'cluster', 'e2e.example.com', '--zones', 'us-east-1a,us-east-1b,us-east-1c', '--control-plane-count', '3']);
  assert.equal(created.code, 0, created.stderr);

  const home = tempDir('kopsdeck-e2e-');
  const session = new TmuxSession({ env: { KOPSDECK_HOME: home, KOPS_STATE_STORE: cli.stateUrl, TERM: 'xterm-256color' } });
  try {
    await session.waitFor(/PROMPT\$/);
    session.type(`node ${resolve('dist/cli.js')} --cloud aws; echo "exited with $?"`);
    const frame = await session.waitFor(/e2e\.example\.com/);
    assert.ok(session.alternateScreenOn(), 'the console runs on the alternate screen');
    assert.match(frame, /us-east-1a/);

    session.keys('?');
    await session.waitFor(/Press Esc or \? to close/);
    session.keys('Escape');
    // Escape then q sent together would read as Alt-q: wait for the help to close first.
    await session.waitForGone(/Press Esc or \? to close/);

    session.keys('q');
    const after = await session.waitFor(/exited with 0/);
    assert.equal(session.alternateScreenOn(), false, 'the alternate screen is left');
    assert.match(after, /PROMPT\$ node .*dist\/cli\.js --cloud aws/, 'the shell screen from before is back');
  } finally {
    session.close();
  }
});
