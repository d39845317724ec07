// Crash safety for real: the kopsdeck CLI, as a child process, rolls a small
// simulated cluster and is killed with SIGKILL after a randomly chosen step;
// a second run takes over the dead run's lock (on its own, saying so) and
// finishes the rollout with no step repeated or skipped. The simulator runs in
// this test process, recorded in KOPSDECK_HOME/sim/endpoint.json, so the world
// keeps running while the child is dead.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { createInterface } from 'node:readline';
import { readJournal, stepsFor, type JournalEntry } from '../../src/engine/rollout/journal.js';
import type { RolloutEvent } from '../../src/engine/rollout/types.js';
import { openStateStore } from '../../src/engine/store/open-store.js';
import { startLiveFixture, type LiveFixture } from '../screens/live-fixture.js';
import { builtCli } from '../helpers/built-cli.js';

const runFile = promisify(execFile);
let fx: LiveFixture;
before(async () => {
  fx = await startLiveFixture({ name: 'crash.k8s.local', workers: 2, speed: 100 });
});
after(async () => fx?.stop());

interface Child {
  process: ChildProcess;
  events: RolloutEvent[];
  /** Resolves with the exit code (null when killed) and stderr. */
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

function rollingUpdate(onEvent: (event: RolloutEvent, child: ChildProcess) => void = () => {}): Child {
  const child = spawn(
    process.execPath,
    [builtCli(), '--state', fx.stateUrl, 'rolling-update', 'cluster', fx.name, '--yes', '--force', '-o', 'json'],
    { env: { ...process.env, KOPSDECK_HOME: fx.home, KOPSDECK_CLOUD: 'sim', KOPS_STATE_STORE: '' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const events: RolloutEvent[] = [];
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const event = JSON.parse(line) as RolloutEvent;
    events.push(event);
    onEvent(event, child);
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stderr })),
  );
  return { process: child, events, exit };
}

/** Bounded: a child that hangs is killed and fails the test. */
async function within<T>(what: string, promise: Promise<T>, child: ChildProcess, ms = 60_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${what} did not end within ${ms} ms`));
    }, ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const key = (e: { instance: string; step: string }) => `${e.instance} ${e.step}`;

test('rolling-update killed with SIGKILL after a random step, run again: it takes over the lock and finishes, no step repeated or skipped', async () => {
  const store = openStateStore(fx.stateUrl);
  const original = new Set((await fx.nodes()).map((n) => n.spec?.providerID?.split('/').pop()));
  // 1 control plane (7 steps) + 2 surging workers (8 steps each) = 23 steps; kill after one of the first 22.
  const killAfter = Number(process.env.KOPSDECK_CRASH_STEP) || 1 + Math.floor(Math.random() * 22);
  const why = `killed after step ${killAfter}`;
  let seen = 0;
  const first = rollingUpdate((event, child) => {
    if (event.type === 'step-finished' && ++seen === killAfter) child.kill('SIGKILL');
  });
  const killed = await within('the first run', first.exit, first.process);
  assert.equal(killed.signal, 'SIGKILL', `${why}: the first run ended on its own (code ${killed.code}): ${killed.stderr}`);

  const half = (await readJournal(store.objects, fx.name))!;
  assert.equal(half.status, 'running', why);
  // The preview (no --yes) says the last run did not finish, and the command that resumes it.
  // Asynchronous: the simulator runs in this process and must answer meanwhile.
  const preview = await runFile(process.execPath, [builtCli(), '--state', fx.stateUrl, 'rolling-update', 'cluster', fx.name, '--force'], {
    env: { ...process.env, KOPSDECK_HOME: fx.home, KOPSDECK_CLOUD: 'sim', KOPS_STATE_STORE: '' },
    encoding: 'utf8',
    timeout: 60_000,
  }).catch((error: { stdout: string; stderr: string }) => error);
  assert.match(
    preview.stdout,
    new RegExp(`^The last rolling update did not finish: its process \\(pid \\d+\\) is gone\\.( \\d instances? (is|are) part way through \\(cordoned, drained or terminated, not yet replaced\\)\\.)? \`kopsdeck rolling-update cluster ${fx.name.replace(/\./g, '\\.')} --yes --force\` resumes it\\.$`, 'm'),
    `${why}: ${preview.stdout} ${preview.stderr}`,
  );
  assert.ok(half.entries.length >= killAfter, `${why}: the journal has every step the run reported (${half.entries.length})`);

  const second = rollingUpdate();
  const done = await within('the second run', second.exit, second.process);
  assert.equal(done.code, 0, `${why}: ${done.stderr}`);
  const [takeover] = second.events;
  assert.ok(takeover?.type === 'lock-taken-over', `${why}: the dead run's lock was taken over first, got ${takeover?.type}`);
  assert.equal(takeover.pid, first.process.pid);
  assert.match(takeover.reason, /no longer exists/);
  const finished = second.events.at(-1);
  assert.ok(finished?.type === 'finished' && finished.status === 'finished', `${why}: ${JSON.stringify(finished)}`);

  const journal = (await readJournal(store.objects, fx.name))!;
  assert.equal(journal.status, 'finished');
  assert.equal(journal.runId, half.runId, 'the same rollout was continued');
  assert.deepEqual(journal.entries.slice(0, half.entries.length), half.entries, 'the second run kept what the first recorded');
  // No step repeated: what the second run did is exactly what the journal lacked.
  const before = new Set(half.entries.map(key));
  const redone = second.events.filter((e): e is Extract<RolloutEvent, { type: 'step-finished' }> => e.type === 'step-finished').map((e) => key({ instance: e.instanceId, step: e.step }));
  assert.deepEqual(redone.filter((k) => before.has(k)), [], `${why}: steps run again`);
  assert.deepEqual(redone.sort(), journal.entries.slice(half.entries.length).map(key).sort());
  // No step skipped: each instance went through its whole step list, in order, once.
  const byInstance = new Map<string, JournalEntry[]>();
  for (const e of journal.entries) byInstance.set(e.instance, [...(byInstance.get(e.instance) ?? []), e]);
  assert.equal(byInstance.size, 3, why);
  for (const [instance, entries] of byInstance) {
    const confirm = entries.find((e) => e.step === 'confirm')!;
    const expected = stepsFor({ surge: confirm.surge ?? false, withoutKube: false, bastion: false });
    assert.deepEqual(entries.map((e) => e.step), expected, `${why}: ${instance}`);
    assert.ok(original.has(instance), `${instance} was one of the original instances`);
  }
  const nodes = await fx.waitForReadyNodes(3);
  assert.ok(nodes.every((n) => !original.has(n.spec?.providerID?.split('/').pop())), 'every original instance was replaced');
});
