// Coalesces change signals: any number of changed() calls within one tick (or
// one interval) produce a single call per listener, with the latest value.
export interface NotifierOptions {
  /** Wall ms to gather changes before notifying; 0 (default) notifies on the next tick. */
  intervalMs?: number;
}

export class ChangeNotifier<T> {
  private readonly listeners = new Set<(value: T) => void>();
  private pending = false;

  constructor(
    private readonly read: () => T,
    private opts: NotifierOptions = {},
  ) {}

  /** Changes how long changes are gathered from the next notification on. */
  setIntervalMs(intervalMs: number): void {
    this.opts = { ...this.opts, intervalMs };
  }

  subscribe(listener: (value: T) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  changed(): void {
    if (this.pending || this.listeners.size === 0) return;
    this.pending = true;
    const flush = () => {
      this.pending = false;
      if (this.listeners.size === 0) return;
      const value = this.read();
      for (const listener of [...this.listeners]) listener(value);
    };
    const interval = this.opts.intervalMs ?? 0;
    if (interval > 0) setTimeout(flush, interval);
    else setImmediate(flush);
  }
}
