// The console's shared sessions, by cluster: each screen takes a hold while it
// shows a cluster's session, and what happens when the last hold is let go is
// the session kind's own rule (a live feed stops after a grace period, a
// running rollout carries on). Letting go of the same hold twice counts once.

export interface SessionEntry<S> {
  readonly session: S;
  holders: number;
  /** Pending stop after the last hold went (GracefulSessions); a new hold cancels it. */
  graceTimer?: ReturnType<typeof setTimeout>;
}

export interface SessionKind<S> {
  /** Makes the cluster's session on its first hold. */
  make(cluster: string): S;
  /** Runs once the new session is registered (a session that starts a feed starts it here). */
  opened?(session: S): void;
  /** The last hold on `entry` was let go. */
  idle(cluster: string, entry: SessionEntry<S>): void;
}

export function takeHold(entry: { holders: number }, onIdle: () => void): () => void {
  entry.holders += 1;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    entry.holders -= 1;
    if (entry.holders === 0) onIdle();
  };
}

/** Sessions by cluster name, for one console (one Services value). */
export class SessionRegistry<S> {
  private readonly entries = new Map<string, SessionEntry<S>>();

  constructor(private readonly kind: SessionKind<S>) {}

  /** Takes a hold on the cluster's session (making it if needed); call release to let go. */
  acquire(cluster: string): { session: S; release: () => void } {
    let entry = this.entries.get(cluster);
    if (!entry) {
      entry = { session: this.kind.make(cluster), holders: 0 };
      this.entries.set(cluster, entry);
      this.kind.opened?.(entry.session);
    }
    clearTimeout(entry.graceTimer);
    const held = entry;
    return { session: held.session, release: takeHold(held, () => this.kind.idle(cluster, held)) };
  }

  /** The session if one exists (tests, commands, other screens). */
  peek(cluster: string): S | undefined {
    return this.entries.get(cluster)?.session;
  }

  all(): [cluster: string, entry: SessionEntry<S>][] {
    return [...this.entries.entries()];
  }

  /** True while `entry` is still the cluster's session (not dropped and replaced since). */
  isCurrent(cluster: string, entry: SessionEntry<S>): boolean {
    return this.entries.get(cluster) === entry;
  }

  /** Drops `entry` if it is still the cluster's session; false when it was already dropped. */
  drop(cluster: string, entry: SessionEntry<S>): boolean {
    if (!this.isCurrent(cluster, entry)) return false;
    this.entries.delete(cluster);
    return true;
  }
}

/**
 * Sessions that keep a feed open (a live cluster view, an Event stream): the
 * feed starts with the first hold and stops `graceMs` after the last one goes,
 * so moving between two screens of the same cluster does not restart it.
 */
export class GracefulSessions<S extends { start(): void; stop(): Promise<void> }> {
  private readonly registry: SessionRegistry<S>;

  constructor(make: (cluster: string) => S, graceMs = 1500) {
    this.registry = new SessionRegistry<S>({
      make,
      opened: (session) => session.start(),
      idle: (cluster, entry) => {
        entry.graceTimer = setTimeout(() => void this.close(cluster, entry), graceMs);
        entry.graceTimer.unref?.();
      },
    });
  }

  /** Takes a hold on the cluster's session (starting it if needed); call release to let go. */
  acquire(cluster: string): { session: S; release: () => void } {
    return this.registry.acquire(cluster);
  }

  /** The session if one is open (for tests and commands). */
  peek(cluster: string): S | undefined {
    return this.registry.peek(cluster);
  }

  /** Stops every session now (the console is closing). */
  async closeAll(): Promise<void> {
    await Promise.all(this.registry.all().map(([cluster, entry]) => this.close(cluster, entry)));
  }

  private async close(cluster: string, entry: SessionEntry<S>): Promise<void> {
    clearTimeout(entry.graceTimer);
    if (!this.registry.drop(cluster, entry)) return;
    await entry.session.stop();
  }
}
