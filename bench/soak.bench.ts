// Fault soak: randomized rolling updates of small simulated clusters, each run
// as a user runs it (the kopsdeck CLI in its own process), under faults drawn
// at random per trial: AWS throttling and 5xx, a failed launch, a replacement
// that never becomes Ready, a PodDisruptionBudget that allows no disruption,
// an API blackout, and a SIGKILL of the rolling update at a random step,
// followed by a re-run that must continue it. Prints, over all trials, how
// many runs finished, stopped with a stated reason, hung or crashed, and the
// breaches: PodDisruptionBudget, maxUnavailable, lost pods, orphaned
// instances, repeated or skipped steps. Target: zero of each, 0 hung, 0 crashed.
//
// SOAK_TRIALS (default 100), SOAK_SPEED (simulated ms per wall ms, default
// 400), SOAK_SEED (default 1). Bounded: each run has a wall-clock limit
// (SOAK_RUN_LIMIT_S, default 90), after which it counts as hung and is killed.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { TerminateInstanceInAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import { runCli } from '../src/commands/program.js';
import { awsClientsFor } from '../src/engine/cloud/aws/clients.js';
import { createKubeClient, type KubeClient } from '../src/engine/kube/client.js';
import type { KubeList, KubeNode } from '../src/engine/kube/types.js';
import type { RolloutEvent } from '../src/engine/rollout/types.js';
import { openStateStore } from '../src/engine/store/open-store.js';
import { simAdminFetch } from '../src/sim/admin-client.js';
import { simulatorAccess } from '../src/startup/cloud-session.js';
import { startRecordedSimulator, type SimulatorConnection } from '../src/startup/simulator-connection.js';
import { journalFindings, lostPods, orphanedInstances, UnavailabilitySampler } from './soak/soak-checks.js';

const TRIALS = Number(process.env.SOAK_TRIALS ?? 100);
const SPEED = Number(process.env.SOAK_SPEED ?? 400);
const SEED = Number(process.env.SOAK_SEED ?? 1);
const RUN_LIMIT_MS = Number(process.env.SOAK_RUN_LIMIT_S ?? 90) * 1000;
const WORKERS = 3;
const ROLL_FLAGS = ['--yes', '--force', '--instance-group-roles', 'node', '-o', 'json', '--drain-timeout', '3m', '--validation-timeout', '5m', '--post-drain-delay', '0s', '--node-interval', '0s'];

type Outcome = 'finished' | 'stopped' | 'hung' | 'crashed';
const KILLED = 'killed by the soak (SIGKILL)';
interface RunResult {
  outcome: Outcome;
  reason?: string;
  events: RolloutEvent[];
}

interface Totals {
  outcomes: Record<Outcome, number>;
  reasons: Map<string, number>;
  pdbBreaches: number;
  unavailableBreaches: number;
  lostPods: number;
  orphans: number;
  repeated: number;
  skipped: number;
  killed: number;
  /** Re-runs after a stop (faults cleared, broken machines replaced): did they finish? */
  recoveries: { finished: number; 'not finished': number };
}

async function main(): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), 'kopsdeck-soak-'));
  const sim = await startRecordedSimulator({ dir: join(home, 'sim'), speed: SPEED, seed: SEED });
  const stateUrl = pathToFileURL(join(home, 'state')).href;
  const env = { ...process.env, KOPSDECK_HOME: home, KOPSDECK_CLOUD: 'sim', KOPS_STATE_STORE: stateUrl, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  const clients = awsClientsFor(simulatorAccess(sim), 'us-east-1');
  const store = openStateStore(stateUrl);
  const totals: Totals = { outcomes: { finished: 0, stopped: 0, hung: 0, crashed: 0 }, reasons: new Map(), pdbBreaches: 0, unavailableBreaches: 0, lostPods: 0, orphans: 0, repeated: 0, skipped: 0, killed: 0, recoveries: { finished: 0, 'not finished': 0 } };
  const random = seeded(SEED);
  const started = Date.now();
  console.log(`soak: ${TRIALS} trials, ${WORKERS} workers each, simulator speed ${SPEED}x, seed ${SEED}, ${RUN_LIMIT_MS / 1000}s limit per run`);
  try {
    for (let trial = 1; trial <= TRIALS; trial++) {
      const line = await runTrial(trial, { sim, env, clients, store, random, totals });
      if (process.env.SOAK_VERBOSE || trial % 10 === 0 || trial === TRIALS) console.log(`  trial ${trial}: ${line}  [${((Date.now() - started) / 1000).toFixed(0)}s]`);
    }
  } finally {
    clients.destroy();
    await sim.release();
    rmSync(home, { recursive: true, force: true });
  }
  report(totals, Date.now() - started);
}

