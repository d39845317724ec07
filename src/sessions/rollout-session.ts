// One supervised rolling update per cluster, kept above the router: the
// connection (AWS clients, Kubernetes, validator), the plan, the running
// rollout and the screen state folded from its events. Screens come and go;
// a running rollout stays here until it ends, so leaving its screen loses
// nothing (and a pending drain question waits for an answer: nothing drains
// without one).
import { awsClientsFor, type AwsClients } from '../engine/cloud/aws/clients.js';
import { clusterRegion } from '../engine/cloud/access.js';
import {
  connectRollout,
  DEFAULT_TIMINGS,
  initialRolloutView,
  holderIsGone,
  personWaitedMs,
  isStale,
  lockHolderName,
  planRollout,
  readJournal,
  readLock,
  startRollout,
  type AbortCordoned,
  type ConfirmAnswer,
  type ConfirmFn,
  type ConnectedRollout,
  type RolloutEvent,
  type RolloutRequest,
  type RolloutResult,
  type RolloutRun,
  type RolloutTimings,
} from '../engine/rollout/index.js';
import type { Services } from './services.js';
import { lockProblem, NoCloudError, planProblem } from './rollout-problems.js';
import { errorMessage } from '../engine/error-message.js';
import { Listeners } from '../engine/listeners.js';
export type { RolloutProblem } from './rollout-problems.js';
import { addNote, foldRolloutEvent, notesAtEnd, YES_TO_ALL_NOTE, type RolloutSessionState } from './rollout-session-state.js';

export interface RolloutSessionOptions {
  /** Shorter waits (tests); kops' defaults otherwise. */
  timings?: Partial<RolloutTimings>;
  /** Who holds the rollout lock, for others to see. */
  holder?: string;
}

export class RolloutSession {
  private current: RolloutSessionState;
  private readonly listeners = new Listeners();
  private connected: ConnectedRollout | undefined;
  private clients: AwsClients | undefined;
  private run: RolloutRun | undefined;
  private pendingAnswer: ((answer: ConfirmAnswer) => void) | undefined;
  private pendingReject: ((error: Error) => void) | undefined;
  /** Stops the current run at once (interrupt()). */
  private stopper: AbortController | undefined;
  /** The unfinished rollout's request being resumed, when the plan adopted it. */
  private resumeRequest: RolloutRequest | undefined;
  private notifyQueued = false;
  private planGeneration = 0;

  constructor(
    readonly cluster: string,
    private readonly services: Services,
    private readonly options: RolloutSessionOptions = {},
  ) {
    this.current = {
      cluster,
      phase: 'idle',
      force: false,
      view: initialRolloutView,
      yesToAll: false,
      notes: [],
      timings: { ...DEFAULT_TIMINGS, ...options.timings },
    };
  }

  subscribe = (listener: () => void): (() => void) => this.listeners.add(listener);

  getState = (): RolloutSessionState => this.current;

  get running(): boolean {
    return this.current.phase === 'running';
  }

  /** The clock the rollout's waits run on (simulated time on the simulator). */
  now(): number {
    return (this.services.access?.clock ?? { now: Date.now }).now();
  }

  /** Plans unless a plan, a run or a result is already there. */
  ensurePlanned(): void {
    if (this.current.phase === 'idle') void this.plan();
  }

