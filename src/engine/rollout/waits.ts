// The rollout's waits: for a group to be back at full strength (its
// replacements launched, joined and Ready), and for the cluster to validate N
// times in a row. Both end at a deadline with a reason a person can act on.
import { waitForValidation } from '../health/wait-for-validation.js';
import { linkedSignal } from '../abort/linked-signal.js';
import type { RolloutGroupView, RolloutKube, RolloutNode } from './deps.js';
import type { RunContext } from './run-context.js';
import type { GroupKind } from './types.js';
import type { ValidationFailure } from '../health/validate-cluster-health.js';

/** The cluster did not come back to health in time: the rollout stops here. */
export class ValidationTimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ValidationTimeoutError';
  }
}

export interface StrengthWait {
  group: string;
  /** The cloud group, `<ig>.<cluster>`. */
  groupName: string;
  kind: GroupKind;
  /** Instances on their way out: they do not count even if still listed. */
  leaving: readonly string[];
  /** Clock ms. */
  deadline: number;
  /** False: in service is enough (the node may still be joining). Default true. */
  nodesReady?: boolean;
  /** The group as the caller knows it right now: with a node watch, the first look at the cloud is skipped. */
  known?: RolloutGroupView;
}

/** With a node watch, the cloud is still looked at this often (clock ms) in case the nodes never tell us. */
export const WATCHED_CLOUD_POLL_MS = 30_000;

/**
 * Waits until the group has its desired number of in-service instances, each
 * with a Ready node. With a node watch (and nodes labelled with their group,
 * as kops labels them) joining is judged from the watched nodes: the group is
 * whole when enough of its nodes are Ready, not counting instances on their
 * way out or already retired by this rollout; the cloud is looked at only
 * every WATCHED_CLOUD_POLL_MS. Without a watch it polls every joinPollMs.
 */
export async function waitForGroupStrength(ctx: RunContext, wait: StrengthWait): Promise<void> {
  const { clock, cloud, kube } = ctx.deps;
  const countNodes = Boolean(kube) && wait.kind !== 'Bastion' && !ctx.cloudOnly && wait.nodesReady !== false;
  const watched = countNodes && kube?.onNodesChanged ? (kube as WatchedKube) : undefined;
  let group = watched ? wait.known : undefined;
  // Nodes labelled with the group whose machines are not its members when the wait
  // begins (left behind by an earlier run's surge, say) never count as joined.
  let outsiders: ReadonlySet<string> | undefined;
  for (;;) {
    ctx.signal.throwIfAborted();
    group ??= await cloud.lookAtGroup(ctx.cluster, { name: wait.group, groupName: wait.groupName });
    if (!group) throw new Error(`instance group ${wait.group} is no longer in the cloud`);
    const counted = countNodes ? await kube!.nodesByInstance() : undefined;
    outsiders ??= counted ? labelledOutsiders(group, wait, counted) : new Set();
    const inCloud = strength(group, wait.leaving, counted ? (id) => counted.get(id)?.ready ?? false : undefined);
    const byNodes = watched && counted ? joinedNodes(ctx, group, wait, counted, outsiders) : 0;
    const ready = Math.max(inCloud.ready, byNodes);
    ctx.emit({ type: 'waiting-for-replacement', group: wait.group, want: group.desiredCapacity, ready, joining: Math.max(0, inCloud.ready + inCloud.joining - ready) });
    if (ready >= group.desiredCapacity) return;
    const remaining = wait.deadline - clock.now();
    if (remaining <= 0) throw new ValidationTimeoutError(await timeoutReason(ctx, group, ready, wait.leaving));
    const labelled = counted ? [...counted.values()].some((n) => n.instanceGroup === wait.group) : false;
    if (watched && labelled) {
      const whole = group;
      const excluded = outsiders;
      const told = await untilNodesChange(
        ctx,
        watched,
        async () => joinedNodes(ctx, whole, wait, await watched.nodesByInstance(), excluded) >= whole.desiredCapacity,
        Math.min(WATCHED_CLOUD_POLL_MS, remaining),
      );
      // Told by the nodes: judge again from them; otherwise look at the cloud (a launch may have failed).
      if (!told) group = undefined;
    } else {
      await clock.sleep(Math.min(ctx.timings.joinPollMs, remaining), ctx.signal);
      group = undefined;
    }
  }
}

/** Ready nodes of the group (by their instance-group label), not leaving, detached, retired by this rollout or outsiders. */
function joinedNodes(ctx: RunContext, group: RolloutGroupView, wait: StrengthWait, nodes: Map<string, RolloutNode>, outsiders: ReadonlySet<string>): number {
  const excluded = new Set([...wait.leaving, ...outsiders, ...group.instances.filter((i) => i.detached).map((i) => i.id)]);
  let joined = 0;
  for (const node of nodes.values()) {
    if (node.ready && node.instanceGroup === wait.group && !excluded.has(node.instanceId) && !ctx.retired.has(node.instanceId)) joined++;
  }
  return joined;
}

/** Machines whose nodes carry the group's label but which are not among the group's instances. */
function labelledOutsiders(group: RolloutGroupView, wait: StrengthWait, nodes: Map<string, RolloutNode>): Set<string> {
  const members = new Set(group.instances.map((i) => i.id));
  const outsiders = new Set<string>();
  for (const node of nodes.values()) if (node.instanceGroup === wait.group && !members.has(node.instanceId)) outsiders.add(node.instanceId);
  return outsiders;
}

