// kops' `validate cluster --wait D --count N` and the rollout's validation
// gate: validate repeatedly until N consecutive passes, or give up at the
// deadline with the last result (so the caller can say exactly what failed).
import type { Clock } from '../clock.js';
import type { ValidationResult } from './validate-cluster-health.js';

export interface ValidationAttempt {
  attempt: number;
  result: ValidationResult;
  /** Passes in a row so far, this one included. */
  consecutivePasses: number;
  required: number;
}

export interface WaitForValidationOptions {
  validate: (signal?: AbortSignal) => Promise<ValidationResult>;
  clock: Clock;
  /** Clock ms to keep trying; 0 validates once. */
  waitMs: number;
  /** Consecutive passes required; default 1 (kops validate), the rollout uses 2. */
  count?: number;
  /** Clock ms between attempts; default 10 s. */
  intervalMs?: number;
  onAttempt?: (attempt: ValidationAttempt) => void;
  signal?: AbortSignal;
}

export interface WaitForValidationResult {
  ok: boolean;
  result: ValidationResult;
  attempts: number;
  consecutivePasses: number;
  /** Why it failed, in a sentence; undefined when ok. */
  reason?: string;
}

export async function waitForValidation(opts: WaitForValidationOptions): Promise<WaitForValidationResult> {
  const { clock, signal } = opts;
  const required = Math.max(1, opts.count ?? 1);
  const interval = opts.intervalMs ?? 10_000;
  const deadline = clock.now() + opts.waitMs;
  let consecutive = 0;
  for (let attempt = 1; ; attempt++) {
    signal?.throwIfAborted();
    const result = await opts.validate(signal);
    consecutive = result.ok ? consecutive + 1 : 0;
    opts.onAttempt?.({ attempt, result, consecutivePasses: consecutive, required });
    if (consecutive >= required) return { ok: true, result, attempts: attempt, consecutivePasses: consecutive };
    const remaining = deadline - clock.now();
    if (remaining <= 0) {
      return { ok: false, result, attempts: attempt, consecutivePasses: consecutive, reason: failureReason(result, opts.waitMs, required, consecutive) };
    }
    await clock.sleep(Math.min(interval, remaining), signal);
  }
}

function failureReason(result: ValidationResult, waitMs: number, required: number, consecutive: number): string {
  const within = waitMs > 0 ? ` within ${Math.round(waitMs / 1000)}s` : '';
  if (result.ok) return `validation passed ${consecutive} of ${required} consecutive times${within}`;
  const first = result.failures[0];
  const more = result.failures.length > 1 ? ` (and ${result.failures.length - 1} more)` : '';
  return `cluster did not pass validation${within}: ${first.message}${more}`;
}