interface TrialContext {
  sim: SimulatorConnection;
  env: NodeJS.ProcessEnv;
  clients: ReturnType<typeof awsClientsFor>;
  store: ReturnType<typeof openStateStore>;
  random: () => number;
  totals: Totals;
}

async function runTrial(trial: number, ctx: TrialContext): Promise<string> {
  const name = `soak-${trial}.k8s.local`;
  const cli = (args: string[]) => runCli(['--state', ctx.env.KOPS_STATE_STORE!, ...args], { stdout: { write: () => true }, stderr: { write: () => true }, env: ctx.env }, { openConsole: async () => {} });
  if ((await cli(['create', 'cluster', name, '--zones', 'us-east-1a', '--control-plane-count', '1', '--node-count', String(WORKERS)])) !== 0) throw new Error(`create ${name} failed`);
  if ((await cli(['update', 'cluster', name, '--yes'])) !== 0) throw new Error(`update ${name} failed`);
  const kube = await createKubeClient({ cluster: name, kubeconfigPath: ctx.sim.kubeconfigPath });
  try {
    await readyNodes(kube, WORKERS + 1);
    const faults = drawFaults(ctx.random);
    const killAfter = ctx.random() < 0.4 ? 1 + Math.floor(ctx.random() * 12) : 0;
    const pdbBefore = await pdbViolationCount(ctx.sim);
    if (faults.blockingBudget) await setBudget(kube, 0);
    await putFaults(ctx.sim, faults.sim);
    const sampler = new UnavailabilitySampler(kube, WORKERS);
    sampler.start();
    let run = await rollingUpdate(name, ctx.env, killAfter);
    const events = [...run.events];
    if (run.reason === KILLED) {
      // Killed by us: the re-run must continue the same rollout; its outcome is the trial's.
      ctx.totals.killed++;
      run = await rollingUpdate(name, ctx.env, 0);
      events.push(...run.events);
    }
    sampler.stop();
    await putFaults(ctx.sim, { throttleRate: 0, serverErrorRate: 0, failLaunches: 0, neverReadyNext: 0, apiBlackoutUntil: 0 });
    if (faults.blockingBudget) await setBudget(kube, 1);
    record(ctx.totals, run);
    // A stopped rollout must leave a cluster the next run can finish: the on-call engineer
    // replaces a machine that never became Ready, then runs the rolling update again.
    let recovery: Outcome | undefined;
    if (run.outcome === 'stopped') {
      await replaceBrokenMachines(kube, ctx.clients);
      await readyNodes(kube, WORKERS + 1).catch(() => undefined);
      recovery = (await rollingUpdate(name, ctx.env, 0)).outcome;
      ctx.totals.recoveries[recovery === 'finished' ? 'finished' : 'not finished']++;
    }
    // What the group allows, as the rollout resolved it (kops: 0 when the group surges, else maxUnavailable).
    const settings = events.filter((e): e is Extract<RolloutEvent, { type: 'group-started' }> => e.type === 'group-started').map((e) => e.settings.maxUnavailable);
    const allowed = settings.length > 0 ? Math.max(...settings) : 0;
    if (sampler.worst > allowed) ctx.totals.unavailableBreaches++;
    ctx.totals.pdbBreaches += (await pdbViolationCount(ctx.sim)) - pdbBefore;
    const lost = run.outcome === 'finished' || recovery === 'finished' ? await lostPods(kube, 5_000) : 0;
    ctx.totals.lostPods += Math.max(0, lost);
    const orphans = await orphanedInstances(ctx.clients, name);
    ctx.totals.orphans += orphans.length;
    const steps = await journalFindings(ctx.store.objects, name);
    ctx.totals.repeated += steps.repeated;
    ctx.totals.skipped += steps.skipped;
    return `${run.outcome}${run.reason ? ` (${run.reason.slice(0, 90)})` : ''}${recovery ? `, re-run ${recovery}` : ''}; faults ${faults.label || 'none'}${killAfter ? `; kill after step ${killAfter}` : ''}; worst unavailable ${sampler.worst} of ${allowed} allowed`;
  } finally {
    kube.close();
    await cli(['delete', 'cluster', name, '--yes']);
  }
}

