// The deregister step, between cordon and drain, as kops' drainNode has it:
// the node is labelled node.kubernetes.io/exclude-from-external-load-balancers,
// then the instance is taken out of its group's target groups and classic
// ELBs (and, for a control plane of more than one node, of the API load
// balancer's target groups) and connection draining is waited for. A wave's
// instances are labelled first, then deregistered with one call per load
// balancer. With a single control-plane node (counted from the instance
// groups' minSize, as kops counts it) the control plane stays in its load
// balancers: it could not be drained once out of the API load balancer. A
// failure stops the rollout with the nodes left cordoned, as kops leaves them.
// A node the rollout gives back (uncordoned after an abort, a failure or a
// skipped drain) is put back: label removed if the rollout added it, and
// registered again where it was taken out of.
import type { Deregistration, LoadBalancerMembership } from './deps.js';
import type { TakenOut } from './journal.js';
import { kindOfRole } from './ordering.js';
import { needs, runPhase, type RunContext, type WaveMember } from './run-context.js';
import { errorMessage } from '../error-message.js';

/** The deregister step failed: the rollout stops and the wave's nodes stay cordoned. */
export class LoadBalancerStepError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LoadBalancerStepError';
  }
}

const NONE: LoadBalancerMembership = { targetGroups: [], classic: [] };
const isControlPlane = (m: WaveMember) => m.kind === 'ControlPlane' || m.kind === 'APIServer';

/** Control-plane and API server nodes the cluster is meant to have: the sum of their groups' minSize (1 when unset), as kops counts. */
async function controlPlaneNodes(ctx: RunContext): Promise<number> {
  const groups = await ctx.deps.store.listInstanceGroups(ctx.cluster);
  return groups.reduce((sum, g) => {
    const kind = kindOfRole(g.value.spec.role);
    return kind === 'ControlPlane' || kind === 'APIServer' ? sum + (g.value.spec.minSize ?? 1) : sum;
  }, 0);
}

/** In words: deregistered from (by this step), already leaving (detached by a surge), or in none. */
function describeTaken(taken: LoadBalancerMembership, drainedFrom: string[], surged: boolean): string {
  const deregistered = [...taken.targetGroups.map((t) => `target group ${t.arn.split(':').pop()?.split('/')[1] ?? t.arn}`), ...taken.classic.map((n) => `classic load balancer ${n}`)];
  const leaving = drainedFrom.filter((name) => !deregistered.includes(name));
  const parts = [
    ...(deregistered.length > 0 ? [`taken out of ${deregistered.join(', ')}`] : []),
    ...(leaving.length > 0 ? [`already leaving ${leaving.join(', ')} (detached from its group)`] : []),
  ];
  if (parts.length > 0) return `${parts.join('; ')}; connection draining over`;
  return surged ? "registered with no load balancer (it left its group's load balancers, if any, when it was detached)" : 'registered with no load balancer';
}

export async function deregisterPhase(ctx: RunContext, members: WaveMember[]): Promise<void> {
  const kube = ctx.deps.kube;
  const acting = members.filter((m) => needs(m, 'deregister') && !m.progress.done.includes('drain') && m.node && kube);
  if (acting.length === 0 && !members.some((m) => needs(m, 'deregister'))) return;
  const { group, groupName } = members[0];
  const ids = acting.map((m) => m.id);
  let labelled: Promise<Map<string, boolean>> | undefined;
  let outcome: Promise<Deregistration & { kept?: string }> | undefined;
  const labelAll = async () => new Map(await Promise.all(acting.map(async (m) => [m.id, await kube!.excludeFromLoadBalancers(m.node!)] as const)));
  const takeOutAll = async (): Promise<Deregistration & { kept?: string }> => {
    if (isControlPlane(acting[0]) && (await controlPlaneNodes(ctx)) <= 1) {
      const reason = "kept in its load balancers: it is the cluster's only control-plane node, and its drain needs the API it serves (as kops)";
      ctx.emit({ type: 'load-balancers', group, instanceIds: ids, action: 'kept', names: [], reason });
      return { taken: new Map<string, LoadBalancerMembership>(), drainedFrom: new Map<string, string[]>(), kept: reason };
    }
    let draining = false;
    const done = await ctx.deps.cloud.deregister({
      cluster: ctx.cluster,
      groupName,
      instanceIds: ids,
      apiLoadBalancer: isControlPlane(acting[0]),
      clock: ctx.deps.clock,
      signal: ctx.signal,
      onDraining: (found) => {
        draining = true;
        // Known now, before the wait: a node given back during the wait is put back where it was.
        for (const m of acting) remember(m, { labelled: false, ...(found.taken.get(m.id) ?? NONE) });
        ctx.emit({ type: 'load-balancers', group, instanceIds: ids, action: 'draining', names: found.names, timeoutMs: found.timeoutMs });
      },
    });
    if (!draining) ctx.emit({ type: 'load-balancers', group, instanceIds: ids, action: 'none', names: [] });
    return done;
  };
  await runPhase(ctx, members, 'deregister', async (m) => {
    // A journal written before this step existed: the node is already drained.
    if (m.progress.done.includes('drain')) return 'drained before load-balancer deregistration was a step';
    if (!m.node || !kube) return 'no node registered';
    try {
      const wasAdded = (await (labelled ??= labelAll())).get(m.id) ?? false;
      remember(m, { labelled: wasAdded });
      const { taken, drainedFrom, kept } = await (outcome ??= takeOutAll());
      const record: TakenOut = { labelled: wasAdded, ...(taken.get(m.id) ?? NONE) };
      m.progress.loadBalancers = record;
      const what = kept ?? describeTaken(record, drainedFrom.get(m.id) ?? [], m.surge);
      return { note: `${wasAdded ? 'labelled' : 'already labelled'} excluded from load balancers; ${what}`, record: { loadBalancers: record } };
    } catch (error) {
      if (ctx.signal.aborted) throw error;
      throw new LoadBalancerStepError(`could not take node ${m.node} (${m.id}) out of its load balancers: ${errorMessage(error)}`);
    }
  });
}

/** Merges what is known so far of what the step changed (the label first, the registrations once deregistered). */
function remember(m: WaveMember, change: Partial<TakenOut>): void {
  const known = m.progress.loadBalancers ?? { labelled: false, ...NONE };
  m.progress.loadBalancers = { ...known, ...change, labelled: known.labelled || change.labelled === true };
}

/**
 * Undoes the deregister step for a node the rollout gives back. Best effort:
 * returns what could not be undone, in words (empty when all was).
 */
export async function giveBackToLoadBalancers(ctx: RunContext, instance: string, node: string, taken: TakenOut | undefined): Promise<string> {
  if (!taken) return '';
  const problems: string[] = [];
  if (taken.labelled && ctx.deps.kube) {
    await ctx.deps.kube.includeInLoadBalancers(node).catch((error: Error) => problems.push(`could not remove its exclude-from-load-balancers label: ${error.message}`));
  }
  if (taken.targetGroups.length + taken.classic.length > 0) {
    await ctx.deps.cloud.reregister(new Map([[instance, { targetGroups: taken.targetGroups, classic: taken.classic }]])).catch((error: Error) => problems.push(error.message));
  }
  return problems.join('; ');
}
