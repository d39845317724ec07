// The rollout journal at `kopsdeck/<cluster>/rollout/journal` in the state
// store (state-keys.ts says why it is not in the cluster's folder): every
// finished step of every instance, appended with a conditional write, so a new
// run knows exactly where the last one stopped. A step is recorded once it is
// done; a step cut short by a crash is not recorded and is run again (every
// step is safe to repeat: cordon, drain and the waits are idempotent, and
// detach and terminate first check whether the cloud already did them).
import { ConflictError, type ObjectStore, type ObjectVersion } from '../store/object-store.js';
import type { LoadBalancerMembership } from './deps.js';
import { journalKey, moveLegacyJournal, readJournalObject } from './state-keys.js';
import type { InstanceStep, JournalMark, RolloutStatus } from './types.js';

export { journalKey };

/** What the deregister step changed for an instance, to undo it if its node is given back (uncordoned). */
export interface TakenOut extends LoadBalancerMembership {
  /** The exclude-from-load-balancers label was added by the rollout (not there before). */
  labelled: boolean;
}

export interface JournalEntry {
  instance: string;
  group: string;
  step: JournalMark;
  /** Clock ms when the step finished. */
  at: number;
  node?: string;
  /** The wave the instance was put in, and whether it surges (on its confirm entry). */
  wave?: number;
  surge?: boolean;
  note?: string;
  /** On a deregister entry. */
  loadBalancers?: TakenOut;
  /** On a cordon entry: the node was cordoned before the rollout cordoned it, so the rollout never uncordons it. */
  cordonedBefore?: boolean;
  /** On an uncordon entry: the node was given back (to its load balancers) but left cordoned, as it was before. */
  leftCordoned?: boolean;
}

export interface JournalDocument {
  kind: 'RolloutJournal';
  cluster: string;
  runId: string;
  /**
   * The run writing this journal now: runId is the run that began the
   * rollout, and a resumed one keeps it. Equal to the lock's runId while that
   * run holds the lock, so a console watching from another process knows the
   * journal it reads is that run's. Absent in journals of older versions.
   */
  writerRunId?: string;
  status: RolloutStatus;
  reason?: string;
  startedAt: number;
  updatedAt: number;
  /** The instances the rollout set out to replace (so a resumed --force does not replace their replacements). */
  planned?: string[];
  /** What was asked for; only the same request resumes this journal as it is. */
  request?: RolloutRequest;
  /** When this run took over the half-done instances of an earlier run with another request: its run id. */
  carriedFrom?: string;
  /** The run writing it asks before each drain (--interactive, the console): a suggested resume asks too. Not part of the request. */
  asksBeforeDrains?: boolean;
  entries: JournalEntry[];
}

/** The scope of a rollout as asked for (normalised: sorted, no duplicates). */
export interface RolloutRequest {
  force: boolean;
  instanceGroups: string[];
  roles: string[];
  cloudOnly: boolean;
}

export function normalizeRequest(request: { force?: boolean; instanceGroups?: readonly string[]; roles?: readonly string[]; cloudOnly?: boolean }): RolloutRequest {
  const set = (items: readonly string[] | undefined) => [...new Set(items ?? [])].sort();
  return { force: request.force ?? false, instanceGroups: set(request.instanceGroups), roles: set(request.roles), cloudOnly: request.cloudOnly ?? false };
}

export function sameRequest(a: RolloutRequest, b: RolloutRequest): boolean {
  return JSON.stringify(normalizeRequest(a)) === JSON.stringify(normalizeRequest(b));
}

/**
 * Instances an earlier run started and did not finish (cordoned, drained,
 * detached or terminated but not yet joined and validated). Finished means
 * joined, and validated unless the instance never had a node step.
 */
export function unfinishedInstances(entries: readonly JournalEntry[]): InstanceProgress[] {
  return [...replayJournal(entries).values()].filter((p) => !p.skipped && p.done.length > 0 && !isReplaced(p));
}

/** Replaced: its replacement joined, and validated unless it never had a node step. */
export function isReplaced(p: Pick<InstanceProgress, 'done'>): boolean {
  const joined = p.done.includes('join');
  const validated = p.done.includes('validate') || !p.done.includes('cordon');
  return joined && validated;
}

