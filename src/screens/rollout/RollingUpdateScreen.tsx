// The supervised rolling update of one cluster: first the plan (kops' table,
// the order, the estimate), then the live run, with the drain question
// before every drain. The run lives in a session above the router
// (sessions/rollout-session.ts): leaving this screen does not stop it, and
// coming back shows it where it is. A rollout another process runs (the CLI,
// another console) is watched instead, read-only (sessions/rollout-watch.ts),
// until it ends or stops.
import { Box, Text } from 'ink';
import { useEffect, useMemo, useState } from 'react';
import { ErrorBox } from '../../components/ErrorBox.js';
import { Loading } from '../../components/Loading.js';
import { describeNext, describeNow, instanceRows, progressOf, resultLine } from './rollout-progress.js';
import type { RolloutSessionState } from '../../sessions/rollout-session-state.js';
import { useBodySize } from '../../hooks/useBodySize.js';
import { useScreenActions } from '../../hooks/useKeymap.js';
import { useRollout } from '../../hooks/useRollout.js';
import { useRolloutWatch } from '../../hooks/useRolloutWatch.js';
import { watchRows } from './rollout-watch-progress.js';
import { useRouter } from '../../hooks/useRouter.js';
import { useScroll } from '../../hooks/useScroll.js';
import { useShell } from '../../hooks/useShell.js';
import { AbortPanel, abortPanelRows } from './AbortPanel.js';
import { confirmChromeRows, ConfirmPanel, confirmPodLines } from './ConfirmPanel.js';
import { planLines, planViewChromeRows, PlanView } from './PlanView.js';
import { modeOf, rehearsalActions, rolloutActions, watchActions } from './rollout-actions.js';
import { useRehearsal } from '../../hooks/useRehearsal.js';
import { rehearsalLines, RehearsalView } from './RehearsalView.js';
import { BlockedDrain, blockedDrainRows, Notes, RunHeader, runHeaderRows, StepList, ValidationLine } from './RunView.js';
import { RolloutEvents, rolloutEventsHeight } from './RolloutEvents.js';
import { WatchView } from './WatchView.js';

