// One instance group: its out-of-date warm pool instances are terminated
// first (not nodes: nothing to drain), as kops does; then the instances an
// earlier run left half-done, in the waves they were in; then the rest, cut
// into new waves. The cluster
// must validate before a group starts (unless it is resuming one), and the
// group's interval is slept between waves.
import type { InstanceProgress } from './journal.js';
import { stepsFor } from './journal.js';
import { makeWaves } from './ordering.js';
import type { RunContext, WaveMember } from './run-context.js';
import type { PlannedGroup, PlannedInstance } from './types.js';
import { validateUntilHealthy, ValidationTimeoutError } from './waits.js';
import { runWave } from './wave-runner.js';

export interface GroupWork {
  group: PlannedGroup;
  waves: WaveMember[][];
  resuming: boolean;
}

/** The waves of one group: half-done instances from the journal first, then fresh ones. */
export function groupWork(ctx: Pick<RunContext, 'cloudOnly' | 'deps'>, group: PlannedGroup, progress: Map<string, InstanceProgress>): GroupWork {
  const withoutKube = ctx.cloudOnly || group.kind === 'Bastion' || !ctx.deps.kube;
  const shape = (surge: boolean) => stepsFor({ surge, withoutKube, bastion: group.kind === 'Bastion' });
  const planned = new Map(group.instances.map((i) => [i.id, i]));
  const member = (id: string, surge: boolean, wave: number, p: InstanceProgress | undefined, instance?: PlannedInstance): WaveMember => ({
    id,
    group: group.name,
    groupName: group.groupName,
    kind: group.kind,
    node: p?.node ?? instance?.nodeName,
    reason: instance?.reason ?? 'resuming an interrupted rollout',
    surge,
    wave,
    steps: shape(surge),
    progress: p ?? { instance: id, group: group.name, surge, done: [], skipped: false },
    askAgain: Boolean(p?.done.includes('confirm')) && !p?.done.includes('terminate'),
  });

  const inFlight = [...progress.values()].filter((p) => p.group === group.name && !p.skipped && p.done.length > 0 && !isComplete(p, shape(p.surge)));
  const byWave = new Map<number, WaveMember[]>();
  for (const p of inFlight) {
    const wave = p.wave ?? 0;
    byWave.set(wave, [...(byWave.get(wave) ?? []), member(p.instance, p.surge, wave, p, planned.get(p.instance))]);
  }
  const resumed = [...byWave.keys()].sort((a, b) => a - b).map((w) => byWave.get(w)!);

  const started = new Set([...progress.values()].filter((p) => p.skipped || p.done.length > 0).map((p) => p.instance));
  const fresh = group.instances.filter((i) => !started.has(i.id));
  const firstWave = Math.max(-1, ...[...progress.values()].filter((p) => p.group === group.name).map((p) => p.wave ?? -1)) + 1;
  const canSurge = group.kind !== 'ControlPlane' && !ctx.cloudOnly;
  // A group already under way has its canary behind it.
  const canary = group.canary && firstWave === 0 && resumed.length === 0;
  const waves = makeWaves(fresh, group.settings, { canSurge, canary }).map((wave, index) =>
    wave.instances.map((id) => {
      const instance = planned.get(id)!;
      return member(id, wave.surge.includes(id) || instance.detached, firstWave + index, undefined, instance);
    }),
  );
  return { group, waves: [...resumed, ...waves], resuming: resumed.length > 0 };
}

function isComplete(p: InstanceProgress, steps: readonly string[]): boolean {
  return steps.every((s) => p.done.includes(s as never));
}

/** A wave once over: the clock ms it worked (waits for a person left out, its interval in) and how many it replaced. */
export interface FinishedWave {
  workMs: number;
  replaced: number;
}

