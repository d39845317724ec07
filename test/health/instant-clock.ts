// A Clock whose sleeps complete at once and move its time forward: waits in
// tests are deterministic and take no wall time.
import type { Clock } from '../../src/engine/clock.js';

export function instantClock(start = 0): Clock & { slept: number[] } {
  let now = start;
  const slept: number[] = [];
  return {
    speed: Infinity,
    slept,
    now: () => now,
    sleep: async (ms, signal) => {
      signal?.throwIfAborted();
      slept.push(ms);
      now += Math.max(0, ms);
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}
