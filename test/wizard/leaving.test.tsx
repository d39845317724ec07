// Leaving the wizard with answers given asks first and says what is lost:
// Esc Esc on a text step, Esc on the review, and q (which would otherwise quit
// the console at once, e.g. after one Backspace too many left the field).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup } from 'ink-testing-library';
import { App } from '../../src/app.js';
import { CreateClusterScreen } from '../../src/screens/CreateClusterScreen.js';
import { keys, renderApp, renderOnTerminal, waitForFrame } from '../console/helpers.js';
import { flat, renderWizard } from './harness.js';
import { startBench, type Bench } from '../helpers/sim-console.js';
import { waitFor } from '../helpers/wait.js';

let bench: Bench;
const ctrlU = '\x15';
const left = '\x1b[D';

before(async () => {
  bench = await startBench();
});
after(async () => {
  cleanup();
  await bench?.close();
});

type App = ReturnType<typeof renderWizard>;

/** A folded frame with the dialog's side borders removed, so that its wrapped lines read whole. */
const unboxed = (frame: string) => frame.replace(/ ║ ║ /g, ' ');

async function atStep(app: App, n: number, title: string): Promise<string> {
  return app.waitFor((f) => f.includes(`step ${n} of`) && f.includes(title));
}

test('Esc Esc on a text step with answers given asks first, says what is lost; n stays with every answer, y leaves with nothing created', async () => {
  const before = { clusters: await bench.store.listClusters(), calls: await bench.mutatingCalls() };
  const app = renderWizard(bench);
  await atStep(app, 1, 'Cluster name');
  await app.waitFor((f) => f.includes('name: ') && f.includes('█'));
  app.press(ctrlU);
  app.press('mine.k8s.local');
  await app.waitFor('name: mine.k8s.local█');
  app.press(keys.enter);
  for (const [n, title] of [[2, 'Region'], [3, 'Availability zones'], [4, 'Control plane']] as const) {
    await atStep(app, n, title);
    app.press(keys.enter);
  }
  await atStep(app, 5, 'Control-plane machine type');
  await app.waitFor('control-plane machine type: t3.medium█');
  app.press(keys.escape); // stops editing
  await app.waitFor('e edits it');
  app.press(keys.escape); // leaves: asks first
  const question = unboxed(await app.waitFor('Discard the answers so far?'));
  assert.match(question, /Leaving the wizard loses what you answered for mine\.k8s\.local: Cluster name, Region, Availability zones, Control plane\./);
  assert.match(question, /Nothing else: nothing has been created yet in the state store or the cloud\./);
  app.press('n');
  let frame = await atStep(app, 5, 'Control-plane machine type');
  assert.doesNotMatch(frame, /Discard the answers so far\?|cancelled/);
  app.press(left);
  frame = await atStep(app, 4, 'Control plane');
  assert.match(frame, /● 3 instances/);
  for (const [n, title] of [[3, 'Availability zones'], [2, 'Region'], [1, 'Cluster name']] as const) {
    app.press(left);
    frame = await atStep(app, n, title);
  }
  assert.match(frame, /name: mine\.k8s\.local/, 'every answer is still there');

  app.press(keys.escape);
  await app.waitFor('e edits it');
  app.press(keys.escape);
  await app.waitFor('Discard the answers so far?');
  app.press('y');
  await app.waitFor('Cluster creation cancelled: nothing was created.');
  assert.deepEqual(await bench.store.listClusters(), before.clusters);
  assert.deepEqual(await bench.mutatingCalls(), before.calls, 'no AWS call that changes anything');
  app.unmount();
});

/** The whole console on a terminal, opened on the wizard: whether (and when) q really quit it. */
function wizardInTheConsole() {
  const tree = (
    <App
      services={bench.services}
      initialRoute={{ name: 'create-cluster' }}
      screens={{ 'create-cluster': { title: () => 'New cluster', render: () => <CreateClusterScreen /> } }}
    />
  );
  const { out, input, instance } = renderOnTerminal(tree, 96, 34);
  let exited = false;
  void instance.waitUntilExit().then(() => (exited = true));
  return {
    screen: { lastFrame: () => flat(out.lastFrame()) },
    input,
    exited: () => exited,
    /** Waits (at most 4 s) for the console to exit. */
    async untilExited() {
      await waitFor(() => exited, { describe: 'the console to exit', timeoutMs: 4000, intervalMs: 10 });
    },
  };
}

