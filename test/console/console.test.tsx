// The console shell: clusters screen, help, navigation, the command line, the
// too-small message, footer hints and confirmation of dangerous actions.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Text } from 'ink';
import { cleanup } from 'ink-testing-library';
import { App } from '../../src/app.js';
import { ClusterStore } from '../../src/engine/store/cluster-store.js';
import { FileObjectStore } from '../../src/engine/store/file-store.js';
import { useScreenActions } from '../../src/hooks/useKeymap.js';
import { keys, makeServices, MemoryObjectStore, renderApp, renderOnTerminal, seedCluster, waitForFrame } from './helpers.js';
import { waitFor } from '../helpers/wait.js';

after(() => cleanup());

const size = { columns: 100, rows: 30 };

async function twoClusters(): Promise<ClusterStore> {
  const store = new ClusterStore(new MemoryObjectStore());
  await seedCluster(store, 'demo.example.com', ['us-east-1a', 'us-east-1b', 'us-east-1c'], '1.31.4');
  await seedCluster(store, 'alpha.example.com', ['eu-west-1a'], '1.30.2');
  return store;
}

const closed = (label: string) => (frame: string) => !frame.includes(label);

describe('clusters screen', () => {
  test('lists the clusters in the store with cloud, zones, version and instance groups', async () => {
    const app = renderApp({ services: makeServices(await twoClusters()), size });
    const frame = await app.waitFor('demo.example.com');
    assert.match(frame, /NAME.*CLOUD.*ZONES.*KUBERNETES.*INSTANCEGROUPS/);
    assert.match(frame, /alpha\.example\.com\s+aws\s+eu-west-1a\s+1\.30\.2\s+2/);
    assert.match(frame, /demo\.example\.com\s+aws\s+us-east-1a,us-east-1b,us-east-1c\s+1\.31\.4\s+4/);
    assert.match(frame, /Clusters \[2\]/);
    // header: store, cloud and region, the simulated badge
    assert.match(frame, /state: memory:\/\/test-state/);
    assert.match(frame, /cloud: aws us-east-1/);
    assert.match(frame, /SIMULATED/);
    app.unmount();
  });

  test('reads a real file state store', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kopsdeck-console-'));
    try {
      const store = new ClusterStore(new FileObjectStore(dir));
      await seedCluster(store, 'files.example.com', ['us-west-2a', 'us-west-2b']);
      const app = renderApp({ services: makeServices(store, { simulated: false }), size });
      const frame = await app.waitFor('files.example.com');
      assert.match(frame, /us-west-2a,us-west-2b/);
      assert.ok(frame.includes(store.url), 'the header shows the file:// URL');
      assert.ok(!frame.includes('SIMULATED'), 'no badge against a real cloud');
      app.unmount();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('an empty store explains how to create a cluster', async () => {
    const app = renderApp({ services: makeServices(), size });
    const frame = await app.waitFor('No clusters yet');
    assert.match(frame, /kopsdeck create cluster/);
    app.unmount();
  });

  test('a store that cannot be read says what happened and what to do', async () => {
    const objects = new MemoryObjectStore();
    objects.failWith = new Error('permission denied');
    const app = renderApp({ services: makeServices(new ClusterStore(objects)), size });
    const frame = await app.waitFor('Could not read the clusters');
    assert.match(frame, /permission denied/);
    assert.match(frame, /press r to retry/);
    objects.failWith = undefined;
    await seedCluster(new ClusterStore(objects), 'back.example.com', ['us-east-1a']);
    app.press('r');
    await app.waitFor('back.example.com');
    app.unmount();
  });
});

describe('help', () => {
  test('? lists every key of the screen and the global keys; Esc closes it', async () => {
    const app = renderApp({ services: makeServices(await twoClusters()), size });
    await app.waitFor('demo.example.com');
    app.press('?');
    const frame = await app.waitFor('Help: Clusters');
    const expected: [string, string][] = [
      ['enter/o', 'open'],
      ['s', 'spec'],
      ['n', 'new cluster'],
      ['r/ctrl-r', 'refresh'],
      ['↓/j', 'down'],
      ['↑/k', 'up'],
      ['pgdn/ctrl-f', 'page down'],
      ['pgup/ctrl-b', 'page up'],
      ['g/home', 'first row'],
      ['G/end', 'last row'],
      ['/', 'filter'],
      ['N', 'sort by NAME'],
      ['C', 'sort by CLOUD'],
      ['Z', 'sort by ZONES'],
      ['K', 'sort by KUBERNETES'],
      ['I', 'sort by INSTANCEGROUPS'],
      ['?', 'help'],
      [':', 'command'],
      ['esc', 'back'],
      ['q', 'quit'],
      ['ctrl-c', 'quit'],
    ];
    for (const [key, label] of expected) {
      const line = new RegExp(`(^|\\s)${key.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\s+${label}(\\s|$)`, 'm');
      assert.match(frame, line, `help shows "${key}  ${label}"`);
    }
    assert.doesNotMatch(frame, /NAME.*CLOUD.*ZONES/, 'the table is hidden under the help');
    app.press(keys.escape);
    const back = await app.waitFor(closed('Help: Clusters'));
    assert.match(back, /demo\.example\.com/);
    app.unmount();
  });
});

describe('navigation', () => {
  test('s opens the selected cluster spec as YAML; Esc goes back to the same row', async () => {
    const app = renderApp({ services: makeServices(await twoClusters()), size });
    await app.waitFor('demo.example.com');
    app.press('j'); // rows are sorted by name: alpha, demo
    app.press('s');
    let frame = await app.waitFor('kind: Cluster');
    assert.match(frame, /name: demo\.example\.com/);
    assert.match(frame, /cluster: demo\.example\.com/, 'the header names the cluster');
    assert.match(frame, /<esc> back/);
    app.press('G');
    frame = await app.waitFor('(100%)');
    assert.match(frame, /kind: InstanceGroup/);
    app.press(keys.escape);
    await app.waitFor('INSTANCEGROUPS');
    app.press('s');
    frame = await app.waitFor('kind: Cluster');
    assert.match(frame, /name: demo\.example\.com/, 'the selection was kept');
    app.unmount();
  });

  test(': then spec and clusters navigates; Tab completes', async () => {
    const app = renderApp({ services: makeServices(await twoClusters()), size });
    await app.waitFor('alpha.example.com');
    app.press(':');
    await app.waitFor(':█');
    app.press('sp');
    app.press(keys.tab);
    await app.waitFor(':spec █');
    app.press(keys.enter);
    let frame = await app.waitFor('kind: Cluster');
    assert.match(frame, /name: alpha\.example\.com/, ':spec opens the selected cluster');
    app.press(':');
    app.press('spec d');
    app.press(keys.tab);
    await app.waitFor(':spec demo.example.com█');
    app.press(keys.enter);
    frame = await app.waitFor('name: demo.example.com');
    app.press(':');
    app.press('clusters');
    app.press(keys.enter);
    frame = await app.waitFor('INSTANCEGROUPS');
    assert.match(frame, /<esc> back/, 'a command pushes history');
    app.press(keys.escape);
    await app.waitFor('name: demo.example.com');
    app.unmount();
  });

  test('an unknown command says so; Esc closes the command line without running it', async () => {
    const app = renderApp({ services: makeServices(await twoClusters()), size });
    await app.waitFor('alpha.example.com');
    app.press(':');
    app.press('frobnicate');
    app.press(keys.enter);
    const frame = await app.waitFor('Unknown command');
    assert.match(frame, /Unknown command ":frobnicate"\. Known commands: :clusters :spec\b/);
    app.press(':');
    app.press('spec');
    app.press(keys.escape);
    const after = await app.waitFor(closed(':spec'));
    assert.match(after, /INSTANCEGROUPS/);
    app.unmount();
  });

  test(':q quits', async () => {
    const { input, instance } = renderOnTerminal(<App services={makeServices(await twoClusters())} size={size} />, 100, 30);
    let exited = false;
    void instance.waitUntilExit().then(() => (exited = true));
    input.write(':');
    input.write('q');
    input.write(keys.enter);
    await waitFor(() => exited, { describe: ':q to end the app', timeoutMs: 4000, intervalMs: 10 }).catch(() => undefined);
    assert.ok(exited, ':q ended the app');
  });

  for (const [name, key] of [['q', 'q'], ['Ctrl-C', keys.ctrlC]] as const) {
    test(`${name} quits`, async () => {
      const { out, input, instance } = renderOnTerminal(<App services={makeServices(await twoClusters())} />, 100, 30);
      await waitForFrame(out, 'alpha.example.com');
      let exited = false;
      void instance.waitUntilExit().then(() => (exited = true));
      input.write(key);
      await waitFor(() => exited, { describe: `${name} to end the app`, timeoutMs: 4000, intervalMs: 10 }).catch(() => undefined);
      assert.ok(exited, `${name} ended the app`);
    });
  }
});

describe('terminal size', () => {
  test('below 80x24 a plain message replaces the console, and it returns when resized (injected size)', async () => {
    const services = makeServices(await twoClusters());
    const app = renderApp({ services, size: { columns: 79, rows: 30 } });
    let frame = await app.waitFor('too small');
    assert.match(frame, /Terminal too small: 79x30/);
    assert.match(frame, /at least 80x24/);
    assert.ok(!frame.includes('kopsdeck  Clusters'));
    app.rerender(<App services={services} size={{ columns: 80, rows: 24 }} />);
    frame = await app.waitFor('alpha.example.com');
    assert.ok(!frame.includes('too small'));
    assert.equal(frame.split('\n').length, 24, 'the frame fills the terminal exactly');
    app.rerender(<App services={services} size={{ columns: 100, rows: 23 }} />);
    await app.waitFor('Terminal too small: 100x23');
    app.unmount();
  });

  test('follows live resize events from the terminal', async () => {
    const { out, instance } = renderOnTerminal(<App services={makeServices(await twoClusters())} />, 70, 20);
    await waitForFrame(out, 'Terminal too small: 70x20');
    out.resize(100, 30);
    let frame = await waitForFrame(out, 'alpha.example.com');
    assert.equal(frame.split('\n').length, 30);
    out.resize(90, 26);
    frame = await waitForFrame(out, (f) => f.split('\n').length === 26 && f.includes('alpha.example.com'));
    out.resize(60, 40);
    await waitForFrame(out, 'Terminal too small: 60x40');
    instance.unmount();
  });
});

describe('footer', () => {
  test("shows the screen's hints, then the global ones", async () => {
    const app = renderApp({ services: makeServices(await twoClusters()), size });
    const frame = await app.waitFor('alpha.example.com');
    const footer = frame.split('\n').at(-1) ?? '';
    assert.equal(footer.trim(), '<enter> open  <s> spec  <n> new cluster  <r> refresh  </> filter  <?> help  <:> command  <q> quit');
    app.press('s');
    const spec = await app.waitFor('kind: Cluster');
    assert.equal((spec.split('\n').at(-1) ?? '').trim(), '<r> reload  <?> help  <:> command  <esc> back  <q> quit');
    app.unmount();
  });
});

describe('dangerous actions', () => {
  function DangerScreen({ onDelete, onTouch }: { onDelete: () => void; onTouch: () => void }) {
    useScreenActions('Danger', [
      { key: 'd', label: 'delete everything', dangerous: true, confirm: 'Delete everything in the store?', run: onDelete },
      { key: 't', label: 'touch', run: onTouch },
    ]);
    return <Text>danger zone</Text>;
  }

  test('ask y/N first; only y runs them', async () => {
    let deleted = 0;
    let touched = 0;
    const screens = {
      clusters: { title: () => 'Danger', render: () => <DangerScreen onDelete={() => deleted++} onTouch={() => touched++} /> },
    };
    const app = renderApp({ services: makeServices(), size, screens });
    await app.waitFor('danger zone');
    app.press('t');
    assert.equal(touched, 1, 'a safe action runs at once');
    for (const answer of ['n', keys.escape, keys.enter]) {
      app.press('d');
      const frame = await app.waitFor('Delete everything in the store?');
      assert.match(frame, /y yes\s+N no/);
      assert.ok(!frame.includes('danger zone'), 'the dialog covers the screen');
      app.press('x'); // other keys do not answer
      assert.equal(deleted, 0);
      app.press(answer);
      await app.waitFor(closed('Delete everything'));
      assert.equal(deleted, 0, `answering ${JSON.stringify(answer)} does not run it`);
    }
    app.press('d');
    await app.waitFor('Delete everything in the store?');
    app.press('y');
    await app.waitFor(closed('Delete everything'));
    assert.equal(deleted, 1);
    app.press('?');
    const help = await app.waitFor('Help: Danger');
    assert.match(help, /d\s+delete everything \(asks first\)/);
    app.unmount();
  });
});
