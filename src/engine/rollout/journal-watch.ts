// A rollout run by another process, as seen from here: only through what that
// run writes to the state store. Its journal records each step of each
// instance once the step is done, so folding it gives the same per-instance
// view a console's own run shows (a RolloutView), without what only that
// process knows: its questions and answers, a pause, drain progress, the
// validation attempts. A watcher polls the journal and folds it again.
import { replayJournal, stepsFor, type JournalDocument, type JournalEntry, type RolloutRequest } from './journal.js';
import type { InstanceView, RolloutView } from './rollout-state.js';
import type { InstanceStep } from './types.js';

export interface WatchedInstance {
  view: InstanceView;
  /** Its steps in the order the engine runs them (stepsFor its shape). */
  steps: InstanceStep[];
  /** Every one of its steps is recorded. */
  finished: boolean;
  /** Clock ms of its last record. */
  lastAt: number;
  /** Its last recorded step (undefined once an abort started it over). */
  lastStep?: InstanceStep;
}

export interface WatchedRollout {
  /** status and reason as the journal has them; the instances in the order they started. */
  view: RolloutView;
  instances: WatchedInstance[];
  request?: RolloutRequest;
  /** Instances the run set out to replace that have no record yet, in the planned order. */
  notStarted: string[];
  /** The journal's last record. */
  last?: JournalEntry;
}

export interface FoldOptions {
  /**
   * The run still holds its lock: for the instances of the group it is on,
   * the step after the last recorded one is shown running (it is under way,
   * or about to start).
   */
  live: boolean;
  /** Groups whose instances have no Kubernetes steps (bastions), from the spec. */
  bastionGroups?: ReadonlySet<string>;
}

/** The journal as a RolloutView: each instance's recorded steps done, and where a live run is. */
export function foldJournal(doc: JournalDocument, options: FoldOptions): WatchedRollout {
  const progress = replayJournal(doc.entries);
  // What the replay does not keep: when each instance was last recorded, and why one was skipped.
  const lastAt = new Map<string, number>();
  const skipNotes = new Map<string, string | undefined>();
  for (const entry of doc.entries) {
    lastAt.set(entry.instance, entry.at);
    if (entry.step === 'skip') skipNotes.set(entry.instance, entry.note);
  }
  const last = doc.entries.at(-1);
  const withoutKubeRun = doc.request?.cloudOnly ?? false;
  const instances = [...progress.values()].map((p): WatchedInstance => {
    const bastion = options.bastionGroups?.has(p.group) ?? false;
    // Terminated without a cordon: an instance with no Kubernetes steps, even when the spec could not be read.
    const withoutKube = withoutKubeRun || bastion || (p.done.includes('terminate') && !p.done.includes('cordon'));
    const steps = stepsFor({ surge: p.surge, withoutKube, bastion });
    const finished = !p.skipped && steps.every((s) => p.done.includes(s));
    const next = steps.find((s) => !p.done.includes(s));
    // The engine goes group by group: a half-done instance of another group (carried from an earlier run) waits for its turn.
    const underWay = options.live && !p.skipped && p.done.length > 0 && next !== undefined && p.group === last?.group;
    const cells: InstanceView['steps'] = {};
    if (!p.skipped) {
      for (const step of p.done) cells[step] = { state: 'done' };
      if (underWay) cells[next] = { state: 'running' };
    }
    const view: InstanceView = { id: p.instance, group: p.group, nodeName: p.node, steps: cells, skipped: p.skipped, skipReason: skipNotes.get(p.instance), evicted: 0 };
    return { view, steps, finished, lastAt: lastAt.get(p.instance) ?? doc.startedAt, lastStep: p.done.at(-1) };
  });
  const started = new Set(progress.keys());
  const resumed = doc.writerRunId !== undefined && doc.writerRunId !== doc.runId;
  const view: RolloutView = {
    status: doc.status,
    reason: doc.reason,
    resumed,
    // The watched journal holds every run's instances: nothing to add from earlier runs.
    finishedEarlier: 0,
    instances: instances.map((i) => i.view),
    currentGroup: last?.group,
    startedAt: doc.startedAt,
    // The journal records steps, not the other process's questions and pauses.
    personWait: { totalMs: 0 },
  };
  return { view, instances, request: doc.request, notStarted: (doc.planned ?? []).filter((id) => !started.has(id)), last };
}

/** How many instances the run covers, how many are replaced, how many skipped. */
export function watchedCounts(watched: WatchedRollout): { total: number; replaced: number; skipped: number } {
  return {
    total: watched.instances.length + watched.notStarted.length,
    replaced: watched.instances.filter((i) => i.finished).length,
    skipped: watched.instances.filter((i) => i.view.skipped).length,
  };
}
