// The rollout while it runs (and after): a status line with progress, elapsed
// time and ETA; what is happening now and what comes next; the panel of the
// moment (a blocked drain, the validation checks, the end result); and one
// line of steps per instance, in the order they go.
import { Box, Text } from 'ink';
import { fit } from '../../components/cells.js';
import { wrapIndented, wrapWords } from '../../components/Notice.js';
import { StyledRows, wrapRuns, type Run } from '../../components/StyledLines.js';
import { fitPieces, type Piece } from '../../components/fit-pieces.js';
import { compactChips, StepChips, type Chip } from '../../components/StepChips.js';
import { formatDuration } from '../../engine/rollout/index.js';
import type { BlockedPod } from '../../engine/kube/node-ops.js';
import { drainTimeLeft, runStatusOf, type Eta, type InstanceRow, type Progress } from './rollout-progress.js';
import type { RolloutSessionState } from '../../sessions/rollout-session-state.js';
import { terminalSafe } from '../../engine/output/terminal-safe.js';
import { distinctTruncate } from '../../engine/output/distinct-truncate.js';
import { truncateToWidth } from '../../engine/output/display-width.js';

const STATUS_COLORS: Record<string, string> = { running: 'cyan', paused: 'yellow', aborting: 'red', finished: 'green', failed: 'red', aborted: 'yellow', interrupted: 'yellow', planning: 'cyan' };

/**
 * Status, progress, elapsed time and ETA on one line, then what happens now
 * and next. On a narrow terminal the line says the same in fewer words and
 * leaves out the cluster's name (the console's header shows it) and the wave,
 * never the status, the counts, the times or "yes to all".
 */
export function RunHeader({ state, progress, now, next, width }: { state: RolloutSessionState; progress: Progress; now: string; next: string; width: number }) {
  const status = runStatusOf(state);
  const skipped = progress.skipped ? `, ${progress.skipped} skipped` : '';
  const wave = state.view.wave && state.phase !== 'ended' ? state.view.wave : undefined;
  const pieces: (Piece & { color?: string; bold?: boolean })[] = [
    { long: `Rolling update of ${state.cluster}`, short: '', color: 'cyan', bold: true },
    { long: status.toUpperCase(), essential: true, color: STATUS_COLORS[status], bold: true },
    // A skipped instance was not replaced: it is not counted as done.
    { long: `${progress.done} of ${progress.total} instances replaced${skipped}`, short: `${progress.done}/${progress.total} replaced${skipped}`, essential: true },
    ...(progress.elapsedMs !== undefined ? [{ long: `elapsed ${formatDuration(progress.elapsedMs)}`, essential: true }] : []),
    ...(progress.eta ? [{ long: etaText(progress.eta), short: etaText(progress.eta, 'short'), essential: true }] : []),
    ...(state.yesToAll ? [{ long: 'yes to all', essential: true, color: 'yellow' }] : []),
    ...(wave ? [{ long: `${wave.group} wave ${wave.wave}/${wave.waves}`, short: `wave ${wave.wave}/${wave.waves}` }] : []),
  ];
  const shown = fitPieces(pieces, width, '  ·  ', ' · ');
  // The short form of the line is joined by narrower separators, as fitPieces measured it.
  const compact = shown.length < pieces.length || shown.some((p) => p.text !== pieces[p.index].long);
  const separator = compact ? ' · ' : '  ·  ';
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate-end">
        {shown.map(({ index, text }, i) => (
          <Text key={index}>
            {i > 0 ? separator : ''}
            <Text bold={pieces[index].bold} color={pieces[index].color}>
              {text}
            </Text>
          </Text>
        ))}
      </Text>
      <LabelledLines label="Now:" lines={headerSentence('Now:', now, width)} />
      <LabelledLines label="Next:" lines={headerSentence('Next:', next, width)} />
    </Box>
  );
}

/** Rows "Now:" and "Next:" may each take: read at a glance, so wrapped, but never pushing the run off the screen. */
const SENTENCE_ROWS = 2;

/** "Now: …" or "Next: …" wrapped to the width, at most two rows (the second ends with … when more was to say). */
export function headerSentence(label: string, text: string, width: number): string[] {
  const lines = wrapWords(`${label} ${text}`, width);
  if (lines.length <= SENTENCE_ROWS) return lines;
  const kept = lines.slice(0, SENTENCE_ROWS);
  kept[SENTENCE_ROWS - 1] = truncateToWidth(`${kept[SENTENCE_ROWS - 1]} ${lines[SENTENCE_ROWS]}`, width);
  return kept;
}

