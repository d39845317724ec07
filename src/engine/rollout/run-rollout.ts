// The rolling update as a resumable state machine, with an API for a UI:
//   const run = startRollout(deps, options);
//   run.subscribe((event) => ...);        // every event, in order (history replayed)
//   run.pause(); run.resume(); run.abort({ cordoned: 'uncordon' });
//   run.pauseAfterCurrent();             // finish the instance(s) in progress, then pause
//   run.skip(instanceId);                // give up a drain in progress: uncordon, not replaced
//   const result = await run.done;
// It takes the cluster's rollout lock, opens (or continues) the journal,
// plans, and rolls group after group. The confirm callback gates each drain.
import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { ConflictError } from '../store/object-store.js';
import type { RolloutDeps } from './deps.js';
import { groupWork, runGroup, type FinishedWave, type GroupWork } from './group-runner.js';
import { giveBackSkipped } from './give-back.js';
import { AbortRequestedError, Intents } from './intents.js';
import { continuationOf, isReplaced, normalizeRequest, readJournal, RolloutJournal, type InstanceProgress, type JournalDocument, type RolloutRequest } from './journal.js';
import { acquireLock, RolloutLockedError, type HeldLock } from './lock.js';
import { buildRolloutPlan, DEFAULT_ESTIMATES, estimateGroupMs } from './plan.js';
import type { RunContext } from './run-context.js';
import { DEFAULT_TIMINGS, type AbortCordoned, type ConfirmFn, type GroupKind, type RolloutEvent, type RolloutEventBody, type RolloutPlan, type RolloutResult, type RolloutTimings } from './types.js';
import { errorMessage } from '../error-message.js';
import { Listeners } from '../listeners.js';

export interface RolloutOptions {
  cluster: string;
  /** Asked before each instance is drained; absent: yes to all (--yes). */
  confirm?: ConfirmFn;
  force?: boolean;
  instanceGroups?: string[];
  roles?: string[];
  cloudOnly?: boolean;
  timings?: Partial<RolloutTimings>;
  /** Who holds the lock, for others to see (e.g. "alice@laptop"). */
  holder?: string;
  /** Take over a stale lock left by a crashed run. */
  breakStaleLock?: boolean;
  /** Stops the run at once, as a crash would: nothing is cleaned up, the journal stays resumable. */
  signal?: AbortSignal;
  /** kops' --fail-on-validate-error (default true): false warns and goes on when the cluster does not validate. */
  failOnValidateError?: boolean;
  /** kops' --fail-on-drain-error (default true): false warns and terminates an instance whose drain failed. */
  failOnDrainError?: boolean;
}

export interface RolloutRun {
  readonly runId: string;
  subscribe(listener: (event: RolloutEvent) => void): () => void;
  /** Every event so far. */
  history(): readonly RolloutEvent[];
  /** Pauses at the next step boundary. */
  pause(): void;
  resume(): void;
  /** Lets the instance(s) in progress finish, then pauses before the next one is asked about or cordoned; false cancels. */
  pauseAfterCurrent(scheduled?: boolean): void;
  /** Skips an instance whose drain is in progress (cancel it, uncordon, leave it unreplaced); false if it is not draining. */
  skip(instanceId: string): boolean;
  /** Instances whose drain is in progress now. */
  readonly draining: readonly string[];
  readonly pauseScheduled: boolean;
  abort(options?: { cordoned?: AbortCordoned; reason?: string }): void;
  readonly isPaused: boolean;
  readonly done: Promise<RolloutResult>;
}

