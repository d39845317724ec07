// Everything in the engine that waits takes a Clock, so the simulator and the
// tests can run time faster than the wall clock without changing behaviour.

export interface Clock {
  /** Milliseconds since the epoch, on this clock's time line. */
  now(): number;
  /** Resolves after `ms` of this clock's time; rejects with an AbortError when `signal` fires. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** How many clock milliseconds pass per wall-clock millisecond (1 for the system clock). */
  readonly speed: number;
}

/**
 * A clock that runs `speed` times faster than the wall clock and read `origin`
 * at the wall-clock instant `wallStart` (by default: now). A simulator's clock
 * is followed this way from one reading of its time (cloud-session.ts).
 */
export function scaledClock(speed = 1, origin = Date.now(), wallStart = Date.now()): Clock {
  if (!(speed > 0)) throw new Error(`clock speed must be a positive number, got ${speed}`);
  return {
    speed,
    now: () => origin + (Date.now() - wallStart) * speed,
    sleep: (ms, signal) => sleepWall(Math.max(0, ms) / speed, signal),
  };
}

export const systemClock: Clock = scaledClock(1);

function sleepWall(wallMs: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, wallMs);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal!));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function abortError(signal: AbortSignal): Error {
  const reason = signal.reason;
  if (reason instanceof Error) return reason;
  const error = new Error(typeof reason === 'string' ? reason : 'aborted');
  error.name = 'AbortError';
  return error;
}
