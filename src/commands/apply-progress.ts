// Progress lines for reconcile work in a terminal or a log: one line per task
// started, finished, retried or failed.
import type { ApplyEvent } from '../engine/reconcile/apply-plan.js';
import type { CommandContext } from './command-context.js';

export function printApplyEvent(ctx: CommandContext, event: ApplyEvent): void {
  const name = `${event.task.kind}/${event.task.name}`;
  switch (event.type) {
    case 'task-started':
      if (event.attempt === 1) ctx.print(`  ${event.task.action.padEnd(7)} ${name} ...`);
      return;
    case 'task-done':
      return ctx.print(`  done    ${name}${event.id ? ` (${event.id})` : ''} in ${seconds(event.durationMs)}`);
    case 'task-retrying':
      return ctx.print(`  retry   ${name}: ${event.error.message} (attempt ${event.attempt + 1} in ${seconds(event.delayMs)})`);
    case 'task-failed':
      return ctx.print(`  FAILED  ${name}: ${event.error.message}`);
    case 'task-skipped':
      return ctx.print(`  skipped ${name}: ${event.reason}`);
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}