export function startRollout(deps: RolloutDeps, options: RolloutOptions): RolloutRun {
  const runId = `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  // A broken listener must not break the rollout.
  const listeners = new Listeners<RolloutEvent>({ onError: () => undefined });
  const events: RolloutEvent[] = [];
  const emit = (body: RolloutEventBody) => {
    const event: RolloutEvent = { ...body, time: deps.clock.now() };
    events.push(event);
    listeners.notify(event);
  };
  const intents = new Intents(emit, () => deps.clock.now());
  // Started on the next tick so listeners subscribed right after start see everything.
  const done = new Promise<void>((resolve) => setImmediate(resolve)).then(() => execute(deps, options, runId, intents, emit));
  return {
    runId,
    subscribe: (listener) => listeners.add(listener),
    history: () => events,
    pause: () => intents.pause(),
    resume: () => intents.resume(),
    pauseAfterCurrent: (scheduled = true) => intents.schedulePauseAfterCurrent(scheduled),
    skip: (instanceId) => intents.skip(instanceId),
    get draining() {
      return intents.drainingInstances;
    },
    get pauseScheduled() {
      return intents.pauseAfterCurrent;
    },
    abort: (o = {}) => intents.abort(o.reason, o.cordoned),
    get isPaused() {
      return intents.isPaused;
    },
    done,
  };
}

async function execute(deps: RolloutDeps, options: RolloutOptions, runId: string, intents: Intents, emit: (e: RolloutEventBody) => void): Promise<RolloutResult> {
  const { clock } = deps;
  const started = clock.now();
  const lockLost = new AbortController();
  const signal = AbortSignal.any([intents.signal, lockLost.signal, ...(options.signal ? [options.signal] : [])]);
  // Every concurrent drain and wait listens on it.
  setMaxListeners(0, signal);
  let lock: HeldLock | undefined;
  let ctx: RunContext | undefined;
  const finish = (status: RolloutResult['status'], reason?: string): RolloutResult => {
    const result: RolloutResult = { status, reason, replaced: ctx?.replaced ?? [], skipped: ctx?.skipped ?? [], durationMs: clock.now() - started };
    emit({ type: 'finished', status, reason, durationMs: result.durationMs, replaced: result.replaced.length, skipped: result.skipped.length });
    return result;
  };
  try {
    lock = await acquireLock(deps.store.objects, options.cluster, {
      holder: options.holder ?? 'kopsdeck',
      runId,
      breakStaleLock: options.breakStaleLock,
      onLost: (error) => lockLost.abort(error),
      onTakeOver: (previous, reason) => emit({ type: 'lock-taken-over', holder: previous.holder, pid: previous.pid, host: previous.host, runId: previous.runId, reason }),
    });
    const request = normalizeRequest(options);
    const continuation = continuationOf(await readJournal(deps.store.objects, options.cluster), request);
    const timings = { ...DEFAULT_TIMINGS, ...options.timings };
    // Resuming the same request: --force covers only the instances it set out to replace, not their replacements.
    const planned = continuation.mode === 'resume' ? continuation.previous.planned : undefined;
    const plan = await planRollout(deps, { ...options, forceOnly: planned ? new Set(planned) : undefined });
    if (continuation.mode === 'carry') refuseOrphans(options.cluster, plan, continuation.previous, continuation.carried);
    const journal = await RolloutJournal.open(deps.store.objects, options.cluster, clock.now(), runId, request, options.confirm !== undefined);
    if (!journal.resumed) await journal.setPlanned(plan.groups.flatMap((g) => [...g.instances.map((i) => i.id), ...g.warm]), clock.now());
    ctx = {
      deps,
      cluster: options.cluster,
      timings,
      journal,
      intents,
      signal,
      emit,
      confirm: options.confirm,
      cloudOnly: options.cloudOnly ?? false,
      counter: { position: 0, total: 0 },
      replaced: [],
      skipped: [],
      waveDurations: new Map(),
      retired: new Set(),
      failOnValidateError: options.failOnValidateError ?? true,
      failOnDrainError: options.failOnDrainError ?? true,
      controlPlaneGroups: new Set(plan.groups.filter((g) => g.kind === 'ControlPlane').map((g) => g.name)),
    };
    const progress = journal.progress();
    await uncordonLeftSkipped(ctx, progress);
    const work = plan.groups.map((g) => groupWork(ctx!, g, progress)).filter((w) => w.waves.length > 0 || w.group.warm.length > 0);
    // A resumed rollout counts what its earlier runs finished: "instance 3 of 4", not "1 of 2".
    const earlier = journal.resumed ? earlierOutcomes(progress) : { replaced: 0, skipped: [] };
    const doneEarlier = earlier.replaced + earlier.skipped.length;
    ctx.counter.position = doneEarlier;
    ctx.counter.total = doneEarlier + work.reduce((sum, w) => sum + w.waves.flat().length, 0);
    // Replaced ones are up to date now, so not in the plan: the screen adds them. Skipped ones are (still out of date): shown as skipped.
    emit({ type: 'plan', plan, resumed: journal.resumed, finishedEarlier: earlier.replaced });
    const inPlan = new Set(plan.groups.flatMap((g) => g.instances.map((i) => i.id)));
    for (const p of earlier.skipped) {
      if (inPlan.has(p.instance)) emit({ type: 'skipped', instanceId: p.instance, group: p.group, reason: 'skipped by an earlier run of this rollout' });
    }
    const eta = etaTracker(ctx, work, plan, { done: doneEarlier, replaced: earlier.replaced });
    eta.announce();
    for (const w of work) await runGroup(ctx, w, (wave) => eta.waveFinished(w.group.kind, wave));
    await journal.setStatus('finished', clock.now());
    return finish('finished');
  } catch (error) {
    const reason = errorMessage(error);
    if (intents.abortRequested) {
      await ctx?.journal.setStatus('aborted', clock.now(), reason).catch(() => undefined);
      return finish('aborted', reason);
    }
    if (signal.aborted) {
      // The caller stopped us (or the lock was taken): leave everything as a crash would.
      const why = signal.reason instanceof Error ? signal.reason.message : String(signal.reason ?? 'stopped');
      return finish('interrupted', why);
    }
    if (!(error instanceof ConflictError)) await ctx?.journal.setStatus('failed', clock.now(), reason).catch(() => undefined);
    const result = finish('failed', reason);
    if (error instanceof RolloutLockedError) result.locked = { holder: error.lock.holder, pid: error.lock.pid, host: error.lock.host, stale: error.stale };
    return result;
  } finally {
    await lock?.release();
  }
}

/** What the journal says earlier runs finished: how many they replaced, and the instances they skipped. */
function earlierOutcomes(progress: Map<string, InstanceProgress>): { replaced: number; skipped: InstanceProgress[] } {
  const all = [...progress.values()];
  return { replaced: all.filter((p) => !p.skipped && isReplaced(p)).length, skipped: all.filter((p) => p.skipped) };
}

/** An earlier run skipped a drain and stopped before it uncordoned the node: uncordon it now. */
async function uncordonLeftSkipped(ctx: RunContext, progress: Map<string, InstanceProgress>): Promise<void> {
  if (!ctx.deps.kube || ctx.cloudOnly) return;
  for (const p of progress.values()) {
    if (!p.skipped || !p.node || !p.done.includes('cordon') || p.done.includes('drain')) continue;
    await giveBackSkipped(ctx, p.instance, p.group, p.node);
    p.done = [];
  }
}

/** The plan as the screen and `rolling-update cluster` without --yes show it. */
export async function planRollout(
  deps: Pick<RolloutDeps, 'store' | 'cloud' | 'kube'>,
  options: Omit<RolloutOptions, 'confirm' | 'signal'> & { forceOnly?: ReadonlySet<string> },
): Promise<RolloutPlan> {
  const found = await deps.store.getCluster(options.cluster);
  if (!found) throw new Error(`cluster ${options.cluster} was not found in ${deps.store.url}`);
  const [groups, cloudGroups, nodes] = await Promise.all([
    deps.store.listInstanceGroups(options.cluster),
    deps.cloud.listGroups(options.cluster),
    deps.kube && !options.cloudOnly ? deps.kube.nodesByInstance() : Promise.resolve(new Map()),
  ]);
  return buildRolloutPlan({
    cluster: found.value,
    instanceGroups: groups.map((g) => g.value),
    cloudGroups,
    nodes,
    force: options.force,
    forceOnly: options.forceOnly,
    onlyGroups: options.instanceGroups,
    onlyRoles: options.roles,
    timings: options.timings,
    cloudOnly: options.cloudOnly,
  });
}

/**
 * A new request while an earlier one left instances half-done: those are
 * finished by this run when their groups are in it; otherwise the run stops
 * before touching anything, since it could neither finish them nor leave them
 * silently (a cordoned or detached node nobody comes back to).
 */
function refuseOrphans(cluster: string, plan: RolloutPlan, previous: JournalDocument, carried: InstanceProgress[]): void {
  const inScope = new Set(plan.groups.map((g) => g.name));
  const orphans = carried.filter((p) => !inScope.has(p.group));
  if (orphans.length === 0) return;
  const groups = [...new Set(orphans.map((p) => p.group))];
  const list = orphans.map((p) => `${p.instance}${p.node ? ` (${p.node})` : ''} in ${p.group} after ${p.done.at(-1)}`).join(', ');
  throw new Error(
    `an earlier rollout of ${cluster} (${describeRequest(previous.request)}) stopped with ${orphans.length} instance(s) half-done: ${list}; ` +
      `finish it first by running it again with the same options, or include ${groups.join(', ')} in this rollout`,
  );
}

function describeRequest(request: RolloutRequest | undefined): string {
  if (!request) return 'unknown options';
  const parts = [
    ...request.instanceGroups.map((g) => `--instance-group ${g}`),
    ...request.roles.map((r) => `--instance-group-roles ${r}`),
    ...(request.force ? ['--force'] : []),
    ...(request.cloudOnly ? ['--cloudonly'] : []),
  ];
  return parts.length ? parts.join(' ') : 'all instance groups';
}

/**
 * ETA from this run's measured waves (per group kind; only waves that
 * replaced something, and without the time spent waiting for a person), the
 * plan's estimates until something is measured. Each estimate also says what
 * the next wave should take, so a screen can count down within it and know
 * when the wave runs longer than measured.
 */
/** earlier: what earlier runs of a resumed rollout finished (done: replaced and skipped; replaced ones are no longer in the plan). */
function etaTracker(ctx: RunContext, work: GroupWork[], plan: RolloutPlan, earlier: { done: number; replaced: number }) {
  const remaining: { kind: GroupKind; estimate: number }[] = work.flatMap((w) => {
    const perWave = estimateGroupMs({ ...w.group, waves: [[]] }, ctx.timings, DEFAULT_ESTIMATES, ctx.cloudOnly);
    return w.waves.map(() => ({ kind: w.group.kind, estimate: perWave }));
  });
  const measured = (kind: GroupKind) => {
    const own = ctx.waveDurations.get(kind) ?? [];
    const all = [...ctx.waveDurations.values()].flat();
    const pick = own.length ? own : all;
    return pick.length ? pick.reduce((a, b) => a + b, 0) / pick.length : undefined;
  };
  const waveMs = (w: { kind: GroupKind; estimate: number }) => measured(w.kind) ?? w.estimate;
  const total = plan.totalInstances;
  const announce = () =>
    ctx.emit({
      type: 'eta',
      remainingMs: remaining.reduce((sum, w) => sum + waveMs(w), 0),
      nextWaveMs: remaining.length ? waveMs(remaining[0]) : 0,
      doneInstances: earlier.done + ctx.replaced.length + ctx.skipped.length,
      totalInstances: Math.max(earlier.replaced + total, ctx.counter.total),
    });
  return {
    announce,
    waveFinished(kind: GroupKind, wave: FinishedWave) {
      // A wave whose instances were all skipped says nothing about how long a replacement takes.
      if (wave.replaced > 0) ctx.waveDurations.set(kind, [...(ctx.waveDurations.get(kind) ?? []), wave.workMs]);
      remaining.shift();
      announce();
    },
  };
}

export { AbortRequestedError };
