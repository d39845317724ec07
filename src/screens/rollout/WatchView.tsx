// A rolling update that another process runs (the CLI, another console),
// watched read-only: who holds it and since when, what it was asked to do,
// where it is as far as its journal tells, and the same per-instance step
// rows as the console's own runs. Once it ends or stops, what happened and
// what r does here.
import { Box, Text } from 'ink';
import { watchedCounts, type OtherRun, type WatchedRollout } from '../../engine/rollout/index.js';
import type { InstanceRow } from './rollout-progress.js';
import { holderLine, lastRecordLine, requestLine, watchNext, watchNow, watchStatus } from './rollout-watch-progress.js';
import { WATCH_POLL_MS } from '../../sessions/rollout-watch.js';
import { StepList } from './RunView.js';

const WIDE = 120;
const STATUS_COLORS: Record<string, string> = { live: 'cyan', stopped: 'yellow', finished: 'green', aborted: 'yellow', failed: 'red' };

export interface WatchViewProps {
  cluster: string;
  other: Exclude<OtherRun, { kind: 'none' }>;
  watched: WatchedRollout | undefined;
  rows: readonly InstanceRow[];
  /** Why the last look at the state store failed, if it did. */
  error?: string;
  /** Clock ms (the cluster's clock: journal times are on it). */
  now: number;
  /** Wall-clock epoch ms (the lock's times are on it). */
  wallNow: number;
  width: number;
  height: number;
}

export function WatchView({ cluster, other, watched, rows, error, now, wallNow, width, height }: WatchViewProps) {
  const counts = watched ? watchedCounts(watched) : undefined;
  const color = STATUS_COLORS[other.kind === 'ended' ? (watched?.view.status ?? 'finished') : other.kind];
  const summary = counts ? `  ·  ${counts.replaced} of ${counts.total} instances replaced${counts.skipped ? `, ${counts.skipped} skipped` : ''}` : '';
  const notStarted = watched?.notStarted.length ?? 0;
  const lastRecord = lastRecordLine(other, watched, now);
  const extra = (lastRecord ? 1 : 0) + (other.kind === 'live' ? 1 : 0) + (error ? 1 : 0) + (notStarted > 0 ? 1 : 0);
  // The screen's title bar already names the cluster: a narrow terminal keeps the status instead.
  const title = width >= WIDE ? `Rolling update of ${cluster}  ` : '';
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate-end">
        {title ? <Text bold color="cyan">{title}</Text> : null}
        <Text bold color={color}>{watchStatus(other, watched)}</Text>
        {summary}
      </Text>
      <Text wrap="truncate-end">
        <Text bold>{other.kind === 'live' ? 'Held by: ' : 'Run by: '}</Text>
        {holderLine(other, wallNow)}
      </Text>
      <Text wrap="truncate-end">
        <Text bold>Request: </Text>
        {requestLine(watched)}
      </Text>
      <Text wrap="truncate-end">
        <Text bold>Now: </Text>
        {watchNow(other, watched, rows)}
      </Text>
      {lastRecord ? (
        <Text wrap="truncate-end">
          <Text bold>Last record: </Text>
          {lastRecord}
        </Text>
      ) : null}
      <Text wrap="truncate-end">
        <Text bold>Next: </Text>
        {watchNext(other, watched, rows)}
      </Text>
      {other.kind === 'live' ? (
        <Text dimColor wrap="truncate-end">
          {`Answers, pauses and aborts are given in that process; this console only watches (its journal and lock, read every ${WATCH_POLL_MS / 1000}s).`}
        </Text>
      ) : null}
      {error ? <Text color="yellow" wrap="truncate-end">{`The last look at the state store: ${error}`}</Text> : null}
      <Text> </Text>
      <StepList rows={rows} height={height - 6 - extra} width={width} />
      {notStarted > 0 ? <Text dimColor wrap="truncate-end">{`${notStarted} more instance(s) it set out to replace have no record yet.`}</Text> : null}
    </Box>
  );
}
