// The console's rollout sessions, by cluster, one registry per Services
// value (so per console): a screen holds its cluster's session while it is
// shown; a running rollout is kept when nobody looks, and an ended one keeps
// its result for when its screen is opened again.
import type { Services } from './services.js';
import { perServices } from './per-services.js';
import { onConsoleClose } from './console-close.js';
import { SessionRegistry, type SessionEntry } from './session-registry.js';
import { RolloutSession, type RolloutSessionOptions } from './rollout-session.js';

/** Sessions by cluster, for one console (one Services value). */
export class RolloutSessions {
  private readonly registry: SessionRegistry<RolloutSession>;

  constructor(services: Services, options: RolloutSessionOptions = {}) {
    this.registry = new SessionRegistry<RolloutSession>({
      make: (cluster) => new RolloutSession(cluster, services, options),
      idle: (cluster, entry) => this.closeIfIdle(cluster, entry),
    });
    // However the console ends, a rollout it ran stops as a crash would, but lets go of its lock.
    onConsoleClose(services, (reason) => this.interruptAll(reason));
  }

  /** Holds the cluster's session while a screen shows it. */
  acquire(cluster: string): { session: RolloutSession; release(): void } {
    return this.registry.acquire(cluster);
  }

  /** The session if one exists (tests, commands, other screens). */
  peek(cluster: string): RolloutSession | undefined {
    return this.registry.peek(cluster);
  }

  /** Clusters whose rollout is running now. */
  running(): string[] {
    return this.registry.all().filter(([, e]) => e.session.running).map(([cluster]) => cluster);
  }

  /** Stops every running rollout at once (the console is closing), letting go of their locks. */
  async interruptAll(reason: string): Promise<void> {
    await Promise.all(this.registry.all().map(([, entry]) => entry.session.interrupt(reason)));
  }

  private closeIfIdle(cluster: string, entry: SessionEntry<RolloutSession>): void {
    if (entry.holders > 0) return;
    if (entry.session.running) {
      // Nobody is looking, but the run goes on: close once it ends.
      const stop = entry.session.subscribe(() => {
        if (entry.session.running) return;
        stop();
        this.closeIfIdle(cluster, entry);
      });
      return;
    }
    if (!this.registry.isCurrent(cluster, entry)) return;
    // An ended rollout keeps its result for when its screen is opened again.
    if (entry.session.getState().phase !== 'ended') this.registry.drop(cluster, entry);
    void entry.session.close();
  }
}

/** The console's rollout sessions: one registry per Services value (options apply when it is made). */
export const rolloutSessionsFor = perServices((services: Services, options?: RolloutSessionOptions) => new RolloutSessions(services, options));
