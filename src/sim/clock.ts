// Simulated time for the whole world: it runs `speed` times faster than the
// wall clock, and every timer is set in simulated milliseconds so boot delays,
// grace periods and retries all scale together.
import type { SimClock } from './contracts.js';

export interface ManagedSimClock extends SimClock {
  /** Cancels every pending timer (the simulator is stopping). */
  stopTimers(): void;
}

/** `origin` is the simulated epoch ms at start: a restored world resumes from its saved time. */
export function createSimClock(speed = 1, origin = Date.now()): ManagedSimClock {
  if (!(speed > 0)) throw new Error(`simulator speed must be a positive number, got ${speed}`);
  const wallStart = Date.now();
  const timers = new Set<NodeJS.Timeout>();
  return {
    speed,
    now: () => Math.floor(origin + (Date.now() - wallStart) * speed),
    after(delayMs, fn) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        fn();
      }, Math.max(0, delayMs) / speed);
      timers.add(timer);
      return () => {
        clearTimeout(timer);
        timers.delete(timer);
      };
    },
    stopTimers() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
