// One wave of a group: confirm each instance, detach the surging ones and
// wait for their replacements, then cordon -> deregister from load balancers
// (load-balancer-step.ts) -> drain -> post-drain delay ->
// terminate (the wave's instances in step with one another, one journal write
// per step, one cloud call per detach or terminate of the wave), then wait for
// the group to be whole again and validate.
// Every step is journaled before the next irreversible one starts; a step the
// journal already has is not run again. Waits that change nothing (for the
// replacements, for the group to be whole) start while the write before them
// is in flight. A node whose drain the user skips is uncordoned and left out
// of the rest.
import { DrainTimeoutError } from '../kube/node-ops.js';
import { linkedSignal } from '../abort/linked-signal.js';
import { deregisterPhase, LoadBalancerStepError } from './load-balancer-step.js';
import { confirmAll } from './confirm-phase.js';
import { etcdQuorumRefusal } from './etcd-quorum.js';
import { giveBackNode, giveBackSkipped } from './give-back.js';
import { needs, runBatchedPhase, runPhase, type RunContext, type WaveMember } from './run-context.js';
import type { RolloutGroupView, RolloutInstance } from './deps.js';
import type { InstanceStep } from './types.js';
import { refreshApiRecord, validateUntilHealthy, waitForGroupStrength, type StrengthWait } from './waits.js';

type InstanceState = Pick<RolloutInstance, 'id' | 'lifecycleState' | 'detached'>;
type CloudState = Map<string, InstanceState | undefined>;

/**
 * Runs one wave. Returns the instances of the wave not asked about yet
 * because the user asked to pause after an instance: the caller runs them
 * (as the rest of this wave) once the run is resumed.
 */
export async function runWave(ctx: RunContext, members: WaveMember[]): Promise<WaveMember[]> {
  const first = members[0];
  // One look at the cloud per wave, at just this group: we are the only actor
  // on these instances (the lock), so what we do to them afterwards we know
  // without asking. With --yes it is taken while the confirmations are written.
  const look = () => ctx.deps.cloud.lookAtGroup(ctx.cluster, { name: first.group, groupName: first.groupName });
  const { kept: confirmed, deferred, snapshot: looked } = await confirmAll(ctx, members, look);
  if (confirmed.length === 0) return deferred;
  const snapshot = looked ?? (await look());
  const cloudState: CloudState = new Map(confirmed.map((m) => [m.id, snapshot?.instances.find((i) => i.id === m.id)]));
  redoLostTerminations(ctx, confirmed, cloudState);
  const group = confirmed[0].group;
  const wait = (leaving: string[], deadline: number): StrengthWait => ({
    group,
    groupName: confirmed[0].groupName,
    kind: confirmed[0].kind,
    leaving,
    deadline,
    // What we just did is known: the wait can start by watching instead of looking again.
    known: snapshot && knownAfter(snapshot, cloudState, new Set(leaving)),
  });
  let joined: { done: Promise<void> } | undefined;
  try {
    await surge(ctx, confirmed, cloudState, (deadline) => wait([], deadline));
    // The group-whole wait starts as soon as the wave is terminated, while that is written down.
    joined = await replace(ctx, confirmed, cloudState, async (alongside) => {
      const going = confirmed.filter((m) => !m.progress.skipped).map((m) => m.id);
      if (going.length === 0) return undefined;
      const joining = wait(going, alongside.deps.clock.now() + alongside.timings.validationTimeoutMs);
      const done = (async () => {
        await refreshApiRecord(alongside, joining);
        await waitForGroupStrength(alongside, joining);
      })();
      done.catch(() => undefined);
      return { done };
    });
  } catch (error) {
    // A failed deregistration leaves the nodes cordoned, as kops does: they may be half out of their load balancers.
    if (!(error instanceof LoadBalancerStepError)) await leaveNodesSafe(ctx, confirmed);
    throw error;
  }
  // Instances whose drain was skipped stay as they are: not waited for, not validated for.
  const going = confirmed.filter((m) => !m.progress.skipped);
  if (going.length === 0) return deferred;
  const deadline = ctx.deps.clock.now() + ctx.timings.validationTimeoutMs;
  await groupStep(ctx, going, 'join', async () => {
    if (joined) return joined.done;
    const joining = wait(going.map((m) => m.id), deadline);
    await refreshApiRecord(ctx, joining);
    await waitForGroupStrength(ctx, joining);
  });
  // Not started alongside the join's write: the first look right after a
  // termination often fails (the terminated nodes are still listed), and each
  // failed attempt costs a whole validation interval.
  await groupStep(ctx, going, 'validate', () => validateUntilHealthy(ctx, group, deadline, ctx.timings.validateCount));
  for (const m of going) if (!ctx.replaced.includes(m.id)) ctx.replaced.push(m.id);
  return deferred;
}