/** Rows RunHeader takes: the status line, then Now and Next as wrapped. */
export function runHeaderRows(now: string, next: string, width: number): number {
  return 1 + headerSentence('Now:', now, width).length + headerSentence('Next:', next, width).length;
}

function LabelledLines({ label, lines }: { label: string; lines: string[] }) {
  return (
    <>
      {lines.map((line, i) => (
        <Text key={i}>
          {i === 0 && line.startsWith(label) ? (
            <>
              <Text bold>{label}</Text>
              {line.slice(label.length)}
            </>
          ) : (
            line
          )}
        </Text>
      ))}
    </>
  );
}

/** The ETA in words: what is left, and why it stands still or cannot be trusted; `short` says it in fewer columns. */
export function etaText(eta: Eta, form: 'long' | 'short' = 'long'): string {
  const short = form === 'short';
  const held =
    eta.heldFor === 'answer' ? (short ? ', held for your answer' : ' (stopped: waiting for your answer)')
    : eta.heldFor === 'resume' ? (short ? ', held: paused' : ' (stopped while paused)')
    : '';
  if (!eta.overrun) return `ETA ${formatDuration(eta.ms)}${held}`;
  if (eta.ms === 0) return short ? `ETA: last wave late${held}` : `ETA: this last wave is taking longer than estimated${held}`;
  return short ? `ETA >${formatDuration(eta.ms)} (wave late)${held}` : `ETA over ${formatDuration(eta.ms)}: this wave is taking longer than estimated${held}`;
}

const MAX_BLOCKED_NODES = 3;
const MAX_BLOCKED_PODS = 3;
/** Columns and rows the panel's border and padding take. */
const FRAME_COLUMNS = 4;
const FRAME_ROWS = 2;

function blockerText(b: BlockedPod): string {
  const budget = b.pdb ? `PodDisruptionBudget ${b.pdb.namespace}/${b.pdb.name} allows ${b.pdb.disruptionsAllowed} disruption(s) now` : 'no budget';
  return `${b.pod.namespace}/${b.pod.name}: ${budget} · ${b.reason}`;
}

interface BlockedNode {
  row: InstanceRow;
  head: string[];
  pods: string[][];
  morePods: number;
}

/** The panel, each sentence wrapped to its width; folded, the one line it folds to. */
interface BlockedLayout {
  folded?: Run[][];
  nodes: BlockedNode[];
  moreNodes: number;
  retry: string[];
  keys: Run[][];
}

const nodeName = (r: InstanceRow) => r.nodeName ?? r.id;

function blockedLayoutWith(state: RolloutSessionState, rows: readonly InstanceRow[], folded: boolean, now: number, width: number, nodes: number, pods: number): BlockedLayout {
  const left = (r: InstanceRow) => formatDuration(drainTimeLeft(state, r, now));
  const first = rows[0];
  if (folded) {
    const line = `Waiting for the held-up drain of ${rows.map((r) => `${nodeName(r)} (${left(r)} left)`).join(', ')}  ·  s skip ${nodeName(first)} · x abort`;
    return { folded: wrapRuns([{ text: line, color: 'yellow' }], width), nodes: [], moreNodes: 0, retry: [], keys: [] };
  }
  const inner = width - FRAME_COLUMNS;
  const shown = rows.slice(0, nodes).map((row) => {
    const blockers = row.blocked!.pods;
    return {
      row,
      head: wrapWords(`Drain of ${nodeName(row)} is blocked: ${left(row)} left before the drain timeout (${formatDuration(state.timings.drainTimeoutMs)}); ${blockers.length} pod(s) holding it`, inner),
      pods: blockers.slice(0, pods).map((b) => wrapIndented(terminalSafe(`  ${blockerText(b)}`), inner)),
      morePods: Math.max(0, blockers.length - pods),
    };
  });
  const skip = `skip ${nodeName(first)}: cancel its drain, ${first.cordonedBefore ? 'leave it cordoned (as it was before the rollout)' : 'uncordon it'}, leave it unreplaced (pods already evicted stay evicted)`;
  return {
    nodes: shown,
    moreNodes: rows.length - shown.length,
    retry: wrapWords('The drain retries every 5s (a budget frees up when a replacement pod is Ready); at the timeout the rollout stops and says why.', inner),
    keys: wrapRuns(
      [{ text: 'w', bold: true }, { text: ' keep waiting · ' }, { text: 's', bold: true, color: 'yellow' }, { text: ` ${skip} · ` }, { text: 'x', bold: true, color: 'red' }, { text: ' abort…' }],
      inner,
    ),
  };
}