test('q out of a changed field does not quit: the answers are not lost without a question', async () => {
  const { screen, input, exited, untilExited } = wizardInTheConsole();
  await waitForFrame(screen, 'name: demo.k8s.local█');
  input.write(keys.backspace.repeat('demo.k8s.local'.length));
  await waitForFrame(screen, 'name: █');
  input.write(keys.escape); // out of the field: letters are commands again
  await waitForFrame(screen, (f) => f.includes('name: (empty)') && !f.includes('█'));
  input.write('q');
  const question = unboxed(await waitForFrame(screen, 'Discard the answers so far?'));
  assert.match(question, /Quitting kopsdeck loses what you answered: Cluster name\./);
  assert.equal(exited(), false, 'q did not quit at once');
  input.write('n');
  await waitForFrame(screen, (f) => f.includes('step 1 of') && !f.includes('Discard the answers so far?'));
  // Asked again, y quits. The question showing again proves the n has been handled: by then it has not quit.
  input.write('q');
  await waitForFrame(screen, 'Discard the answers so far?');
  assert.equal(exited(), false);
  input.write('y');
  await untilExited();
  assert.ok(exited(), 'y quit');
});

test('q with no answer given quits at once, as everywhere else', async () => {
  const { screen, input, exited, untilExited } = wizardInTheConsole();
  await waitForFrame(screen, 'name: demo.k8s.local█');
  input.write(keys.escape); // stop editing, untouched
  await waitForFrame(screen, 'e edits it');
  input.write('q');
  await untilExited();
  assert.ok(exited(), 'q quit');
});

test('Backspace on an empty field stays in the field, and the next letters go into it', async () => {
  const app = renderWizard(bench);
  await app.waitFor('name: demo.k8s.local█');
  app.press(keys.backspace.repeat('demo.k8s.local'.length + 1));
  // Every Backspace handled (the field is empty); a probe key read after the extra one proves it handled too:
  // `~` goes into the field (and is erased) only if the field is still open.
  await app.waitFor('name: █');
  app.press('~');
  await app.waitFor((f) => f.includes('name: ~█') || f.includes('e edits it'));
  app.press(keys.backspace);
  const frame = await app.waitFor((f) => !f.includes('~█'));
  assert.match(frame, /name: █/, 'still editing the field');
  assert.doesNotMatch(frame, /e edits it/);
  app.press('q'); // a letter, typed into the field
  await app.waitFor('name: q█');
  app.unmount();
});

test('the footer shows only the keys that work: in a text field no letter keys, under a question only its answers', async () => {
  const app = renderApp({
    services: bench.services,
    size: { columns: 80, rows: 24 },
    initialRoute: { name: 'create-cluster' },
    screens: { 'create-cluster': { title: () => 'New cluster', render: () => <CreateClusterScreen /> } },
  });
  const footer = () => (app.lastFrame() ?? '').split('\n').at(-1) ?? '';
  try {
    await app.waitFor((f) => f.includes('step 1 of') && f.includes('█'));
    // Letters type into the field: q, e, b, ? and : are text here, not keys.
    let line = footer();
    assert.match(line, /<enter> accept, next step/);
    assert.match(line, /<esc> stop editing/);
    for (const key of ['q', 'e', 'b', '?', ':']) assert.ok(!line.includes(`<${key}>`), `no <${key}> while typing: ${line}`);

    app.press(keys.escape); // stops editing: now the letters are keys again
    await app.waitFor('e edits it');
    line = footer();
    assert.match(line, /<e> edit/);
    assert.match(line, /<esc> cancel/);

    app.press('e');
    await app.waitFor((f) => f.includes('█'));
    app.press(ctrlU);
    app.press('footer.k8s.local');
    await app.waitFor('footer.k8s.local█');
    app.press(keys.enter);
    await app.waitFor((f) => f.includes('step 2 of'));
    app.press(keys.escape); // leaving with an answer given asks first
    await app.waitFor('Discard the answers so far?');
    assert.equal(footer().trim(), '<y> yes  <n> no', 'only the question’s answers');
    app.press('n');
    await app.waitFor((f) => !f.includes('Discard the answers so far?'));
  } finally {
    app.unmount();
  }
});
