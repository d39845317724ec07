// What the rolling-update screen derives from a session's state, pure: one
// row per instance in the order the plan will take them (with each step's
// state and duration), how many are done, the ETA, and, in words, what is
// happening now and what happens next.
import { formatDuration, personWaitedMs, type GroupKind, type InstanceStep, type InstanceView, type RolloutPlan, type RolloutView } from '../../engine/rollout/index.js';
import type { RolloutSessionState } from '../../sessions/rollout-session-state.js';

/** stopped: it was running when the rollout ended (aborted, failed). */
export type StepStatus = 'pending' | 'running' | 'done' | 'stopped';

export interface StepCell {
  step: InstanceStep;
  status: StepStatus;
  /** Clock ms: the finished step's duration, or how long the running one has run. */
  ms?: number;
}

export interface InstanceRow {
  id: string;
  group: string;
  kind: GroupKind;
  nodeName?: string;
  reason?: string;
  status: 'waiting' | 'active' | 'done' | 'skipped';
  steps: StepCell[];
  evicted: number;
  blocked?: InstanceView['blocked'];
  loadBalancers?: InstanceView['loadBalancers'];
  /** Its drain is being skipped (cancelled, then the node uncordoned unless cordonedBefore). */
  skipping?: boolean;
  /** Its node was cordoned before the rollout: the rollout never uncordons it. */
  cordonedBefore?: boolean;
  skipReason?: string;
}

/** The steps an instance shows: detach only when it surges, none of the Kubernetes ones for bastions. */
function shownSteps(kind: GroupKind, view: InstanceView | undefined): InstanceStep[] {
  const steps: InstanceStep[] = ['confirm'];
  if (view?.steps.detach) steps.push('detach');
  if (kind !== 'Bastion') steps.push('cordon', 'deregister', 'drain', 'post-drain');
  steps.push('terminate', 'join');
  if (kind !== 'Bastion') steps.push('validate');
  return steps;
}

/**
 * The run's status, one answer from the three places that know part of it:
 * the session's phase (has the run ended here), the result (how it ended) and
 * the engine's view (where a live run is).
 */
export function runStatusOf(state: RolloutSessionState): RolloutView['status'] | 'ended' {
  if (state.phase === 'ended') return state.result?.status ?? 'ended';
  return state.view.status;
}

const OVER = new Set<string>(['finished', 'failed', 'aborted', 'interrupted', 'ended']);

/** The run has ended, or its last event said how it ends (the lock is being let go). */
export function runIsOver(state: RolloutSessionState): boolean {
  return OVER.has(runStatusOf(state));
}

/** The plan on screen: a run's own (from its first event), else the one made before starting. */
export function planOf(state: RolloutSessionState): RolloutPlan | undefined {
  return state.view.plan ?? state.plan;
}

export function instanceRows(state: RolloutSessionState, now: number): InstanceRow[] {
  const plan = planOf(state);
  const views = new Map(state.view.instances.map((i) => [i.id, i]));
  const over = runIsOver(state);
  const rows: InstanceRow[] = [];
  const seen = new Set<string>();
  const add = (id: string, group: string, kind: GroupKind, nodeName: string | undefined, reason: string | undefined) => {
    seen.add(id);
    const view = views.get(id);
    const steps = shownSteps(kind, view).map((step): StepCell => {
      const s = view?.steps[step];
      if (!s) return { step, status: 'pending' };
      if (s.state === 'done') return { step, status: 'done', ms: s.durationMs };
      const started = s.startedAt;
      if (s.state !== 'running') return { step, status: 'pending' };
      return { step, status: over ? 'stopped' : 'running', ms: started === undefined || over ? undefined : Math.max(0, now - started) };
    });
    const last = steps[steps.length - 1];
    const status: InstanceRow['status'] = view?.skipped ? 'skipped' : last.status === 'done' ? 'done' : steps.some((s) => s.status !== 'pending') ? 'active' : 'waiting';
    rows.push({ id, group, kind, nodeName: view?.nodeName ?? nodeName, reason, status, steps, evicted: view?.evicted ?? 0, blocked: view?.blocked, loadBalancers: view?.loadBalancers, skipping: view?.skipping, cordonedBefore: view?.cordonedBefore, skipReason: view?.skipReason });
  };
  for (const name of plan?.order ?? []) {
    const group = plan!.groups.find((g) => g.name === name);
    if (!group) continue;
    for (const instance of group.instances) add(instance.id, group.name, group.kind, instance.nodeName, instance.reason);
  }
  // Instances a resumed run picked up that the plan does not list.
  for (const view of state.view.instances) {
    if (seen.has(view.id)) continue;
    const kind = plan?.groups.find((g) => g.name === view.group)?.kind ?? 'Node';
    add(view.id, view.group, kind, view.nodeName, undefined);
  }
  return rows;
}