/** How a new run relates to the stored journal. */
export type JournalContinuation =
  /** No journal, or the last rollout finished: a new one. */
  | { mode: 'fresh' }
  /** The same request stopped before finishing: continue it exactly. */
  | { mode: 'resume'; previous: JournalDocument }
  /** Another request stopped before finishing: a new rollout that also finishes the old one's half-done instances. */
  | { mode: 'carry'; previous: JournalDocument; carried: InstanceProgress[] };

export function continuationOf(previous: JournalDocument | null, request: RolloutRequest | undefined): JournalContinuation {
  if (!previous || previous.status === 'finished') return { mode: 'fresh' };
  // Journals written before requests were recorded, or callers that do not say, continue as they are.
  if (!request || !previous.request || sameRequest(previous.request, request)) return { mode: 'resume', previous };
  return { mode: 'carry', previous, carried: unfinishedInstances(previous.entries) };
}

export interface InstanceProgress {
  instance: string;
  group: string;
  node?: string;
  wave?: number;
  surge: boolean;
  /** Steps done, in the order they were recorded. */
  done: InstanceStep[];
  skipped: boolean;
  /** What the deregister step changed (known as soon as it acted, journaled with the step). */
  loadBalancers?: TakenOut;
  /** Its node was cordoned before the rollout's cordon step (not by this rollout): it is never uncordoned. */
  cordonedBefore?: boolean;
}

/** Per instance, what the journal says has been done (an uncordon after an abort starts the instance over). */
export function replayJournal(entries: readonly JournalEntry[]): Map<string, InstanceProgress> {
  const progress = new Map<string, InstanceProgress>();
  for (const entry of entries) {
    let p = progress.get(entry.instance);
    if (!p) {
      p = { instance: entry.instance, group: entry.group, surge: false, done: [], skipped: false };
      progress.set(entry.instance, p);
    }
    if (entry.node) p.node = entry.node;
    if (entry.step === 'skip') p.skipped = true;
    else if (entry.step === 'uncordon') {
      p.done = [];
      p.wave = undefined;
      p.surge = false;
      p.loadBalancers = undefined;
      p.cordonedBefore = undefined;
    } else {
      if (entry.loadBalancers) p.loadBalancers = entry.loadBalancers;
      if (entry.step === 'cordon' && entry.cordonedBefore) p.cordonedBefore = true;
      if (entry.step === 'confirm') {
        p.wave = entry.wave;
        p.surge = entry.surge ?? false;
      }
      p.done.push(entry.step);
    }
  }
  return progress;
}

export interface StepShape {
  surge: boolean;
  /** Bastions and --cloudonly: no cordon, drain or validation. */
  withoutKube: boolean;
  bastion: boolean;
}

/** The steps an instance goes through, in order. */
export function stepsFor(shape: StepShape): InstanceStep[] {
  const steps: InstanceStep[] = ['confirm'];
  if (shape.surge) steps.push('detach');
  if (!shape.withoutKube) steps.push('cordon', 'deregister', 'drain', 'post-drain');
  steps.push('terminate', 'join');
  if (!shape.withoutKube && !shape.bastion) steps.push('validate');
  return steps;
}

/** The first step of `steps` not yet done; undefined when all are. */
export function nextStep(progress: Pick<InstanceProgress, 'done'> | undefined, steps: readonly InstanceStep[]): InstanceStep | undefined {
  const done = new Set(progress?.done ?? []);
  return steps.find((step) => !done.has(step));
}

/** Appends entries with conditional writes, one at a time, in the order given. */
export class RolloutJournal {
  private queue: Promise<void> = Promise.resolve();
  private pending: JournalEntry[] = [];

  private constructor(
    private readonly objects: ObjectStore,
    private doc: JournalDocument,
    private version: ObjectVersion,
    /** True when this run continues an unfinished one. */
    readonly resumed: boolean,
  ) {}

