// runConsole: enters the alternate screen, and always leaves it (and shows the
// cursor) however the session ends.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Text } from 'ink';
import { ClusterStore } from '../../src/engine/store/cluster-store.js';
import { NotInteractiveError, runConsole, type ConsoleExit } from '../../src/console.js';
import { FakeTerminalIn, FakeTerminalOut, keys, makeServices, MemoryObjectStore, seedCluster, waitUntil } from './helpers.js';

const ENTER = '\x1b[?1049h';
const LEAVE = '\x1b[?1049l';
const SHOW_CURSOR = '\x1b[?25h';

/** stdout and stderr writing into one log, so the order between them can be checked. */
function terminal() {
  const log: { stream: 'out' | 'err'; data: string }[] = [];
  const out = new FakeTerminalOut(100, 30);
  const err = new FakeTerminalOut(100, 30);
  out.write = (data: string) => (log.push({ stream: 'out', data }), true);
  err.write = (data: string) => (log.push({ stream: 'err', data }), true);
  const input = new FakeTerminalIn();
  const text = () => log.map((l) => l.data).join('');
  return {
    log,
    input,
    text,
    options: {
      stdout: out as unknown as NodeJS.WriteStream,
      stderr: err as unknown as NodeJS.WriteStream,
      stdin: input as unknown as NodeJS.ReadStream,
    },
  };
}

async function services() {
  const store = new ClusterStore(new MemoryObjectStore());
  await seedCluster(store, 'demo.example.com', ['us-east-1a']);
  return makeServices(store);
}

function assertRestored(text: string) {
  assert.ok(text.startsWith(ENTER), 'the alternate screen is entered first');
  const leave = text.lastIndexOf(LEAVE);
  assert.ok(leave > 0, 'the alternate screen is left');
  assert.ok(text.lastIndexOf(SHOW_CURSOR) >= 0 && text.indexOf(SHOW_CURSOR, leave - SHOW_CURSOR.length) >= 0, 'the cursor is shown');
  assert.equal(text.indexOf(ENTER, 1), -1, 'entered once');
}

describe('runConsole', () => {
  for (const [name, key] of [['q', 'q'], ['Ctrl-C', keys.ctrlC]] as const) {
    test(`${name} leaves the alternate screen and resolves`, async () => {
      const t = terminal();
      const done = runConsole(await services(), t.options);
      await waitUntil(() => t.text().includes('demo.example.com'), 'the clusters screen');
      t.input.write(key);
      const result = await done;
      assert.deepEqual(result, { reason: 'quit', exitCode: 0 });
      assertRestored(t.text());
      assert.ok(t.text().endsWith(LEAVE), 'nothing is drawn after leaving');
    });
  }

  for (const [signal, code] of [['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    test(`${signal} restores the terminal and reports the signal`, async () => {
      const t = terminal();
      const before = process.listenerCount(signal);
      const done = runConsole(await services(), t.options);
      await waitUntil(() => t.text().includes('demo.example.com'), 'the clusters screen');
      assert.ok(process.listenerCount(signal) > before, 'runConsole listens for the signal');
      process.emit(signal, signal);
      const result = await done;
      assert.deepEqual(result, { reason: 'signal', signal, exitCode: code });
      assertRestored(t.text());
      assert.equal(process.listenerCount(signal), before, 'its handlers are removed');
    });
  }

  test('a crash while rendering restores the terminal, then prints the error', async () => {
    function Broken(): never {
      throw new Error('the screen fell over');
    }
    const t = terminal();
    const before = process.listenerCount('uncaughtException');
    const result: ConsoleExit = await runConsole(await services(), {
      ...t.options,
      screens: { clusters: { title: () => 'Broken', render: () => <Broken /> } },
    });
    assert.equal(result.reason, 'error');
    assert.equal(result.exitCode, 1);
    const leaveAt = t.log.findIndex((l) => l.stream === 'out' && l.data.includes(LEAVE));
    const errorAt = t.log.findIndex((l) => l.stream === 'err' && l.data.includes('the screen fell over'));
    assert.ok(leaveAt >= 0 && errorAt > leaveAt, 'the error is printed after the terminal is restored');
    assert.match(t.log[errorAt].data, /unexpected error: the screen fell over \(run with --debug/);
    assert.equal(process.listenerCount('uncaughtException'), before, 'its crash handler is removed');
  });

  test('refuses a stdin that is not a terminal, without touching the screen', async () => {
    const t = terminal();
    t.input.isTTY = false;
    await assert.rejects(runConsole(await services(), t.options), NotInteractiveError);
    assert.equal(t.text(), '');
  });

  test('a screen fixture still renders through runConsole', async () => {
    const t = terminal();
    const done = runConsole(await services(), { ...t.options, screens: { clusters: { title: () => 'Fixture', render: () => <Text>fixture body</Text> } } });
    await waitUntil(() => t.text().includes('fixture body'), 'the fixture');
    t.input.write('q');
    assert.equal((await done).reason, 'quit');
  });
});

