// Giving a node back when the rollout will not replace it (its drain was
// skipped, or the rollout stopped before draining it): uncordoned, returned to
// the load balancers it was taken out of, and journaled, so a crash in between
// is finished by the next run. A node that was cordoned before the rollout
// cordoned it (by someone else, for a reason of their own) is given back to
// its load balancers but left cordoned, as it was.
import { giveBackToLoadBalancers } from './load-balancer-step.js';
import type { RunContext } from './run-context.js';

export interface GiveBack {
  instance: string;
  group: string;
  node: string;
  /** Why it is given back, as a clause: "its drain was skipped". */
  why: string;
}

/** Gives the node back and journals it; the sentence's clause says whether it was uncordoned. */
export async function giveBackNode(ctx: RunContext, { instance, group, node, why }: GiveBack): Promise<void> {
  const progress = ctx.journal.progress().get(instance);
  const keepCordon = progress?.cordonedBefore === true;
  if (!keepCordon) await ctx.deps.kube?.uncordon(node);
  const trouble = await giveBackToLoadBalancers(ctx, instance, node, progress?.loadBalancers);
  const reason = `${why}${trouble ? `; ${trouble}` : ''}`;
  if (keepCordon) {
    await ctx.journal.record({ instance, group, step: 'uncordon', at: ctx.deps.clock.now(), node, leftCordoned: true, note: `left cordoned, as it was before the rollout: ${reason}` });
    ctx.emit({ type: 'left-cordoned', instanceId: instance, nodeName: node, reason });
  } else {
    await ctx.journal.record({ instance, group, step: 'uncordon', at: ctx.deps.clock.now(), node, note: `uncordoned: ${reason}` });
    ctx.emit({ type: 'uncordoned', instanceId: instance, nodeName: node, reason });
  }
}

/** Gives back the node of an instance skipped during its drain. */
export const giveBackSkipped = (ctx: RunContext, instance: string, group: string, node: string): Promise<void> =>
  giveBackNode(ctx, { instance, group, node, why: 'its drain was skipped' });
