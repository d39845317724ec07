// The question before each drain: which instance, node and group, why it is
// replaced, every pod the drain will evict (grouped by owner) with the
// PodDisruptionBudget covering it and how many disruptions that budget
// allows right now, and the DaemonSet and mirror pods left alone. Keys: y
// drain, s skip, a abort, Y yes to all remaining.
import { Box, Text } from 'ink';
import type { ConfirmPod, ConfirmRequest } from '../../engine/rollout/index.js';
import { fit } from '../../components/cells.js';
import type { Scroll } from '../../hooks/useScroll.js';

/** Rows the panel needs besides its list of pods. */
export const CONFIRM_CHROME_ROWS = 9;

export interface PodLine {
  text: string;
  color?: string;
  bold?: boolean;
}

const byOwner = (a: ConfirmPod, b: ConfirmPod) =>
  `${a.ownerKind}/${a.namespace}/${a.ownerName}`.localeCompare(`${b.ownerKind}/${b.namespace}/${b.ownerName}`) || a.name.localeCompare(b.name);

function budgetText(pod: ConfirmPod): string {
  if (!pod.pdb) return 'no PodDisruptionBudget';
  const n = pod.pdb.disruptionsAllowed;
  return `PDB ${pod.pdb.namespace}/${pod.pdb.name}: allows ${n} disruption${n === 1 ? '' : 's'} now`;
}

/** The evicted pods, grouped by owner, then the pods left alone: the panel's scrolling part. */
export function confirmPodLines(request: ConfirmRequest, width: number): PodLine[] {
  const podWidth = Math.max(20, Math.floor(width * 0.4));
  const ownerWidth = Math.max(16, Math.floor(width * 0.25));
  const lines: PodLine[] = [];
  if (request.evict.length === 0) lines.push({ text: '  No pods to evict: only DaemonSet or mirror pods run there.', color: 'green' });
  else lines.push({ text: `  ${fit('OWNER', ownerWidth)} ${fit('POD', podWidth)} BUDGET`, bold: true });
  let previousOwner = '';
  for (const pod of [...request.evict].sort(byOwner)) {
    const owner = pod.ownerKind ? `${pod.ownerKind} ${pod.ownerName}` : '(no owner)';
    const shownOwner = owner === previousOwner ? '' : owner;
    previousOwner = owner;
    const blocking = pod.pdb && pod.pdb.disruptionsAllowed === 0;
    const emptyDir = pod.emptyDir ? '  (its emptyDir data is deleted)' : '';
    lines.push({ text: `  ${fit(shownOwner, ownerWidth)} ${fit(`${pod.namespace}/${pod.name}`, podWidth)} ${budgetText(pod)}${emptyDir}`, color: blocking ? 'yellow' : undefined });
  }
  if (request.leftAlone.length > 0) {
    lines.push({ text: `Left alone (${request.leftAlone.length} DaemonSet and mirror pod${request.leftAlone.length === 1 ? '' : 's'}: a drain does not evict them):`, bold: true });
    for (const pod of [...request.leftAlone].sort(byOwner)) {
      const why = pod.disposition === 'skip-mirror' ? 'mirror pod' : `DaemonSet ${pod.ownerName}`;
      lines.push({ text: `  ${pod.namespace}/${pod.name} (${why})`, color: 'gray' });
    }
  }
  return lines;
}

export interface ConfirmPanelProps {
  request: ConfirmRequest;
  lines: readonly PodLine[];
  scroll: Scroll;
  /** Rows for the list of pods. */
  listRows: number;
  /** Instances still to be asked about after this one. */
  remaining: number;
  width: number;
}

export function ConfirmPanel({ request, lines, scroll, listRows, remaining, width }: ConfirmPanelProps) {
  const node = request.nodeName ?? '(no node registered)';
  const blocked = request.evict.filter((p) => p.pdb && p.pdb.disruptionsAllowed === 0).length;
  const shown = lines.slice(scroll.offset, scroll.offset + listRows);
  const more = lines.length - scroll.offset - shown.length;
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="yellow" paddingX={1} width={width}>
      <Text bold color="yellow" wrap="truncate-end">
        {`Drain node ${node}?  (instance ${request.position} of ${request.total})`}
      </Text>
      <Text wrap="truncate-end">{`Instance ${request.instanceId}  ·  group ${request.group} (${request.kind})  ·  cluster ${request.cluster}`}</Text>
      <Text wrap="truncate-end">{`Why: ${request.reason}`}</Text>
      <Text wrap="truncate-end" bold>
        {`The drain will evict ${request.evict.length} pod${request.evict.length === 1 ? '' : 's'}:`}
        {blocked > 0 ? <Text color="yellow">{`  ${blocked} covered by a budget that allows no disruption now: the drain waits for it (retried every 5s)`}</Text> : null}
      </Text>
      <Box flexDirection="column" height={listRows} overflow="hidden">
        {shown.map((line, i) => (
          <Text key={scroll.offset + i} color={line.color} bold={line.bold} wrap="truncate-end">
            {line.text}
          </Text>
        ))}
      </Box>
      <Text dimColor wrap="truncate-end">
        {more > 0 || scroll.offset > 0 ? `${more} more line(s) below; j/k scroll` : ' '}
      </Text>
      <Text wrap="truncate-end">
        <Text bold color="green">y</Text> drain and replace it · <Text bold>s</Text> skip (not replaced) · <Text bold color="red">a</Text> abort the rollout
      </Text>
      <Text wrap="truncate-end">
        <Text bold>Y</Text>
        {` yes to this node and all ${remaining} remaining: no more questions, every later drain starts on its own (p still pauses, x aborts)`}
      </Text>
    </Box>
  );
}
