// A rolling update run by the CLI in another process (a child process, --yes,
// a post-drain delay long enough to last a while) is shown by the console as
// RUNNING in another process, naming its holder, and watched live from its
// journal and lock, read-only: progress moves on screen, no key starts or
// resumes anything, and the lock stays the CLI's from start to end. When the
// CLI finishes, the screen says so and offers to plan again; when the CLI is
// killed, it says that run stopped and r plans its resume. The simulator
// runs in this test process, recorded in KOPSDECK_HOME/sim, so the CLI and the
// console see the same cluster.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readJournal, readLock, type LockBody } from '../../src/engine/rollout/index.js';
import { rolloutSessionsFor } from '../../src/sessions/rollout-sessions.js';
import { renderApp, waitUntil } from '../console/helpers.js';
import { startLiveFixture, type LiveFixture } from '../screens/live-fixture.js';
import { until as poll, type NotYet } from '../helpers/wait.js';
import { builtCli } from '../helpers/built-cli.js';

let fx: LiveFixture;
before(async () => {
  fx = await startLiveFixture({ name: 'watch.k8s.local', workers: 2, speed: 100 });
});
after(async () => fx?.stop());

/** Wall-clock bounded polling of an async condition. */
const until = <T,>(what: string, check: () => Promise<T | NotYet>, timeoutMs: number) => poll(what, check, timeoutMs, 50);

const replacedOf = (frame: string) => Number(/(\d+) of 3 instances replaced/.exec(frame)?.[1] ?? NaN);

/** The CLI child's lock, once it has taken it; a child that ends first fails with what it printed. */
async function lockOf(child: ChildProcess, exited: Promise<{ code: number | null; stderr: string }>): Promise<LockBody> {
  let ended: { code: number | null; stderr: string } | undefined;
  void exited.then((result) => (ended = result));
  return until('the CLI to take the rollout lock', async () => {
    if (ended) throw new Error(`the CLI ended (code ${ended.code}) before it was seen holding the lock: ${ended.stderr}`);
    const lock = await readLock(fx.store.objects, fx.name);
    return lock?.pid === child.pid ? lock : undefined;
  }, 90_000);
}

