// What the rolling-update screen says about a run of another process, pure:
// its rows (the same per-instance step rows as the console's own runs), its
// holder, its request, and, in words, where it is as far as its journal tells
// and what this console can do about it. Only what the lock and the journal
// say: questions, pauses, drain progress and validation stay in that process.
import { describeHolder, formatDuration, type GroupKind, type InstanceStep, type OtherRun, type RolloutRequest, type WatchedRollout } from '../../engine/rollout/index.js';
import { STEP_WORDS as OWN_RUN_STEP_WORDS, type InstanceRow, type StepCell } from './rollout-progress.js';

/** One row per instance the journal has, in the order they started. */
export function watchRows(watched: WatchedRollout | undefined, kinds: ReadonlyMap<string, GroupKind>, now: number): InstanceRow[] {
  if (!watched) return [];
  return watched.instances.map((w): InstanceRow => {
    const steps = w.steps.map((step): StepCell => {
      const cell = w.view.steps[step];
      if (cell?.state === 'done') return { step, status: 'done' };
      if (cell?.state !== 'running') return { step, status: 'pending' };
      // After a confirm the run may be asking about the wave's next instance: the time since is not this step's.
      return { step, status: 'running', ms: w.lastStep === 'confirm' ? undefined : Math.max(0, now - w.lastAt) };
    });
    const status: InstanceRow['status'] = w.view.skipped ? 'skipped' : w.finished ? 'done' : steps.some((s) => s.status !== 'pending') ? 'active' : 'waiting';
    return { id: w.view.id, group: w.view.group, kind: kinds.get(w.view.group) ?? 'Node', nodeName: w.view.nodeName, status, steps, evicted: 0, skipReason: w.view.skipReason };
  });
}

/** The status word of the header. */
export function watchStatus(other: OtherRun, watched: WatchedRollout | undefined): string {
  if (other.kind === 'live') return 'RUNNING in another process';
  if (other.kind === 'stopped') return 'STOPPED in another process';
  return `${(watched?.view.status ?? 'ended').toUpperCase()} in another process`;
}

/** "alice@laptop (CLI), pid 4242 on laptop · started 10:31:02 (45s ago) · heartbeat 3s ago" (wall clock, as the lock's times). */
export function holderLine(other: Exclude<OtherRun, { kind: 'none' }>, wallNow: number): string {
  const { lock } = other;
  const started = `started ${clockTime(lock.acquiredAt)} (${formatDuration(wallNow - lock.acquiredAt)} ago)`;
  const beat = other.kind === 'live' ? ` · heartbeat ${formatDuration(wallNow - lock.heartbeatAt)} ago` : '';
  return `${describeHolder(lock)} · ${started}${beat}`;
}

/** The request in words: "forced (every instance); all instance groups". */
export function requestLine(watched: WatchedRollout | undefined): string {
  if (!watched) return 'not in its journal yet';
  const request: RolloutRequest | undefined = watched.request;
  const resumed = watched.view.resumed ? '; resuming a rollout an earlier run began' : '';
  if (!request) return `not recorded (a journal of an older version)${resumed}`;
  const scope = [
    request.instanceGroups.length ? `instance groups ${request.instanceGroups.join(', ')}` : '',
    request.roles.length ? `roles ${request.roles.join(', ')}` : '',
  ].filter(Boolean);
  const parts = [
    request.force ? 'forced (every instance, up to date or not)' : 'only instances out of date',
    scope.length ? scope.join(', ') : 'all instance groups',
    ...(request.cloudOnly ? ['cloud only (no drain)'] : []),
  ];
  return parts.join('; ') + resumed;
}

// The answer is given in the process that runs the rollout, not here.
const STEP_WORDS: Record<InstanceStep, string> = { ...OWN_RUN_STEP_WORDS, confirm: 'confirm' };

/** The step under way, in a sentence about the instance(s). */
const NOW_WORDS: Record<InstanceStep, (who: string) => string> = {
  confirm: (n) => `Confirming ${n}`,
  detach: (n) => `Detaching ${n}: its replacement launches first`,
  cordon: (n) => `Cordoning ${n}`,
  deregister: (n) => `Taking ${n} out of its load balancers`,
  drain: (n) => `Draining ${n}`,
  'post-drain': (n) => `Post-drain delay after ${n}`,
  terminate: (n) => `Terminating ${n}`,
  join: (n) => `Waiting for the replacement of ${n} to join`,
  validate: (n) => `Validating the cluster after ${n}`,
};

