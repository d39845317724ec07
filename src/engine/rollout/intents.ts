// The user's intents while a rollout runs: pause, resume, abort. The state
// machine calls gate() between steps; a pause holds it there, an abort makes
// it throw and cancels the waits in progress (drains, sleeps) through signal.
import type { AbortCordoned, RolloutEvent } from './types.js';

/** Thrown at a gate once abort was asked for. */
export class AbortRequestedError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'AbortRequestedError';
  }
}

export class Intents {
  private paused = false;
  private resumeWaiters: (() => void)[] = [];
  private abortReason?: string;
  private readonly controller = new AbortController();
  cordoned: AbortCordoned = 'uncordon';

  constructor(private readonly emit: (event: RolloutEvent) => void) {}

  /** Fires on abort: cancels drains and waits. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  get abortRequested(): boolean {
    return this.abortReason !== undefined;
  }

  pause(): void {
    if (this.paused || this.abortRequested) return;
    this.paused = true;
    this.emit({ type: 'paused' });
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.emit({ type: 'resumed' });
    for (const wake of this.resumeWaiters.splice(0)) wake();
  }

  abort(reason = 'aborted by the user', cordoned?: AbortCordoned): void {
    if (cordoned) this.cordoned = cordoned;
    if (this.abortRequested) return;
    this.abortReason = reason;
    this.emit({ type: 'aborting', reason });
    this.controller.abort(new AbortRequestedError(reason));
    for (const wake of this.resumeWaiters.splice(0)) wake();
  }

  /** Between steps: waits while paused; throws once abort was asked for. */
  async gate(): Promise<void> {
    while (this.paused && !this.abortRequested) await new Promise<void>((resolve) => this.resumeWaiters.push(resolve));
    if (this.abortReason !== undefined) throw new AbortRequestedError(this.abortReason);
  }
}