/** `rolling-update cluster --yes --force` in a child process; an 8m post-drain delay is about 5 s of wall time per instance at speed 100. */
function cliRollingUpdate() {
  const child = spawn(
    process.execPath,
    [builtCli(), '--state', fx.stateUrl, 'rolling-update', 'cluster', fx.name, '--yes', '--force', '--post-drain-delay', '8m', '-o', 'json'],
    { env: { ...process.env, KOPSDECK_HOME: fx.home, KOPSDECK_CLOUD: 'sim', KOPS_STATE_STORE: '' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  child.stdout!.resume();
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve) => child.on('close', (code) => resolve({ code, stderr })));
  return { child, exited };
}

test('a CLI rolling update is watched live and read-only, to its end', { timeout: 180_000 }, async () => {
  const { child, exited } = cliRollingUpdate();
  const services = fx.services();
  let view: ReturnType<typeof renderApp> | undefined;
  // Every lock seen while the console watches: it must always be the CLI's.
  const locks: LockBody[] = [];
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const lock = await readLock(fx.store.objects, fx.name).catch(() => null);
      if (lock) locks.push(lock);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  try {
    const held = await lockOf(child, exited);
    assert.match(held.holder, /^\S+@\S+ \(CLI\)$/);

    view = renderApp({ services, size: { columns: 200, rows: 60 }, initialRoute: { name: 'rollout', cluster: fx.name } });
    const first = await view.waitFor('RUNNING in another process', 20_000);
    const started = new Date(held.acquiredAt);
    const hhmmss = [started.getHours(), started.getMinutes(), started.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
    assert.ok(first.includes(`Held by: ${held.holder}, pid ${child.pid} on ${held.host} · started ${hhmmss} (`), first);
    assert.match(first, /Answers, pauses and aborts are given in that process; this console only watches/);
    assert.doesNotMatch(first, /crashed or closed|Enter starts|<enter>/);
    assert.match(first, /<r> look again now/);

    // Keys that would start, answer, pause or abort do nothing here.
    for (const key of ['\r', 'y', 's', 'p', 'x', 'b']) view.press(key);
    const session = rolloutSessionsFor(services).peek(fx.name)!;
    // Keys are read in order: once ? (pressed after them) has opened the help, every one of them has been handled.
    view.press('?');
    await view.waitFor('Help: ', 20_000);
    view.press('\x1b');
    const watched = await view.waitFor((f) => !f.includes('Help: '), 20_000);
    assert.notEqual(session.getState().phase, 'running', 'the console started nothing');
    assert.match(watched, /RUNNING in another process/);

    // Progress moves while watching: a step under way, and the count of replaced instances going up.
    await view.waitFor((f) => /Now: Post-drain delay after ip-/.test(f) && /Last record: drain of ip-/.test(f) && /Request: forced \(every instance, up to date or not\); all instance groups/.test(f), 30_000);
    const counts = new Set<number>();
    await waitUntil(() => {
      const frame = view!.lastFrame() ?? '';
      if (/RUNNING in another process/.test(frame)) counts.add(replacedOf(frame));
      return [...counts].filter((n) => n >= 1 && n < 3).length >= 1 && counts.size >= 2;
    }, 'the replaced count to move while the CLI runs', 60_000);

    const { code, stderr } = await exited;
    assert.equal(code, 0, stderr);
    const ended = await view.waitFor('FINISHED in another process', 20_000);
    assert.match(ended, /That run finished: 3 replaced, 0 skipped\./);
    assert.match(ended, /r plans again \(to check that nothing is left\)/);
    assert.match(ended, /<r> plan again/);

    sampling = false;
    await sampler;
    assert.ok(locks.length > 0);
    assert.ok(locks.every((l) => l.runId === held.runId && l.pid === child.pid), `the lock was only ever the CLI's: ${JSON.stringify(locks.filter((l) => l.runId !== held.runId))}`);
    assert.equal(await readLock(fx.store.objects, fx.name), null, 'released by the CLI, not taken by the console');
    const journal = (await readJournal(fx.store.objects, fx.name))!;
    assert.equal(journal.status, 'finished');
    assert.equal(journal.writerRunId, held.runId, 'the journal was written by the CLI run only');

    // r plans here: the rollout is over, nothing is left.
    view.press('r');
    const plan = await view.waitFor('Rolling update plan for', 30_000);
    assert.match(plan, /Every instance runs its group's current launch template/);
  } finally {
    sampling = false;
    await sampler;
    view?.unmount();
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});

test('a watched CLI run that is killed is shown stopped, and r plans its resume; the console took nothing', { timeout: 180_000 }, async () => {
  const { child, exited } = cliRollingUpdate();
  // A new console: its own registry of rollout sessions.
  const services = fx.services();
  let view: ReturnType<typeof renderApp> | undefined;
  try {
    const held = await lockOf(child, exited);
    view = renderApp({ services, size: { columns: 200, rows: 60 }, initialRoute: { name: 'rollout', cluster: fx.name } });
    await view.waitFor((f) => /RUNNING in another process/.test(f) && /Last record: /.test(f), 40_000);
    child.kill('SIGKILL');
    await exited;
    const stopped = await view.waitFor('STOPPED in another process', 20_000);
    assert.match(stopped, new RegExp(`That run stopped without finishing: its process \\(pid ${child.pid} on ${held.host}\\) no longer exists: it crashed or was killed\\.`));
    assert.match(stopped, /r plans its resume here: starting continues its journal \(the lock of a process that is gone is taken over\)/);
    assert.match(stopped, /<r> plan its resume/);
    assert.equal((await readLock(fx.store.objects, fx.name))?.runId, held.runId, "the dead CLI's lock is left as it was");

    view.press('r');
    const plan = await view.waitFor('Rolling update plan for', 30_000);
    assert.match(plan.replace(/\s+/g, ' '), /An earlier rolling update stopped without finishing \(crashed or closed\); its journal covers \d+ instance\(s\) of the 3 it set out to replace\. Starting resumes exactly that rollout/);
    assert.equal((await readLock(fx.store.objects, fx.name))?.runId, held.runId, 'planning took no lock');
    assert.notEqual(rolloutSessionsFor(services).peek(fx.name)?.getState().phase, 'running');
  } finally {
    view?.unmount();
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
});