export interface Progress {
  done: number;
  skipped: number;
  total: number;
  /** Clock ms since the run started. */
  elapsedMs?: number;
  /** The time left, while the run goes on: see etaOf. */
  eta?: Eta;
}

export interface Eta {
  /** Clock ms left. */
  ms: number;
  /** The wave in progress has taken longer than this run measured (or the plan estimated): ms is what the waves after it take. */
  overrun: boolean;
  /** Standing still: the run waits for a person's answer, or for a resume. */
  heldFor?: 'answer' | 'resume';
}

/**
 * The time left: the engine's figure at the start and after each wave (this
 * run's measured wave times, the plan's estimate until there are some), less
 * the time worked since. Time spent waiting for a person is not work: the ETA
 * stands still while a question waits or the run is paused. It never counts
 * below what the waves after the current one need.
 */
export function etaOf(state: RolloutSessionState, now: number): Eta | undefined {
  const { eta, personWait } = state.view;
  if (state.phase !== 'running' || !eta) return undefined;
  const worked = Math.max(0, now - eta.at - (personWaitedMs(personWait, now) - eta.personWaitedMs));
  const afterThisWave = Math.max(0, eta.remainingMs - eta.nextWaveMs);
  const counted = eta.remainingMs - worked;
  return { ms: Math.max(afterThisWave, counted), overrun: counted < afterThisWave, heldFor: personWait.current?.for };
}

export function progressOf(state: RolloutSessionState, rows: readonly InstanceRow[], now: number): Progress {
  // A resumed rollout counts what its earlier runs finished too, as its questions do ("instance 3 of 4").
  const earlier = state.view.finishedEarlier;
  const done = earlier + rows.filter((r) => r.status === 'done').length;
  const skipped = rows.filter((r) => r.status === 'skipped').length;
  // Once the run has ended its duration is fixed: the same figure as the result line's.
  const ended = state.phase === 'ended' ? state.result?.durationMs : undefined;
  const { startedAt } = state.view;
  const elapsedMs = ended ?? (startedAt === undefined ? undefined : Math.max(0, now - startedAt));
  return { done, skipped, total: earlier + rows.length, elapsedMs, eta: etaOf(state, now) };
}

/** Each step in words, for "what happens next" (a watched run in another process says confirm for the answer). */
export const STEP_WORDS: Record<InstanceStep, string> = {
  confirm: 'your answer',
  detach: 'detach (a replacement launches first)',
  cordon: 'cordon',
  deregister: 'take it out of its load balancers',
  drain: 'drain',
  'post-drain': 'post-drain delay',
  terminate: 'terminate',
  join: 'wait for the replacement to join',
  validate: 'validate the cluster',
};

const who = (row: InstanceRow) => (row.nodeName ? `${row.nodeName} (${row.id})` : row.id);