function rowsOf(layout: BlockedLayout): number {
  if (layout.folded) return layout.folded.length;
  const nodes = layout.nodes.reduce((sum, n) => sum + n.head.length + n.pods.reduce((p, lines) => p + lines.length, 0) + (n.morePods > 0 ? 1 : 0), 0);
  return FRAME_ROWS + nodes + (layout.moreNodes > 0 ? 1 : 0) + layout.retry.length + layout.keys.length;
}

/**
 * Up to three held-up nodes with up to three pods each; past `maxRows`, fewer
 * pods a node, then fewer nodes ("… and 2 more"), down to one pod of one
 * node. What the drain does next and the keys are never left out.
 */
function blockedLayout(state: RolloutSessionState, rows: readonly InstanceRow[], folded: boolean, now: number, width: number, maxRows: number): BlockedLayout {
  let nodes = Math.min(MAX_BLOCKED_NODES, rows.length);
  let pods = MAX_BLOCKED_PODS;
  let layout = blockedLayoutWith(state, rows, folded, now, width, nodes, pods);
  while (rowsOf(layout) > maxRows && (pods > 1 || nodes > 1)) {
    if (pods > 1) pods -= 1;
    else nodes -= 1;
    layout = blockedLayoutWith(state, rows, folded, now, width, nodes, pods);
  }
  return layout;
}

/** Rows the blocked-drain panel takes at this width, within `maxRows` when it can. */
export function blockedDrainRows(state: RolloutSessionState, rows: readonly InstanceRow[], folded: boolean, now: number, width: number, maxRows = Infinity): number {
  return rowsOf(blockedLayout(state, rows, folded, now, width, maxRows));
}

export interface BlockedDrainProps {
  state: RolloutSessionState;
  rows: readonly InstanceRow[];
  folded: boolean;
  now: number;
  width: number;
  /** The rows it may take (the screen's layout counts them with blockedDrainRows). */
  maxRows?: number;
}

/**
 * Drains held up by pods (a budget that allows no disruption, a pod that will
 * not terminate): which pods, their budgets and why, the time left before the
 * drain timeout, and the choice: keep waiting, skip the node, or abort.
 * Lockstep waves drain several nodes at once, so every held-up node is shown.
 * Its sentences wrap to the width: they are read in full before choosing.
 */
export function BlockedDrain({ state, rows, folded, now, width, maxRows = Infinity }: BlockedDrainProps) {
  const layout = blockedLayout(state, rows, folded, now, width, maxRows);
  if (layout.folded) {
    return (
      <Box flexDirection="column" width={width}>
        <StyledRows rows={layout.folded} />
      </Box>
    );
  }
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="yellow" paddingX={1} width={width}>
      {layout.nodes.map(({ row, head, pods, morePods }) => (
        <Box key={row.id} flexDirection="column">
          {head.map((line, i) => (
            <Text key={i} bold color="yellow" wrap="truncate-end">
              {line}
            </Text>
          ))}
          {pods.flat().map((line, i) => (
            <Text key={i} wrap="truncate-end">
              {line}
            </Text>
          ))}
          {morePods > 0 ? <Text dimColor>{`  … and ${morePods} more`}</Text> : null}
        </Box>
      ))}
      {layout.moreNodes > 0 ? <Text dimColor>{`… and ${layout.moreNodes} more node(s) held up`}</Text> : null}
      {layout.retry.map((line, i) => (
        <Text key={i} wrap="truncate-end">
          {line}
        </Text>
      ))}
      <StyledRows rows={layout.keys} />
    </Box>
  );
}

export function ValidationLine({ state, width }: { state: RolloutSessionState; width: number }) {
  const v = state.view.validation;
  const w = state.view.waiting;
  const warning = state.view.warning;
  if (!v && !w && !warning) return null;
  return (
    <Box flexDirection="column" width={width}>
      {warning ? <Text wrap="truncate-end" color="yellow">{`Warning: ${warning}`}</Text> : null}
      {w ? <Text wrap="truncate-end" dimColor={!state.view.instances.some((i) => i.steps.join?.state === 'running')}>{`Replacements in ${w.group}: ${w.ready} of ${w.want} in service and Ready, ${w.joining} joining`}</Text> : null}
      {v ? (
        <Text wrap="truncate-end">
          {`Validation of the cluster (${v.group}): attempt ${v.attempt}, `}
          <Text color={v.ok ? 'green' : 'yellow'} bold>{`${v.consecutivePasses} of ${v.required} consecutive passes`}</Text>
          {v.ok ? <Text color="green">{' · last check passed'}</Text> : <Text color="yellow">{` · last check failed: ${v.failures.map((f) => `${f.kind} ${f.name}: ${f.message}`).slice(0, 2).join('; ')}`}</Text>}
        </Text>
      ) : null}
    </Box>
  );
}

