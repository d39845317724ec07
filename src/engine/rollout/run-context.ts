// What every part of a running rollout shares: the seams, the journal, the
// intents, the event sink, and the small helpers that run one journaled step.
import type { RolloutDeps } from './deps.js';
import type { Intents } from './intents.js';
import type { RolloutJournal, InstanceProgress } from './journal.js';
import type { ConfirmFn, GroupKind, InstanceStep, RolloutEvent, RolloutTimings } from './types.js';

export interface RunContext {
  deps: RolloutDeps;
  cluster: string;
  timings: RolloutTimings;
  journal: RolloutJournal;
  intents: Intents;
  /** Fires on abort, on the caller's signal, or when the lock is lost. */
  signal: AbortSignal;
  emit(event: RolloutEvent): void;
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
}

export function isDone(member: WaveMember, step: InstanceStep): boolean {
  return member.progress.done.includes(step);
}

/** The step is still to do (a skipped instance has nothing left to do). */
export function needs(member: WaveMember, step: InstanceStep): boolean {
  return !member.progress.skipped && member.steps.includes(step) && !isDone(member, step);
}

/**
 * Runs one step for several instances at once and records them in one journal
 * write: the work of each runs in parallel; those that succeeded are recorded
 * (in member order) even when another failed, then the first failure is
 * thrown. A wave ends when its slowest instance is done, so doing its
 * instances in step with one another costs no time and saves journal writes.
 */
export async function runPhase(ctx: RunContext, members: WaveMember[], step: InstanceStep, work: (member: WaveMember) => Promise<string | void>): Promise<void> {
  const pending = members.filter((m) => needs(m, step));
  if (pending.length === 0) return;
  ctx.signal.throwIfAborted();
  const started = ctx.deps.clock.now();
  for (const m of pending) ctx.emit({ type: 'step-started', instanceId: m.id, group: m.group, nodeName: m.node, step });
  const outcomes = await Promise.allSettled(
    pending.map(async (m) => {
      const note = (await work(m)) || undefined;
      return { m, note, at: ctx.deps.clock.now() };
    }),
  );
  // A hard stop (the caller's signal) acts as a crash: nothing more is recorded.
  if (ctx.signal.aborted && !ctx.intents.abortRequested) ctx.signal.throwIfAborted();
  // An instance skipped during its step (a drain the user skipped) did not do it.
  const done = outcomes.flatMap((o) => (o.status === 'fulfilled' && !o.value.m.progress.skipped ? [o.value] : []));
  if (done.length > 0) {
    await ctx.journal.record(...done.map(({ m, note, at }) => ({ instance: m.id, group: m.group, step, at, node: m.node, note })));
    for (const { m, at } of done) {
      m.progress.done.push(step);
      ctx.emit({ type: 'step-finished', instanceId: m.id, group: m.group, nodeName: m.node, step, durationMs: at - started });
    }
  }
  const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failed) throw failed.reason;
}
