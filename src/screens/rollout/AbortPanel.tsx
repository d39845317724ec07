// Abort, confirmed: the rollout stops at the next safe point between steps
// (a drain in progress is cancelled). The one choice to make is what happens
// to a node that is cordoned but not yet drained: uncordon it (the default,
// nothing is left half-done) or leave it cordoned (to look at it first).
// Instances a surge detached and did not terminate yet are named: they keep
// running outside their group until the rollout runs again. While paused the
// rollout is already between steps: it stops there, and backing out leaves it
// paused, not running.
import { Box, Text } from 'ink';
import type { InstanceRow } from './rollout-progress.js';

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

export function AbortPanel({ rows, paused = false, width }: { rows: readonly InstanceRow[]; paused?: boolean; width: number }) {
  const cordoned = cordonedNotDrained(rows);
  const names = cordoned.map((r) => r.nodeName ?? r.id).join(', ');
  const detached = detachedNotTerminated(rows);
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="red" paddingX={1} width={width}>
      <Text bold color="red">
        Abort the rolling update?
      </Text>
      <Text wrap="truncate-end">
        {paused ? 'It is paused between steps and stops there.' : 'It stops at the next safe point between steps (a drain in progress is cancelled).'} Instances already replaced stay replaced; a drained node stays cordoned.
      </Text>
      <Text wrap="truncate-end">
        {detached.length > 0
          ? `Detached from its group and still running: ${detached.map((r) => (r.nodeName ? `${r.id} (${r.nodeName})` : r.id)).join(', ')}; it stays up outside the group (its replacement is in the group) until the rolling update runs again, which drains and terminates it.`
          : 'No instance is detached from its group and still running.'}
      </Text>
      <Text wrap="truncate-end">
        {cordoned.length > 0
          ? `Cordoned but not drained right now: ${names}. Choose what happens to it:`
          : 'No node is cordoned-but-not-drained right now; if one is when the rollout stops, choose what happens to it:'}
      </Text>
      <Text>
        <Text bold color="red">u</Text> abort and uncordon it (pods may be scheduled there again)
      </Text>
      <Text>
        <Text bold color="red">l</Text> abort and leave it cordoned (no new pods; uncordon it yourself later)
      </Text>
      <Text>
        <Text bold>n</Text> / <Text bold>Esc</Text> {paused ? 'do not abort: the rollout stays paused' : 'keep the rollout running'}
      </Text>
      <Text dimColor wrap="truncate-end">
        Running the rolling update again later resumes exactly where it stopped.
      </Text>
    </Box>
  );
}

export const ABORT_PANEL_ROWS = 10;
