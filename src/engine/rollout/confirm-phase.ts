// The question before each instance's drain: asked in turn in a supervised
// run (an instance an earlier run confirmed but did not replace is asked about
// again), or answered yes for the whole wave at once with --yes. What is asked
// is the confirm request: the node's pods the drain evicts, with their budgets.
import type { RolloutGroupView } from './deps.js';
import { giveBackSkipped } from './give-back.js';
import { needs, type RunContext, type WaveMember } from './run-context.js';
import type { ConfirmPod, ConfirmRequest } from './types.js';

/**
 * Asks about each instance in turn; returns those confirmed (or confirmed by
 * an earlier run), and those left to ask after a pause the user scheduled.
 */
export async function confirmAll(
  ctx: RunContext,
  members: WaveMember[],
  look: () => Promise<RolloutGroupView | undefined>,
): Promise<{ kept: WaveMember[]; deferred: WaveMember[]; snapshot?: RolloutGroupView }> {
  if (!ctx.confirm) return { ...(await confirmWithoutAsking(ctx, members, look)), deferred: [] };
  const kept: WaveMember[] = [];
  for (const [index, m] of members.entries()) {
    if (m.progress.skipped) continue;
    if (!needs(m, 'confirm') && !m.askAgain) {
      kept.push(m);
      continue;
    }
    // "Pause after this node": the instances confirmed so far go on as a
    // smaller wave (never more at once than planned); the rest are asked
    // about once the run is resumed.
    if (ctx.intents.pauseAfterCurrent && kept.length > 0) {
      const rest = members.slice(index).filter((r) => !r.progress.skipped);
      const unanswered = (r: WaveMember) => needs(r, 'confirm') || Boolean(r.askAgain);
      kept.push(...rest.filter((r) => !unanswered(r)));
      return { kept, deferred: rest.filter(unanswered) };
    }
    await ctx.intents.gate({ beforeInstance: true });
    ctx.counter.position += 1;
    const request = await confirmRequest(ctx, m);
    const started = ctx.deps.clock.now();
    ctx.emit({ type: 'step-started', instanceId: m.id, group: m.group, nodeName: m.node, step: 'confirm' });
    ctx.emit({ type: 'confirm', request });
    const asked = ctx.deps.clock.now();
    const answer = ctx.confirm ? await ctx.confirm(request) : 'yes';
    ctx.intents.waitedForPerson(ctx.deps.clock.now() - asked);
    ctx.emit({ type: 'confirmed', instanceId: m.id, answer });
    if (answer === 'abort') {
      ctx.intents.abort(`aborted at the confirmation of ${m.node ?? m.id}`);
      await ctx.intents.gate();
    }
    if (m.askAgain) {
      // Asked again after an earlier run: its confirm step is already journaled, so nothing is written for a yes.
      m.askAgain = false;
      if (answer === 'skip') {
        await skipAfterEarlierRun(ctx, m);
        continue;
      }
      ctx.emit({ type: 'step-finished', instanceId: m.id, group: m.group, nodeName: m.node, step: 'confirm', durationMs: ctx.deps.clock.now() - started });
      kept.push(m);
      continue;
    }
    if (answer === 'skip') {
      await ctx.journal.record({ instance: m.id, group: m.group, step: 'skip', at: ctx.deps.clock.now(), node: m.node, note: 'skipped at confirmation' });
      m.progress.skipped = true;
      ctx.skipped.push(m.id);
      ctx.emit({ type: 'skipped', instanceId: m.id, group: m.group, reason: 'skipped at confirmation' });
      continue;
    }
    const at = ctx.deps.clock.now();
    await ctx.journal.record({ instance: m.id, group: m.group, step: 'confirm', at, node: m.node, wave: m.wave, surge: m.surge });
    m.progress.done.push('confirm');
    ctx.emit({ type: 'step-finished', instanceId: m.id, group: m.group, nodeName: m.node, step: 'confirm', durationMs: at - started });
    kept.push(m);
  }
  return { kept, deferred: [] };
}