  /**
   * Plans (again): the table, the order, the estimate. Not while a rollout
   * runs. With no force given and a rollout left unfinished, that rollout's
   * own request (force, groups, roles) is planned, so that starting resumes
   * exactly it; an explicit force (the f key) plans that instead.
   */
  async plan(force?: boolean): Promise<void> {
    if (this.running) return;
    const generation = ++this.planGeneration;
    const stale = () => generation !== this.planGeneration || this.running;
    this.set({ phase: 'planning', force: force ?? this.current.force, step: `Reading the spec of ${this.cluster}`, problem: undefined });
    try {
      const deps = await this.connect((step) => !stale() && this.set({ step }));
      if (stale()) return;
      this.set({ step: 'Comparing instances with their launch templates' });
      const journal = await readJournal(this.services.store.objects, this.cluster).catch(() => null);
      const unfinishedJournal = journal && journal.status !== 'finished' ? journal : undefined;
      this.resumeRequest = force === undefined ? unfinishedJournal?.request : undefined;
      const request = this.resumeRequest;
      const planned = request ? unfinishedJournal?.planned : undefined;
      const chosenForce = request ? request.force : (force ?? this.current.force);
      const plan = await planRollout(deps, {
        cluster: this.cluster,
        force: chosenForce,
        instanceGroups: request?.instanceGroups,
        roles: request?.roles,
        cloudOnly: request?.cloudOnly,
        forceOnly: planned ? new Set(planned) : undefined,
        timings: this.options.timings,
      });
      if (stale()) return;
      const unfinished = unfinishedJournal
        ? { status: unfinishedJournal.status, reason: unfinishedJournal.reason, entries: unfinishedJournal.entries, planned: unfinishedJournal.planned, resumesAsStarted: Boolean(request) }
        : undefined;
      this.set({ phase: 'plan', plan, unfinished, force: chosenForce, step: undefined });
    } catch (error) {
      if (stale()) return;
      this.set({ phase: 'error', step: undefined, problem: planProblem(this.cluster, error) });
    }
  }

  /** Starts (or resumes) the rollout of the current plan; every drain is asked about first. */
  async start(options: { breakStaleLock?: boolean } = {}): Promise<void> {
    const deps = this.connected?.deps;
    const breakingLock = this.current.phase === 'error' && Boolean(this.current.problem?.staleLock);
    if (!deps || (this.current.phase !== 'plan' && !breakingLock)) return;
    const lock = await readLock(this.services.store.objects, this.cluster).catch(() => null);
    // A holder that is gone (its process in this process table no longer exists) is taken over by the engine, which says so.
    if (lock && !options.breakStaleLock && !holderIsGone(lock)) {
      const stale = isStale(lock, Date.now());
      this.set({ phase: 'error', problem: lockProblem(this.cluster, lock, stale) });
      return;
    }
    this.pendingAnswer = undefined;
    this.set({
      phase: 'running',
      view: initialRolloutView,
      result: undefined,
      problem: undefined,
      yesToAll: false,
      notes: [],
    });
    this.stopper = new AbortController();
    const run = startRollout(deps, {
      cluster: this.cluster,
      force: this.current.force,
      // Resuming: the unfinished rollout's own request, so the engine continues exactly it.
      instanceGroups: this.resumeRequest?.instanceGroups,
      roles: this.resumeRequest?.roles,
      cloudOnly: this.resumeRequest?.cloudOnly,
      signal: this.stopper.signal,
      confirm: this.confirm,
      timings: this.options.timings,
      holder: this.options.holder ?? lockHolderName('console'),
      breakStaleLock: options.breakStaleLock,
    });
    this.run = run;
    run.subscribe((event) => this.onEvent(event));
    void run.done.then(
      (result) => this.finished(run, result),
      (error: unknown) => this.finished(run, { status: 'failed', reason: errorMessage(error), replaced: [], skipped: [], durationMs: 0 }),
    );
  }

  /** The answer to the pending drain question. */
  answer(answer: ConfirmAnswer): void {
    const resolve = this.pendingAnswer;
    if (!resolve) return;
    this.pendingAnswer = undefined;
    resolve(answer);
  }

  /** Yes to the pending question and to every later one of this run. */
  yesToAll(): void {
    this.set({ yesToAll: true });
    this.note(YES_TO_ALL_NOTE);
    this.answer('yes');
  }

  /** Yes to the pending question; the run pauses once this node is replaced and validated, before the next one. */
  pauseAfterThis(): void {
    if (!this.pendingAnswer) return;
    this.run?.pauseAfterCurrent(true);
    this.answer('yes');
  }

  /** Pauses once the instance(s) in progress are done (or cancels that). */
  setPauseAfterCurrent(scheduled: boolean): void {
    this.run?.pauseAfterCurrent(scheduled);
  }

  /** Gives up the drain in progress of this instance: cancelled, node uncordoned, not replaced. False if it is not draining. */
  skipDrain(instanceId: string): boolean {
    return this.run?.skip(instanceId) ?? false;
  }