interface DrawnFaults {
  sim: Record<string, number>;
  blockingBudget: boolean;
  label: string;
}

function drawFaults(random: () => number): DrawnFaults {
  const sim: Record<string, number> = {};
  const names: string[] = [];
  const maybe = (share: number, name: string, apply: () => void) => {
    if (random() < share) {
      apply();
      names.push(name);
    }
  };
  maybe(0.3, 'throttling', () => (sim.throttleRate = 0.05));
  maybe(0.3, '5xx', () => (sim.serverErrorRate = 0.03));
  maybe(0.2, 'failed launch', () => (sim.failLaunches = 1));
  maybe(0.15, 'never-Ready replacement', () => (sim.neverReadyNext = 1));
  // A blackout of 20 simulated seconds, starting now: the simulator's clock is read through its health.
  maybe(0.15, 'API blackout', () => (sim.apiBlackoutSeconds = 20));
  let blockingBudget = false;
  maybe(0.15, 'blocking PodDisruptionBudget', () => (blockingBudget = true));
  return { sim, blockingBudget, label: names.join(', ') };
}

async function putFaults(sim: SimulatorConnection, faults: Record<string, number>): Promise<void> {
  const patch: Record<string, number> = { ...faults };
  if (patch.apiBlackoutSeconds !== undefined) {
    const health = (await (await simAdminFetch(sim, '/sim/health')).json()) as { now: string };
    patch.apiBlackoutUntil = Date.parse(health.now) + patch.apiBlackoutSeconds * 1000;
    delete patch.apiBlackoutSeconds;
  }
  const res = await simAdminFetch(sim, '/sim/faults', { method: 'PATCH', body: JSON.stringify(patch), headers: { 'content-type': 'application/json' } });
  if (!res.ok) throw new Error(`PATCH /sim/faults: ${res.status} ${await res.text()}`);
}

async function pdbViolationCount(sim: SimulatorConnection): Promise<number> {
  return ((await (await simAdminFetch(sim, '/sim/stats')).json()) as { pdbViolations: unknown[] }).pdbViolations.length;
}

async function setBudget(kube: KubeClient, maxUnavailable: number): Promise<void> {
  await kube.request('PATCH', '/apis/policy/v1/namespaces/demo/poddisruptionbudgets/api', { body: { spec: { maxUnavailable } }, contentType: 'application/merge-patch+json' });
}