export function RollingUpdateScreen({ cluster }: { cluster: string }) {
  const { session, state, now } = useRollout(cluster);
  // While this console runs its own rollout the lock is its own: nothing to watch.
  const ownRun = state.phase === 'running';
  const watching = useRolloutWatch(cluster, !ownRun);
  const other = !ownRun && watching.state.other.kind !== 'none' ? watching.state.other : undefined;
  // Until the first look nobody knows whether a plan would be offered next to a live run.
  const firstLook = !ownRun && !watching.state.looked;
  const watchedRows = useMemo(() => watchRows(watching.state.watched, watching.state.kinds, now), [watching.state, now]);
  // Plans on arrival once nothing else runs (a plan made next to a live run would show it as crashed).
  const nothingToWatch = watching.state.looked && watching.state.other.kind === 'none';
  useEffect(() => {
    if (nothingToWatch) session.ensurePlanned();
  }, [session, nothingToWatch]);
  const router = useRouter();
  const shell = useShell();
  const body = useBodySize();
  const [askingAbort, setAskingAbort] = useState(false);
  // Blocked drains the user chose to keep waiting for: their panel folds to one line.
  const [waitingFor, setWaitingFor] = useState<ReadonlySet<string>>(new Set());
  const mode = modeOf(state, askingAbort && state.phase === 'running');
  const width = body.columns;

  const rows = useMemo(() => instanceRows(state, now), [state, now]);
  // What happens now and next, wrapped: the rows they take are the header's.
  const nowText = describeNow(state, rows, now);
  const nextText = describeNext(state, rows);
  const headerRows = runHeaderRows(nowText, nextText, width);
  const request = state.view.confirm;
  const remaining = rows.filter((r) => r.status === 'waiting' && r.id !== request?.instanceId).length;

  // The part that scrolls: the plan's lines, or the pods of the drain question.
  const plan = state.phase === 'plan' ? state.plan : undefined;
  const lines = useMemo(() => (plan ? planLines(plan, state.unfinished, width) : []), [plan, state.unfinished, width]);
  const podLines = useMemo(() => (request ? confirmPodLines(request, width) : []), [request, width]);
  const confirmChrome = request ? confirmChromeRows(request, width) : 0;
  // The list gets up to 60% of the body with the panel, at least 3 rows, and never pushes the panel's answers off the screen.
  const confirmRows = request?.noDrain ? 0 : Math.max(1, Math.min(Math.max(3, Math.min(podLines.length, Math.floor(body.rows * 0.6) - confirmChrome)), body.rows - headerRows - 1 - confirmChrome));
  const planScroll = useScroll('rollout-plan', lines.length, Math.max(1, body.rows - (plan ? planViewChromeRows(plan, width) : 4)));
  const rehearsal = useRehearsal(cluster);
  const rehearsing = mode === 'plan' && rehearsal.state.phase !== 'idle';
  const reportLines = useMemo(() => rehearsalLines(rehearsal.state), [rehearsal.state]);
  const reportScroll = useScroll('rollout-rehearsal', reportLines.length, Math.max(1, body.rows - 4));
  const startRehearsal = () => {
    if (plan) void rehearsal.session.start(plan);
  };
  const podScroll = useScroll('rollout-pods', podLines.length, confirmRows, 'Pods');

  // Lockstep waves drain several nodes at once: every held-up drain is shown; s skips the first.
  const blockedRows = rows.filter((r) => r.blocked && r.status === 'active' && !r.skipping);
  const keepWaiting = () => setWaitingFor(new Set([...waitingFor, ...blockedRows.map((r) => r.id)]));
  const actions = other ? watchActions(other, watching.watch, session) : firstLook ? [] : rehearsing ? rehearsalActions(rehearsal.state.phase, () => rehearsal.session.close(), startRehearsal, reportScroll.actions) : rolloutActions({
    mode,
    state,
    session,
    router,
    shell,
    remaining,
    setAskingAbort,
    scroll: mode === 'plan' ? planScroll.actions : mode === 'confirm' ? podScroll.actions : [],
    blocked: mode === 'running' ? blockedRows : [],
    keepWaiting,
    rehearsal: { available: rehearsal.session.available, start: startRehearsal },
  });
  useScreenActions(`Rolling update of ${cluster}`, actions, { cluster });

  if (firstLook) return <Loading label={`Looking for a rolling update of ${cluster} in another process…`} />;
  if (other) {
    const { watched, error } = watching.state;
    return <WatchView cluster={cluster} other={other} watched={watched} rows={watchedRows} error={error} now={now} wallNow={Date.now()} width={width} height={body.rows} />;
  }

  if (mode === 'loading') return <Loading label={`${state.step ?? 'Planning'}…`} />;
  if (mode === 'problem') {
    const p = state.problem!;
    return <ErrorBox title={p.title} error={p.message} hint={p.hint} width={width} />;
  }
  if (rehearsing) return <RehearsalView cluster={cluster} state={rehearsal.state} lines={reportLines} scroll={reportScroll} width={width} height={body.rows} />;
  if (mode === 'plan' && plan) return <PlanView state={state} plan={plan} lines={lines} scroll={planScroll} width={width} height={body.rows} />;

  const progress = progressOf(state, rows, now);
  const folded = blockedRows.length > 0 && blockedRows.every((r) => waitingFor.has(r.id));
  // Under the panel go the validation lines and the notes; the step list takes the rows left.
  const validationRows = mode !== 'confirm' && mode !== 'ended' && (state.view.validation || state.view.waiting) ? [state.view.warning, state.view.waiting, state.view.validation].filter(Boolean).length : 0;
  let used = headerRows + 1;
  // A panel shortens its lists to leave them room; what it cannot shorten (its sentences, its keys) comes first.
  const panelRoom = body.rows - used - validationRows - Math.min(2, state.notes.length);
  const panel = (() => {
    if (mode === 'abort') {
      const paused = state.view.status === 'paused';
      used += abortPanelRows(rows, paused, width, panelRoom);
      return <AbortPanel rows={rows} paused={paused} width={width} maxRows={panelRoom} />;
    }
    if (mode === 'confirm' && request) {
      used += confirmChrome + confirmRows;
      return <ConfirmPanel request={request} lines={podLines} scroll={podScroll} listRows={confirmRows} remaining={remaining} width={width} />;
    }
    if (blockedRows.length > 0) {
      used += blockedDrainRows(state, blockedRows, folded, now, width, panelRoom);
      return <BlockedDrain state={state} rows={blockedRows} folded={folded} now={now} width={width} maxRows={panelRoom} />;
    }
    return null;
  })();
  const ended = mode === 'ended' ? <EndPanel state={state} width={width} /> : null;
  if (ended) used += state.result?.status === 'finished' ? 1 : 5;
  // What does not fit under a panel that could not shorten enough is left out, never pushed off the screen.
  const showValidation = validationRows > 0 && body.rows - used >= validationRows;
  if (showValidation) used += validationRows;
  const notes = Math.max(0, Math.min(2, state.notes.length, body.rows - used));
  return (
    <Box flexDirection="column" width={width}>
      <RunHeader state={state} progress={progress} now={nowText} next={nextText} width={width} />
      <Text> </Text>
      {ended}
      {panel}
      {showValidation ? <ValidationLine state={state} width={width} /> : null}
      <StepList rows={rows} height={body.rows - used - notes - rolloutEventsHeight(body.rows - used - notes)} width={width} />
      <RolloutEvents cluster={cluster} rows={rows} space={body.rows - used - notes} width={width} />
      {notes > 0 ? <Notes notes={state.notes.slice(-notes)} width={width} /> : null}
    </Box>
  );
}

function EndPanel({ state, width }: { state: RolloutSessionState; width: number }) {
  const result = state.result;
  if (!result) return null;
  if (result.status === 'finished') return <Text color="green" bold wrap="truncate-end">{resultLine(state)}</Text>;
  const what = result.status === 'aborted' ? `The rolling update of ${state.cluster} was aborted` : `The rolling update of ${state.cluster} stopped`;
  const hint =
    result.status === 'aborted'
      ? 'Nothing more happens. Press r to plan again: a re-run resumes exactly where this one stopped.'
      : /did not validate/.test(result.reason ?? '')
        ? 'The cluster did not come back to health in time: look at the failing nodes (:overview), fix the cause, then press r; a re-run resumes where this one stopped.'
        : 'Fix the cause (the message says what failed), then press r to plan again: a re-run resumes where this one stopped.';
  return <ErrorBox title={what} error={result.reason ?? 'no reason given'} hint={hint} width={width} />;
}
