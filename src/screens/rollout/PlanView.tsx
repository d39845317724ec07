// The rolling update before it starts, as kops prints it (NAME STATUS
// NEEDUPDATE READY MIN TARGET MAX NODES), then the order, the waves and the
// estimate, then every instance that will be replaced, in order, and why.
import { Box, Text } from 'ink';
import { TextView, TEXT_VIEW_CHROME_ROWS } from '../../components/TextView.js';
import { describePlan, planHasWork, renderPlanTable, type RolloutPlan } from '../../engine/rollout/index.js';
import type { RolloutSessionState } from '../../sessions/rollout-session-state.js';
import type { Scroll } from '../../hooks/useScroll.js';
import { displayWidth } from '../../engine/output/display-width.js';
import { wrapIndented, wrapWords } from '../../components/Notice.js';

const NOTHING_TO_DO = "Every instance runs its group's current launch template. Press f to force a replacement of every instance anyway.";
const HOW_IT_GOES = 'Enter starts. Before each drain you see the pods it evicts and their budgets, and answer (nothing drains without it). p pauses, x aborts.';

/** What the view says under the plan, wrapped: it is read before starting, so none of it is cut. */
function closingLines(plan: RolloutPlan, width: number): string[] {
  return wrapWords(planHasWork(plan) ? HOW_IT_GOES : NOTHING_TO_DO, width);
}

/** Rows the view takes besides the plan's scrolling lines: the title, a blank line, the closing sentence and the scroll position. */
export function planViewChromeRows(plan: RolloutPlan, width: number): number {
  return 2 + closingLines(plan, width).length + TEXT_VIEW_CHROME_ROWS;
}

/** kops' table with the widest gap between columns that fits `width` (every column kept). */
function planTableLines(plan: RolloutPlan, width: number): string[] {
  for (const gap of [3, 2]) {
    const lines = renderPlanTable(plan, gap).trimEnd().split('\n');
    if (Math.max(...lines.map(displayWidth)) <= width) return lines;
  }
  return renderPlanTable(plan, 1).trimEnd().split('\n');
}

/**
 * The plan as lines (the scrolling part of the view), for a view `width`
 * columns wide. Sentences wrap (what the plan does, what starting does);
 * kops' table and the list of instances, one entry a line, are cut.
 */
export function planLines(plan: RolloutPlan, unfinished: RolloutSessionState['unfinished'], width = Infinity): string[] {
  const prose: string[] = [...describePlan(plan)];
  if (unfinished) {
    const covered = new Set(unfinished.entries.map((e) => e.instance)).size;
    const of = unfinished.planned ? ` of the ${unfinished.planned.length} it set out to replace` : '';
    const next = unfinished.resumesAsStarted
      ? 'Starting resumes exactly that rollout, with the force, groups and roles it was started with (this plan is what is left of it).'
      : 'Starting begins a new rollout with the options shown; it also finishes the instances that one left half-done, and refuses to start if any of them is outside it.';
    prose.push(
      '',
      `An earlier rolling update ${unfinished.status === 'running' ? 'stopped without finishing (crashed or closed)' : `ended ${unfinished.status}`}` +
        `${unfinished.reason ? `: ${unfinished.reason}` : ''}; its journal covers ${covered} instance(s)${of}. ${next}`,
    );
  }
  const lines = [...planTableLines(plan, width), '', ...prose.flatMap((line) => wrapIndented(line, width))];
  if (plan.totalInstances > 0) {
    lines.push('', 'Instances, in the order they will be replaced, by group:');
    let n = 0;
    for (const name of plan.order) {
      const group = plan.groups.find((g) => g.name === name)!;
      // The group's name on a line of its own: an instance's line is never cut in the middle of it.
      if (group.waves.length > 0) lines.push(`  ${group.name} (${group.kind})`);
      group.waves.forEach((wave, w) => {
        for (const id of wave) {
          const instance = group.instances.find((i) => i.id === id);
          n += 1;
          const node = instance?.nodeName ?? (group.kind === 'Bastion' ? 'bastion (registers no node)' : 'no node');
          lines.push(`  ${String(n).padStart(3)}. ${id}  ${node}  wave ${w + 1}/${group.waves.length}  ${instance?.reason ?? ''}`);
        }
      });
    }
  }
  return lines;
}

export interface PlanViewProps {
  state: RolloutSessionState;
  plan: RolloutPlan;
  lines: readonly string[];
  scroll: Scroll;
  width: number;
  height: number;
}

export function PlanView({ state, plan, lines, scroll, width, height }: PlanViewProps) {
  const nothing = !planHasWork(plan);
  const closing = closingLines(plan, width);
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate-end">
        <Text bold color="cyan">{`Rolling update plan for ${plan.cluster}`}</Text>
        <Text dimColor>{`   force: ${state.force ? 'on (every instance is replaced)' : 'off (only instances out of date)'}`}</Text>
      </Text>
      <TextView lines={lines} scroll={scroll} height={Math.max(1, height - planViewChromeRows(plan, width))} width={width} />
      <Text> </Text>
      {closing.map((line, i) => (
        <Text key={i} color={nothing ? 'green' : 'yellow'}>
          {line}
        </Text>
      ))}
    </Box>
  );
}
