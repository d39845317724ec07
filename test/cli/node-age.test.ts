// AGE is told on the clock the creation timestamp was written on: on the
// simulator, the simulator's own time (which runs `speed` times faster than the
// wall clock and resumes a saved world where it stopped), read when a process
// connects. So `kopsdeck get nodes` and the console show the same AGE for the
// same node, and a node created simulated minutes ago is not `0s`.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { formatAge } from '../../src/engine/live-model/node-row.js';
import type { NodeRow } from '../../src/engine/live-model/types.js';
import { nodeColumns } from '../../src/screens/NodesScreen.js';
import { simAdminFetch } from '../../src/sim/admin-client.js';
import { openCloudSession, simulatorAccess, type CloudSession } from '../../src/startup/cloud-session.js';
import { startLiveFixture, type LiveFixture } from '../screens/live-fixture.js';
import { waitFor } from '../helpers/wait.js';

test("a simulator's clock follows the simulator's time read at a wall instant, not this process's start", () => {
  const wallMs = Date.now();
  const simMs = Date.parse('2030-01-01T00:00:00Z');
  const clock = simulatorAccess({ url: 'http://127.0.0.1:1', speed: 10, kubeconfigPath: '/nowhere', token: 't', time: { simMs, wallMs } }).clock;
  const elapsedWall = Date.now() - wallMs;
  const now = clock.now();
  assert.ok(now >= simMs + elapsedWall * 10 && now <= simMs + (Date.now() - wallMs) * 10 + 1, `${now - simMs} ms after the reading`);
});

const SPEED = 100;
let fx: LiveFixture;
let session: CloudSession;

async function simNow(): Promise<number> {
  const health = (await (await simAdminFetch(fx.sim, '/sim/health')).json()) as { now: string };
  return Date.parse(health.now);
}

/**
 * How far a process's reading of the simulator's clock may be off: it is read
 * once, over HTTP, at the midpoint of the round trip, so it can be off by half
 * that round trip times the speed. Under a loaded suite the simulator (in this
 * process) may answer 100-300 ms late, 5-15 simulated seconds. AGE is compared
 * within 30 simulated seconds; a clock that is not the simulator's (the wall
 * clock, this process's start) is minutes off and still fails.
 */
const READING_ERROR_MS = 30_000;

/** The console's AGE cell for a row, at the console session's clock now (shifted by `offsetMs`). */
function consoleAge(row: NodeRow, offsetMs = 0): string {
  const age = nodeColumns(session.clock.now() + offsetMs).find((column) => column.key === 'age')!;
  return age.value(row);
}

const seconds = (age: string): number => {
  const match = /^(\d+)([smhd])$/.exec(age);
  assert.ok(match, `an AGE: ${age}`);
  return Number(match[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[match[2] as 's' | 'm' | 'h' | 'd'];
};

describe('AGE on the simulator', () => {
  before(async () => {
    fx = await startLiveFixture({ name: 'age.k8s.local', workers: 1, speed: SPEED });
    // The console's session, opened as `kopsdeck` opens it: it connects to the simulator the fixture runs.
    session = await openCloudSession({ choice: 'sim', env: { ...process.env, KOPSDECK_HOME: fx.home, KOPSDECK_SIM_DIR: '' } });
  });
  after(async () => {
    await session?.close();
    await fx?.stop();
  });

  test('get nodes and the console show the same AGE for each node, in simulated minutes', async () => {
    const listed = await fx.cli(['get', 'nodes', fx.name, '-o', 'json']);
    assert.equal(listed.code, 0, listed.stderr);
    const rows = JSON.parse(listed.stdout) as NodeRow[];
    assert.equal(rows.length, 2);
    // Until the youngest node is 3 simulated minutes old (a second or two of wall time at this speed).
    const youngest = Math.max(...rows.map((row) => row.createdAt!));
    await waitFor(async () => (await simNow()) - youngest >= 3 * 60_000, { describe: 'the simulated clock to advance 3 minutes past the youngest node', timeoutMs: 20_000, intervalMs: 100 });

    const simBefore = (await simNow()) - READING_ERROR_MS;
    const consoleBefore = new Map(rows.map((row) => [row.name, consoleAge(row, -READING_ERROR_MS)]));
    const table = await fx.cli(['get', 'nodes', fx.name]);
    const consoleAfter = new Map(rows.map((row) => [row.name, consoleAge(row, READING_ERROR_MS)]));
    const simAfter = (await simNow()) + READING_ERROR_MS;
    assert.equal(table.code, 0, table.stderr);

    const [header, ...lines] = table.stdout.trimEnd().split('\n');
    assert.match(header, /\sAGE\s+INSTANCE$/);
    assert.equal(lines.length, 2);
    for (const line of lines) {
      const cells = line.trim().split(/\s+/);
      const row = rows.find((r) => r.name === cells[0])!;
      assert.ok(row, `a node of the JSON listing: ${cells[0]}`);
      const cliAge = cells[cells.length - 2];
      assert.match(cliAge, /^\d+m$/, `${row.name}: created simulated minutes ago, not ${cliAge}`);
      // The CLI ran between the two readings of the simulator's clock (each widened by what a
      // reading may be off), and told AGE by it...
      assert.ok(seconds(formatAge(row.createdAt, simBefore)) <= seconds(cliAge) && seconds(cliAge) <= seconds(formatAge(row.createdAt, simAfter)), `${row.name}: ${cliAge}`);
      assert.ok(seconds(cliAge) >= 180, `${row.name}: ${cliAge}`);
      // ...and so does the console, before and after it: the same AGE.
      assert.ok(seconds(consoleBefore.get(row.name)!) <= seconds(cliAge) && seconds(cliAge) <= seconds(consoleAfter.get(row.name)!), `${row.name}: console ${consoleBefore.get(row.name)}..${consoleAfter.get(row.name)}, CLI ${cliAge}`);
      assert.ok(seconds(formatAge(row.createdAt, simBefore)) <= seconds(consoleBefore.get(row.name)!), `${row.name}: console ${consoleBefore.get(row.name)}`);
      assert.ok(seconds(consoleAfter.get(row.name)!) <= seconds(formatAge(row.createdAt, simAfter)), `${row.name}: console ${consoleAfter.get(row.name)}`);
    }
  });
});
