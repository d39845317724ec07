// Writes Events into a cluster's store as the two client-go recorders do
// (./event-objects.ts), aggregating repeats, and lets them go as the API
// server does: an Event expires an hour after its last write (kube-apiserver's
// --event-ttl default). On top of that the simulator keeps at most
// `maxEvents` per cluster (DEFAULT_MAX_EVENTS), oldest write first, so a
// 5,000-node world replacing nodes for an hour does not grow without limit.
import type { SimClock } from '../contracts.js';
import type { ApiStore } from './api-store.js';
import {
  eventNamespace,
  lastSeen,
  legacyEvent,
  repeated,
  seriesEvent,
  type EventContent,
  type LegacySource,
  type Reporter,
} from './event-objects.js';
import { keyOf, objectKey, timestamp, type KubeObject } from './types.js';

/** kube-apiserver's --event-ttl default. */
export const EVENT_TTL_MS = 60 * 60 * 1000;

/**
 * Events kept per cluster at most. A pod that moves costs about six (Killing,
 * Scheduled, Pulled, Created, Started, sometimes Pulling): 2,000 cover the
 * last few hundred pod moves, which is what a person reads, and cost about
 * 2 MB of JSON whatever the cluster's size.
 */
export const DEFAULT_MAX_EVENTS = 2000;

interface Tracked {
  expiresAt: number;
  /** The content key repeats of this Event are counted under. */
  similar?: string;
}

export class EventRecorder {
  /** Stored Events by store key, soonest to expire first (a write moves one to the end: its TTL restarts). */
  private readonly expiry = new Map<string, Tracked>();
  /** The Event a repeat of the same content is counted on, by content key. */
  private readonly similar = new Map<string, string>();
  private timer: { at: number; cancel: () => void } | undefined;
  private lastMs = -1;
  private serial = 0;
  private closed = false;
  /** Inside record(): it trims itself once its write is done. */
  private writing = false;

  constructor(
    private readonly store: ApiStore,
    private readonly clock: SimClock,
    private readonly uid: () => string,
    readonly maxEvents = DEFAULT_MAX_EVENTS,
  ) {
    // Told of every write to Events, the recorder's own and any client's (and bulk loads).
    store.observe('events', (before, after) => this.track(before, after));
  }

  /** An Event from a component using the legacy recorder (kubelet, node controller). */
  record(source: LegacySource, content: EventContent): void {
    const key = contentKey([source.component, source.host ?? ''], content);
    this.write(key, content, (name, now) => legacyEvent(name, content, source, now));
  }

  /** An Event from a component using the events.k8s.io recorder (kube-scheduler). */
  recordSeries(reporter: Reporter, action: string, content: EventContent): void {
    const key = contentKey([reporter.controller, reporter.instance, action], content);
    this.write(key, content, (name, now) => seriesEvent(name, content, reporter, action, now));
  }

  /** After a restore: expiry follows each Event's last sighting (the store was loaded without writes). */
  resync(): void {
    const now = this.clock.now();
    const entries = [...this.store.values('events')].map((event) => [keyOf(event), lastSeen(event) + EVENT_TTL_MS] as const);
    entries.sort((a, b) => a[1] - b[1]);
    this.expiry.clear();
    this.similar.clear();
    for (const [key, expiresAt] of entries) this.expiry.set(key, { expiresAt });
    this.trim(now);
  }

  close(): void {
    this.closed = true;
    this.timer?.cancel();
    this.timer = undefined;
  }

  private write(contentKeyText: string, content: EventContent, make: (name: string, now: number) => KubeObject): void {
    if (this.closed) return;
    const now = this.clock.now();
    this.writing = true;
    try {
      const previousKey = this.similar.get(contentKeyText);
      const previous = previousKey ? this.store.get('events', previousKey) : undefined;
      if (previous) {
        this.store.put('events', repeated(previous, now));
      } else {
        const made = make(this.nameFor(content.ref, now), now);
        const event = { ...made, metadata: { ...made.metadata, uid: this.uid(), creationTimestamp: timestamp(now) } };
        this.store.put('events', event);
        const key = keyOf(event);
        this.similar.set(contentKeyText, key);
        const tracked = this.expiry.get(key);
        if (tracked) tracked.similar = contentKeyText;
      }
    } finally {
      this.writing = false;
    }
    this.trim(now);
  }

  /** `<object>.<hex nanoseconds>`, as both recorders name Events; a serial keeps two in one millisecond apart. */
  private nameFor(ref: EventContent['ref'], now: number): string {
    this.serial = now === this.lastMs ? this.serial + 1 : 0;
    this.lastMs = now;
    for (;;) {
      const name = `${ref.name}.${(BigInt(now) * 1_000_000n + BigInt(this.serial)).toString(16)}`;
      if (!this.store.get('events', objectKey(eventNamespace(ref), name))) return name;
      this.serial += 1;
    }
  }

  private track(before: KubeObject | undefined, after: KubeObject | undefined): void {
    const key = keyOf((after ?? before)!);
    const old = this.expiry.get(key);
    this.expiry.delete(key);
    if (!after) {
      if (old?.similar && this.similar.get(old.similar) === key) this.similar.delete(old.similar);
      return;
    }
    this.expiry.set(key, { expiresAt: this.clock.now() + EVENT_TTL_MS, similar: old?.similar });
    // A client's write (not through record()) is trimmed once the current request is done.
    if (this.writing) return;
    if (this.expiry.size > this.maxEvents) this.trimSoon();
    else if (!this.timer) this.arm();
  }

  /** Drops what expired and, beyond the bound, the oldest writes; then waits for the next expiry. */
  private trim(now: number): void {
    for (const [key, tracked] of this.expiry) {
      if (this.expiry.size <= this.maxEvents && tracked.expiresAt > now) break;
      this.store.remove('events', key);
      // remove() reached track(), which forgot it; a stale key (never stored) is forgotten here.
      this.expiry.delete(key);
    }
    this.arm();
  }

  private trimSoon(): void {
    if (this.closed || this.timer?.at === -1) return;
    this.timer?.cancel();
    this.timer = { at: -1, cancel: this.clock.after(0, () => ((this.timer = undefined), this.trim(this.clock.now()))) };
  }

  private arm(): void {
    if (this.closed) return;
    const first = this.expiry.values().next().value as Tracked | undefined;
    if (!first) {
      this.timer?.cancel();
      this.timer = undefined;
      return;
    }
    if (this.timer && this.timer.at <= first.expiresAt) return;
    this.timer?.cancel();
    const at = first.expiresAt;
    this.timer = { at, cancel: this.clock.after(Math.max(0, at - this.clock.now()), () => ((this.timer = undefined), this.trim(this.clock.now()))) };
  }
}

/** What makes two Events "the same" for counting: who reports, about what, and what they say. */
function contentKey(reporter: string[], c: EventContent): string {
  const ref = c.ref;
  return JSON.stringify([...reporter, ref.kind, ref.namespace ?? '', ref.name, ref.uid ?? '', ref.fieldPath ?? '', c.type, c.reason, c.message]);
}
