// Watching a rolling update that another process runs (the CLI, another
// console): every couple of seconds of wall time, read the cluster's rollout
// lock and journal from the state store, judge whether that run is live
// (engine/rollout/other-run.ts) and fold its journal into the per-instance
// view (engine/rollout/journal-watch.ts). Read-only: nothing here writes to the
// store, so the lock stays that run's. Wall time, not the cluster's clock: the
// simulator's clock may run much faster, and a poll per simulated second would
// hammer the store.
import {
  foldJournal,
  kindOfRole,
  nextOtherRun,
  processJudge,
  readJournal,
  readLock,
  type GroupKind,
  type HolderJudge,
  type JournalDocument,
  type OtherRun,
  type WatchedRollout,
} from '../engine/rollout/index.js';
import type { Services } from './services.js';
import { errorMessage } from '../engine/error-message.js';
import { Listeners } from '../engine/listeners.js';

/** Wall ms between looks. */
export const WATCH_POLL_MS = 2_000;

export interface RolloutWatchState {
  /** The first look is done: until then nobody can tell whether another process runs a rollout. */
  looked: boolean;
  other: OtherRun;
  /** That run's journal, folded (live: the step after each last record is shown under way). */
  watched?: WatchedRollout;
  /** Group kinds from the spec, for the step lists (bastions have no Kubernetes steps). */
  kinds: ReadonlyMap<string, GroupKind>;
  /** Wall ms of the last look that read the store. */
  lookedAt?: number;
  /** Why the last look failed: what is shown is as of lookedAt. */
  error?: string;
}

export interface RolloutWatchOptions {
  pollMs?: number;
  judge?: HolderJudge;
}

export class RolloutWatch {
  private current: RolloutWatchState = { looked: false, other: { kind: 'none' }, kinds: new Map() };
  private readonly listeners = new Listeners();
  private timer: NodeJS.Timeout | undefined;
  private polling = false;
  /** The current polling loop: a loop started before a stop() ends instead of running beside the new one. */
  private loopId = 0;
  private looking: Promise<void> | undefined;
  private lastJournal: JournalDocument | null = null;

  constructor(
    readonly cluster: string,
    private readonly services: Services,
    private readonly options: RolloutWatchOptions = {},
  ) {}

  subscribe = (listener: () => void): (() => void) => this.listeners.add(listener);

  getState = (): RolloutWatchState => this.current;

  /** Looks now, then every pollMs until stop(). */
  start(): void {
    if (this.polling) return;
    this.polling = true;
    void this.loop(++this.loopId);
  }

  stop(): void {
    this.polling = false;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** One look now (a key press); looks never overlap. */
  refresh(): Promise<void> {
    this.looking ??= this.look().finally(() => (this.looking = undefined));
    return this.looking;
  }

  /** The ended or stopped run has been read: forget it (a run started later is still seen). */
  dismiss(): void {
    if (this.current.other.kind === 'live') return;
    this.set({ other: { kind: 'none' }, watched: undefined });
  }

  private async loop(id: number): Promise<void> {
    await this.refresh();
    if (!this.polling || id !== this.loopId) return;
    this.timer = setTimeout(() => void this.loop(id), this.options.pollMs ?? WATCH_POLL_MS);
    // Watching never keeps the process alive on its own.
    this.timer.unref();
  }

  private async look(): Promise<void> {
    const objects = this.services.store.objects;
    try {
      // A damaged journal must not hide a live lock: the lock is judged on its own, the journal's problem said.
      let journalError: string | undefined;
      const [lock, journal] = await Promise.all([
        readLock(objects, this.cluster),
        readJournal(objects, this.cluster).catch((error: unknown) => {
          journalError = errorMessage(error);
          return null;
        }),
      ]);
      // An unreadable journal is not an empty one: judge with the last one read.
      if (!journalError) this.lastJournal = journal;
      const kinds = lock && this.current.kinds.size === 0 ? await this.readKinds() : this.current.kinds;
      // Judged from the state as it is now, after the reads: a dismiss() meanwhile is not undone.
      const other = nextOtherRun(this.current.other, { lock, journal: this.lastJournal, now: Date.now() }, this.options.judge ?? processJudge);
      const bastionGroups = new Set([...kinds].filter(([, kind]) => kind === 'Bastion').map(([name]) => name));
      const watched = other.kind !== 'none' && other.journal ? foldJournal(other.journal, { live: other.kind === 'live', bastionGroups }) : undefined;
      this.set({ looked: true, other, watched, kinds, lookedAt: Date.now(), error: journalError });
    } catch (error) {
      // An unreachable store: say so, keep what was last seen.
      this.set({ looked: true, error: errorMessage(error) });
    }
  }

  private async readKinds(): Promise<ReadonlyMap<string, GroupKind>> {
    const groups = await this.services.store.listInstanceGroups(this.cluster).catch(() => []);
    return new Map(groups.map((g) => [g.value.metadata.name, kindOfRole(g.value.spec.role)]));
  }

  private set(change: Partial<RolloutWatchState>): void {
    this.current = { ...this.current, ...change };
    this.listeners.notify();
  }
}