  /**
   * Continues an unfinished journal of the same request, or starts a new one
   * when there is none, the last rollout finished, or it was asked for with
   * another request (then the old run's half-done instances are carried over,
   * so they are finished and not forgotten). Without `request`, any unfinished
   * journal is continued.
   */
  static async open(objects: ObjectStore, cluster: string, now: number, runId: string, request?: RolloutRequest, asksBeforeDrains = false): Promise<RolloutJournal> {
    await moveLegacyJournal(objects, cluster);
    const key = journalKey(cluster);
    const stored = await objects.get(key);
    const previous = stored ? parseJournal(stored.body, key) : null;
    const continuation = continuationOf(previous, request);
    if (stored && continuation.mode === 'resume') {
      const doc: JournalDocument = { ...continuation.previous, writerRunId: runId, asksBeforeDrains, status: 'running', reason: undefined, updatedAt: now };
      const version = await objects.put(key, serialize(doc), { ifVersion: stored.version });
      return new RolloutJournal(objects, doc, version, true);
    }
    const carried = continuation.mode === 'carry' ? new Set(continuation.carried.map((p) => p.instance)) : new Set<string>();
    const doc: JournalDocument = {
      kind: 'RolloutJournal',
      cluster,
      runId,
      writerRunId: runId,
      asksBeforeDrains,
      status: 'running',
      startedAt: now,
      updatedAt: now,
      ...(request ? { request } : {}),
      ...(continuation.mode === 'carry' && carried.size > 0 ? { carriedFrom: continuation.previous.runId } : {}),
      entries: continuation.mode === 'carry' ? continuation.previous.entries.filter((e) => carried.has(e.instance)) : [],
    };
    const version = await objects.put(key, serialize(doc), { ifVersion: stored ? stored.version : null });
    return new RolloutJournal(objects, doc, version, false);
  }

  get document(): Readonly<JournalDocument> {
    return this.doc;
  }

  get entries(): readonly JournalEntry[] {
    return this.doc.entries;
  }

  progress(): Map<string, InstanceProgress> {
    return replayJournal(this.doc.entries);
  }

  /** Entries recorded while a write is in flight go out together in the next one. */
  record(...entries: JournalEntry[]): Promise<void> {
    this.pending.push(...entries);
    return this.write((doc) => {
      const entries = this.pending.splice(0);
      return entries.length ? { ...doc, updatedAt: entries.at(-1)!.at, entries: [...doc.entries, ...entries] } : doc;
    });
  }

  setPlanned(instances: string[], at: number): Promise<void> {
    return this.write((doc) => ({ ...doc, planned: instances, updatedAt: at }));
  }

  setStatus(status: RolloutStatus, at: number, reason?: string): Promise<void> {
    return this.write((doc) => ({ ...doc, status, reason, updatedAt: at }));
  }

  private write(change: (doc: JournalDocument) => JournalDocument): Promise<void> {
    const next = this.queue.then(async () => {
      const doc = change(this.doc);
      if (doc === this.doc) return;
      try {
        this.version = await this.objects.put(journalKey(doc.cluster), serialize(doc), { ifVersion: this.version });
      } catch (error) {
        if (error instanceof ConflictError) {
          throw new ConflictError(error.key, `the rollout journal of ${doc.cluster} was changed by another process; stopping so two rollouts never act at once`);
        }
        throw error;
      }
      this.doc = doc;
    });
    // A failed write fails its caller; later writes still run in order.
    this.queue = next.catch(() => undefined);
    return next;
  }
}

/** The journal, read where earlier versions kept it when it has not been moved yet (read-only: watchers never write). */
export async function readJournal(objects: ObjectStore, cluster: string): Promise<JournalDocument | null> {
  const found = await readJournalObject(objects, cluster);
  return found ? parseJournal(found.stored.body, found.key) : null;
}

/** A damaged journal stops the run with the way out, not with a JSON parser's message. */
function parseJournal(body: string, key: string): JournalDocument {
  let doc: JournalDocument | undefined;
  try {
    doc = JSON.parse(body) as JournalDocument;
  } catch {
    doc = undefined;
  }
  if (doc?.kind !== 'RolloutJournal' || !Array.isArray(doc.entries)) {
    throw new Error(
      `the rollout journal ${key} in the state store is damaged (${doc === undefined ? 'not valid JSON' : 'not a rollout journal'}); it only records progress: delete that object and run again, and the plan is made afresh from the cloud`,
    );
  }
  return doc;
}

function serialize(doc: JournalDocument): string {
  // One entry per line: readable with `cat`, and small diffs between versions.
  const head = { ...doc, entries: undefined };
  const lines = doc.entries.map((e) => '    ' + JSON.stringify(e));
  const headText = JSON.stringify(head, null, 2).replace(/\n}$/, '');
  return `${headText},\n  "entries": [\n${lines.join(',\n')}\n  ]\n}\n`;
}
