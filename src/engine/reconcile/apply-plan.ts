// Applying a plan: changed tasks run as soon as the changed tasks they depend
// on are done, independent ones in parallel (bounded). A failing task is
// retried only for what the SDK does not retry itself (a dependency still in
// use, a resource not visible yet: see task-retry.ts), with jittered
// exponential backoff within a time budget; a task that still fails stops
// only its dependants. Deletions run after, dependants first.
import { errorCode } from '../cloud/aws/errors.js';
import { DEFAULT_RETRY_BASE_MS, DEFAULT_RETRY_BUDGET_MS, isTaskRetryable, jitteredBackoff } from './task-retry.js';
import type { Plan, PlannedTask } from './plan.js';
import type { Clock } from '../clock.js';
import type { DeletionTask, ReconcileContext, TaskKind } from './task.js';

export interface TaskRef {
  key: string;
  /** A task kind (VPC, Subnet, ...) or, when deleting, a kops resource type (vpc, subnet, ...). */
  kind: TaskKind | string;
  name: string;
  action: 'create' | 'modify' | 'delete';
}

export type ApplyEvent =
  | { type: 'task-started'; task: TaskRef; attempt: number }
  | { type: 'task-done'; task: TaskRef; id?: string; durationMs: number }
  | { type: 'task-retrying'; task: TaskRef; attempt: number; error: Error; delayMs: number }
  | { type: 'task-failed'; task: TaskRef; error: Error }
  | { type: 'task-skipped'; task: TaskRef; reason: string };

export interface ApplyOptions {
  onEvent?: (event: ApplyEvent) => void;
  /** Tasks in flight at once. */
  concurrency?: number;
  /**
   * Attempts per task at most, first included (default: no count, only the
   * time budget). Throttling and 5xx are never retried here: the SDK has.
   */
  maxAttempts?: number;
  /** Cap of the first retry's delay (clock ms); the cap doubles each time up to 20 s, the delay is a uniform draw below it. */
  retryBaseMs?: number;
  /** Clock ms from a task's first attempt after which it is not retried again (default 5 minutes). */
  retryBudgetMs?: number;
  /** Uniform random numbers in [0, 1) for the jitter (default Math.random; tests inject one). */
  random?: () => number;
}

export interface ApplyResult {
  ok: boolean;
  /** Keys of tasks that finished, in the order they did. */
  done: string[];
  failed: { key: string; error: Error }[];
  skipped: string[];
  /** Task key -> cloud id after the apply. */
  ids: Map<string, string>;
}

export interface RunEnv {
  clock: Clock;
  signal?: AbortSignal;
}

export interface Job {
  ref: TaskRef;
  dependencies: string[];
  run(): Promise<string | undefined>;
}

export async function applyPlan(plan: Plan, ctx: ReconcileContext, options: ApplyOptions = {}): Promise<ApplyResult> {
  for (const [key, id] of plan.ids) if (!ctx.ids.has(key)) ctx.ids.set(key, id);
  const changed = [...plan.creates, ...plan.modifies];
  const changedKeys = new Set(changed.map((p) => p.task.key));
  const changeJobs = plan.tasks.filter((p) => changedKeys.has(p.task.key)).map((p) => changeJob(p, ctx, changedKeys));
  const result: ApplyResult = { ok: true, done: [], failed: [], skipped: [], ids: ctx.ids };
  await runJobs(changeJobs, ctx, options, result);
  if (result.failed.length === 0 && result.skipped.length === 0) {
    await runJobs(plan.deletes.map((d) => deletionJob(d, ctx)), ctx, options, result);
  } else {
    for (const d of plan.deletes) result.skipped.push(d.key);
  }
  result.ok = result.failed.length === 0 && result.skipped.length === 0;
  return result;
}

function changeJob(p: PlannedTask, ctx: ReconcileContext, changedKeys: Set<string>): Job {
  const { task } = p;
  return {
    ref: { key: task.key, kind: task.kind, name: task.name, action: p.action === 'create' ? 'create' : 'modify' },
    dependencies: task.dependencies.filter((dep) => changedKeys.has(dep)),
    async run() {
      // Desired again: ids of dependencies created moments ago are known now.
      const desired = task.desired(ctx);
      const changes = p.actual === null ? [] : task.diff(desired, p.actual);
      const id = await task.apply(ctx, { action: p.action === 'create' ? 'create' : 'modify', desired, actual: p.actual, changes });
      ctx.ids.set(task.key, id);
      return id;
    },
  };
}