/**
 * The journal says an instance was terminated, yet the group still shows it in
 * service: the termination never took (a cloud that lost the write). Waiting
 * for its replacement would wait in vain, since the group launches none while
 * it counts the old one, so the terminate step is run again, and said.
 */
function redoLostTerminations(ctx: RunContext, members: WaveMember[], cloudState: CloudState): void {
  for (const m of members) {
    const seen = cloudState.get(m.id);
    if (!m.progress.done.includes('terminate') || m.progress.done.includes('join') || seen?.lifecycleState !== 'InService' || seen.detached) continue;
    m.progress.done = m.progress.done.filter((step) => step !== 'terminate');
    ctx.emit({ type: 'warning', group: m.group, message: `the journal says ${m.id} was terminated, but its group still shows it in service: terminating it again` });
  }
}

/** The group as our own actions left it: instances detached or terminated by us as we know them, those leaving left out. */
function knownAfter(snapshot: RolloutGroupView, cloudState: CloudState, leaving: Set<string>): RolloutGroupView {
  return {
    ...snapshot,
    instances: snapshot.instances.flatMap((i) => {
      if (leaving.has(i.id)) return [];
      if (!cloudState.has(i.id)) return [i];
      const now = cloudState.get(i.id);
      return now ? [now] : [];
    }),
  };
}

/**
 * Detaches the surging instances (one call for the wave), then waits until
 * their replacements are in service and Ready; the wait starts while the
 * detach is being written down.
 */
async function surge(ctx: RunContext, members: WaveMember[], cloudState: CloudState, strengthWait: (deadline: number) => StrengthWait): Promise<void> {
  const surging = members.filter((m) => m.surge);
  if (surging.length === 0) return;
  await ctx.intents.gate();
  const mustWait = () => surging.some((m) => needs(m, 'cordon') || needs(m, 'terminate'));
  await runBatchedPhase(
    ctx,
    surging,
    'detach',
    (m) => {
      ctx.retired.add(m.id);
      const found = cloudState.get(m.id);
      if (!found) return 'instance already gone';
      if (found.detached) return 'already detached';
      return undefined;
    },
    async (detaching) => {
      await ctx.deps.cloud.detach(detaching[0].groupName, detaching.map((m) => m.id));
      for (const m of detaching) cloudState.set(m.id, { ...cloudState.get(m.id)!, detached: true, lifecycleState: 'Detached' });
    },
    { alongside: (alongside) => (mustWait() ? waitForGroupStrength(alongside, strengthWait(alongside.deps.clock.now() + alongside.timings.validationTimeoutMs)) : Promise.resolve()) },
  );
}

/**
 * cordon -> drain -> post-drain delay -> terminate, the wave's instances
 * together. `afterTerminate` starts a wait that may run while the
 * termination is written down; it is handed back (still running).
 */
async function replace(
  ctx: RunContext,
  members: WaveMember[],
  cloudState: CloudState,
  afterTerminate: (ctx: RunContext) => Promise<{ done: Promise<void> } | undefined>,
): Promise<{ done: Promise<void> } | undefined> {
  const kube = ctx.deps.kube;
  await ctx.intents.gate();
  await refuseToBreakQuorum(ctx, members);
  // A resumed run says again which nodes it will leave cordoned.
  for (const m of members) if (m.node && m.progress.cordonedBefore) ctx.emit({ type: 'cordoned-before', instanceId: m.id, group: m.group, nodeName: m.node });
  await runPhase(ctx, members, 'cordon', async (m) => {
    if (!m.node || !kube) return 'no node registered';
    if (await kube.cordon(m.node, ctx.journal.document.runId)) return;
    // Cordoned by someone else: whatever happens next, the rollout never uncordons it.
    m.progress.cordonedBefore = true;
    ctx.emit({ type: 'cordoned-before', instanceId: m.id, group: m.group, nodeName: m.node });
    return { note: 'cordoned already, not by this rollout: it stays cordoned if it is not replaced', record: { cordonedBefore: true } };
  });
  // No gate between cordon and drain: a pause must not leave a node cordoned but full.
  await deregisterPhase(ctx, members);
  // A post-drain delay of 0 is done the moment the drain is: recorded with it.
  const noDelay = ctx.timings.postDrainDelayMs <= 0;
  await runPhase(
    ctx,
    members,
    'drain',
    async (m) => {
      if (!m.node || !kube) return 'no node registered';
      const node = m.node;
      const drain = ctx.intents.drainStarted(m.id, node, ctx.signal, m.progress.cordonedBefore === true);
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
        // kops' --fail-on-drain-error=false: the instance is terminated anyway (never on an abort or a stop).
        if (ctx.failOnDrainError === false && !ctx.signal.aborted) {
          const message = `drain of ${node} failed: ${(error as Error).message}; terminating it anyway, as --fail-on-drain-error=false asks`;
          ctx.emit({ type: 'warning', group: m.group, message });
          return message;
        }
        throw error;
      } finally {
        ctx.intents.drainEnded(m.id);
      }
    },
    noDelay ? { alsoDone: 'post-drain' } : {},
  );
  await ctx.intents.gate();
  // One delay for the wave: every drain in it has finished.
  let delay: Promise<void> | undefined;
  await runPhase(ctx, members, 'post-drain', async () => {
    if (ctx.timings.postDrainDelayMs > 0) await (delay ??= ctx.deps.clock.sleep(ctx.timings.postDrainDelayMs, ctx.signal));
  });
  await ctx.intents.gate();
  // Detached instances go in one EC2 call; group members through the group (its API takes one at a time).
  const terminate = async (going: WaveMember[], detached: boolean) => {
    if (going.length === 0) return;
    await ctx.deps.cloud.terminate(going.map((m) => m.id), { detached });
    for (const m of going) cloudState.set(m.id, undefined);
  };
  return runBatchedPhase(
    ctx,
    members,
    'terminate',
    (m) => {
      ctx.retired.add(m.id);
      return cloudState.get(m.id) ? undefined : 'instance already gone';
    },
    async (going) => {
      const detached = (m: WaveMember) => cloudState.get(m.id)?.detached === true;
      await Promise.all([terminate(going.filter(detached), true), terminate(going.filter((m) => !detached(m)), false)]);
    },
    { alongside: afterTerminate },
  );
}

