/**
 * The one polling helper of the test suite: wait (wall-clock bounded) until a
 * condition holds, instead of sleeping a fixed time.
 */

/** A value that means "not yet": undefined, null, false, 0 or ''. */
export type NotYet = undefined | null | false | 0 | '';

export interface WaitOptions {
  /** Wall-clock bound in ms (default 10 s). */
  timeoutMs?: number;
  /** Pause between two checks in ms (default 20). */
  intervalMs?: number;
  /** What is being waited for, named in the timeout error. */
  describe?: string;
  /** Treat a throwing check as "not yet" (its last error is reported on timeout); by default the error propagates at once. */
  retryErrors?: boolean;
}

function show(value: unknown): string {
  if (typeof value === 'string') return value.length > 2000 ? `${JSON.stringify(value.slice(0, 2000))}…` : JSON.stringify(value);
  try {
    const text = JSON.stringify(value);
    if (text === undefined) return String(value);
    return text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
  } catch {
    return String(value);
  }
}

/**
 * Polls `condition` until it returns a truthy value and returns that value.
 * On timeout, throws an error naming what it waited for and the last value
 * (or error) it saw.
 */
export async function waitFor<T>(condition: () => T | NotYet | Promise<T | NotYet>, options: WaitOptions = {}): Promise<T> {
  const { timeoutMs = 10_000, intervalMs = 20, describe = 'a condition', retryErrors = false } = options;
  const started = Date.now();
  const deadline = started + timeoutMs;
  let last: { value: unknown } | { error: unknown } | undefined;
  for (;;) {
    try {
      const value = await condition();
      if (value) return value as T;
      last = { value };
    } catch (error) {
      if (!retryErrors) throw error;
      last = { error };
    }
    if (Date.now() >= deadline) {
      const seen = last === undefined ? 'nothing'
        : 'error' in last ? `error: ${last.error instanceof Error ? last.error.message : String(last.error)}`
        : show(last.value);
      throw new Error(`timed out after ${Date.now() - started} ms waiting for ${describe}; last seen: ${seen}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** `waitFor` with the positional arguments the older helpers took: what, check, timeout. */
export function until<T>(what: string, check: () => T | NotYet | Promise<T | NotYet>, timeoutMs = 10_000, intervalMs = 20): Promise<T> {
  return waitFor(check, { describe: what, timeoutMs, intervalMs });
}

/** Like `until`, but a check that throws counts as "not yet" (for servers still starting). */
export function untilNoError<T>(what: string, check: () => T | NotYet | Promise<T | NotYet>, timeoutMs = 10_000, intervalMs = 50): Promise<T> {
  return waitFor(check, { describe: what, timeoutMs, intervalMs, retryErrors: true });
}
