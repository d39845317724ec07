// One node, described: conditions, labels, taints, the EC2 instance behind it
// with its launch template version against its group's current one (and why
// it needs an update), and its pods with owner, readiness and the
// PodDisruptionBudget covering each with how many disruptions it allows now.
// Live, scrollable; c / u cordon and uncordon it, p lists its pods (the pods
// screen, scoped to the node), y shows its YAML.
import { Box, Text } from 'ink';
import { useMemo } from 'react';
import { LiveGate } from '../components/LiveGate.js';
import { LiveStatusLine } from '../components/LiveStatusLine.js';
import { TextView, TEXT_VIEW_CHROME_ROWS } from '../components/TextView.js';
import { systemClock } from '../engine/clock.js';
import { hasNeedsUpdateAnnotation, withNeedsUpdateAnnotation } from '../engine/kube/needs-update-annotation.js';
import { cordon, uncordon } from '../engine/kube/node-ops.js';
import { readinessWord } from '../engine/kube/node-readiness.js';
import { ageTickMs, formatAge, nodeRoleFromLabels, zoneOf } from '../engine/live-model/node-row.js';
import { renderTextTable } from '../engine/output/text-table.js';
import type { KeyAction } from '../input/actions.js';
import { useServices } from '../hooks/services.js';
import { useBodySize } from '../hooks/useBodySize.js';
import { useScreenActions } from '../hooks/useKeymap.js';
import { useLiveCluster, useTicker } from '../hooks/useLiveCluster.js';
import { useObjectEvents } from '../hooks/useClusterEvents.js';
import { useNodeDetail, type NodeDetail } from '../hooks/useNodeDetail.js';
import { useRouter } from '../hooks/useRouter.js';
import { useScroll } from '../hooks/useScroll.js';
import { useShell } from '../hooks/useShell.js';
import { nodeEventSection } from './node-events.js';

const TITLE_ROWS = 2;

function table(headers: string[], rows: string[][], empty: string): string[] {
  if (rows.length === 0) return [`  ${empty}`];
  return renderTextTable(headers, rows, 2).trimEnd().split('\n').map((line) => '  ' + line);
}

/** `events` are the lines of the node's Events section (node-events.ts), shown last, as kubectl describe does. */
export function describeNode(detail: NodeDetail, now: number, podsComplete = true, events: readonly string[] = []): string[] {
  const { node, group, pods } = detail;
  const labels = node.metadata.labels ?? {};
  const created = node.metadata.creationTimestamp ? Date.parse(node.metadata.creationTimestamp) : undefined;
  const status = `${readinessWord(node)}${node.spec?.unschedulable ? ',SchedulingDisabled' : ''}`;
  const lines = [
    `Status ${status}   Role ${nodeRoleFromLabels(node) || '<none>'}   Instance group ${group?.name ?? labels['kops.k8s.io/instancegroup'] ?? '<none>'}   Zone ${zoneOf(node) || '<none>'}   Kubelet ${node.status?.nodeInfo?.kubeletVersion ?? '?'}   Age ${formatAge(created, now)}`,
    '',
    'Conditions',
    ...table(
      ['TYPE', 'STATUS', 'REASON', 'MESSAGE'],
      (node.status?.conditions ?? []).map((c) => [c.type, c.status, c.reason ?? '', c.message ?? '']),
      'none reported',
    ),
    '',
    'Labels',
    ...(Object.keys(labels).length ? Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `  ${k}=${v}`) : ['  <none>']),
    '',
    'Taints',
    ...((node.spec?.taints ?? []).length ? node.spec!.taints!.map((t) => `  ${t.key}${t.value ? '=' + t.value : ''}:${t.effect}`) : ['  <none>']),
    '',
    'Instance',
    ...instanceLines(detail),
    '',
    `Pods (${pods.length}${podsComplete ? '' : ', still listing…'})${detail.pdbError ? `   (budgets unavailable: ${detail.pdbError})` : ''}`,
    ...table(
      ['NAMESPACE', 'NAME', 'OWNER', 'READY', 'PDB', 'ALLOWED'],
      pods.map((p) => [
        p.namespace,
        p.name,
        p.ownerKind ? `${p.ownerKind}/${p.ownerName}` : '<none>',
        p.ready ? 'true' : `false (${p.phase})`,
        p.pdb ? `${p.pdb.namespace}/${p.pdb.name}` : '<none>',
        p.pdb ? String(p.pdb.disruptionsAllowed) : '-',
      ]),
      'no pods',
    ),
    ...(events.length ? ['', ...events] : []),
  ];
  return lines;
}