export async function runGroup(ctx: RunContext, work: GroupWork, onWaveFinished: (wave: FinishedWave) => void): Promise<void> {
  const { group, waves } = work;
  if (waves.length === 0 && group.warm.length === 0) return;
  const { clock } = ctx.deps;
  const started = clock.now();
  ctx.emit({ type: 'group-started', group: group.name, kind: group.kind, settings: group.settings, instances: waves.flat().length });
  if (!group.settings.drainAndTerminate) {
    ctx.emit({ type: 'group-finished', group: group.name, durationMs: 0 });
    return;
  }
  await ctx.intents.gate({ beforeInstance: true });
  if (!work.resuming && group.kind !== 'Bastion' && !ctx.cloudOnly && ctx.deps.validate) {
    try {
      await validateUntilHealthy(ctx, group.name, clock.now() + ctx.timings.validationTimeoutMs, 1);
    } catch (error) {
      if (error instanceof ValidationTimeoutError) throw new ValidationTimeoutError(`not starting ${group.name}: ${error.message}`);
      throw error;
    }
  }
  await taintGroup(ctx, group.name, waves.flat());
  await terminateWarmPool(ctx, group);
  for (const [index, members] of waves.entries()) {
    const waveStarted = clock.now();
    const waitedBefore = ctx.intents.waitedForPersonMs;
    const replacedBefore = ctx.replaced.length;
    // A wave cut short by "pause after this node" goes on with the rest of its instances once resumed.
    let pending = members;
    while (pending.length > 0) {
      await ctx.intents.gate({ beforeInstance: true });
      ctx.emit({ type: 'wave-started', group: group.name, wave: index + 1, waves: waves.length, instances: pending.map((m) => m.id) });
      pending = await runWave(ctx, pending);
    }
    if (index < waves.length - 1) {
      const ms = intervalOf(ctx, group.kind);
      if (ms > 0) {
        await ctx.intents.gate({ beforeInstance: true });
        ctx.emit({ type: 'interval', group: group.name, ms });
        await clock.sleep(ms, ctx.signal);
      }
    }
    // The plan's estimate of a wave includes its interval: so does what is measured.
    onWaveFinished({ workMs: clock.now() - waveStarted - (ctx.intents.waitedForPersonMs - waitedBefore), replaced: ctx.replaced.length - replacedBefore });
  }
  ctx.emit({ type: 'group-finished', group: group.name, durationMs: clock.now() - started });
}

/**
 * The group's planned warm pool instances, terminated through EC2 in one call
 * (the group refills its pool from its current template). Only those still in
 * the pool now: the plan may be an hour old, and a group that grew meanwhile
 * took warm instances into service, where they are nodes with pods that only
 * a drain may move. Safe to repeat: a resumed run plans afresh, and instances
 * already terminating are not planned.
 */
async function terminateWarmPool(ctx: RunContext, group: PlannedGroup): Promise<void> {
  if (group.warm.length === 0) return;
  await ctx.intents.gate({ beforeInstance: true });
  const now = await ctx.deps.cloud.lookAtGroup(ctx.cluster, { name: group.name, groupName: group.groupName });
  const inPool = new Set((now?.warmInstances ?? []).filter((i) => i.lifecycleState.startsWith('Warmed:')).map((i) => i.id));
  const still = group.warm.filter((id) => inPool.has(id));
  const left = group.warm.filter((id) => !inPool.has(id));
  if (left.length > 0) {
    const message = `${left.join(', ')} left the warm pool since the plan (taken into service, or terminated): not terminated here; a member out of date is replaced, with a drain, by a later rolling update`;
    ctx.emit({ type: 'warning', group: group.name, message });
  }
  if (still.length === 0) return;
  await ctx.deps.cloud.terminate(still, { detached: true });
  ctx.emit({ type: 'warm-pool-terminated', group: group.name, instanceIds: still });
}

/**
 * Before the first drain, every node the group will replace is tainted
 * PreferNoSchedule (as kops does), so pods evicted by one drain prefer nodes
 * that stay. A failed taint stops the run unless --fail-on-drain-error=false.
 */
async function taintGroup(ctx: RunContext, group: string, members: readonly WaveMember[]): Promise<void> {
  const kube = ctx.deps.kube;
  if (!kube || ctx.cloudOnly) return;
  const tainted: string[] = [];
  for (const node of members.map((m) => m.node).filter((n): n is string => n !== undefined)) {
    try {
      if (await kube.taintScheduledForUpdate(node)) tainted.push(node);
    } catch (error) {
      const message = `failed to taint node ${node}: ${(error as Error).message}`;
      if (ctx.failOnDrainError) throw new Error(message);
      ctx.emit({ type: 'warning', group, message: `${message}; going on, as --fail-on-drain-error=false asks` });
    }
  }
  if (tainted.length > 0) ctx.emit({ type: 'tainted', group, nodes: tainted });
}

function intervalOf(ctx: RunContext, kind: PlannedGroup['kind']): number {
  if (kind === 'Bastion') return ctx.timings.bastionIntervalMs;
  if (kind === 'Node') return ctx.timings.nodeIntervalMs;
  return ctx.timings.controlPlaneIntervalMs;
}
