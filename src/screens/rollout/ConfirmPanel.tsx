// The question before each drain: which instance, node and group, why it is
// replaced, the pods the drain will evict grouped by owner (with the
// PodDisruptionBudget covering each owner's pods and how many disruptions it
// allows right now), the budgets involved, and the DaemonSet and mirror pods
// left alone. Keys: y drain, s skip this node, a yes to all remaining,
// p pause after this node, x abort. An instance replaced without a drain (a
// bastion registers no node; --cloudonly) is asked about as a replacement.
import { Box, Text } from 'ink';
import { fitPieces, type Piece } from '../../components/fit-pieces.js';
import { wrapIndented, wrapWords } from '../../components/Notice.js';
import { terminalSafe } from '../../engine/output/terminal-safe.js';
import type { PdbRef } from '../../engine/kube/node-pods.js';
import { noDrainSentence, type ConfirmPod, type ConfirmRequest } from '../../engine/rollout/index.js';
import type { Scroll } from '../../hooks/useScroll.js';

/** Columns the panel's border and padding take. */
const FRAME_COLUMNS = 4;
/** The budgets involved are listed in full in the pods below them: past this many rows their line is cut. */
const MAX_BUDGET_ROWS = 2;

/** The sentence under the title: why the instance is replaced, or what an earlier run did to it. */
function whySentence(request: ConfirmRequest): string {
  return request.earlierRun ? `Asked again: ${request.earlierRun}` : `Why: ${request.reason}`;
}

function budgetSentence(request: ConfirmRequest): string {
  const budgets = budgetsInvolved(request);
  if (budgets.length === 0) return 'PodDisruptionBudgets involved: none';
  return `PodDisruptionBudgets involved: ${budgets.map((b) => `${pdbKey(b.pdb)} allows ${b.pdb.disruptionsAllowed} now (${plural(b.pods, 'pod')} here)`).join(', ')}`;
}

/** The panel's sentences wrapped to its inner width: what is asked about is read in full, never cut at the edge. */
function panelSentences(request: ConfirmRequest, width: number) {
  const inner = width - FRAME_COLUMNS;
  const budgets = wrapWords(budgetSentence(request), inner);
  return {
    why: wrapWords(terminalSafe(whySentence(request)), inner),
    noDrain: wrapWords(noDrainSentence(request) ?? '', inner),
    // The last row kept is cut at the edge when there are more.
    budgets: budgets.length > MAX_BUDGET_ROWS ? [...budgets.slice(0, MAX_BUDGET_ROWS - 1), budgets.slice(MAX_BUDGET_ROWS - 1).join(' ')] : budgets,
  };
}

/** Rows the panel takes besides its list of pods (a replacement without a drain has no list). */
export function confirmChromeRows(request: ConfirmRequest, width: number): number {
  const s = panelSentences(request, width);
  // Border (2), title, instance line, then the sentences, then the answers (2).
  if (request.noDrain) return 2 + 2 + s.why.length + s.noDrain.length + 2;
  // ... and for a drain, the evict line, the budgets and the "more below" line.
  return 2 + 2 + s.why.length + 1 + s.budgets.length + 1 + 2;
}

export interface PodLine {
  text: string;
  color?: string;
  bold?: boolean;
}

interface OwnerGroup {
  /** "ReplicaSet demo/web-7d9c", or "(no owner)". */
  owner: string;
  pods: ConfirmPod[];
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const pdbKey = (pdb: PdbRef | undefined) => (pdb ? `${pdb.namespace}/${pdb.name}` : '');

function ownerOf(pod: ConfirmPod): string {
  return pod.ownerKind ? `${pod.ownerKind} ${pod.namespace}/${pod.ownerName}` : `(no owner) in ${pod.namespace}`;
}

/** Pods by owner, owners in name order, pods in name order. */
export function groupByOwner(pods: readonly ConfirmPod[]): OwnerGroup[] {
  const groups = new Map<string, ConfirmPod[]>();
  for (const pod of pods) groups.set(ownerOf(pod), [...(groups.get(ownerOf(pod)) ?? []), pod]);
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([owner, list]) => ({ owner, pods: [...list].sort((a, b) => a.name.localeCompare(b.name)) }));
}

/** The budgets covering the evicted pods, each once, with how many of this node's pods they cover. */
export function budgetsInvolved(request: ConfirmRequest): { pdb: PdbRef; pods: number }[] {
  const found = new Map<string, { pdb: PdbRef; pods: number }>();
  for (const pod of request.evict) {
    if (!pod.pdb) continue;
    const entry = found.get(pdbKey(pod.pdb)) ?? { pdb: pod.pdb, pods: 0 };
    entry.pods += 1;
    found.set(pdbKey(pod.pdb), entry);
  }
  return [...found.values()].sort((a, b) => pdbKey(a.pdb).localeCompare(pdbKey(b.pdb)));
}