const who = (row: InstanceRow) => (row.nodeName ? `${row.nodeName} (${row.id})` : row.id);

/** Where the run is, in a sentence. */
export function watchNow(other: OtherRun, watched: WatchedRollout | undefined, rows: readonly InstanceRow[]): string {
  if (other.kind === 'none') return '';
  if (other.kind === 'stopped') return `That run stopped without finishing: ${other.why}.`;
  if (other.kind === 'ended') return endedText(watched, rows);
  if (!watched) return 'Starting: it holds the lock and is planning; its journal has nothing of this run yet.';
  if (['finished', 'aborted', 'failed'].includes(watched.view.status)) {
    return `Ending: its journal says ${watched.view.status}${watched.view.reason ? ` (${watched.view.reason})` : ''}; it is letting go of its lock.`;
  }
  const active = rows.filter((r) => r.steps.some((s) => s.status === 'running'));
  if (active.length === 0) {
    if (watched.notStarted.length === 0 && rows.length > 0) return 'Every instance is recorded done or skipped: it is finishing.';
    return 'Nothing under way in its journal: it is between recorded steps (validating the cluster, waiting its interval, or asking about the next instance in that process).';
  }
  const step = active[0].steps.find((s) => s.status === 'running')!.step;
  const together = active.filter((r) => r.steps.some((s) => s.status === 'running' && s.step === step));
  const names = together.length > 1 ? `${together.length} instances together (${together.map((r) => r.nodeName ?? r.id).join(', ')})` : who(together[0]);
  // Right after a confirm the run may still be asking about the rest of its wave (in that process): only the order is known.
  if (watched.instances.find((i) => i.view.id === together[0].id)?.lastStep === 'confirm') return `${names} confirmed; next: ${STEP_WORDS[step]}.`;
  return `${NOW_WORDS[step](names)}.`;
}

/** The journal's last record and how long ago it was written (cluster clock, as the journal's times), while the run is live. */
export function lastRecordLine(other: OtherRun, watched: WatchedRollout | undefined, now: number): string | undefined {
  const last = watched?.last;
  if (other.kind !== 'live' || !last) return undefined;
  return `${last.step} of ${last.node ?? last.instance}, ${formatDuration(Math.max(0, now - last.at))} ago`;
}

function endedText(watched: WatchedRollout | undefined, rows: readonly InstanceRow[]): string {
  const replaced = rows.filter((r) => r.status === 'done').length;
  const skipped = rows.filter((r) => r.status === 'skipped').length;
  const counts = `${replaced} replaced, ${skipped} skipped`;
  const status = watched?.view.status;
  if (status === 'finished') return `That run finished: ${counts}.`;
  return `That run ${status ?? 'ended'}: ${watched?.view.reason ?? 'no reason recorded'} (${counts}).`;
}

/** What comes next, and what this console can do. */
export function watchNext(other: OtherRun, watched: WatchedRollout | undefined, rows: readonly InstanceRow[]): string {
  if (other.kind === 'stopped') {
    const lock = { stale: ' (its lock is still held: starting asks before breaking it)', gone: ' (the lock of a process that is gone is taken over)', damaged: ' (its damaged lock is taken over only if you confirm)', released: '' }[other.cause];
    return `r plans its resume here: starting continues its journal${lock}. Esc goes back.`;
  }
  if (other.kind === 'ended') {
    return watched?.view.status === 'finished'
      ? 'r plans again (to check that nothing is left), Esc goes back.'
      : 'r plans again: a new run resumes where that one stopped. Esc goes back.';
  }
  const parts: string[] = [];
  const current = rows.find((r) => r.steps.some((s) => s.status === 'running'));
  if (current) {
    const after = current.steps.slice(current.steps.findIndex((s) => s.status === 'running') + 1).map((s) => STEP_WORDS[s.step]);
    if (after.length) parts.push(after.join(' → '));
  }
  const left = (watched?.notStarted.length ?? 0) + rows.filter((r) => r.status === 'waiting').length;
  if (parts.length === 0) return left > 0 ? `${left} instance(s) not started yet.` : 'the rollout is finished.';
  parts.push(left > 0 ? `then ${left} more instance(s) not started yet` : 'then the rollout is finished');
  return parts.join('; ');
}

/** HH:MM:SS, local time. */
function clockTime(epochMs: number): string {
  const d = new Date(epochMs);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}
