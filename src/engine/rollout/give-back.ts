// Giving a node back after its drain was skipped: uncordoned, returned to the
// load balancers it was taken out of, and journaled, so a crash in between is
// finished by the next run.
import { giveBackToLoadBalancers } from './load-balancer-step.js';
import type { RunContext } from './run-context.js';

/** Uncordons the node of an instance skipped during its drain, and journals it. */
export async function uncordonSkipped(ctx: RunContext, instance: string, group: string, node: string): Promise<void> {
  await ctx.deps.kube?.uncordon(node);
  const trouble = await giveBackToLoadBalancers(ctx, instance, node, ctx.journal.progress().get(instance)?.loadBalancers);
  const reason = `its drain was skipped${trouble ? `; ${trouble}` : ''}`;
  await ctx.journal.record({ instance, group, step: 'uncordon', at: ctx.deps.clock.now(), node, note: `uncordoned: ${reason}` });
  ctx.emit({ type: 'uncordoned', instanceId: instance, nodeName: node, reason });
}