/** "PodDisruptionBudget demo/web allows 1 disruption now", with what that means for this many pods. */
function budgetWords(pdb: PdbRef | undefined, pods: number, owned: boolean): { text: string; color?: string } {
  if (!pdb) return owned ? { text: 'no PodDisruptionBudget' } : { text: 'no PodDisruptionBudget; nothing recreates it', color: 'yellow' };
  const n = pdb.disruptionsAllowed;
  const text = `PodDisruptionBudget ${pdb.namespace}/${pdb.name} allows ${plural(n, 'disruption')} now`;
  if (n === 0) return { text: `${text}: the drain waits for it (retried every 5s)`, color: 'yellow' };
  if (n < pods) return { text: `${text}: evicted a few at a time as replacements become Ready`, color: 'yellow' };
  return { text };
}

/** The owner, with the Deployment behind a ReplicaSet first: "Deployment demo/web (ReplicaSet web-7d9c)". */
function ownerWords(group: OwnerGroup): string {
  const pod = group.pods[0];
  return pod.owner?.workload ? `${pod.owner.workload} (${pod.ownerKind} ${pod.ownerName})` : group.owner;
}

/** How many of the owner's replicas are on this node: all of them means the drain takes the whole workload away at once unless a budget holds it. */
function replicasWords(group: OwnerGroup): { text: string; color?: string } {
  const here = group.pods.length;
  const replicas = group.pods[0].owner?.replicas;
  if (replicas === undefined) return { text: plural(here, 'pod') };
  if (here >= replicas) return { text: `${here === 1 ? 'its only replica is' : `all ${here} of its replicas are`} on this node`, color: 'yellow' };
  return { text: `${here} of its ${replicas} replicas on this node` };
}

/**
 * The evicted pods grouped by owner, then the pods left alone: the panel's
 * scrolling part (none without a drain). A line longer than the panel of
 * `width` columns wraps (a budget's warning is read in full), its following
 * rows indented under it.
 */
export function confirmPodLines(request: ConfirmRequest, width = Infinity): PodLine[] {
  return podLines(request).flatMap((line) => wrapIndented(terminalSafe(line.text), width - FRAME_COLUMNS).map((text) => ({ ...line, text })));
}