/** Control-plane members not cordoned yet are taken away only while etcd keeps its quorum without them. */
async function refuseToBreakQuorum(ctx: RunContext, members: WaveMember[]): Promise<void> {
  const kube = ctx.deps.kube;
  const starting = members.filter((m) => m.kind === 'ControlPlane' && needs(m, 'cordon')).map((m) => m.id);
  if (!kube || starting.length === 0) return;
  const refusal = etcdQuorumRefusal((await kube.nodesByInstance()).values(), starting);
  if (refusal) throw new Error(refusal);
}

/**
 * A step shared by the wave (one wait), recorded for each instance. `next`
 * (a wait that changes nothing) starts while the step is written down; its
 * promise is returned, to be awaited as the next step.
 */
async function groupStep(
  ctx: RunContext,
  members: WaveMember[],
  step: InstanceStep,
  work: () => Promise<void>,
  next?: (ctx: RunContext) => Promise<void>,
): Promise<Promise<void> | undefined> {
  const pending = members.filter((m) => needs(m, step));
  if (pending.length === 0) return undefined;
  await ctx.intents.gate();
  const started = ctx.deps.clock.now();
  for (const m of pending) ctx.emit({ type: 'step-started', instanceId: m.id, group: m.group, nodeName: m.node, step });
  await work();
  const at = ctx.deps.clock.now();
  const recording = ctx.journal.record(...pending.map((m) => ({ instance: m.id, group: m.group, step, at, node: m.node })));
  const linked = linkedSignal(ctx.signal);
  const following = next?.({ ...ctx, signal: linked.signal });
  if (following) following.catch(() => undefined).finally(linked.dispose);
  else linked.dispose();
  try {
    await recording;
  } catch (error) {
    linked.abort(error);
    throw error;
  }
  for (const m of pending) {
    m.progress.done.push(step);
    ctx.emit({ type: 'step-finished', instanceId: m.id, group: m.group, nodeName: m.node, step, durationMs: at - started });
  }
  return following;
}

/**
 * The user skipped an instance while its drain was held up: it is journaled
 * as skipped first (a resumed run neither drains it again nor replaces it;
 * a crash before the uncordon is finished by the next run, see
 * giveBackSkipped), then its node is uncordoned. Pods already evicted stay
 * evicted (their owners recreate them elsewhere).
 */
async function skipDuringDrain(ctx: RunContext, m: WaveMember, node: string): Promise<void> {
  const detached = m.progress.done.includes('detach');
  const reason =
    `skipped while its drain was held up: ${m.progress.cordonedBefore ? 'left cordoned (as it was before the rollout)' : 'uncordoned'} and not replaced` +
    (detached ? '; it stays detached from its group (its replacement already runs) until a later rolling update replaces it' : '');
  await ctx.journal.record({ instance: m.id, group: m.group, step: 'skip', at: ctx.deps.clock.now(), node, note: reason });
  m.progress.skipped = true;
  if (!ctx.skipped.includes(m.id)) ctx.skipped.push(m.id);
  await giveBackSkipped(ctx, m.id, m.group, node);
  m.progress.done = [];
  ctx.emit({ type: 'skipped', instanceId: m.id, group: m.group, reason });
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
    // Given back: uncordoned (unless cordoned before the rollout), and into the load balancers it was taken out of.
    await giveBackNode(ctx, { instance: m.id, group: m.group, node: m.node, why: 'not drained when the rollout stopped' });
    m.progress.done = [];
    m.progress.loadBalancers = undefined;
    m.progress.cordonedBefore = undefined;
  }
}
