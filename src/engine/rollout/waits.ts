// The rollout's waits: for a group to be back at full strength (its
// replacements launched, joined and Ready), and for the cluster to validate N
// times in a row. Both end at a deadline with a reason a person can act on.
import { waitForValidation } from '../health/wait-for-validation.js';
import type { RolloutCloudGroup } from './deps.js';
import type { RunContext } from './run-context.js';
import type { GroupKind } from './types.js';

/** The cluster did not come back to health in time: the rollout stops here. */
export class ValidationTimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ValidationTimeoutError';
  }
}

export interface StrengthWait {
  group: string;
  kind: GroupKind;
  /** Instances on their way out: they do not count even if still listed. */
  leaving: readonly string[];
  /** Clock ms. */
  deadline: number;
  /** False: in service is enough (the node may still be joining). Default true. */
  nodesReady?: boolean;
}

/** Waits until the group has its desired number of in-service instances, each with a Ready node. */
export async function waitForGroupStrength(ctx: RunContext, wait: StrengthWait): Promise<void> {
  const { clock, cloud, kube } = ctx.deps;
  for (;;) {
    ctx.signal.throwIfAborted();
    const group = (await cloud.listGroups(ctx.cluster)).find((g) => g.name === wait.group);
    if (!group) throw new Error(`instance group ${wait.group} is no longer in the cloud`);
    const counted = kube && wait.kind !== 'Bastion' && !ctx.cloudOnly && wait.nodesReady !== false ? await kube.nodesByInstance() : undefined;
    const { ready, joining } = strength(group, wait.leaving, counted ? (id) => counted.get(id)?.ready ?? false : undefined);
    ctx.emit({ type: 'waiting-for-replacement', group: wait.group, want: group.desiredCapacity, ready, joining });
    if (ready >= group.desiredCapacity) return;
    const remaining = wait.deadline - clock.now();
    if (remaining <= 0) throw new ValidationTimeoutError(await timeoutReason(ctx, group, ready));
    await clock.sleep(Math.min(ctx.timings.joinPollMs, remaining), ctx.signal);
  }
}

/** Ready members (in service, not leaving, node Ready when nodes are known) and the rest still joining. */
export function strength(group: RolloutCloudGroup, leaving: readonly string[], isReady?: (id: string) => boolean): { ready: number; joining: number } {
  const members = group.instances.filter((i) => !i.detached && !leaving.includes(i.id));
  const ready = members.filter((i) => i.lifecycleState === 'InService' && (isReady ? isReady(i.id) : true)).length;
  return { ready, joining: members.length - ready };
}

async function timeoutReason(ctx: RunContext, group: RolloutCloudGroup, ready: number): Promise<string> {
  const within = formatLimit(ctx.timings.validationTimeoutMs);
  const fallback = `instance group ${group.name} has ${ready} of ${group.desiredCapacity} instances in service and Ready`;
  if (!ctx.deps.validate || ctx.cloudOnly) return `cluster did not validate within ${within}: ${fallback}`;
  try {
    const result = await ctx.deps.validate(ctx.signal);
    const failure = result.failures.find((f) => f.instanceGroup === group.name && f.kind === 'Node') ?? result.failures.find((f) => f.instanceGroup === group.name) ?? result.failures[0];
    return `cluster did not validate within ${within}: ${failure?.message ?? fallback}`;
  } catch {
    return `cluster did not validate within ${within}: ${fallback}`;
  }
}

/** Validates until N consecutive passes, or fails at the deadline with the last failure. */
export async function validateUntilHealthy(ctx: RunContext, group: string, deadline: number, count: number): Promise<void> {
  const validate = ctx.deps.validate;
  if (!validate) return;
  const outcome = await waitForValidation({
    validate,
    clock: ctx.deps.clock,
    waitMs: Math.max(0, deadline - ctx.deps.clock.now()),
    count,
    intervalMs: ctx.timings.validateIntervalMs,
    signal: ctx.signal,
    onAttempt: (a) =>
      ctx.emit({ type: 'validation-attempt', group, attempt: a.attempt, ok: a.result.ok, consecutivePasses: a.consecutivePasses, required: a.required, failures: a.result.failures }),
  });
  if (!outcome.ok) {
    const failure = outcome.result.failures[0]?.message ?? outcome.reason ?? 'no reason given';
    throw new ValidationTimeoutError(`cluster did not validate within ${formatLimit(ctx.timings.validationTimeoutMs)}: ${failure}`);
  }
}

export function formatLimit(ms: number): string {
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/** Once the control plane's replacements run: api.<cluster> is pointed at them (a no-op without DNS). */
export async function refreshApiRecord(ctx: RunContext, wait: StrengthWait): Promise<void> {
  const refresh = ctx.deps.refreshApiRecord;
  if (!refresh || wait.kind !== 'ControlPlane') return;
  await waitForGroupStrength(ctx, { ...wait, nodesReady: false });
  try {
    const outcome = await refresh(ctx.signal);
    if (outcome) ctx.emit({ type: 'api-record', group: wait.group, ...outcome });
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    throw new Error(`could not point the api.${ctx.cluster} DNS record at the new control plane: ${(error as Error).message}`);
  }
}
