// The rolling-update screen's keys, as data: one list per moment (the plan,
// a drain question, the abort question, the run, the result). The same list
// drives dispatch, the footer and the `?` help.
import { planHasWork, type OtherRun } from '../../engine/rollout/index.js';
import type { KeyAction } from '../../input/actions.js';
import type { RolloutWatch } from '../../sessions/rollout-watch.js';
import type { RolloutSession } from '../../sessions/rollout-session.js';
import type { RolloutSessionState } from '../../sessions/rollout-session-state.js';
import type { Router } from '../../hooks/useRouter.js';
import type { Shell } from '../../hooks/useShell.js';

export type RolloutMode = 'loading' | 'problem' | 'plan' | 'confirm' | 'abort' | 'running' | 'ended';

export function modeOf(state: RolloutSessionState, askingAbort: boolean): RolloutMode {
  switch (state.phase) {
    case 'idle':
    case 'planning':
      return 'loading';
    case 'error':
      return 'problem';
    case 'plan':
      return 'plan';
    case 'ended':
      return 'ended';
    case 'running':
      if (askingAbort) return 'abort';
      return state.view.confirm ? 'confirm' : 'running';
  }
}

export interface ActionInputs {
  mode: RolloutMode;
  state: RolloutSessionState;
  session: RolloutSession;
  router: Router;
  shell: Shell;
  /** Instances still to be asked about after the pending one. */
  remaining: number;
  setAskingAbort(value: boolean): void;
  /** Scroll keys of the part that scrolls (plan lines, pods of the question). */
  scroll: KeyAction[];
  /** Drains held up now (lockstep waves can have several): the first one is the one s skips. */
  blocked: readonly { id: string; nodeName?: string; cordonedBefore?: boolean }[];
  /** The blocked-drain panel is folded to one line ("keep waiting" was chosen). */
  keepWaiting(): void;
  /** The rehearsal of the plan (h): absent or unavailable, no h key. */
  rehearsal?: { available: boolean; start(): void };
}

