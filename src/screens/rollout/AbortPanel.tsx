// Abort, confirmed: the rollout stops at the next safe point between steps
// (a drain in progress is cancelled). The one choice to make is what happens
// to a node that is cordoned but not yet drained: uncordon it (the default,
// nothing is left half-done) or leave it cordoned (to look at it first).
// Instances a surge detached and did not terminate yet are named: they keep
// running outside their group until the rollout runs again. While paused the
// rollout is already between steps: it stops there, and backing out leaves it
// paused, not running. Every sentence wraps to the panel's width (it is read
// in full before answering); on a short screen the lists of names shorten.
import { Box, Text } from 'ink';
import { wrapWords } from '../../components/Notice.js';
import { StyledRows, wrapRuns, type Run } from '../../components/StyledLines.js';
import type { InstanceRow } from './rollout-progress.js';

/** Columns and rows the panel's border and padding take. */
const FRAME_COLUMNS = 4;
const FRAME_ROWS = 2;

/** Nodes cordoned (or being cordoned) whose drain has not finished. */
export function cordonedNotDrained(rows: readonly InstanceRow[]): InstanceRow[] {
  return rows.filter((r) => {
    const cordon = r.steps.find((s) => s.step === 'cordon');
    const drain = r.steps.find((s) => s.step === 'drain');
    return cordon && cordon.status !== 'pending' && drain?.status !== 'done';
  });
}

/** Instances a surge detached from their group that are not terminated yet: they keep running outside it. */
export function detachedNotTerminated(rows: readonly InstanceRow[]): InstanceRow[] {
  return rows.filter((r) => r.status !== 'skipped' && r.steps.some((s) => s.step === 'detach' && s.status === 'done') && !r.steps.some((s) => s.step === 'terminate' && s.status === 'done'));
}

/** The first `shown` names, and how many more. */
function nameList(names: readonly string[], shown: number): string {
  return names.length > shown ? `${names.slice(0, shown).join(', ')} and ${names.length - shown} more` : names.join(', ');
}

interface AbortLayout {
  stops: string[];
  detached: string[];
  cordoned: string[];
  choices: Run[][][];
  again: string[];
}

function layoutWith(rows: readonly InstanceRow[], paused: boolean, width: number, shown: number): AbortLayout {
  const inner = width - FRAME_COLUMNS;
  const cordoned = cordonedNotDrained(rows).map((r) => r.nodeName ?? r.id);
  const detached = detachedNotTerminated(rows).map((r) => (r.nodeName ? `${r.id} (${r.nodeName})` : r.id));
  const stops = `${paused ? 'It is paused between steps and stops there.' : 'It stops at the next safe point between steps (a drain in progress is cancelled).'} Instances already replaced stay replaced; a drained node stays cordoned.`;
  const detachedText =
    detached.length > 0
      ? detached.length === 1
        ? `Detached from its group and still running: ${nameList(detached, shown)}; it stays up outside the group (its replacement is in the group) until the rolling update runs again, which drains and terminates it.`
        : `Detached from their group and still running: ${nameList(detached, shown)}; they stay up outside the group (their replacements are in the group) until the rolling update runs again, which drains and terminates them.`
      : 'No instance is detached from its group and still running.';
  const cordonedText =
    cordoned.length > 0
      ? `Cordoned but not drained right now: ${nameList(cordoned, shown)}. Choose what happens to it:`
      : 'No node is cordoned-but-not-drained right now; if one is when the rollout stops, choose what happens to it:';
  const choice = (keys: Run[], text: string) => wrapRuns([...keys, { text: ` ${text}` }], inner, 2);
  return {
    stops: wrapWords(stops, inner),
    detached: wrapWords(detachedText, inner),
    cordoned: wrapWords(cordonedText, inner),
    choices: [
      choice([{ text: 'u', bold: true, color: 'red' }], 'abort and uncordon it (pods may be scheduled there again)'),
      choice([{ text: 'l', bold: true, color: 'red' }], 'abort and leave it cordoned (no new pods; uncordon it yourself later)'),
      choice([{ text: 'n', bold: true }, { text: ' / ' }, { text: 'Esc', bold: true }], paused ? 'do not abort: the rollout stays paused' : 'keep the rollout running'),
    ],
    again: wrapWords('Running the rolling update again later resumes exactly where it stopped.', inner),
  };
}

function rowsOf(layout: AbortLayout): number {
  const { stops, detached, cordoned, choices, again } = layout;
  return FRAME_ROWS + 1 + stops.length + detached.length + cordoned.length + choices.reduce((sum, c) => sum + c.length, 0) + again.length;
}

/**
 * The panel's sentences wrapped to `width`: every name while they fit in
 * `maxRows`, else fewer names ("and 3 more"), down to one of each. Past that
 * it takes more than `maxRows`: nothing it says is left out.
 */
function abortLayout(rows: readonly InstanceRow[], paused: boolean, width: number, maxRows: number): AbortLayout {
  let shown = Math.max(cordonedNotDrained(rows).length, detachedNotTerminated(rows).length, 1);
  let layout = layoutWith(rows, paused, width, shown);
  while (shown > 1 && rowsOf(layout) > maxRows) layout = layoutWith(rows, paused, width, --shown);
  return layout;
}

/** Rows the panel takes at this width, within `maxRows` when it can. */
export function abortPanelRows(rows: readonly InstanceRow[], paused: boolean, width: number, maxRows = Infinity): number {
  return rowsOf(abortLayout(rows, paused, width, maxRows));
}

export interface AbortPanelProps {
  rows: readonly InstanceRow[];
  paused?: boolean;
  width: number;
  /** The rows it may take (the screen's layout counts them with abortPanelRows). */
  maxRows?: number;
}

export function AbortPanel({ rows, paused = false, width, maxRows = Infinity }: AbortPanelProps) {
  const layout = abortLayout(rows, paused, width, maxRows);
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="red" paddingX={1} width={width}>
      <Text bold color="red">
        Abort the rolling update?
      </Text>
      {[...layout.stops, ...layout.detached, ...layout.cordoned].map((line, i) => (
        <Text key={i} wrap="truncate-end">
          {line}
        </Text>
      ))}
      <StyledRows rows={layout.choices.flat()} />
      {layout.again.map((line, i) => (
        <Text key={i} dimColor wrap="truncate-end">
          {line}
        </Text>
      ))}
    </Box>
  );
}
