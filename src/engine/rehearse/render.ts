// A rehearsal report as text: the prediction first, then what blocks, then
// what the figures rest on.
import { formatDuration } from '../rollout/plan.js';
import type { RehearsalReport } from './types.js';

export function renderRehearsal(r: RehearsalReport): string[] {
  const lines: string[] = [];
  const verdict = r.status === 'finished' ? 'would finish' : `would stop (${r.status}: ${r.reason ?? 'no reason given'})`;
  lines.push(`Rehearsal of ${r.cluster}: the rolling update ${verdict} after about ${formatDuration(r.totalMs)}.`);
  lines.push(`(Rehearsed in ${formatDuration(r.wallMs)} at ${r.speed}x in a private simulator; the real cluster was only read.)`);
  lines.push('', 'Per group:');
  for (const g of r.groups) lines.push(`  ${g.group.padEnd(28)} ${String(g.instances).padStart(3)} instance(s)  ${formatDuration(g.durationMs)}`);
  lines.push('', 'Waves (from the start):');
  for (const w of r.waves) {
    const end = w.endMs === undefined ? 'not finished' : formatDuration(w.endMs);
    lines.push(`  ${formatDuration(w.startMs).padStart(8)} - ${end.padEnd(8)} ${w.group} wave ${w.wave}/${w.waves} (${w.instances} instance(s))`);
  }
  lines.push('', ...blockedLines(r), '', ...strandedLines(r), '', ...availabilityLines(r), '', ...joinLines(r));
  if (r.notes.length) lines.push('', 'Notes:', ...r.notes.map((n) => `  - ${n}`));
  return lines;
}

function blockedLines(r: RehearsalReport): string[] {
  if (r.blockedDrains.length === 0) return ['No drain would block on a PodDisruptionBudget.'];
  return [
    'Drains blocked by PodDisruptionBudgets:',
    ...r.blockedDrains.map((b) => `  ${b.node}: ${formatDuration(b.blockedMs)} by ${b.pdbs.join(', ') || 'eviction refusals'} (${b.pods.length} pod(s))`),
  ];
}

function strandedLines(r: RehearsalReport): string[] {
  if (r.stranded.length === 0) return ['Every evicted pod found a node.'];
  return ['Pods with nowhere to go:', ...r.stranded.map((s) => `  ${s.workload}: ${s.message} (for ${formatDuration(s.forMs)})`)];
}

function availabilityLines(r: RehearsalReport): string[] {
  if (r.availability.length === 0) return ['No Deployment-like workloads were copied.'];
  return ['Peak unavailable pods per workload:', ...r.availability.map((a) => `  ${a.workload.padEnd(40)} ${a.peakUnavailable}/${a.replicas}`)];
}

function joinLines(r: RehearsalReport): string[] {
  const j = r.joinTimes;
  const measured =
    j.launchToRegisterMs === undefined && j.registerToReadyMs === undefined
      ? 'not measured (assumed: the simulator boot model)'
      : `launch to register ${j.launchToRegisterMs === undefined ? 'not measured' : formatDuration(j.launchToRegisterMs)}, register to Ready ${j.registerToReadyMs === undefined ? 'not measured' : formatDuration(j.registerToReadyMs)} (median of ${j.samples} node(s))`;
  const simulated = r.simulatedJoinMs === undefined ? 'not measured' : formatDuration(r.simulatedJoinMs);
  return [`Node join time in the cluster: ${measured}.`, `Node join time in the rehearsal: ${simulated} (launch to Ready).`];
}
