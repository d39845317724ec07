// Future world changes (a node registers, a pod starts, a terminating pod goes)
// kept as data with their simulated due time, so a snapshot can carry them
// and a restore can arm them again.
import type { SimClock } from '../contracts.js';

export type TimedAction =
  | { kind: 'registerNode'; instanceId: string }
  | { kind: 'nodeReady'; node: string }
  | { kind: 'removeNode'; node: string }
  | { kind: 'startPod'; key: string; uid: string }
  | { kind: 'removePod'; key: string; uid: string };

export interface DueAction {
  at: number;
  action: TimedAction;
}

export class Timeline {
  private nextId = 1;
  private readonly pending = new Map<number, DueAction & { cancel: () => void }>();

  constructor(
    private readonly clock: SimClock,
    private readonly run: (action: TimedAction) => void,
  ) {}

  /** Runs `action` once the simulated clock reaches `at`. */
  at(at: number, action: TimedAction): void {
    const id = this.nextId++;
    const cancel = this.clock.after(Math.max(0, at - this.clock.now()), () => {
      this.pending.delete(id);
      this.run(action);
    });
    this.pending.set(id, { at, action, cancel });
  }

  in(delayMs: number, action: TimedAction): void {
    this.at(this.clock.now() + delayMs, action);
  }

  snapshot(): DueAction[] {
    return [...this.pending.values()].map(({ at, action }) => ({ at, action }));
  }

  restore(due: DueAction[]): void {
    for (const { at, action } of due) this.at(at, action);
  }

  /**
   * Stops every timer but keeps what was due, so a snapshot taken after the
   * simulator stops still carries it and the next start arms it again.
   */
  stopTimers(): void {
    for (const entry of this.pending.values()) entry.cancel();
  }
}