/** What is happening now, in a sentence. */
export function describeNow(state: RolloutSessionState, rows: readonly InstanceRow[], now: number): string {
  const { view } = state;
  if (state.phase === 'ended') return resultLine(state);
  if (view.status === 'finished' || view.status === 'failed' || view.status === 'aborted') return 'Releasing the rollout lock…';
  if (view.status === 'aborting') return `Aborting (${view.reason ?? 'asked'}): finishing the current step safely.`;
  if (view.confirm) return `Waiting for your answer: drain ${view.confirm.nodeName ?? view.confirm.instanceId}?`;
  const paused = view.status === 'paused' ? 'Paused (holds before its next step); ' : '';
  const active = rows.find((r) => r.status === 'active' && r.steps.some((s) => s.status === 'running'));
  const running = active?.steps.find((s) => s.status === 'running');
  if (active && running) {
    // A wave's instances go through each step together: say so once for all of them.
    const together = rows.filter((r) => r.status === 'active' && r.steps.some((s) => s.step === running.step && s.status === 'running'));
    const text = together.length > 1 ? togetherText(state, together, running.step, now) : runningText(state, active, running, now);
    return paused + text + pauseAfterText(state);
  }
  if (view.interval) {
    const left = Math.max(0, view.interval.ms - (now - view.interval.startedAt));
    return `${paused}Waiting ${formatDuration(left)} before the next wave of ${view.interval.group} (interval).`;
  }
  if (view.validation && !view.validation.ok) return `${paused}Validating the cluster before ${view.currentGroup ?? 'the next group'}: ${validationWords(state)}`;
  if (view.status === 'planning') return 'Taking the rollout lock and reading the journal…';
  // A surge launches the replacements first: until they are in service no step of the wave runs.
  const w = view.waiting;
  if (w && w.ready < w.want) return `${paused}Waiting for the replacements in ${w.group}: ${w.ready} of ${w.want} in service and Ready, ${w.joining} joining.${pauseAfterText(state)}`;
  return paused ? `${paused.slice(0, -2)}.` : 'Between steps…';
}

function pauseAfterText(state: RolloutSessionState): string {
  return state.view.pauseAfterCurrent ? ' Then the rollout pauses, as you asked.' : '';
}

/** Several instances of a wave in the same step (lockstep). */
function togetherText(state: RolloutSessionState, rows: readonly InstanceRow[], step: InstanceStep, now: number): string {
  const names = rows.map((r) => r.nodeName ?? r.id).join(', ');
  const n = rows.length;
  switch (step) {
    case 'drain': {
      const blocked = rows.filter((r) => r.blocked);
      const evicted = rows.reduce((sum, r) => sum + r.evicted, 0);
      const held = blocked.length
        ? `; ${blocked.length} held up (${blocked.map((r) => `${r.nodeName ?? r.id} ${formatDuration(drainTimeLeft(state, r, now))} left`).join(', ')})`
        : '';
      return `Draining ${n} nodes together (${names}): ${evicted} pod(s) evicted so far${held}.`;
    }
    case 'confirm':
      return `Recording the answers for ${n} instances (${names}) in the rollout journal.`;
    case 'join':
    case 'validate':
    case 'deregister':
      return runningText(state, rows[0], rows[0].steps.find((s) => s.step === step)!, now).replace(who(rows[0]), `${n} instances (${names})`);
    default:
      return `${STEP_WORDS[step][0].toUpperCase()}${STEP_WORDS[step].slice(1)}: ${n} instances together (${names}).`;
  }
}

function runningText(state: RolloutSessionState, row: InstanceRow, cell: StepCell, now: number): string {
  const { view } = state;
  const took = cell.ms !== undefined ? ` (${formatDuration(cell.ms)})` : '';
  switch (cell.step) {
    case 'drain': {
      if (row.blocked) {
        const left = drainTimeLeft(state, row, now);
        return `Drain of ${who(row)} is blocked by ${row.blocked.pods.length} pod(s); ${formatDuration(left)} left before the drain timeout.`;
      }
      return `Draining ${who(row)}: ${row.evicted} pod(s) evicted so far${took}.`;
    }
    case 'join': {
      const w = view.waiting;
      return w ? `Waiting for ${w.group} to be whole again: ${w.ready} of ${w.want} Ready, ${w.joining} joining${took}.` : `Waiting for the replacement of ${row.id} to join${took}.`;
    }
    case 'validate':
      return `Validating the cluster after ${who(row)}: ${validationWords(state)}`;
    case 'detach':
      return `Detaching ${row.id} from ${row.group}: its replacement launches before it is drained${took}.`;
    case 'cordon':
      return `Cordoning ${who(row)}${took}.`;
    case 'deregister':
      return deregisterText(row, took);
    case 'post-drain':
      return `Post-drain delay after ${who(row)}${took}.`;
    case 'terminate':
      return `Terminating ${row.id}${took}.`;
    case 'confirm':
      // The question is answered (or being asked of the next instance of the wave); the answer is being journaled.
      return `Recording the answer for ${who(row)} in the rollout journal${took}.`;
    default:
      return `${STEP_WORDS[cell.step]} of ${who(row)}${took}.`;
  }
}