const STEP_LABELS: Record<string, string> = { 'post-drain': 'wait', confirm: 'confirm' };

function skippedLabel(reason: string): string {
  if (!/drain/.test(reason)) return 'skipped: not replaced';
  return /left cordoned/.test(reason) ? 'skipped during its drain: left cordoned as before, not replaced' : 'skipped during its drain: uncordoned, not replaced';
}

function chipsOf(row: InstanceRow): Chip[] {
  if (row.status === 'skipped') return [{ label: skippedLabel(row.skipReason ?? ''), status: 'skipped' }];
  return row.steps.map((cell) => ({
    label: STEP_LABELS[cell.step] ?? cell.step,
    status: cell.status,
    detail: loadBalancerDetail(row, cell) ?? (cell.ms !== undefined && (cell.status === 'done' || cell.status === 'running') ? formatDuration(cell.ms) : cell.step === 'drain' && cell.status === 'running' ? (row.skipping ? 'skipping…' : `${row.evicted} evicted`) : undefined),
    warn: cell.step === 'drain' && Boolean(row.blocked || row.skipping),
  }));
}

/** A deregister step that had nothing to take out says so instead of a duration: in no load balancer, or kept in them (a single control plane). */
function loadBalancerDetail(row: InstanceRow, cell: InstanceRow['steps'][number]): string | undefined {
  if (cell.step !== 'deregister' || cell.status !== 'done') return undefined;
  if (row.loadBalancers?.action === 'none') return 'no LB';
  if (row.loadBalancers?.action === 'kept') return 'kept';
  return undefined;
}

/** Below this width an instance takes two lines: who it is, then its steps. */
const ONE_LINE_WIDTH = 150;

/** Rows of text one instance takes at this width. */
export const rowsPerInstance = (width: number) => (width >= ONE_LINE_WIDTH ? 1 : 2);

/** One entry per instance, windowed so the first unfinished one stays in view. */
export function StepList({ rows, height, width }: { rows: readonly InstanceRow[]; height: number; width: number }) {
  const per = rowsPerInstance(width);
  const fits = Math.floor((height - 1) / per);
  if (fits < 1 || rows.length === 0) return null;
  const focus = Math.max(0, rows.findIndex((r) => r.status === 'active' || r.status === 'waiting'));
  const offset = Math.max(0, Math.min(focus - 1, rows.length - fits));
  const shown = rows.slice(offset, offset + fits);
  const idWidth = 20;
  const nodeWidth = 28;
  const range = rows.length > fits ? `   (${offset + 1}-${offset + shown.length} of ${rows.length})` : '';
  // Group names cut to the room left on the line, never two of them to the same text.
  const groups = [...new Set(rows.map((r) => r.group))];
  const cutGroups = distinctTruncate(groups, Math.max(1, width - idWidth - nodeWidth - 2), 'middle');
  const groupText = new Map(groups.map((g, i) => [g, cutGroups[i]]));
  const who = (row: InstanceRow) => (
    <Text bold={row.status === 'active'} dimColor={row.status === 'done'}>
      {`${fit(row.id, idWidth)} ${fit(row.nodeName ?? '(no node)', nodeWidth)} `}
    </Text>
  );
  return (
    <Box flexDirection="column" width={width}>
      <Text bold wrap="truncate-end">
        {per === 1 ? `${fit('INSTANCE', idWidth)} ${fit('NODE', nodeWidth)} STEPS${range}` : `INSTANCE / NODE / GROUP, then its steps${range}`}
      </Text>
      {shown.map((row) =>
        per === 1 ? (
          <Text key={row.id} wrap="truncate-end">
            {who(row)}
            <StepChips chips={compactChips(chipsOf(row), width - idWidth - nodeWidth - 2)} />
          </Text>
        ) : (
          <Box key={row.id} flexDirection="column">
            <Text wrap="truncate-end">
              {who(row)}
              <Text dimColor>{groupText.get(row.group)}</Text>
            </Text>
            <Text wrap="truncate-end">
              {'   '}
              <StepChips chips={compactChips(chipsOf(row), width - 3)} />
            </Text>
          </Box>
        ),
      )}
    </Box>
  );
}

export function Notes({ notes, width }: { notes: readonly string[]; width: number }) {
  if (notes.length === 0) return null;
  return (
    <Box flexDirection="column" width={width}>
      {notes.slice(-2).map((note, i) => (
        <Text key={i} dimColor wrap="truncate-end">
          {terminalSafe(note)}
        </Text>
      ))}
    </Box>
  );
}
