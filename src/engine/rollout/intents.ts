// The user's intents while a rollout runs: pause (between steps, or after the
// current instance), resume, skip a node whose drain is stuck, and abort. The
// state machine calls gate() between steps; a pause holds it there, an abort
// makes it throw and cancels the waits in progress (drains, sleeps) through
// signal. A skip cancels only that instance's drain, through its own signal.
import { linkedSignal } from '../abort/linked-signal.js';
import type { AbortCordoned, RolloutEventBody } from './types.js';

/** Thrown at a gate once abort was asked for. */
export class AbortRequestedError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'AbortRequestedError';
  }
}

/** The reason a skipped instance's drain is cancelled with. */
export class SkipRequestedError extends Error {
  constructor(readonly instanceId: string) {
    super(`the drain of ${instanceId} was skipped by the user`);
    this.name = 'SkipRequestedError';
  }
}

interface Draining {
  nodeName: string;
  controller: AbortController;
  /** Lets go of the run's signal once the drain has ended. */
  dispose(): void;
  /** Its node was cordoned before the rollout: a skip leaves it cordoned. */
  keepsCordon: boolean;
}

export class Intents {
  private paused = false;
  /** Pause at the next gate that comes before another instance (its question, or its wave). */
  private pauseBeforeNextInstance = false;
  private resumeWaiters: (() => void)[] = [];
  private abortReason?: string;
  private readonly controller = new AbortController();
  private readonly draining = new Map<string, Draining>();
  cordoned: AbortCordoned = 'uncordon';
  /** Clock ms the run has spent waiting on a person (a drain question, a pause): not the cluster's time, so not the ETA's. */
  private personWaitMs = 0;

  constructor(
    private readonly emit: (event: RolloutEventBody) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Clock ms spent so far waiting for a person: answers and pauses. */
  get waitedForPersonMs(): number {
    return this.personWaitMs;
  }

  /** Counts time the run waited for a person's answer. */
  waitedForPerson(ms: number): void {
    this.personWaitMs += Math.max(0, ms);
  }

  /** Fires on abort: cancels drains and waits. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /** A pause is scheduled for after the instance(s) in progress. */
  get pauseAfterCurrent(): boolean {
    return this.pauseBeforeNextInstance;
  }

  get abortRequested(): boolean {
    return this.abortReason !== undefined;
  }

  pause(): void {
    if (this.paused || this.abortRequested) return;
    this.paused = true;
    this.emit({ type: 'paused', at: 'step' });
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.emit({ type: 'resumed' });
    for (const wake of this.resumeWaiters.splice(0)) wake();
  }

  /**
   * Lets the instance(s) in progress finish (replaced and validated), then
   * pauses before the next one is asked about or cordoned. `scheduled` false
   * cancels a pause scheduled so but not yet reached.
   */
  schedulePauseAfterCurrent(scheduled = true): void {
    if (this.abortRequested || this.pauseBeforeNextInstance === scheduled) return;
    this.pauseBeforeNextInstance = scheduled;
    this.emit({ type: 'pause-after-current', scheduled });
  }

  abort(reason = 'aborted by the user', cordoned?: AbortCordoned): void {
    if (cordoned) this.cordoned = cordoned;
    if (this.abortRequested) return;
    this.schedulePauseAfterCurrent(false);
    this.abortReason = reason;
    this.emit({ type: 'aborting', reason });
    this.controller.abort(new AbortRequestedError(reason));
    for (const wake of this.resumeWaiters.splice(0)) wake();
  }

  /**
   * Between steps: waits while paused; throws once abort was asked for.
   * `beforeInstance`: the next step starts another instance (its question,
   * a new wave, a new group), where a pause scheduled "after the current
   * instance" takes hold.
   */
  async gate(options: { beforeInstance?: boolean } = {}): Promise<void> {
    if (options.beforeInstance && this.pauseBeforeNextInstance && !this.abortRequested) {
      this.pauseBeforeNextInstance = false;
      this.emit({ type: 'pause-after-current', scheduled: false });
      if (!this.paused) {
        this.paused = true;
        this.emit({ type: 'paused', at: 'instance' });
      }
    }
    const heldSince = this.now();
    while (this.paused && !this.abortRequested) await new Promise<void>((resolve) => this.resumeWaiters.push(resolve));
    this.waitedForPerson(this.now() - heldSince);
    if (this.abortReason !== undefined) throw new AbortRequestedError(this.abortReason);
  }

  /**
   * A drain starts: it can be skipped until it ends. Its signal fires on the
   * run's signal or on a skip; skipped() says whether the user skipped it.
   */
  drainStarted(instanceId: string, nodeName: string, runSignal: AbortSignal, keepsCordon = false): { signal: AbortSignal; skipped(): boolean } {
    const controller = new AbortController();
    const linked = linkedSignal(runSignal);
    // A skip aborts the drain's own signal (not the run's).
    controller.signal.addEventListener('abort', () => linked.abort(controller.signal.reason), { once: true });
    this.draining.set(instanceId, { nodeName, controller, dispose: linked.dispose, keepsCordon });
    return { signal: linked.signal, skipped: () => controller.signal.aborted && !runSignal.aborted };
  }

  drainEnded(instanceId: string): void {
    this.draining.get(instanceId)?.dispose();
    this.draining.delete(instanceId);
  }

  /** Instances whose drain is in progress (they can be skipped). */
  get drainingInstances(): string[] {
    return [...this.draining.keys()];
  }

  /**
   * Skips an instance whose drain is in progress: the drain is cancelled, the
   * node uncordoned (unless it was cordoned before the rollout) and the
   * instance left as it is (not replaced). False when
   * it is not draining now.
   */
  skip(instanceId: string): boolean {
    const drain = this.draining.get(instanceId);
    if (!drain || this.abortRequested || drain.controller.signal.aborted) return false;
    this.emit({ type: 'skip-requested', instanceId, nodeName: drain.nodeName, ...(drain.keepsCordon ? { keepsCordon: true } : {}) });
    drain.controller.abort(new SkipRequestedError(instanceId));
    return true;
  }
}
