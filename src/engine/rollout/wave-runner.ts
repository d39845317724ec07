// One wave of a group: confirm each instance, detach the surging ones and
// wait for their replacements, then cordon -> drain -> post-drain delay ->
// terminate (the wave's instances in step with one another, one journal write
// per step), then wait for the group to be whole again and validate.
// Every step is journaled; a step the journal already has is not run again.
// A node whose drain the user skips is uncordoned and left out of the rest.
import { DrainTimeoutError } from '../kube/node-ops.js';
import { needs, runPhase, type RunContext, type WaveMember } from './run-context.js';
import type { RolloutCloudGroup, RolloutInstance } from './deps.js';
import type { ConfirmPod, ConfirmRequest, InstanceStep } from './types.js';
import { refreshApiRecord, validateUntilHealthy, waitForGroupStrength } from './waits.js';

/**
 * Runs one wave. Returns the instances of the wave not asked about yet
 * because the user asked to pause after an instance: the caller runs them
 * (as the rest of this wave) once the run is resumed.
 */
export async function runWave(ctx: RunContext, members: WaveMember[]): Promise<WaveMember[]> {
  const { kept: confirmed, deferred } = await confirmAll(ctx, members);
  if (confirmed.length === 0) return deferred;
  // One look at the cloud per wave: we are the only actor on these instances
  // (the lock), so what we do to them afterwards we know without asking.
  const snapshot = (await ctx.deps.cloud.listGroups(ctx.cluster)).find((g) => g.name === confirmed[0].group);
  const cloudState = new Map(confirmed.map((m) => [m.id, snapshot?.instances.find((i) => i.id === m.id)]));
  const group = confirmed[0].group;
  const kind = confirmed[0].kind;
  try {
    await surge(ctx, confirmed, cloudState, snapshot);
    await replace(ctx, confirmed, cloudState);
  } catch (error) {
    await leaveNodesSafe(ctx, confirmed);
    throw error;
  }
  // Instances whose drain was skipped stay as they are: not waited for, not validated for.
  const going = confirmed.filter((m) => !m.progress.skipped);
  if (going.length === 0) return deferred;
  const goingIds = new Set(going.map((m) => m.id));
  const deadline = ctx.deps.clock.now() + ctx.timings.validationTimeoutMs;
  const known = snapshot && {
    ...snapshot,
    instances: snapshot.instances.flatMap((i) => (goingIds.has(i.id) ? [] : cloudState.has(i.id) ? [cloudState.get(i.id)].filter((x): x is RolloutInstance => x !== undefined) : [i])),
  };
  await groupStep(ctx, going, 'join', async () => {
    const wait = { group, kind, leaving: going.map((m) => m.id), deadline, known };
    await refreshApiRecord(ctx, wait);
    await waitForGroupStrength(ctx, wait);
  });
  await groupStep(ctx, going, 'validate', () => validateUntilHealthy(ctx, group, deadline, ctx.timings.validateCount));
  for (const m of going) if (!ctx.replaced.includes(m.id)) ctx.replaced.push(m.id);
  return deferred;
}

/**
 * Asks about each instance in turn; returns those confirmed (or confirmed by
 * an earlier run), and those left to ask after a pause the user scheduled.
 */
