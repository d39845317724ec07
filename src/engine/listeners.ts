// The one listener set behind every `subscribe` of the engine and the
// sessions (a rollout's events, a session's state for React's
// useSyncExternalStore): add returns the unsubscribe function, notify calls
// every listener in the order they were added.
//
// Re-entrancy: notify calls the listeners that were there when it began. One
// added during a notify is first called by the next notify; one removed during
// a notify (by itself or by an earlier listener) is not called any more, not
// even by the notify under way. Adding the same function twice keeps it once.
//
// Errors: by default a listener's throw goes out of notify, as a direct call
// would (later listeners are not called). With `onError`, a throwing listener
// is isolated: its error goes to onError and the others are still called (a
// broken screen must not break a rollout).

export type Listener<T> = (value: T) => void;

export interface ListenersOptions {
  /** Isolates throwing listeners: each error is passed here and notify goes on with the next listener. */
  onError?: (error: unknown) => void;
}

export class Listeners<T = void> {
  private readonly current = new Set<Listener<T>>();
  /** The listeners as an array, made again only after a change (notify allocates nothing on its own). */
  private snapshot: readonly Listener<T>[] | undefined;

  constructor(private readonly options: ListenersOptions = {}) {}

  /** How many listeners there are. */
  get size(): number {
    return this.current.size;
  }

  /** Adds a listener; the function returned removes it (calling it again does nothing). */
  add(listener: Listener<T>): () => void {
    this.current.add(listener);
    this.snapshot = undefined;
    let removed = false;
    return () => {
      if (removed) return;
      removed = true;
      if (this.current.delete(listener)) this.snapshot = undefined;
    };
  }

  /** Calls every listener with `value`, in the order they were added. */
  notify(value: T): void {
    const listeners = (this.snapshot ??= [...this.current]);
    const onError = this.options.onError;
    for (const listener of listeners) {
      // Removed by an earlier listener of this same notify.
      if (listeners !== this.snapshot && !this.current.has(listener)) continue;
      if (!onError) {
        listener(value);
        continue;
      }
      try {
        listener(value);
      } catch (error) {
        onError(error);
      }
    }
  }
}
