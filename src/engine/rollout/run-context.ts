// What every part of a running rollout shares: the seams, the journal, the
// intents, the event sink, and the small helpers that run one journaled step.
import { linkedSignal } from '../abort/linked-signal.js';
import type { RolloutDeps } from './deps.js';
import type { Intents } from './intents.js';
import type { RolloutJournal, InstanceProgress, JournalEntry } from './journal.js';
import type { ConfirmFn, GroupKind, InstanceStep, RolloutEventBody, RolloutTimings } from './types.js';

export interface RunContext {
  deps: RolloutDeps;
  cluster: string;
  timings: RolloutTimings;
  journal: RolloutJournal;
  intents: Intents;
  /** Fires on abort, on the caller's signal, or when the lock is lost. */
  signal: AbortSignal;
  emit(event: RolloutEventBody): void;
  confirm?: ConfirmFn;
  cloudOnly: boolean;
  /** Confirm positions across the whole rollout. */
  counter: { position: number; total: number };
  /** Instances replaced and skipped so far. */
  replaced: string[];
  skipped: string[];
  /** Clock ms of finished waves by group kind, for the ETA. */
  waveDurations: Map<GroupKind, number[]>;
  /** Instances this run detached or terminated: their nodes never count as joined again. */
  retired: Set<string>;
  /** kops' --fail-on-validate-error / --fail-on-drain-error: false goes on past the failure, with a warning. */
  failOnValidateError: boolean;
  failOnDrainError: boolean;
  /** The control plane's groups: their validation failures matter to every group's rollout. */
  controlPlaneGroups: ReadonlySet<string>;
}

/** One instance as a wave handles it. */
export interface WaveMember {
  id: string;
  group: string;
  groupName: string;
  kind: GroupKind;
  node?: string;
  reason: string;
  surge: boolean;
  wave: number;
  steps: InstanceStep[];
  progress: InstanceProgress;
  /**
   * Confirmed by an earlier run that stopped before this instance was
   * terminated (its node may be cordoned, half drained): a person supervising
   * this run is asked again before anything more happens to it. An answer
   * holds for the run that asked, never for the next one.
   */
  askAgain?: boolean;
}

export function isDone(member: WaveMember, step: InstanceStep): boolean {
  return member.progress.done.includes(step);
}

/** The step is still to do (a skipped instance has nothing left to do). */
export function needs(member: WaveMember, step: InstanceStep): boolean {
  return !member.progress.skipped && member.steps.includes(step) && !isDone(member, step);
}

export interface PhaseOptions<T> {
  /**
   * Work that may start as soon as the step's own work is done, while its
   * journal write is in flight: only waits that change nothing (a step that
   * does something irreversible must start after the write). Its result is
   * returned; it is cancelled if the write fails.
   */
  alongside?: (ctx: RunContext) => Promise<T>;
  /** A step with nothing to do at this moment (the post-drain delay at 0), recorded as done in the same write. */
  alsoDone?: InstanceStep;
}

/** What a step's work may hand back: a note for the journal, and data recorded with the step. */
export type StepOutcome = string | void | { note?: string; record?: Pick<JournalEntry, 'loadBalancers' | 'cordonedBefore'> };

/**
 * Runs one step for several instances at once and records them in one journal
 * write: the work of each runs in parallel; those that succeeded are recorded
 * (in member order) even when another failed, then the first failure is
 * thrown. A wave ends when its slowest instance is done, so doing its
 * instances in step with one another costs no time and saves journal writes.
 * A step is reported finished only once the journal has it.
 */