export function rolloutActions(inputs: ActionInputs): KeyAction[] {
  const { mode, state, session, router, shell, setAskingAbort } = inputs;
  const cluster = state.cluster;
  // While paused nothing runs: what leaving or backing out of abort leaves is a paused rollout.
  const paused = state.view.status === 'paused';
  const leave: KeyAction = {
    key: 'escape',
    label: paused ? 'back (the rollout stays paused)' : 'back (the rollout keeps running)',
    short: 'back',
    run: () => {
      const question = state.view.confirm ? (state.view.confirm.noDrain ? ' A question is waiting there.' : ' A drain question is waiting there.') : '';
      shell.flash(`The rolling update of ${cluster} ${paused ? 'stays paused' : 'keeps running'}; :rollout ${cluster} returns to it.${question}`, 'warn');
      if (!router.back()) router.push({ name: 'clusters' });
    },
  };
  const quit: KeyAction = {
    key: 'q',
    label: 'quit',
    dangerous: true,
    confirm: `Quit while the rolling update of ${cluster} runs? It stops at once where it is and lets go of its lock; nothing is undone, and running it again resumes from its journal.`,
    run: () => void session.interrupt('the console was quit').finally(() => shell.quit()),
  };
  const pause: KeyAction = state.view.status === 'paused'
    ? { key: 'p', label: 'resume', essential: true, run: () => session.resume() }
    : { key: 'p', label: 'pause (after the current step)', short: 'pause', essential: true, run: () => session.pause() };
  const scheduled = state.view.pauseAfterCurrent === true;
  const pauseAfter: KeyAction = {
    key: 'P',
    label: scheduled ? 'cancel the pause after the current instance' : 'pause after the current instance(s)',
    short: scheduled ? 'cancel pause after' : 'pause after',
    hidden: state.view.status === 'paused',
    disabled: state.view.status === 'paused',
    run: () => session.setPauseAfterCurrent(!scheduled),
  };
  const abort: KeyAction = { key: 'x', label: 'abort…', essential: true, run: () => setAskingAbort(true) };
  const stuck = inputs.blocked[0];
  const stuckName = stuck ? (stuck.nodeName ?? stuck.id) : '';
  const blockedKeys: KeyAction[] = stuck
    ? [
        { key: 'w', label: 'keep waiting', short: 'wait', run: inputs.keepWaiting },
        {
          key: 's',
          label: `skip ${stuckName} (${stuck.cordonedBefore ? 'stays cordoned' : 'uncordon'}, not replaced)`,
          short: `skip ${stuckName}`,
          essential: true,
          run: () => {
            if (!session.skipDrain(stuck.id)) shell.flash(`The drain of ${stuckName} is no longer in progress: nothing to skip.`, 'warn');
          },
        },
      ]
    : [];
  switch (mode) {
    case 'loading':
      return [];
    case 'problem':
      return [
        { key: 'r', aliases: ['ctrl+r'], label: 'plan again', run: () => session.replan() },
        {
          key: 'b',
          label: 'break the stale lock and resume',
          hidden: !state.problem?.staleLock,
          disabled: !state.problem?.staleLock,
          dangerous: true,
          confirm: `Break the rollout lock of ${cluster} held by ${state.problem?.staleLock?.holder ?? 'another run'}? Only if that run is really gone: two rollouts at once would fight over the nodes.`,
          run: () => void session.start({ breakStaleLock: true }),
        },
      ];
    case 'plan': {
      const nothing = !state.plan || !planHasWork(state.plan);
      return [
        { key: 'enter', label: 'start (asks before each drain)', short: 'start', essential: true, disabled: nothing, run: () => void session.start() },
        { key: 'f', label: state.force ? 'force: on → off' : 'force: off → on', short: state.force ? 'force off' : 'force on', run: () => session.setForce(!state.force) },
        { key: 'r', aliases: ['ctrl+r'], label: 'plan again', run: () => session.replan() },
        ...rehearseKey(inputs.rehearsal, nothing),
        ...inputs.scroll,
      ];
    }
    case 'confirm': {
      // A bastion (no node) or --cloudonly: the question is a replacement, not a drain.
      const replaceOnly = Boolean(state.view.confirm?.noDrain);
      return [
        { key: 'y', label: replaceOnly ? 'replace' : 'drain', essential: true, run: () => session.answer('yes') },
        { key: 's', label: replaceOnly ? 'skip this instance (not replaced)' : 'skip this node (not replaced)', short: 'skip', essential: true, run: () => session.answer('skip') },
        {
          key: 'a',
          label: 'yes to all remaining',
          short: 'yes to all',
          dangerous: true,
          confirm: replaceOnly
            ? `Yes to all: replace this instance and the ${inputs.remaining} remaining without asking again? Every later replacement and drain then starts on its own, without showing you its pods (p still pauses, x still aborts).`
            : `Yes to all: drain this node and the ${inputs.remaining} remaining without asking again? Every later drain then starts on its own, without showing you its pods (p still pauses, x still aborts).`,
          run: () => session.yesToAll(),
        },
        { key: 'p', label: replaceOnly ? 'pause after this instance (replaces it first)' : 'pause after this node (drains it first)', short: 'then pause', run: () => session.pauseAfterThis() },
        abort,
        ...inputs.scroll,
        leave,
        quit,
      ];
    }
    case 'abort':
      return [
        { key: 'u', label: 'abort, uncordon', essential: true, run: () => (setAskingAbort(false), session.abort('uncordon')) },
        { key: 'l', label: 'abort, leave cordoned', essential: true, run: () => (setAskingAbort(false), session.abort('leave-cordoned')) },
        { key: 'n', aliases: ['escape'], label: paused ? 'stay paused' : 'keep running', essential: true, run: () => setAskingAbort(false) },
        quit,
      ];
    case 'running':
      return [...blockedKeys, pause, pauseAfter, abort, leave, quit];
    case 'ended':
      return [{ key: 'r', aliases: ['ctrl+r'], label: 'plan again (resumes if unfinished)', short: 'plan again', essential: true, run: () => session.replan() }];
  }
}

/**
 * Watching another process's run: only keys that work here. Nothing that
 * starts, resumes or breaks: that run holds the lock (Esc, going back, is
 * global). Once it ended or stopped, r plans here (a resume if unfinished).
 */
export function watchActions(other: OtherRun, watch: Pick<RolloutWatch, 'refresh' | 'dismiss'>, session: Pick<RolloutSession, 'replan'>): KeyAction[] {
  if (other.kind === 'none') return [];
  if (other.kind === 'live') return [{ key: 'r', aliases: ['ctrl+r'], label: 'look again now', run: () => void watch.refresh() }];
  const label = other.kind === 'stopped' ? 'plan its resume' : 'plan again';
  return [
    {
      key: 'r',
      aliases: ['ctrl+r'],
      label,
      run: () => {
        watch.dismiss();
        session.replan();
      },
    },
  ];
}

/** h on the plan: rehearse it in a private simulator (the cluster is only read); only where the console can start one. */
function rehearseKey(rehearsal: ActionInputs['rehearsal'], nothing: boolean): KeyAction[] {
  if (!rehearsal?.available) return [];
  return [
    {
      key: 'h',
      label: 'rehearse in a private simulator: predicted timeline, blocked drains, unavailable pods (the cluster is only read)',
      short: 'rehearse',
      disabled: nothing,
      run: rehearsal.start,
    },
  ];
}

/** While the rehearsal (or its report) is shown: back to the plan, run it again, scroll. */
export function rehearsalActions(phase: string, close: () => void, again: () => void, scroll: KeyAction[]): KeyAction[] {
  return [
    { key: 'escape', label: 'back to the plan', short: 'plan', essential: true, run: close },
    { key: 'h', label: 'rehearse again', short: 'again', disabled: phase === 'running', hidden: phase === 'running', run: again },
    ...scroll,
  ];
}
