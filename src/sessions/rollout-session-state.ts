// What a rollout session shows, as plain data: the state screens render and
// how each engine event changes it (the engine's own reducer folds the run's
// view, times included; the session adds its notes). Kept apart from the
// session (rollout-session.ts), which owns the connection and the run.
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
  /** The plan made before starting (a run's own plan is its view's: planOf in screens/rollout says which is shown). */
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
  /** The last few things worth telling (skips, uncordons, pauses). */
  notes: readonly string[];
  timings: RolloutTimings;
}

const MAX_NOTES = 4;

export function addNote(notes: readonly string[], text: string): string[] {
  return [...notes, text].slice(-MAX_NOTES);
}

const PAUSE_SCHEDULED = 'The rollout pauses once the instance(s) in progress are replaced and validated.';
export const YES_TO_ALL_NOTE = 'Yes to all: every remaining drain starts without asking (p pauses, x aborts).';
const SKIPPING = 'Skipping ';

/** A note about what is still to happen: once it has happened, or the run has ended, it no longer holds. */
function isPending(note: string): boolean {
  return note === PAUSE_SCHEDULED || note === YES_TO_ALL_NOTE || note.startsWith(SKIPPING);
}

/** The notes once the run has ended: those saying what is still to happen are dropped (what did happen has a note of its own). */
export function notesAtEnd(notes: readonly string[]): string[] {
  return notes.filter((note) => !isPending(note));
}

/** The change `event` makes to the session's state: the engine's view, folded by the engine's reducer, and the notes. */
export function foldRolloutEvent(state: RolloutSessionState, event: RolloutEvent): Partial<RolloutSessionState> {
  const change: Partial<RolloutSessionState> = { view: reduceRollout(state.view, event) };
  switch (event.type) {
    case 'skipped': {
      // "Skipping <node>: cancelling its drain…" is done now.
      const node = state.view.instances.find((i) => i.id === event.instanceId)?.nodeName;
      const rest = node ? state.notes.filter((n) => !n.startsWith(`${SKIPPING}${node}:`)) : state.notes;
      change.notes = addNote(rest, `Skipped ${event.instanceId} (not replaced): ${event.reason}.`);
      break;
    }
    case 'uncordoned':
      change.notes = addNote(state.notes, `Uncordoned ${event.nodeName}: ${event.reason ?? 'the rollout stopped before it was drained'}.`);
      break;
    case 'warm-pool-terminated':
      change.notes = addNote(state.notes, `Terminated ${event.instanceIds.length} warm pool instance(s) of ${event.group}; the pool refills from the current template.`);
      break;
    case 'left-cordoned':
      change.notes = addNote(state.notes, `Left ${event.nodeName} cordoned, as it was before the rollout: ${event.reason ?? 'it was not drained'}.`);
      break;
    case 'cordoned-before':
      change.notes = addNote(state.notes, `${event.nodeName} was cordoned already, not by this rollout: it stays cordoned if it is not replaced.`);
      break;
    case 'skip-requested':
      change.notes = addNote(
        state.notes,
        `${SKIPPING}${event.nodeName}: cancelling its drain, then ${event.keepsCordon ? 'leaving it cordoned, as it was before the rollout' : 'uncordoning it'}.`,
      );
      break;
    case 'pause-after-current':
      change.notes = event.scheduled ? addNote(state.notes, PAUSE_SCHEDULED) : state.notes.filter((n) => n !== PAUSE_SCHEDULED);
      break;
    case 'paused':
      change.notes = addNote(
        // A pause after the instance(s) in progress is the one that note announced.
        event.at === 'instance' ? state.notes.filter((n) => n !== PAUSE_SCHEDULED) : state.notes,
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