function deletionJob(d: DeletionTask, ctx: ReconcileContext): Job {
  return {
    ref: { key: d.key, kind: d.kind, name: d.name, action: 'delete' },
    dependencies: [...d.dependencies],
    async run() {
      await d.remove(ctx);
      ctx.ids.delete(d.key);
      return d.id;
    },
  };
}

/** Runs jobs whose dependencies are done, at most `concurrency` at once. */
export async function runJobs(jobs: Job[], ctx: RunEnv, options: ApplyOptions, result: ApplyResult): Promise<void> {
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const status = new Map<string, 'waiting' | 'running' | 'done' | 'failed'>(jobs.map((j) => [j.ref.key, 'waiting']));
  const known = new Set(jobs.map((j) => j.ref.key));
  let running = 0;
  await new Promise<void>((resolve) => {
    const pump = () => {
      // Jobs whose dependency failed (or was skipped) can never run.
      let skippedAny = true;
      while (skippedAny) {
        skippedAny = false;
        for (const job of jobs) {
          if (status.get(job.ref.key) !== 'waiting') continue;
          const blocked = job.dependencies.find((dep) => known.has(dep) && status.get(dep) === 'failed');
          if (blocked) {
            status.set(job.ref.key, 'failed');
            result.skipped.push(job.ref.key);
            options.onEvent?.({ type: 'task-skipped', task: job.ref, reason: `${blocked} failed` });
            skippedAny = true;
          }
        }
      }
      for (const job of jobs) {
        if (running >= concurrency) break;
        if (status.get(job.ref.key) !== 'waiting') continue;
        if (!job.dependencies.every((dep) => !known.has(dep) || status.get(dep) === 'done')) continue;
        status.set(job.ref.key, 'running');
        running += 1;
        void runWithRetries(job, ctx, options).then(
          () => {
            status.set(job.ref.key, 'done');
            result.done.push(job.ref.key);
          },
          (error: Error) => {
            status.set(job.ref.key, 'failed');
            result.failed.push({ key: job.ref.key, error });
            options.onEvent?.({ type: 'task-failed', task: job.ref, error });
          },
        ).finally(() => {
          running -= 1;
          pump();
        });
      }
      if (running === 0 && ![...status.values()].some((s) => s === 'waiting' || s === 'running')) resolve();
    };
    pump();
  });
}

async function runWithRetries(job: Job, ctx: RunEnv, options: ApplyOptions): Promise<void> {
  const maxAttempts = options.maxAttempts ?? Infinity;
  const base = options.retryBaseMs ?? DEFAULT_RETRY_BASE_MS;
  const random = options.random ?? Math.random;
  const giveUpAt = ctx.clock.now() + (options.retryBudgetMs ?? DEFAULT_RETRY_BUDGET_MS);
  for (let attempt = 1; ; attempt++) {
    ctx.signal?.throwIfAborted();
    options.onEvent?.({ type: 'task-started', task: job.ref, attempt });
    const started = performance.now();
    try {
      const id = await job.run();
      options.onEvent?.({ type: 'task-done', task: job.ref, id, durationMs: performance.now() - started });
      return;
    } catch (caught) {
      const error = asError(caught);
      if (attempt >= maxAttempts || !isTaskRetryable(caught, job.ref.action) || ctx.signal?.aborted) throw error;
      const delayMs = jitteredBackoff(attempt, base, random);
      // Bounded in total: no retry that would start after the budget.
      if (ctx.clock.now() + delayMs > giveUpAt) throw error;
      options.onEvent?.({ type: 'task-retrying', task: job.ref, attempt, error, delayMs });
      await ctx.clock.sleep(delayMs, ctx.signal);
    }
  }
}

function asError(value: unknown): Error {
  if (value instanceof Error) return value;
  const error = new Error(String(value));
  error.name = errorCode(value);
  return error;
}
