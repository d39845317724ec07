// One live Event feed per opened cluster, shared by every screen that shows
// Events (overview, node detail, rolling update, :events) and stopped shortly
// after the last of them lets go. Apart from the cluster's live session on
// purpose: the rolling-update screen needs Events without the 150,000-pod
// caches, and a feed costs one watch.
import type { Clock } from '../engine/clock.js';
import { createKubeClient, type KubeClient } from '../engine/kube/client.js';
import { EventFeed } from '../engine/live-model/event-feed.js';
import { Listeners } from '../engine/listeners.js';
import { GracefulSessions } from './session-registry.js';
import { perServices } from './per-services.js';
import type { Services } from './services.js';

export type EventSessionState =
  | { status: 'connecting' }
  | { status: 'live'; feed: EventFeed; synced: boolean }
  | { status: 'error'; message: string };

export interface EventSessionOptions {
  /** Wall ms to gather Event changes into one notification; default 250 (as the live model). */
  notifyIntervalMs?: number;
  /** Wall ms between retries after a connection error; default 5 s. */
  retryMs?: number;
  /** Wall ms a feed outlives its last screen; default 1.5 s. */
  graceMs?: number;
}

export class EventSession {
  private current: EventSessionState = { status: 'connecting' };
  private readonly listeners = new Listeners();
  private kube: KubeClient | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    readonly cluster: string,
    private readonly services: Services,
    private readonly options: EventSessionOptions = {},
  ) {}

  subscribe = (listener: () => void): (() => void) => this.listeners.add(listener);

  getState = (): EventSessionState => this.current;

  /** The clock Events are dated on (the simulator's, when simulated). */
  get clock(): Clock | undefined {
    return this.services.access?.clock;
  }

  start(): void {
    if (this.stopped || this.current.status === 'live') return;
    clearTimeout(this.retryTimer);
    this.connect().catch((error: unknown) => {
      if (this.stopped) return;
      this.set({ status: 'error', message: `Events unavailable: ${(error as Error)?.message ?? error}` });
      this.retryTimer = setTimeout(() => this.start(), this.options.retryMs ?? 5000);
      this.retryTimer.unref?.();
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    if (this.current.status === 'live') await this.current.feed.stop().catch(() => undefined);
    this.kube?.close();
    this.kube = undefined;
  }

  private async connect(): Promise<void> {
    const access = this.services.access;
    if (!access) throw new Error('no cloud access (start kopsdeck with --cloud sim or --cloud aws)');
    const kube = await createKubeClient({ cluster: this.cluster, kubeconfigPath: access.kubeconfigPath });
    if (this.stopped) return kube.close();
    this.kube = kube;
    const feed = new EventFeed({ kube, clock: access.clock, notifyIntervalMs: this.options.notifyIntervalMs ?? 250 }).start();
    this.set({ status: 'live', feed, synced: false });
    feed.synced.then(() => {
      if (!this.stopped && this.current.status === 'live' && this.current.feed === feed) this.set({ ...this.current, synced: true });
    }, () => undefined);
  }

  private set(state: EventSessionState): void {
    this.current = state;
    this.listeners.notify();
  }
}

/** The Event feeds of one console (one Services value), by cluster name. */
export class EventSessions extends GracefulSessions<EventSession> {
  constructor(services: Services, options: EventSessionOptions = {}) {
    super((cluster) => new EventSession(cluster, services, options), options.graceMs);
  }
}

/** The console's Event feeds: one registry per Services value (options apply when it is made). */
export const eventSessionsFor = perServices((services: Services, options?: EventSessionOptions) => new EventSessions(services, options));