function podLines(request: ConfirmRequest): PodLine[] {
  const lines: PodLine[] = [];
  if (request.noDrain) return lines;
  if (request.evict.length === 0) lines.push({ text: '  No pods to evict: only DaemonSet or mirror pods run there.', color: 'green' });
  for (const group of groupByOwner(request.evict)) {
    const budgets = new Set(group.pods.map((p) => pdbKey(p.pdb)));
    const owned = Boolean(group.pods[0].ownerKind);
    const shared = budgets.size === 1;
    const words = shared ? budgetWords(group.pods[0].pdb, group.pods.length, owned) : { text: 'budgets differ (each pod below)', color: undefined };
    const replicas = replicasWords(group);
    lines.push({ text: `  ${ownerWords(group)} (${replicas.text}) — ${words.text}`, bold: true, color: words.color ?? replicas.color });
    for (const pod of group.pods) {
      const own = shared ? '' : `  ${budgetWords(pod.pdb, 1, owned).text}`;
      const emptyDir = pod.emptyDir ? '  (its emptyDir data is deleted)' : '';
      lines.push({ text: `      ${pod.namespace}/${pod.name}${own}${emptyDir}`, color: pod.emptyDir ? 'yellow' : undefined });
    }
  }
  if (request.leftAlone.length > 0) {
    lines.push({ text: `Left alone (${plural(request.leftAlone.length, 'DaemonSet and mirror pod')}: a drain does not evict them):`, bold: true });
    const byOwner = [...request.leftAlone].sort((a, b) => ownerOf(a).localeCompare(ownerOf(b)) || a.name.localeCompare(b.name));
    for (const pod of byOwner) {
      const why = pod.disposition === 'skip-mirror' ? 'mirror pod' : `DaemonSet ${pod.namespace}/${pod.ownerName}`;
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

export function ConfirmPanel(props: ConfirmPanelProps) {
  return props.request.noDrain ? <ReplacePanel {...props} /> : <DrainPanel {...props} />;
}

/** The question for an instance replaced without a drain: which one, why, and the keys. */
function ReplacePanel({ request, remaining, width }: ConfirmPanelProps) {
  const sentences = panelSentences(request, width);
  const what = request.noDrain === 'bastion' ? `bastion instance ${request.instanceId}` : `instance ${request.instanceId}${request.nodeName ? ` (node ${request.nodeName})` : ''}`;
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="yellow" paddingX={1} width={width}>
      <Text bold color="yellow" wrap="truncate-end">
        {`Replace ${what}?  (instance ${request.position} of ${request.total})`}
      </Text>
      <Text wrap="truncate-end">{`Instance ${request.instanceId}  ·  group ${request.group} (${request.kind})  ·  cluster ${request.cluster}`}</Text>
      <Lines lines={sentences.why} color={request.earlierRun ? 'yellow' : undefined} />
      <Lines lines={sentences.noDrain} />
      <Answers drain={false} remaining={remaining} width={width} />
    </Box>
  );
}

function DrainPanel({ request, lines, scroll, listRows, remaining, width }: ConfirmPanelProps) {
  const node = request.nodeName ?? '(no node registered)';
  const owners = groupByOwner(request.evict).length;
  const budgets = budgetsInvolved(request);
  const blocked = budgets.filter((b) => b.pdb.disruptionsAllowed === 0);
  const shown = lines.slice(scroll.offset, scroll.offset + listRows);
  const more = lines.length - scroll.offset - shown.length;
  const sentences = panelSentences(request, width);
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="yellow" paddingX={1} width={width}>
      <Text bold color="yellow" wrap="truncate-end">
        {`Drain node ${node}?  (instance ${request.position} of ${request.total})`}
      </Text>
      <Text wrap="truncate-end">{`Instance ${request.instanceId}  ·  group ${request.group} (${request.kind})  ·  cluster ${request.cluster}`}</Text>
      <Lines lines={sentences.why} color={request.earlierRun ? 'yellow' : undefined} />
      <Text wrap="truncate-end" bold>
        {`The drain will evict ${plural(request.evict.length, 'pod')}${request.evict.length ? ` of ${plural(owners, 'owner')}` : ''}:`}
      </Text>
      <Lines lines={sentences.budgets} color={blocked.length ? 'yellow' : undefined} />
      <Box flexDirection="column" height={listRows} overflowY="hidden">
        {shown.map((line, i) => (
          <Text key={scroll.offset + i} color={line.color} bold={line.bold} wrap="truncate-end">
            {terminalSafe(line.text)}
          </Text>
        ))}
      </Box>
      <Text dimColor wrap="truncate-end">
        {more > 0 || scroll.offset > 0 ? `${more} more line(s) below; j/k scroll` : ' '}
      </Text>
      <Answers drain remaining={remaining} width={width} />
    </Box>
  );
}

/** Rows of a wrapped sentence (a row still too wide, the last of a capped sentence, is cut at the edge). */
function Lines({ lines, color }: { lines: readonly string[]; color?: string }) {
  return (
    <>
      {lines.map((line, i) => (
        <Text key={i} color={color} wrap="truncate-end">
          {terminalSafe(line)}
        </Text>
      ))}
    </>
  );
}

/** The answers to the question, on two lines: for a drain, or for a replacement without one. */
function Answers({ drain, remaining, width }: { drain: boolean; remaining: number; width: number }) {
  const it = drain ? 'node' : 'instance';
  const later = drain ? 'every later drain starts on its own' : 'every later replacement and drain starts on its own';
  return (
    <>
      <ChoiceLine
        width={width - 4}
        choices={[
          { key: 'y', color: 'green', long: drain ? 'drain and replace it' : 'replace it', short: drain ? 'drain' : 'replace it', essential: true },
          { key: 's', long: `skip this ${it} (not replaced)`, short: 'skip (not replaced)', essential: true },
          { key: 'p', long: drain ? 'drain it, then pause after this node' : 'replace it, then pause after it', short: drain ? 'drain, then pause' : 'replace, then pause' },
          { key: 'x', color: 'red', long: 'abort…', essential: true },
        ]}
      />
      <ChoiceLine
        width={width - 4}
        choices={[
          {
            key: 'a',
            color: 'yellow',
            long: `yes to this ${it} and all ${remaining} remaining: no more questions, ${later} (asks you to confirm; p still pauses, x still aborts)`,
            short: `yes to this and all ${remaining} remaining, no more questions (asks first)`,
            essential: true,
          },
        ]}
      />
    </>
  );
}

interface Choice extends Piece {
  key: string;
  color?: string;
}

/** The answers a question takes, each after its key, said shorter when the panel is narrow (the keys that matter always shown). */
function ChoiceLine({ choices, width }: { choices: readonly Choice[]; width: number }) {
  const pieces = choices.map((c) => ({ long: `${c.key} ${c.long}`, short: `${c.key} ${c.short ?? c.long}`, essential: c.essential }));
  return (
    <Text wrap="truncate-end">
      {fitPieces(pieces, width, ' · ').map(({ index, text }, i) => (
        <Text key={choices[index].key}>
          {i > 0 ? ' · ' : ''}
          <Text bold color={choices[index].color}>
            {choices[index].key}
          </Text>
          {text.slice(choices[index].key.length)}
        </Text>
      ))}
    </Text>
  );
}