/** `kopsdeck rolling-update cluster NAME --yes --force` as its own process; SIGKILL after `killAfter` finished steps (0: never). */
function rollingUpdate(name: string, env: NodeJS.ProcessEnv, killAfter: number): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['dist/cli.js', 'rolling-update', 'cluster', name, ...ROLL_FLAGS], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const events: RolloutEvent[] = [];
    let stderr = '';
    let steps = 0;
    let killedByUs = false;
    let hung = false;
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        events.push(JSON.parse(line) as RolloutEvent);
      } catch {
        return; // not an event line
      }
      const last = events.at(-1)!;
      if (killAfter > 0 && last.type === 'step-finished' && ++steps === killAfter) {
        killedByUs = true;
        child.kill('SIGKILL');
      }
    });
    const limit = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, RUN_LIMIT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(limit);
      const finished = [...events].reverse().find((e) => e.type === 'finished') as Extract<RolloutEvent, { type: 'finished' }> | undefined;
      if (hung) return resolve({ outcome: 'hung', events });
      if (killedByUs && signal === 'SIGKILL') return resolve({ outcome: 'stopped', reason: KILLED, events });
      if (finished?.status === 'finished' && code === 0) return resolve({ outcome: 'finished', events });
      // A stop the user is told about: a final event with a reason, exit 1 (error) or 2 (validation failed), never a stack trace.
      if (finished && finished.reason && (code === 1 || code === 2) && !/\n\s+at /.test(stderr)) return resolve({ outcome: 'stopped', reason: finished.reason, events });
      resolve({ outcome: 'crashed', reason: `exit ${code ?? signal}: ${stderr.trim().split('\n').slice(-2).join(' ')}`, events });
    });
  });
}

function record(totals: Totals, run: RunResult): void {
  totals.outcomes[run.outcome]++;
  if (run.outcome !== 'finished' && run.reason) {
    const kind = run.reason.replace(/i-[0-9a-f]+|ip-[0-9-]+\S*|\d+(\.\d+)?(ms|s|m)\b|\d+/g, '#').slice(0, 80);
    totals.reasons.set(kind, (totals.reasons.get(kind) ?? 0) + 1);
  }
}

/** Terminates, through its group, each machine whose node is not Ready (the group launches another). */
async function replaceBrokenMachines(kube: KubeClient, clients: TrialContext['clients']): Promise<void> {
  const nodes = await kube.request<KubeList<KubeNode>>('GET', '/api/v1/nodes').then((l) => l.items, () => [] as KubeNode[]);
  for (const node of nodes) {
    if (node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) continue;
    const instanceId = node.spec?.providerID?.split('/').pop();
    if (!instanceId) continue;
    await clients.autoscaling.send(new TerminateInstanceInAutoScalingGroupCommand({ InstanceId: instanceId, ShouldDecrementDesiredCapacity: false })).catch(() => undefined);
  }
}

async function readyNodes(kube: KubeClient, count: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const nodes = await kube.request<KubeList<KubeNode>>('GET', '/api/v1/nodes').then((l) => l.items, () => [] as KubeNode[]);
    if (nodes.filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length >= count) return;
    if (Date.now() > deadline) throw new Error(`fewer than ${count} Ready nodes after 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function report(totals: Totals, wallMs: number): void {
  const runs = TRIALS;
  console.log(`\nover ${runs} trials (${totals.killed} with a SIGKILL and a re-run), ${(wallMs / 1000).toFixed(0)} s wall:`);
  console.log(`  finished ${totals.outcomes.finished}, stopped with a stated reason ${totals.outcomes.stopped}, hung ${totals.outcomes.hung}, crashed ${totals.outcomes.crashed}`);
  for (const [reason, count] of [...totals.reasons].sort((a, b) => b[1] - a[1])) console.log(`    ${count} x ${reason}`);
  console.log(`  re-runs after a stop (faults cleared, a never-Ready machine replaced): finished ${totals.recoveries.finished}, not finished ${totals.recoveries['not finished']}`);
  console.log('  breaches (target 0 each):');
  console.log(`    PodDisruptionBudget breaches      ${totals.pdbBreaches}`);
  console.log(`    maxUnavailable breaches (trials)  ${totals.unavailableBreaches}`);
  console.log(`    lost pods (after finished runs)   ${totals.lostPods}`);
  console.log(`    orphaned instances (after re-runs) ${totals.orphans}`);
  console.log(`    repeated steps                    ${totals.repeated}`);
  console.log(`    skipped steps (instances)         ${totals.skipped}`);
}

/** A small deterministic generator (mulberry32), so a trial can be replayed with SOAK_SEED. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

await main();