function instanceLines({ node, instanceId, instance, group }: NodeDetail): string[] {
  if (!instanceId) return ['  The node names no EC2 instance (spec.providerID).'];
  if (!instance || !group) return [`  ${instanceId}: not in any of the cluster's auto scaling groups (yet)`];
  const current = group.launchTemplateVersion ?? '?';
  const mine = instance.launchTemplateVersion ?? '?';
  const update = withNeedsUpdateAnnotation({ needsUpdate: instance.needsUpdate, reason: instance.updateReason }, hasNeedsUpdateAnnotation(node));
  const verdict = update.needsUpdate ? `NEEDS UPDATE: ${update.reason ?? 'out of date'}` : 'up to date';
  return [
    `  ${instance.id}   ${instance.lifecycleState}   ${instance.instanceType ?? group.machineType ?? ''}   ${instance.zone ?? ''}   ${instance.privateIp ?? ''}`.trimEnd(),
    `  Launch template version ${mine}; group ${group.groupName} is at version ${current}: ${verdict}`,
  ];
}

export function NodeDetailScreen({ cluster, node }: { cluster: string; node: string }) {
  const services = useServices();
  const shell = useShell();
  const router = useRouter();
  const body = useBodySize();
  const { session, state, ready, snapshot } = useLiveCluster(cluster, 'nodes');
  const detail = useNodeDetail(state, snapshot, node);
  const clock = services.access?.clock ?? systemClock;
  const now = useTicker(() => clock.now(), ageTickMs(clock));
  const podsComplete = state.status === 'live' && state.synced;
  const events = useObjectEvents(cluster, 'Node', node);
  const lines = useMemo(
    () => (detail ? describeNode(detail, now, podsComplete, nodeEventSection(events, now, body.columns)) : []),
    [detail, now, podsComplete, events, body.columns],
  );
  const height = Math.max(1, body.rows - TITLE_ROWS - TEXT_VIEW_CHROME_ROWS);
  const scroll = useScroll('node', lines.length, height);
  const kube = state.status === 'live' ? state.kube : undefined;
  const cordoned = detail?.node.spec?.unschedulable === true;

  const setCordon = (on: boolean) => {
    if (!kube) return;
    (on ? cordon(kube, node) : uncordon(kube, node)).then(
      () => shell.flash(on ? `Node ${node} cordoned.` : `Node ${node} uncordoned.`),
      (error: unknown) => shell.flash(`Could not ${on ? 'cordon' : 'uncordon'} ${node}: ${(error as Error).message}`, 'error'),
    );
  };
  const actions: KeyAction[] = [
    { key: 'c', label: 'cordon', dangerous: true, confirm: `Cordon node ${node}? No new pods will be scheduled on it.`, disabled: !detail || cordoned, run: () => setCordon(true) },
    { key: 'u', label: 'uncordon', dangerous: true, confirm: `Uncordon node ${node}? Pods may be scheduled on it again.`, disabled: !detail || !cordoned, run: () => setCordon(false) },
    { key: 'p', label: 'its pods', disabled: !detail, run: () => router.push({ name: 'pods', cluster, node }) },
    { key: 'y', label: 'YAML', disabled: !detail, run: () => router.push({ name: 'yaml', cluster, kind: 'node', object: node }) },
    { key: 'r', aliases: ['ctrl+r'], label: 'refresh', hidden: true, run: () => void session.refresh() },
    ...scroll.actions,
  ];
  useScreenActions('Node', actions, { cluster });

  return (
    <Box flexDirection="column">
      <Text bold color="cyan" wrap="truncate-end">{`Node ${node} (${cluster})`}</Text>
      <LiveStatusLine snapshot={snapshot} />
      <LiveGate cluster={cluster} state={state} ready={ready} width={body.columns}>
        {() =>
          detail ? (
            <TextView lines={lines} scroll={scroll} height={height} width={body.columns} />
          ) : (
            <Text color="yellow">{`Node ${node} is not in ${cluster} (it was deleted or replaced). Press Esc to go back, or :nodes to list the nodes.`}</Text>
          )
        }
      </LiveGate>
    </Box>
  );
}