type WatchedKube = RolloutKube & Required<Pick<RolloutKube, 'onNodesChanged'>>;

/** True once `ready()` holds after a node change; false after `ms` (clock) without it. */
async function untilNodesChange(ctx: RunContext, kube: WatchedKube, ready: () => Promise<boolean>, ms: number): Promise<boolean> {
  const timer = linkedSignal(ctx.signal);
  const signal = timer.signal;
  let checking = false;
  let again = false;
  let met = false;
  const check = async () => {
    // Changes come in bursts: one look at a time, and one more if something changed meanwhile.
    if (checking) return void (again = true);
    checking = true;
    try {
      do {
        again = false;
        if (!met && (await ready())) {
          met = true;
          timer.abort();
        }
      } while (again && !met);
    } finally {
      checking = false;
    }
  };
  const unsubscribe = kube.onNodesChanged(() => void check().catch(() => undefined));
  try {
    await check();
    if (!met) {
      await ctx.deps.clock.sleep(ms, signal).catch((error) => {
        if (ctx.signal.aborted) throw error;
      });
    }
    return met;
  } finally {
    unsubscribe();
    timer.dispose();
  }
}

/** Ready members (in service, not leaving, node Ready when nodes are known) and the rest still joining. */
export function strength(group: RolloutGroupView, leaving: readonly string[], isReady?: (id: string) => boolean): { ready: number; joining: number } {
  const members = group.instances.filter((i) => !i.detached && !leaving.includes(i.id));
  const ready = members.filter((i) => i.lifecycleState === 'InService' && (isReady ? isReady(i.id) : true)).length;
  return { ready, joining: members.length - ready };
}

async function timeoutReason(ctx: RunContext, group: RolloutGroupView, ready: number, leaving: readonly string[]): Promise<string> {
  const within = formatLimit(ctx.timings.validationTimeoutMs);
  const fallback = `instance group ${group.name} has ${ready} of ${group.desiredCapacity} instances in service and Ready`;
  // What was seen, when it explains the wait: the group will not launch a replacement for an instance it still counts.
  const stillThere = group.instances.filter((i) => leaving.includes(i.id) && !i.detached && i.lifecycleState === 'InService').map((i) => i.id);
  const seen = stillThere.length
    ? `; ${stillThere.join(', ')}, terminated by this rollout, still ${stillThere.length === 1 ? 'shows' : 'show'} in service in the group, so no replacement was launched (a new run terminates ${stillThere.length === 1 ? 'it' : 'them'} again)`
    : '';
  if (!ctx.deps.validate || ctx.cloudOnly) return `cluster did not validate within ${within}: ${fallback}${seen}`;
  try {
    const result = await ctx.deps.validate(ctx.signal);
    const failure = result.failures.find((f) => f.instanceGroup === group.name && f.kind === 'Node') ?? result.failures.find((f) => f.instanceGroup === group.name) ?? result.failures[0];
    return `cluster did not validate within ${within}: ${failure?.message ?? fallback}${seen}`;
  } catch {
    return `cluster did not validate within ${within}: ${fallback}${seen}`;
  }
}

/**
 * Whether a validation failure stops the rollout of `group`, as kops'
 * hasFailureRelevantToGroup: one tied to no group (a system pod, the API),
 * to the control plane, or to this group does; another group below its size
 * does not.
 */
export function isRelevantFailure(failure: Pick<ValidationFailure, 'instanceGroup'>, group: string, controlPlaneGroups: ReadonlySet<string>): boolean {
  if (!failure.instanceGroup) return true;
  return failure.instanceGroup === group || controlPlaneGroups.has(failure.instanceGroup);
}

/**
 * Validates until N consecutive passes (failures of other worker groups do
 * not count, as in kops), or fails at the deadline with the last failure.
 * N = 0 skips validation; with failOnValidateError off a failure is a warning.
 */
export async function validateUntilHealthy(ctx: RunContext, group: string, deadline: number, count: number): Promise<void> {
  const validate = ctx.deps.validate;
  if (!validate) return;
  if (count <= 0) {
    ctx.emit({ type: 'warning', group, message: 'cluster validation skipped: --validate-count is 0' });
    return;
  }
  try {
    await validateRelevant(ctx, validate, group, deadline, count);
  } catch (error) {
    if (!(error instanceof ValidationTimeoutError) || ctx.failOnValidateError !== false) throw error;
    ctx.emit({ type: 'warning', group, message: `${error.message}; going on, as --fail-on-validate-error=false asks` });
  }
}

async function validateRelevant(ctx: RunContext, validate: NonNullable<RunContext['deps']['validate']>, group: string, deadline: number, count: number): Promise<void> {
  const controlPlane = ctx.controlPlaneGroups ?? new Set<string>();
  const relevant = async (signal?: AbortSignal) => {
    const result = await validate(signal);
    const failures = result.failures.filter((f) => isRelevantFailure(f, group, controlPlane));
    // A result that failed without naming a failure stays failed.
    return { ...result, ok: result.failures.length === 0 ? result.ok : failures.length === 0, failures };
  };
  const outcome = await waitForValidation({
    validate: relevant,
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
