// The plan as kops' dry-run preview prints it.
import type { Plan, PlannedTask } from './plan.js';
import { hasChanges } from './plan.js';

const FIELD_WIDTH = 20;

const pad = (text: string, width: number): string => (text.length >= width ? `${text} ` : text.padEnd(width));

function header(p: PlannedTask): string {
  return `  ${p.task.kind}/${p.task.name}`;
}

export function renderPlan(plan: Plan): string {
  const leftAlone = renderLeftAlone(plan);
  if (!hasChanges(plan)) return `No changes need to be applied\n${leftAlone.length ? `\n${leftAlone.join('\n')}\n` : ''}`;
  const lines: string[] = [];
  if (plan.creates.length) {
    lines.push('Will create resources:');
    for (const p of plan.creates) {
      lines.push(header(p));
      for (const [field, value] of Object.entries(p.task.describe(p.desired))) lines.push(`    ${pad(field, FIELD_WIDTH)}${value}`);
      lines.push('');
    }
  }
  if (plan.modifies.length) {
    lines.push('Will modify resources:');
    for (const p of plan.modifies) {
      lines.push(header(p));
      for (const change of p.changes) lines.push(`    ${pad(change.field, FIELD_WIDTH)}${change.old} -> ${change.new}`);
      lines.push('');
    }
  }
  if (plan.deletes.length) {
    lines.push('Will delete resources:');
    lines.push(...renderResourceTable(plan.deletes.map((d) => ({ type: d.kind, name: d.name, id: d.id }))).map((l) => `  ${l}`));
    lines.push('');
  }
  if (leftAlone.length) lines.push(...leftAlone, '');
  return lines.join('\n');
}

/** One short section: what kopsdeck will not touch, and why. */
function renderLeftAlone(plan: Plan): string[] {
  if (plan.leftAlone.length === 0) return [];
  return ['Left alone (kopsdeck does not own these):', ...plan.leftAlone.map((l) => `  ${l.kind}/${l.name}: ${l.reason}`)];
}

/** `TYPE NAME ID` columns, as kops' delete preview. */
export function renderResourceTable(rows: { type: string; name: string; id: string }[]): string[] {
  const widths = [4, 4];
  for (const row of rows) {
    widths[0] = Math.max(widths[0], row.type.length);
    widths[1] = Math.max(widths[1], row.name.length);
  }
  const line = (a: string, b: string, c: string) => `${a.padEnd(widths[0])}  ${b.padEnd(widths[1])}  ${c}`.trimEnd();
  return [line('TYPE', 'NAME', 'ID'), ...rows.map((r) => line(r.type, r.name, r.id))];
}

/** One line for a progress view: "3 to create, 1 to modify, 0 to delete". */
export function summarizePlan(plan: Plan): string {
  return `${plan.creates.length} to create, ${plan.modifies.length} to modify, ${plan.deletes.length} to delete`;
}
