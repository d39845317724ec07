// What a rollout session shows, as plain data: the state screens render, the
// time the run has waited for a person (the ETA stands still meanwhile), and
// how each engine event changes that state. Kept apart from the session
// (rollout-session.ts), which owns the connection and the run.
import {
  reduceRollout,
  type JournalDocument,
  type RolloutEvent,
  type RolloutPlan,
  type RolloutResult,
  type RolloutTimings,
  type RolloutView,
} from '../engine/rollout/index.js';
import type { RolloutProblem } from './rollout-problems.js';

export type RolloutPhase = 'idle' | 'planning' | 'plan' | 'running' | 'ended' | 'error';


export interface RolloutSessionState {
  cluster: string;
  phase: RolloutPhase;
  force: boolean;
  /** What planning is doing right now. */
  step?: string;
  /** The plan shown before starting, then the run's own. */
  plan?: RolloutPlan;
  /** An earlier run that did not finish: starting resumes it. */
  unfinished?: Pick<JournalDocument, 'status' | 'reason' | 'entries' | 'planned'> & {
    /** The plan is that rollout's own request, so starting continues exactly it. */
    resumesAsStarted: boolean;
  };
  problem?: RolloutProblem;
  view: RolloutView;
  result?: RolloutResult;
  /** The user answered "yes to all remaining": later drains are not asked about. */
  yesToAll: boolean;
  /** Clock ms. */
  runStartedAt?: number;
  /** Clock ms each running step started, by `${instanceId}/${step}`. */
  stepStarts: ReadonlyMap<string, number>;
  /** The wait between waves, while it lasts. */
  interval?: { group: string; ms: number; startedAt: number };
  /** Clock ms of the latest ETA event. */
  etaAt?: number;
  /** Time the run has waited for a person (a drain question, a pause): the ETA stands still meanwhile. */
  personWait: PersonWait;
  /** personWait.totalMs when the latest ETA came. */
  personWaitAtEta: number;
  /** The last few things worth telling (skips, uncordons, pauses). */
  notes: readonly string[];
  timings: RolloutTimings;
}

export interface PersonWait {
  /** Clock ms of finished waits. */
  totalMs: number;
  /** The wait going on now: since when, and for what. */
  current?: { since: number; for: 'answer' | 'resume' };
}

/** What the run waits for from a person, if anything: an answer to its question, or a resume. */
export function personWaitOf(view: RolloutView): 'answer' | 'resume' | undefined {
  if (view.confirm) return 'answer';
  if (view.status === 'paused') return 'resume';
  return undefined;
}

/** Clock ms waited for a person up to `now`. */
export function personWaitedMs(wait: PersonWait, now: number): number {
  return wait.totalMs + (wait.current ? Math.max(0, now - wait.current.since) : 0);
}

/** The wait after `view`: a finished wait is added to the total, a new one starts its clock. */
export function nextPersonWait(wait: PersonWait, view: RolloutView, now: number): PersonWait {
  const waitingFor = personWaitOf(view);
  if (waitingFor === wait.current?.for) return wait;
  const totalMs = personWaitedMs(wait, now);
  return { totalMs, current: waitingFor ? { since: now, for: waitingFor } : undefined };
}

const MAX_NOTES = 4;

export function addNote(notes: readonly string[], text: string): string[] {
  return [...notes, text].slice(-MAX_NOTES);
}

/** The change `event` makes to the session's state; `now` reads the rollout's clock. */
export function foldRolloutEvent(state: RolloutSessionState, event: RolloutEvent, now: () => number): Partial<RolloutSessionState> {
  const view = reduceRollout(state.view, event);
  const change: Partial<RolloutSessionState> = { view, personWait: nextPersonWait(state.personWait, view, now()) };
  switch (event.type) {
    case 'plan':
      change.plan = event.plan;
      break;
    case 'step-started': {
      const starts = new Map(state.stepStarts);
      starts.set(`${event.instanceId}/${event.step}`, now());
      change.stepStarts = starts;
      change.interval = undefined;
      break;
    }
    case 'wave-started':
    case 'group-started':
      change.interval = undefined;
      break;
    case 'interval':
      change.interval = { group: event.group, ms: event.ms, startedAt: now() };
      break;
    case 'eta':
      change.etaAt = now();
      change.personWaitAtEta = personWaitedMs(change.personWait!, now());
      break;
    case 'skipped':
      change.notes = addNote(state.notes, `Skipped ${event.instanceId} (not replaced): ${event.reason}.`);
      break;
    case 'uncordoned':
      change.notes = addNote(state.notes, `Uncordoned ${event.nodeName}: ${event.reason ?? 'the rollout stopped before it was drained'}.`);
      break;
    case 'skip-requested':
      change.notes = addNote(state.notes, `Skipping ${event.nodeName}: cancelling its drain, then uncordoning it.`);
      break;
    case 'pause-after-current':
      if (event.scheduled) change.notes = addNote(state.notes, 'The rollout pauses once the instance(s) in progress are replaced and validated.');
      break;
    case 'paused':
      change.notes = addNote(
        state.notes,
        // No key in a note: notes outlive the pause (the key bar says what p does while paused).
        event.at === 'instance' ? 'Paused after the instance(s) in progress, as asked.' : 'Paused: the rollout holds before its next step.',
      );
      break;
    case 'resumed':
      change.notes = addNote(state.notes, 'Resumed.');
      break;
    case 'lock-taken-over':
      change.notes = addNote(state.notes, `Took over the rollout lock: ${event.reason}.`);
      break;
    default:
      break;
  }
  return change;
}