export async function runPhase<T = void>(
  ctx: RunContext,
  members: WaveMember[],
  step: InstanceStep,
  work: (member: WaveMember) => Promise<StepOutcome>,
  options: PhaseOptions<T> = {},
): Promise<T | undefined> {
  const pending = members.filter((m) => needs(m, step));
  if (pending.length === 0) return options.alongside ? options.alongside(ctx) : undefined;
  ctx.signal.throwIfAborted();
  const started = ctx.deps.clock.now();
  for (const m of pending) ctx.emit({ type: 'step-started', instanceId: m.id, group: m.group, nodeName: m.node, step });
  const outcomes = await Promise.allSettled(
    pending.map(async (m) => {
      const outcome = await work(m);
      const { note, record } = typeof outcome === 'object' ? outcome : { note: outcome || undefined, record: undefined };
      return { m, note, record, at: ctx.deps.clock.now() };
    }),
  );
  // A hard stop (the caller's signal) acts as a crash: nothing more is recorded.
  if (ctx.signal.aborted && !ctx.intents.abortRequested) ctx.signal.throwIfAborted();
  // An instance skipped during its step (a drain the user skipped) did not do it.
  const done = outcomes.flatMap((o) => (o.status === 'fulfilled' && !o.value.m.progress.skipped ? [o.value] : []));
  const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  const also = options.alsoDone;
  const alsoFor = (m: WaveMember) => also !== undefined && m.steps.includes(also) && !isDone(m, also);
  let recording: Promise<void> = Promise.resolve();
  if (done.length > 0) {
    recording = ctx.journal.record(
      ...done.flatMap(({ m, note, record, at }) => [
        { instance: m.id, group: m.group, step, at, node: m.node, note, ...record },
        ...(alsoFor(m) ? [{ instance: m.id, group: m.group, step: also!, at, node: m.node }] : []),
      ]),
    );
  }
  const alongside = !failed && options.alongside ? startAlongside(ctx, options.alongside) : undefined;
  try {
    await recording;
  } catch (error) {
    alongside?.cancel(error);
    await alongside?.result.catch(() => undefined);
    throw error;
  }
  for (const { m, at } of done) {
    m.progress.done.push(step);
    ctx.emit({ type: 'step-finished', instanceId: m.id, group: m.group, nodeName: m.node, step, durationMs: at - started });
    if (alsoFor(m)) {
      m.progress.done.push(also!);
      ctx.emit({ type: 'step-started', instanceId: m.id, group: m.group, nodeName: m.node, step: also! });
      ctx.emit({ type: 'step-finished', instanceId: m.id, group: m.group, nodeName: m.node, step: also!, durationMs: 0 });
    }
  }
  if (failed) throw failed.reason;
  return alongside?.result;
}

/** Starts `work` under its own signal (the run's, or a cancel of ours). */
function startAlongside<T>(ctx: RunContext, work: (ctx: RunContext) => Promise<T>): { result: Promise<T>; cancel(reason: unknown): void } {
  const linked = linkedSignal(ctx.signal);
  const result = work({ ...ctx, signal: linked.signal });
  // Awaited by the caller unless the write failed; never left unhandled.
  result.catch(() => undefined).finally(linked.dispose);
  return { result, cancel: (reason) => linked.abort(reason) };
}

/**
 * runPhase for a step the cloud can do for many instances in one call: `plan`
 * says which instances need nothing (a note) and `act` does the rest at once.
 * Should the one call fail, each instance is tried on its own, so those that
 * can be done are done and recorded, and the failure is about one instance.
 */
export async function runBatchedPhase<T = void>(
  ctx: RunContext,
  members: WaveMember[],
  step: InstanceStep,
  plan: (member: WaveMember) => string | undefined,
  act: (members: WaveMember[]) => Promise<void>,
  options: PhaseOptions<T> = {},
): Promise<T | undefined> {
  const pending = members.filter((m) => needs(m, step));
  const notes = new Map(pending.map((m) => [m.id, plan(m)]));
  const acting = pending.filter((m) => notes.get(m.id) === undefined);
  let together: Promise<boolean> | undefined;
  return runPhase(
    ctx,
    members,
    step,
    async (m) => {
      const note = notes.get(m.id);
      if (note !== undefined) return note;
      together ??= act(acting).then(
        () => true,
        () => false,
      );
      if (await together) return;
      await act([m]);
    },
    options,
  );
}