async function confirmAll(ctx: RunContext, members: WaveMember[]): Promise<{ kept: WaveMember[]; deferred: WaveMember[] }> {
  if (!ctx.confirm) return { kept: await confirmWithoutAsking(ctx, members), deferred: [] };
  const kept: WaveMember[] = [];
  for (const [index, m] of members.entries()) {
    if (m.progress.skipped) continue;
    if (!needs(m, 'confirm')) {
      kept.push(m);
      continue;
    }
    // "Pause after this node": the instances confirmed so far go on as a
    // smaller wave (never more at once than planned); the rest are asked
    // about once the run is resumed.
    if (ctx.intents.pauseAfterCurrent && kept.length > 0) {
      const rest = members.slice(index).filter((r) => !r.progress.skipped);
      kept.push(...rest.filter((r) => !needs(r, 'confirm')));
      return { kept, deferred: rest.filter((r) => needs(r, 'confirm')) };
    }
    await ctx.intents.gate({ beforeInstance: true });
    ctx.counter.position += 1;
    const request = await confirmRequest(ctx, m);
    const started = ctx.deps.clock.now();
    ctx.emit({ type: 'step-started', instanceId: m.id, group: m.group, nodeName: m.node, step: 'confirm' });
    ctx.emit({ type: 'confirm', request });
    const answer = ctx.confirm ? await ctx.confirm(request) : 'yes';
    ctx.emit({ type: 'confirmed', instanceId: m.id, answer });
    if (answer === 'abort') {
      ctx.intents.abort(`aborted at the confirmation of ${m.node ?? m.id}`);
      await ctx.intents.gate();
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

/** --yes: every instance of the wave confirmed at once, in one journal write. */
async function confirmWithoutAsking(ctx: RunContext, members: WaveMember[]): Promise<WaveMember[]> {
  const kept = members.filter((m) => !m.progress.skipped);
  const asking = kept.filter((m) => needs(m, 'confirm'));
  if (asking.length === 0) return kept;
  await ctx.intents.gate({ beforeInstance: true });
  const at = ctx.deps.clock.now();
  for (const m of asking) {
    ctx.counter.position += 1;
    ctx.emit({ type: 'step-started', instanceId: m.id, group: m.group, nodeName: m.node, step: 'confirm' });
  }
  await ctx.journal.record(...asking.map((m) => ({ instance: m.id, group: m.group, step: 'confirm' as const, at, node: m.node, wave: m.wave, surge: m.surge, note: 'yes to all' })));
  for (const m of asking) {
    m.progress.done.push('confirm');
    ctx.emit({ type: 'confirmed', instanceId: m.id, answer: 'yes' });
    ctx.emit({ type: 'step-finished', instanceId: m.id, group: m.group, nodeName: m.node, step: 'confirm', durationMs: 0 });
  }
  return kept;
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
  };
}

type CloudState = Map<string, RolloutInstance | undefined>;

/** Detaches the surging instances (together), then waits until their replacements are in service and Ready. */
async function surge(ctx: RunContext, members: WaveMember[], cloudState: CloudState, snapshot: RolloutCloudGroup | undefined): Promise<void> {
  const surging = members.filter((m) => m.surge);
  if (surging.length === 0) return;
  await ctx.intents.gate();
  await runPhase(ctx, surging, 'detach', async (m) => {
    ctx.retired.add(m.id);
    const found = cloudState.get(m.id);
    if (!found) return 'instance already gone';
    if (found.detached) return 'already detached';
    await ctx.deps.cloud.detach(m.groupName, m.id);
    cloudState.set(m.id, { ...found, detached: true, lifecycleState: 'Detached' });
  });
  if (!surging.some((m) => needs(m, 'cordon') || needs(m, 'terminate'))) return;
  const deadline = ctx.deps.clock.now() + ctx.timings.validationTimeoutMs;
  // What we just did is known: the group is short of its surging instances, so the wait can start by watching.
  const known = snapshot && {
    ...snapshot,
    instances: snapshot.instances.flatMap((i) => (cloudState.has(i.id) ? [cloudState.get(i.id)].filter((x): x is RolloutInstance => x !== undefined) : [i])),
  };
  await waitForGroupStrength(ctx, { group: surging[0].group, kind: surging[0].kind, leaving: [], deadline, known });
}

/** cordon -> drain -> post-drain delay -> terminate, the wave's instances together. */
async function replace(ctx: RunContext, members: WaveMember[], cloudState: CloudState): Promise<void> {
  const kube = ctx.deps.kube;
  await ctx.intents.gate();
  await runPhase(ctx, members, 'cordon', async (m) => {
    if (!m.node || !kube) return 'no node registered';
    await kube.cordon(m.node);
  });
  // No gate between cordon and drain: a pause must not leave a node cordoned but full.
  await runPhase(ctx, members, 'drain', async (m) => {
    if (!m.node || !kube) return 'no node registered';
    const node = m.node;
    const drain = ctx.intents.drainStarted(m.id, node, ctx.signal);
    try {
      const result = await kube.drain(node, {
        timeoutMs: ctx.timings.drainTimeoutMs,
        signal: drain.signal,
        onProgress: (progress) => {
          ctx.emit({ type: 'drain-progress', instanceId: m.id, nodeName: node, progress });
          if (progress.type === 'blocked') {
            const blocked = [{ pod: progress.pod, pdb: progress.pdb, reason: progress.message }];
            ctx.emit({ type: 'drain-blocked', instanceId: m.id, nodeName: node, blocked, message: progress.message });
          }
        },
      });
      return `evicted ${result.evicted.length} pod(s)`;
    } catch (error) {
      if (drain.skipped()) return void (await skipDuringDrain(ctx, m, node));
      if (error instanceof DrainTimeoutError) ctx.emit({ type: 'drain-blocked', instanceId: m.id, nodeName: node, blocked: error.blocked, message: error.message });
      throw error;
    } finally {
      ctx.intents.drainEnded(m.id);
    }
  });
  await ctx.intents.gate();
  // One delay for the wave: every drain in it has finished.
  let delay: Promise<void> | undefined;
  await runPhase(ctx, members, 'post-drain', async () => {
    if (ctx.timings.postDrainDelayMs > 0) await (delay ??= ctx.deps.clock.sleep(ctx.timings.postDrainDelayMs, ctx.signal));
  });
  await ctx.intents.gate();
  await runPhase(ctx, members, 'terminate', async (m) => {
    ctx.retired.add(m.id);
    const found = cloudState.get(m.id);
    if (!found) return 'instance already gone';
    await ctx.deps.cloud.terminate(m.id, { detached: found.detached });
    cloudState.set(m.id, undefined);
  });
}

/** A step shared by the wave (one wait), recorded for each instance. */
async function groupStep(ctx: RunContext, members: WaveMember[], step: InstanceStep, work: () => Promise<void>): Promise<void> {
  const pending = members.filter((m) => needs(m, step));
  if (pending.length === 0) return;
  await ctx.intents.gate();
  const started = ctx.deps.clock.now();
  for (const m of pending) ctx.emit({ type: 'step-started', instanceId: m.id, group: m.group, nodeName: m.node, step });
  await work();
  const at = ctx.deps.clock.now();
  await ctx.journal.record(...pending.map((m) => ({ instance: m.id, group: m.group, step, at, node: m.node })));
  for (const m of pending) {
    m.progress.done.push(step);
    ctx.emit({ type: 'step-finished', instanceId: m.id, group: m.group, nodeName: m.node, step, durationMs: at - started });
  }
}

/**
 * The user skipped an instance while its drain was held up: it is journaled
 * as skipped first (a resumed run neither drains it again nor replaces it;
 * a crash before the uncordon is finished by the next run, see
 * uncordonSkipped), then its node is uncordoned. Pods already evicted stay
 * evicted (their owners recreate them elsewhere).
 */
async function skipDuringDrain(ctx: RunContext, m: WaveMember, node: string): Promise<void> {
  const detached = m.progress.done.includes('detach');
  const reason =
    'skipped while its drain was held up: uncordoned and not replaced' +
    (detached ? '; it stays detached from its group (its replacement already runs) until a later rolling update replaces it' : '');
  await ctx.journal.record({ instance: m.id, group: m.group, step: 'skip', at: ctx.deps.clock.now(), node, note: reason });
  m.progress.skipped = true;
  if (!ctx.skipped.includes(m.id)) ctx.skipped.push(m.id);
  await uncordonSkipped(ctx, m.id, m.group, node);
  m.progress.done = [];
  ctx.emit({ type: 'skipped', instanceId: m.id, group: m.group, reason });
}

/** Uncordons the node of an instance skipped during its drain, and journals it. */
export async function uncordonSkipped(ctx: RunContext, instance: string, group: string, node: string): Promise<void> {
  await ctx.deps.kube?.uncordon(node);
  await ctx.journal.record({ instance, group, step: 'uncordon', at: ctx.deps.clock.now(), node, note: 'uncordoned: its drain was skipped' });
  ctx.emit({ type: 'uncordoned', instanceId: instance, nodeName: node, reason: 'its drain was skipped' });
}

/**
 * After an abort or a failure: a node cordoned but not drained is uncordoned
 * (unless the user chose to leave it cordoned); a drained node stays cordoned,
 * which is safe. Not on a hard stop (the caller's signal), which acts as a crash.
 */
async function leaveNodesSafe(ctx: RunContext, members: WaveMember[]): Promise<void> {
  const hardStop = ctx.signal.aborted && !ctx.intents.abortRequested;
  if (hardStop || !ctx.deps.kube || ctx.intents.cordoned === 'leave-cordoned') return;
  for (const m of members) {
    if (!m.node || !m.progress.done.includes('cordon') || m.progress.done.includes('drain')) continue;
    await ctx.deps.kube.uncordon(m.node);
    await ctx.journal.record({ instance: m.id, group: m.group, step: 'uncordon', at: ctx.deps.clock.now(), node: m.node, note: 'uncordoned: not drained when the rollout stopped' });
    m.progress.done = [];
    ctx.emit({ type: 'uncordoned', instanceId: m.id, nodeName: m.node });
  }
}
