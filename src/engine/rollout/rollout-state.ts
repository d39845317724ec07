// The rollout as a screen shows it, folded from the event stream by a pure
// reducer: per instance a step list with states, start times and durations,
// the current validation checks, what is being waited for, drains that are
// blocked, the pending confirmation, the ETA and the time spent waiting for a
// person. Events carry their time, so the fold needs no clock and gives the
// same view wherever it runs. A session keeps one of these per run.
import type { BlockedPod } from '../kube/node-ops.js';
import type { ValidationFailure } from '../health/validate-cluster-health.js';
import type { ConfirmRequest, InstanceStep, RolloutEvent, RolloutPlan, RolloutResult } from './types.js';

export type StepState = 'pending' | 'running' | 'done';

export interface InstanceView {
  id: string;
  group: string;
  nodeName?: string;
  /** startedAt: clock ms the step started. */
  steps: Partial<Record<InstanceStep, { state: StepState; startedAt?: number; durationMs?: number }>>;
  skipped: boolean;
  /** Why it was skipped (at its question, or during its drain). */
  skipReason?: string;
  /** The user skipped its drain; the drain is being cancelled and the node uncordoned (unless cordonedBefore). */
  skipping?: boolean;
  /** Its node was cordoned before the rollout (by someone else): the rollout never uncordons it. */
  cordonedBefore?: boolean;
  evicted: number;
  blocked?: { pods: BlockedPod[]; message: string };
  /** What its deregister step does: draining from these load balancers, in none, or kept in them (and why). */
  loadBalancers?: { action: 'draining' | 'none' | 'kept'; names: string[]; timeoutMs?: number; reason?: string };
}

export interface RolloutView {
  status: 'planning' | 'running' | 'paused' | 'aborting' | RolloutResult['status'];
  plan?: RolloutPlan;
  resumed: boolean;
  /** Instances the earlier runs of a resumed rollout replaced (up to date now, so not in the plan): the whole rollout's count is theirs plus this run's. */
  finishedEarlier: number;
  /** In the order they started. */
  instances: InstanceView[];
  currentGroup?: string;
  wave?: { group: string; wave: number; waves: number };
  validation?: { group: string; attempt: number; ok: boolean; consecutivePasses: number; required: number; failures: ValidationFailure[] };
  waiting?: { group: string; want: number; ready: number; joining: number };
  confirm?: ConfirmRequest;
  /** at: clock ms of the estimate; personWaitedMs: the run's wait for a person then (the ETA counts work time only). */
  eta?: { remainingMs: number; nextWaveMs: number; doneInstances: number; totalInstances: number; at: number; personWaitedMs: number };
  /** Clock ms of the run's first event. */
  startedAt?: number;
  /** The wait between waves, while it lasts. */
  interval?: { group: string; ms: number; startedAt: number };
  /** Time the run has waited for a person (a drain question, a pause): the ETA stands still meanwhile. */
  personWait: PersonWait;
  /** The api.<cluster> record after the last control-plane replacement (DNS clusters). */
  apiRecord?: { record: string; values: string[]; changed: boolean };
  reason?: string;
  /** A pause is scheduled for after the instance(s) in progress. */
  pauseAfterCurrent?: boolean;
  /** Where the current pause took hold: at a step boundary, or before the next instance (as scheduled). */
  pausedAt?: 'step' | 'instance';
  /** The last thing the run went on past as the user asked (a validation or drain failure, validation skipped). */
  warning?: string;
}

export interface PersonWait {
  /** Clock ms of finished waits. */
  totalMs: number;
  /** The wait going on now: since when, and for what. */
  current?: { since: number; for: 'answer' | 'resume' };
}

/** Steps after which a node (or its instance) is out of service. */
const TAKES_OUT = new Set(['detach', 'cordon', 'drain', 'terminate']);

export const initialRolloutView: RolloutView = { status: 'planning', resumed: false, finishedEarlier: 0, instances: [], personWait: { totalMs: 0 } };

