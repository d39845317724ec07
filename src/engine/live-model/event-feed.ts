// A cluster's Events, live: one informer on core/v1 Events (list in pages,
// then watch), kept as rows newest first and handed to subscribers at most
// once per notification interval. The cache holds what the API server
// holds: Events expire there an hour after their last write (--event-ttl),
// and each is kept lean here (kube/events.ts).
import type { Clock } from '../clock.js';
import type { KubeClient } from '../kube/client.js';
import { leanEvent, type KubeEvent } from '../kube/events.js';
import { Informer } from '../kube/informer.js';
import { ChangeNotifier } from './change-notifier.js';
import { compareNewestFirst, eventRowOf, type EventRow } from './event-rows.js';

export interface EventFeedOptions {
  kube: KubeClient;
  clock: Clock;
  /** Wall ms to gather changes before notifying subscribers; 0 = next tick. */
  notifyIntervalMs?: number;
}

export class EventFeed {
  private readonly informer: Informer<KubeEvent>;
  private readonly byKey = new Map<string, EventRow>();
  private newest: readonly EventRow[] | undefined;
  private readonly notifier: ChangeNotifier<number>;
  /** Bumped on every change; equal versions mean equal rows. */
  version = 0;
  /** The last error reading Events, cleared once they are read again. */
  error: string | undefined;

  constructor(opts: EventFeedOptions) {
    this.notifier = new ChangeNotifier(() => this.version, { intervalMs: opts.notifyIntervalMs });
    this.informer = new Informer<KubeEvent>({
      client: opts.kube,
      path: '/api/v1/events',
      clock: opts.clock,
      pageSize: 500,
      transform: leanEvent,
      onError: (error) => this.setError(`Events: ${(error as Error)?.message ?? error}`),
      onHealthy: () => this.setError(undefined),
    });
    this.informer.subscribe((event) => {
      const key = event.key ?? `${event.object.metadata.namespace ?? ''}/${event.object.metadata.name}`;
      if (event.type === 'delete') this.byKey.delete(key);
      else this.byKey.set(key, eventRowOf(event.object));
      this.changed();
    });
  }

  /** Resolves once the first list is in. */
  get synced(): Promise<void> {
    return this.informer.synced;
  }

  start(): this {
    this.informer.start();
    return this;
  }

  stop(): Promise<void> {
    return this.informer.stop();
  }

  /** Notified (with the version) at most once per interval after changes. */
  subscribe(listener: (version: number) => void): () => void {
    return this.notifier.subscribe(listener);
  }

  /** Every Event, newest first (the same array until something changes). */
  rows(): readonly EventRow[] {
    this.newest ??= [...this.byKey.values()].sort(compareNewestFirst);
    return this.newest;
  }

  private changed(): void {
    this.newest = undefined;
    this.version += 1;
    this.notifier.changed();
  }

  private setError(error: string | undefined): void {
    if (error === this.error) return;
    this.error = error;
    this.changed();
  }
}