/** --yes: every instance of the wave confirmed at once, in one journal write, while the cloud is looked at. */
async function confirmWithoutAsking(
  ctx: RunContext,
  members: WaveMember[],
  look: () => Promise<RolloutGroupView | undefined>,
): Promise<{ kept: WaveMember[]; snapshot?: RolloutGroupView }> {
  const kept = members.filter((m) => !m.progress.skipped);
  const asking = kept.filter((m) => needs(m, 'confirm'));
  if (asking.length === 0) return { kept };
  await ctx.intents.gate({ beforeInstance: true });
  const at = ctx.deps.clock.now();
  for (const m of asking) {
    ctx.counter.position += 1;
    ctx.emit({ type: 'step-started', instanceId: m.id, group: m.group, nodeName: m.node, step: 'confirm' });
  }
  const [, snapshot] = await Promise.all([
    ctx.journal.record(...asking.map((m) => ({ instance: m.id, group: m.group, step: 'confirm' as const, at, node: m.node, wave: m.wave, surge: m.surge, note: 'yes to all' }))),
    look(),
  ]);
  for (const m of asking) {
    m.progress.done.push('confirm');
    ctx.emit({ type: 'confirmed', instanceId: m.id, answer: 'yes' });
    ctx.emit({ type: 'step-finished', instanceId: m.id, group: m.group, nodeName: m.node, step: 'confirm', durationMs: 0 });
  }
  return { kept, snapshot };
}

export async function confirmRequest(ctx: RunContext, m: WaveMember): Promise<ConfirmRequest> {
  // Only a person reads the pods: with --yes (no callback) they are not fetched.
  const pods = ctx.confirm && m.node && ctx.deps.kube && m.steps.includes('drain') ? await ctx.deps.kube.describePods(m.node) : [];
  const toPod = (p: (typeof pods)[number]): ConfirmPod => ({
    namespace: p.namespace,
    name: p.name,
    ownerKind: p.ownerKind,
    ownerName: p.ownerName,
    disposition: p.disposition,
    emptyDir: p.emptyDir,
    pdb: p.pdb,
    ...(p.owner ? { owner: p.owner } : {}),
  });
  return {
    cluster: ctx.cluster,
    instanceId: m.id,
    nodeName: m.node,
    group: m.group,
    kind: m.kind,
    reason: m.reason,
    position: ctx.counter.position,
    total: ctx.counter.total,
    evict: pods.filter((p) => p.disposition === 'evict').map(toPod),
    leftAlone: pods.filter((p) => p.disposition === 'skip-daemonset' || p.disposition === 'skip-mirror').map(toPod),
    ...(m.askAgain ? { earlierRun: earlierRunSentence(m) } : {}),
    ...(m.steps.includes('drain') ? {} : { noDrain: m.kind === 'Bastion' ? ('bastion' as const) : ('cloudonly' as const) }),
  };
}

/** Why nothing is drained before this instance is replaced, in a sentence (undefined: it is drained). */
export function noDrainSentence(request: Pick<ConfirmRequest, 'noDrain' | 'nodeName'>): string | undefined {
  if (request.noDrain === 'bastion') return 'A bastion registers no node, so nothing is drained: kops replaces bastions without a drain.';
  if (request.noDrain === 'cloudonly') return `--cloudonly: ${request.nodeName ? `node ${request.nodeName}` : 'its node'} is not drained before the instance is replaced.`;
  return undefined;
}

/** What the earlier run had done to an instance it confirmed, for the question asked again. */
function earlierRunSentence(m: WaveMember): string {
  const done = m.progress.done;
  const state = done.includes('drain') ? 'its node is cordoned and drained' : done.includes('cordon') ? 'its node is cordoned, not drained' : 'nothing was done to it yet';
  return `An earlier run confirmed this instance and stopped before replacing it: ${state}${done.includes('detach') ? '; it is detached from its group' : ''}.`;
}

/**
 * The user skipped, in this run, an instance an earlier run had confirmed but
 * not replaced: journaled as skipped, and its node, if cordoned and not yet
 * drained, given back as for a skip during the drain.
 */
async function skipAfterEarlierRun(ctx: RunContext, m: WaveMember): Promise<void> {
  const cordoned = m.progress.done.includes('cordon');
  const detached = m.progress.done.includes('detach');
  const note =
    `skipped when asked again after an earlier run: ${cordoned ? (m.progress.cordonedBefore ? 'left cordoned (as it was before the rollout) and ' : 'uncordoned and ') : ''}not replaced` +
    (detached ? '; it stays detached from its group (its replacement already runs) until a later rolling update replaces it' : '');
  await ctx.journal.record({ instance: m.id, group: m.group, step: 'skip', at: ctx.deps.clock.now(), node: m.node, note });
  m.progress.skipped = true;
  if (!ctx.skipped.includes(m.id)) ctx.skipped.push(m.id);
  if (cordoned && m.node) await giveBackSkipped(ctx, m.id, m.group, m.node);
  m.progress.done = [];
  ctx.emit({ type: 'skipped', instanceId: m.id, group: m.group, reason: note });
}
