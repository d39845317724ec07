// Polls the cloud's view of a cluster at a modest interval; on errors it backs
// off (doubling up to maxIntervalMs) and reports the error on the model, so the
// views can say "cloud state 40 s old: throttled" instead of going blank.
import type { Clock } from '../clock.js';
import type { ClusterModel } from './cluster-model.js';
import type { CloudInventory } from './types.js';

export interface CloudPollerOptions {
  inventory: CloudInventory;
  model: ClusterModel;
  clock: Clock;
  /** Clock ms between polls; default 10 s. */
  intervalMs?: number;
  /** Clock ms cap for the backoff after errors; default 2 minutes. */
  maxIntervalMs?: number;
}

export class CloudPoller {
  /** Resolves after the first successful poll. */
  readonly firstPoll: Promise<void>;
  private resolveFirst!: () => void;
  private readonly controller = new AbortController();
  private running: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private failures = 0;
  /** Instances in the last successful poll. */
  private instances = 0;

  constructor(private readonly opts: CloudPollerOptions) {
    this.firstPoll = new Promise((resolve) => (this.resolveFirst = resolve));
  }

  start(): this {
    this.running ??= this.loop();
    return this;
  }

  /** Polls now (e.g. right after a terminate) and resolves when that poll is done. */
  async refresh(): Promise<void> {
    await this.pollOnce();
  }

  async stop(): Promise<void> {
    this.controller.abort();
    this.wake?.();
    await this.running;
  }

  private async loop(): Promise<void> {
    const signal = this.controller.signal;
    while (!signal.aborted) {
      await this.pollOnce();
      if (signal.aborted) return;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        this.opts.clock.sleep(this.nextDelayMs(), signal).then(resolve, resolve);
      });
    }
  }

  private async pollOnce(): Promise<void> {
    const { inventory, model, clock } = this.opts;
    try {
      const groups = await inventory.listInstanceGroups(model.cluster, this.controller.signal);
      model.setCloud(groups, clock.now());
      this.instances = groups.reduce((sum, g) => sum + g.instances.length, 0);
      this.failures = 0;
      this.resolveFirst();
    } catch (error) {
      if (this.controller.signal.aborted) return;
      this.failures += 1;
      model.setCloudError(`cloud poll failed: ${(error as Error).message ?? error}`);
    }
  }

  private nextDelayMs(): number {
    const interval = Math.max(this.opts.intervalMs ?? 10_000, this.scaleFloorMs());
    if (this.failures === 0) return interval;
    return Math.min(this.opts.maxIntervalMs ?? 120_000, interval * 2 ** Math.min(this.failures - 1, 10));
  }

  /**
   * Past LARGE_CLUSTER instances, a poll's response is megabytes of XML to
   * decode (about half a second of CPU at 5,000 instances): poll no more often
   * than every INSTANCE_WALL_MS per instance of wall time (25 s at 5,000), so
   * the console's share of a core stays small. Node changes still arrive live
   * through the watch; refresh() polls at once.
   */
  private scaleFloorMs(): number {
    if (this.instances <= LARGE_CLUSTER) return 0;
    const speed = this.opts.clock.speed;
    return this.instances * INSTANCE_WALL_MS * (Number.isFinite(speed) && speed > 0 ? speed : 1);
  }
}

const LARGE_CLUSTER = 1000;
const INSTANCE_WALL_MS = 5;