export function reduceRollout(view: RolloutView, event: RolloutEvent): RolloutView {
  const next = reduceEvent(view, event);
  return {
    ...next,
    startedAt: next.startedAt ?? event.time,
    interval: event.type === 'interval' ? { group: event.group, ms: event.ms, startedAt: event.time } : INTERVAL_ENDS.has(event.type) ? undefined : next.interval,
    personWait: nextPersonWait(next.personWait, next, event.time),
  };
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
function nextPersonWait(wait: PersonWait, view: RolloutView, now: number): PersonWait {
  const waitingFor = personWaitOf(view);
  if (waitingFor === wait.current?.for) return wait;
  return { totalMs: personWaitedMs(wait, now), current: waitingFor ? { since: now, for: waitingFor } : undefined };
}

/** Events after which the wait between waves is over. */
const INTERVAL_ENDS = new Set<RolloutEvent['type']>(['step-started', 'wave-started', 'group-started', 'finished']);

function reduceEvent(view: RolloutView, event: RolloutEvent): RolloutView {
  switch (event.type) {
    case 'plan':
      return { ...view, status: 'running', plan: event.plan, resumed: event.resumed, finishedEarlier: event.finishedEarlier ?? 0 };
    case 'group-started':
      return { ...view, currentGroup: event.group, validation: undefined, waiting: undefined };
    case 'wave-started':
      return { ...view, wave: { group: event.group, wave: event.wave, waves: event.waves } };
    case 'step-started': {
      const next = withInstance(view, event.instanceId, event.group, event.nodeName, (i) => ({ ...i, steps: { ...i.steps, [event.step]: { state: 'running', startedAt: event.time } } }));
      // Once a node is taken out, the last validation no longer describes the cluster: it is not shown as current.
      return TAKES_OUT.has(event.step) ? { ...next, validation: undefined } : next;
    }
    case 'step-finished': {
      const next = withInstance(view, event.instanceId, event.group, event.nodeName, (i) => ({
        ...i,
        blocked: event.step === 'drain' ? undefined : i.blocked,
        steps: { ...i.steps, [event.step]: { state: 'done', startedAt: i.steps[event.step]?.startedAt, durationMs: event.durationMs } },
      }));
      return event.step === 'confirm' ? { ...next, confirm: undefined } : next;
    }
    case 'confirm':
      return { ...view, confirm: event.request };
    case 'confirmed':
      return { ...view, confirm: undefined };
    case 'skipped':
      return withInstance(view, event.instanceId, event.group, undefined, (i) => ({ ...i, skipped: true, skipping: false, skipReason: event.reason, blocked: undefined, steps: {} }));
    case 'skip-requested':
      return mapInstance(view, event.instanceId, (i) => ({ ...i, skipping: true }));
    case 'load-balancers': {
      const loadBalancers = { action: event.action, names: event.names, timeoutMs: event.timeoutMs, reason: event.reason };
      return event.instanceIds.reduce((next, id) => mapInstance(next, id, (i) => ({ ...i, loadBalancers })), view);
    }
    case 'drain-progress':
      if (event.progress.type !== 'evicted') return view;
      return mapInstance(view, event.instanceId, (i) => ({ ...i, evicted: i.evicted + 1 }));
    case 'drain-blocked':
      return mapInstance(view, event.instanceId, (i) => (i.skipped ? i : { ...i, blocked: { pods: event.blocked, message: event.message } }));
    case 'waiting-for-replacement':
      return { ...view, waiting: { group: event.group, want: event.want, ready: event.ready, joining: event.joining } };
    case 'validation-attempt':
      return { ...view, waiting: undefined, validation: { group: event.group, attempt: event.attempt, ok: event.ok, consecutivePasses: event.consecutivePasses, required: event.required, failures: event.failures } };
    case 'warning':
      return { ...view, warning: `${event.group}: ${event.message}` };
    case 'api-record':
      return { ...view, apiRecord: { record: event.record, values: event.values, changed: event.changed } };
    case 'eta':
      return {
        ...view,
        eta: {
          remainingMs: event.remainingMs,
          nextWaveMs: event.nextWaveMs,
          doneInstances: event.doneInstances,
          totalInstances: event.totalInstances,
          at: event.time,
          personWaitedMs: personWaitedMs(view.personWait, event.time),
        },
      };
    case 'paused':
      return { ...view, status: 'paused', pausedAt: event.at ?? 'step' };
    case 'resumed':
      return { ...view, status: 'running', pausedAt: undefined };
    case 'pause-after-current':
      return { ...view, pauseAfterCurrent: event.scheduled };
    case 'aborting':
      return { ...view, status: 'aborting', reason: event.reason };
    case 'cordoned-before':
      return withInstance(view, event.instanceId, event.group, event.nodeName, (i) => ({ ...i, cordonedBefore: true }));
    case 'uncordoned':
    case 'left-cordoned':
      return mapInstance(view, event.instanceId, (i) => ({ ...i, steps: {}, loadBalancers: undefined }));
    case 'finished':
      return { ...view, status: event.status, reason: event.reason, confirm: undefined, waiting: undefined };
    default:
      return view;
  }
}

function withInstance(view: RolloutView, id: string, group: string, nodeName: string | undefined, change: (i: InstanceView) => InstanceView): RolloutView {
  const existing = view.instances.find((i) => i.id === id);
  if (!existing) return { ...view, instances: [...view.instances, change({ id, group, nodeName, steps: {}, skipped: false, evicted: 0 })] };
  return mapInstance(view, id, (i) => change(nodeName && !i.nodeName ? { ...i, nodeName } : i));
}

function mapInstance(view: RolloutView, id: string, change: (i: InstanceView) => InstanceView): RolloutView {
  return { ...view, instances: view.instances.map((i) => (i.id === id ? change(i) : i)) };
}
