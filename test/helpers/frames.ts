/** Frame helpers for ink-testing-library renders: wait for a frame, or for a condition, instead of sleeping. */
import { waitFor } from './wait.js';

export interface Frames {
  lastFrame(): string | undefined;
}

/** Polls until the last frame satisfies `check` (a substring or a predicate) and returns that frame; fails with the last frame after `timeoutMs`. */
export async function waitForFrame(frames: Frames, check: string | ((frame: string) => boolean), timeoutMs = 4000): Promise<string> {
  const test = typeof check === 'string' ? (f: string) => f.includes(check) : check;
  const describe = typeof check === 'string' ? `a frame showing ${JSON.stringify(check)}` : 'a frame';
  try {
    return await waitFor(() => {
      const frame = frames.lastFrame() ?? '';
      return test(frame) ? frame : undefined;
    }, { timeoutMs, intervalMs: 10, describe });
  } catch (error) {
    throw new Error(`${(error as Error).message.replace(/; last seen: .*$/s, '')}; last frame:\n${frames.lastFrame() ?? ''}`);
  }
}

/** Waits until `condition()` holds, bounded. */
export async function waitUntil(condition: () => boolean, what: string, timeoutMs = 4000): Promise<void> {
  await waitFor(condition, { timeoutMs, intervalMs: 10, describe: what });
}