/** The deregister step as it stands: finding the load balancers, or waiting for connection draining from them. */
function deregisterText(row: InstanceRow, took: string): string {
  const lb = row.loadBalancers;
  if (lb?.action === 'draining') {
    const bound = lb.timeoutMs !== undefined ? ` (at most ${formatDuration(lb.timeoutMs)})` : '';
    return `Deregistered ${who(row)}: draining from ${lb.names.join(', ')}, waiting for connection draining to end${bound}${took}.`;
  }
  return `Labelling ${who(row)} excluded from load balancers and finding the load balancers it serves${took}.`;
}

function validationWords(state: RolloutSessionState): string {
  const v = state.view.validation;
  if (!v) return 'first check…';
  return `${v.consecutivePasses} of ${v.required} consecutive passes (attempt ${v.attempt}${v.ok ? ', passed' : `, failed: ${v.failures[0]?.message ?? 'unknown'}`}).`;
}

/** Clock ms left before a blocked drain times out. */
export function drainTimeLeft(state: RolloutSessionState, row: Pick<InstanceRow, 'id'>, now: number): number {
  const started = state.view.instances.find((i) => i.id === row.id)?.steps.drain?.startedAt;
  if (started === undefined) return state.timings.drainTimeoutMs;
  return Math.max(0, state.timings.drainTimeoutMs - (now - started));
}

/** What happens next, always: the rest of the current instance's steps, then the next instance. */
export function describeNext(state: RolloutSessionState, rows: readonly InstanceRow[]): string {
  if (state.phase === 'ended') {
    return state.result?.status === 'finished'
      ? 'Nothing: the rollout is over. r plans again (to check that nothing is left), Esc goes back.'
      : 'Nothing runs now. Fix the cause if there is one, then r plans again: a re-run resumes exactly where this one stopped.';
  }
  if (runIsOver(state)) return 'Nothing: the rollout has ended.';
  if (state.view.status === 'aborting') return 'The rollout stops; a node it cordoned and did not drain is uncordoned unless you chose to leave it cordoned (a node cordoned before the rollout stays cordoned).';
  const active = rows.filter((r) => r.status === 'active');
  const waiting = rows.find((r) => r.status === 'waiting');
  const parts: string[] = [];
  const current = active[0];
  if (current) {
    const rest = current.steps.filter((s) => s.status === 'pending').map((s) => STEP_WORDS[s.step]);
    if (state.view.confirm) parts.push(`on yes: ${rest.join(' → ') || 'replace it'}`);
    else if (current.skipping) parts.push(`${current.cordonedBefore ? 'leave' : 'uncordon'} ${who(current)}${current.cordonedBefore ? ' cordoned (as it was before the rollout)' : ''} and leave it unreplaced (its drain was skipped)`);
    else if (rest.length) parts.push(`${rest.join(' → ')}${active.length > 1 ? ` (${active.length} instances in this wave)` : ''}`);
  }
  if (waiting && state.view.pauseAfterCurrent) parts.push(`then PAUSE (as you asked), then ${who(waiting)} once you resume`);
  else if (waiting) parts.push(`then ${who(waiting)} in ${waiting.group}${state.yesToAll ? '' : ' (asked before its drain)'}`);
  else parts.push('then the rollout is finished');
  return parts.join('; ');
}

export function resultLine(state: RolloutSessionState): string {
  const r = state.result;
  if (!r) return '';
  const counts = `${r.replaced.length} replaced, ${r.skipped.length} skipped`;
  switch (r.status) {
    case 'finished':
      return `Rolling update finished in ${formatDuration(r.durationMs)}: ${counts}.`;
    case 'aborted':
      return `Rolling update aborted: ${r.reason ?? 'by the user'} (${counts}).`;
    case 'interrupted':
      return `Rolling update interrupted: ${r.reason ?? 'stopped'} (${counts}).`;
    default:
      return `Rolling update failed: ${r.reason ?? 'unknown reason'} (${counts}).`;
  }
}