  /** Pauses at the next step boundary. */
  pause(): void {
    this.run?.pause();
  }

  resume(): void {
    this.run?.resume();
  }

  get isPaused(): boolean {
    return this.run?.isPaused ?? false;
  }

  /** Stops at the next safe point; a node cordoned but not drained is uncordoned unless told to leave it. */
  abort(cordoned: AbortCordoned = 'uncordon'): void {
    if (!this.run || !this.running) return;
    this.run.abort({ cordoned, reason: 'aborted by the user' });
    // A question still open would hold the run forever.
    this.answer('abort');
  }

  /**
   * Stops the run at once, as a crash would (nothing undone; the journal
   * keeps where it was, so running it again resumes), but cleanly: its lock is
   * released. For quitting the console; waits at most `waitMs` for the run to
   * let go.
   */
  async interrupt(reason: string, waitMs = 5_000): Promise<void> {
    const run = this.run;
    if (!run || !this.running) return;
    this.stopper?.abort(new Error(reason));
    // A question waiting for an answer holds the run: it ends with the stop.
    const reject = this.pendingReject;
    this.pendingAnswer = undefined;
    this.pendingReject = undefined;
    reject?.(new Error(reason));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([run.done.catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, waitMs)))]);
    clearTimeout(timer);
  }

  /** Forget the result and plan again (a re-run resumes where the last one stopped). */
  replan(): void {
    if (this.running) return;
    void this.plan();
  }

  setForce(force: boolean): void {
    if (this.running || force === this.current.force) return;
    void this.plan(force);
  }

  async close(): Promise<void> {
    this.planGeneration++;
    const connected = this.connected;
    this.connected = undefined;
    await connected?.close().catch(() => undefined);
    this.clients?.destroy();
    this.clients = undefined;
    // A result stays to be read; a plan is made afresh next time (the cluster moves on).
    if (this.current.phase !== 'running' && this.current.phase !== 'ended') this.set({ phase: 'idle' });
  }

  private confirm: ConfirmFn = (request) => {
    if (this.current.yesToAll) return Promise.resolve('yes');
    void request;
    return new Promise<ConfirmAnswer>((resolve, reject) => {
      this.pendingAnswer = resolve;
      this.pendingReject = reject;
    });
  };

  private async connect(progress: (step: string) => void) {
    if (this.connected) return this.connected.deps;
    const access = this.services.access;
    if (!access) throw new NoCloudError();
    const stored = await this.services.store.getCluster(this.cluster);
    if (!stored) throw new Error(`cluster ${this.cluster} was not found in ${this.services.storeUrl}`);
    progress(`Connecting to the cloud and to the Kubernetes API of ${this.cluster}`);
    const clients = awsClientsFor(access, clusterRegion(stored.value, access));
    try {
      this.connected = await connectRollout({ cluster: this.cluster, store: this.services.store, clients, clock: access.clock, kubeconfigPath: access.kubeconfigPath });
    } catch (error) {
      clients.destroy();
      throw error;
    }
    this.clients = clients;
    return this.connected.deps;
  }

  private onEvent(event: RolloutEvent): void {
    this.set(foldRolloutEvent(this.current, event));
  }

  private finished(run: RolloutRun, result: RolloutResult): void {
    if (this.run !== run) return;
    this.run = undefined;
    this.pendingAnswer = undefined;
    // A run that stopped without its last events (interrupted) waits for nothing any more.
    const { view } = this.current;
    this.set({ phase: 'ended', result, notes: notesAtEnd(this.current.notes), view: { ...view, interval: undefined, personWait: { totalMs: personWaitedMs(view.personWait, this.now()) } } });
  }

  private note(text: string): void {
    this.set({ notes: addNote(this.current.notes, text) });
  }

  private set(change: Partial<RolloutSessionState>): void {
    this.current = { ...this.current, ...change };
    // Events come in bursts (a drain evicting many pods): one notification per turn.
    if (this.notifyQueued) return;
    this.notifyQueued = true;
    setImmediate(() => {
      this.notifyQueued = false;
      this.listeners.notify();
    });
  }
}


