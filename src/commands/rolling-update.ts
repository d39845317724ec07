// `kopsdeck rolling-update cluster NAME`: without --yes, the plan as kops
// prints it; with --yes, the rollout, as progress lines or (-o json) one JSON
// event per line. Ctrl-C asks the rollout to abort safely (a node cordoned
// but not drained is uncordoned); a second Ctrl-C is left to the process.
// Exit codes: 0 done (without --yes: nothing to replace), 1 failed, 2 the
// cluster did not validate, 3 aborted, 5 (without --yes) instances need replacing.
import { connectRollout } from '../engine/rollout/connect.js';
import { readJournal } from '../engine/rollout/journal.js';
import { lockHolderName, readLock } from '../engine/rollout/lock.js';
import { resumeWords, rolloutStanding, standingSentence } from '../engine/rollout/standing.js';
import { moveLegacyJournal } from '../engine/rollout/state-keys.js';
import { describePlan, formatDuration, planHasWork, renderPlanTable } from '../engine/rollout/plan.js';
import { planRollout, startRollout } from '../engine/rollout/run-rollout.js';
import type { ConfirmFn, RolloutEvent, RolloutResult, RolloutTimings } from '../engine/rollout/types.js';
import { CliError, EXIT_ABORTED, EXIT_ERROR, EXIT_ROLLOUT_PENDING, EXIT_VALIDATION_FAILED, exitSilently } from './cli-error.js';
import type { CommandContext } from './command-context.js';
import { awsClientsFor, clusterRegion, loadValidCluster } from './cluster-connection.js';

export { EXIT_ABORTED };

export interface RollingUpdateFlags {
  yes?: boolean;
  force?: boolean;
  instanceGroup?: string | string[];
  instanceGroupRoles?: string | string[];
  cloudonly?: boolean;
  output?: 'table' | 'json';
  drainTimeout?: string;
  postDrainDelay?: string;
  validationTimeout?: string;
  validateCount?: string;
  /** kops' boolean flags: absent or true (the default) stop on the failure; "false" goes on with a warning. */
  failOnValidateError?: string | boolean;
  failOnDrainError?: string | boolean;
  nodeInterval?: string;
  controlPlaneInterval?: string;
  bastionInterval?: string;
  breakStaleLock?: boolean;
  /** Rehearse the plan in a private simulator instead (rehearse.ts); the cluster is only read. */
  rehearse?: boolean;
  /** The console's (or --interactive's) question before each drain; absent: yes to all. */
  confirm?: ConfirmFn;
}

export async function rollingUpdateCluster(ctx: CommandContext, name: string, flags: RollingUpdateFlags): Promise<void> {
  const json = flags.output === 'json';
  const { cluster } = await loadValidCluster(ctx, name);
  const session = await ctx.cloud();
  const clients = awsClientsFor(session, clusterRegion(cluster, session));
  const connected = await connectRollout({ cluster: name, store: ctx.store(), clients, clock: session.clock, kubeconfigPath: session.kubeconfigPath, cloudOnly: flags.cloudonly });
  try {
    const options = {
      cluster: name,
      force: flags.force,
      instanceGroups: list(flags.instanceGroup),
      roles: list(flags.instanceGroupRoles),
      cloudOnly: flags.cloudonly,
      timings: timingsFromFlags(flags),
      failOnValidateError: booleanFlag(flags.failOnValidateError, '--fail-on-validate-error'),
      failOnDrainError: booleanFlag(flags.failOnDrainError, '--fail-on-drain-error'),
    };
    if (flags.rehearse) {
      const { rehearseFromCommand } = await import('./rehearse.js');
      return await rehearseFromCommand(ctx, { name, connected, clients, kubeconfigPath: session.kubeconfigPath, options, json, yes: flags.yes });
    }
    if (!flags.yes) {
      const plan = await planRollout(connected.deps, options);
      const standing = await readStanding(ctx, name);
      if (json) ctx.print(JSON.stringify({ type: 'plan', plan }));
      else ctx.print([renderPlanTable(plan), '', ...describePlan(plan)].join('\n'));
      if (standing && json) ctx.warn(standing);
      else if (standing) ctx.print(`\n${standing}`);
      if (!planHasWork(plan)) return;
      // With -o json stdout stays one JSON line; the hint goes to stderr.
      if (json) ctx.warn('Must specify --yes to rolling-update.');
      else ctx.print('\nMust specify --yes to rolling-update.');
      throw exitSilently(EXIT_ROLLOUT_PENDING);
    }
    const run = startRollout(connected.deps, { ...options, confirm: flags.confirm, holder: lockHolderName('CLI'), breakStaleLock: flags.breakStaleLock });
    run.subscribe((event) => (json ? ctx.print(JSON.stringify(event)) : printEvent(ctx, event)));
    const onInterrupt = () => run.abort({ reason: 'interrupted (Ctrl-C)' });
    process.once('SIGINT', onInterrupt);
    const result = await run.done.finally(() => process.off('SIGINT', onInterrupt));
    reportResult(name, result, resumeCommand(name, flags));
  } finally {
    await connected.close();
    clients.destroy();
  }
}

/**
 * The command that continues a stopped run: the same request (force, groups,
 * roles, cloud-only), which is what makes the next run resume it rather than
 * plan a new one (journal.ts continuationOf). Timings and validation flags are
 * repeated too, so the rest of the run behaves as the start did.
 */
export function resumeCommand(name: string, flags: RollingUpdateFlags): string {
  const words = ['kopsdeck', 'rolling-update', 'cluster', name, flags.confirm ? '--interactive' : '--yes'];
  if (flags.force) words.push('--force');
  for (const group of list(flags.instanceGroup) ?? []) words.push('--instance-group', group);
  for (const role of list(flags.instanceGroupRoles) ?? []) words.push('--instance-group-roles', role);
  if (flags.cloudonly) words.push('--cloudonly');
  const valued: [string, string | boolean | undefined][] = [
    ['--drain-timeout', flags.drainTimeout],
    ['--post-drain-delay', flags.postDrainDelay],
    ['--validation-timeout', flags.validationTimeout],
    ['--validate-count', flags.validateCount],
    ['--fail-on-validate-error', flags.failOnValidateError],
    ['--fail-on-drain-error', flags.failOnDrainError],
    ['--node-interval', flags.nodeInterval],
    ['--control-plane-interval', flags.controlPlaneInterval],
    ['--bastion-interval', flags.bastionInterval],
  ];
  for (const [flag, value] of valued) if (value !== undefined && value !== true) words.push(`${flag}=${String(value)}`);
  return words.join(' ');
}

/** Where the cluster's rolling update stands, in a sentence (undefined: none running or unfinished). */
async function readStanding(ctx: CommandContext, name: string): Promise<string | undefined> {
  const objects = ctx.store().objects;
  // A journal an earlier version left in <cluster>/rollout/ would stop `kops delete cluster`: moved now, not only at the next run.
  await moveLegacyJournal(objects, name).catch(() => undefined);
  // Only a hint beside the plan: a store that cannot be read here (a damaged journal, a policy that allows only <cluster>/*) does not fail the preview.
  const [lock, journal] = await Promise.all([readLock(objects, name).catch(() => null), readJournal(objects, name).catch(() => null)]);
  const standing = rolloutStanding(lock, journal, Date.now());
  return standingSentence(standing, standing.kind === 'unfinished' ? `\`${resumeWords(name, standing.request, standing.asksBeforeDrains)}\`` : '');
}

function reportResult(name: string, result: RolloutResult, command: string): void {
  if (result.status === 'finished') return;
  const resume = `run \`${command}\` again to resume where it stopped (the same flags continue the same rollout)`;
  if (result.locked) {
    const hint = result.locked.stale
      ? `if you are sure that run is gone, take over with \`kopsdeck rolling-update cluster ${name} --yes --break-stale-lock\``
      : 'wait for it to finish, or stop it first';
    throw new CliError(`Rolling update of ${name} not started: ${result.reason}; ${hint}.`, EXIT_ERROR);
  }
  if (result.status === 'aborted') throw new CliError(`Rolling update of ${name} aborted: ${result.reason}; ${resume}.`, EXIT_ABORTED);
  const validation = /did not validate/.test(result.reason ?? '');
  throw new CliError(`Rolling update of ${name} stopped: ${result.reason}; fix the cause, then ${resume}.`, validation ? EXIT_VALIDATION_FAILED : EXIT_ERROR);
}

export function printEvent(ctx: CommandContext, event: RolloutEvent): void {
  const line = describeEvent(event);
  if (line) ctx.print(line);
}

/** One progress line per event worth a line (drain progress and polls are summarised). */
export function describeEvent(event: RolloutEvent): string | undefined {
  const who = (e: { instanceId: string; nodeName?: string }) => (e.nodeName ? `${e.instanceId} (${e.nodeName})` : e.instanceId);
  switch (event.type) {
    case 'lock-taken-over':
      return `Took over the rollout lock of an earlier run (${event.holder}, pid ${event.pid} on ${event.host}): the ${event.reason.replace(/^process \d+ on \S+ \(.*\) (?=that held it)/, 'process ')}.`;
    case 'plan':
      return `${event.resumed ? 'Resuming' : 'Starting'} rolling update of ${event.plan.cluster}: ${event.plan.totalInstances} instance(s), order ${event.plan.order.join(' -> ') || '(nothing to do)'}, estimated ${formatDuration(event.plan.estimatedMs)}`;
    case 'group-started':
      return `Rolling ${event.group} (${event.kind}): ${event.instances} instance(s), maxSurge ${event.settings.maxSurge}, maxUnavailable ${event.settings.maxUnavailable}`;
    case 'wave-started':
      return `  wave ${event.wave}/${event.waves}: ${event.instances.join(', ')}`;
    case 'step-finished':
      return `    ${who(event)}: ${event.step} done in ${formatDuration(event.durationMs)}`;
    case 'skipped':
      return `    ${event.instanceId}: skipped (${event.reason})`;
    case 'load-balancers':
      if (event.action === 'draining') return `    ${event.instanceIds.join(', ')}: deregistered, draining from ${event.names.join(', ')}; waiting for it to end (at most ${formatDuration(event.timeoutMs ?? 0)})`;
      if (event.action === 'kept') return `    ${event.instanceIds.join(', ')}: ${event.reason}`;
      return `    ${event.instanceIds.join(', ')}: registered with no load balancer`;
    case 'drain-blocked':
      return `    ${event.nodeName}: drain blocked: ${event.blocked.map((b) => `${b.pod.namespace}/${b.pod.name}${b.pdb ? ` (PodDisruptionBudget ${b.pdb.namespace}/${b.pdb.name} allows ${b.pdb.disruptionsAllowed})` : ''}`).join(', ')}`;
    case 'validation-attempt':
      return event.ok
        ? `    validation passed (${event.consecutivePasses}/${event.required})`
        : `    validation failed: ${event.failures[0]?.message ?? 'unknown'}${event.failures.length > 1 ? ` (+${event.failures.length - 1} more)` : ''}`;
    case 'warning':
      return `  Warning (${event.group}): ${event.message}`;
    case 'warm-pool-terminated':
      return `  Terminated ${event.instanceIds.length} warm pool instance(s) of ${event.group} (not nodes: no drain; the pool refills from the current template): ${event.instanceIds.join(', ')}`;
    case 'tainted':
      return `  Tainted ${event.nodes.length} node(s) of ${event.group} kops.k8s.io/scheduled-for-update:PreferNoSchedule, so pods drained from one avoid the next: ${event.nodes.join(', ')}`;
    case 'api-record':
      return event.changed ? `    ${event.record} now points at ${event.values.join(', ')} (was ${event.previous.join(', ') || 'absent'})` : `    ${event.record} already points at ${event.values.join(', ')}`;
    case 'eta':
      return `  ${event.doneInstances}/${event.totalInstances} done, about ${formatDuration(event.remainingMs)} left`;
    case 'paused':
      return 'Paused.';
    case 'resumed':
      return 'Resumed.';
    case 'aborting':
      return `Aborting: ${event.reason}`;
    case 'uncordoned':
      return `    ${event.nodeName}: uncordoned (${event.reason ?? 'it was not drained'})`;
    case 'left-cordoned':
      return `    ${event.nodeName}: left cordoned, as it was before the rollout (${event.reason ?? 'it was not drained'})`;
    case 'cordoned-before':
      return `    ${event.nodeName} was cordoned already, not by this rollout: it stays cordoned if it is not replaced`;
    case 'finished':
      return event.status === 'finished'
        ? `Rolling update finished in ${formatDuration(event.durationMs)}: ${event.replaced} replaced, ${event.skipped} skipped.`
        : `Rolling update ${event.status}: ${event.reason ?? ''}`;
    default:
      return undefined;
  }
}

function timingsFromFlags(flags: RollingUpdateFlags): Partial<RolloutTimings> {
  const timings: Partial<RolloutTimings> = {};
  const set = (key: keyof RolloutTimings, value: string | undefined, flag: string) => {
    if (value !== undefined) timings[key] = parseDuration(value, flag);
  };
  set('drainTimeoutMs', flags.drainTimeout, '--drain-timeout');
  set('postDrainDelayMs', flags.postDrainDelay, '--post-drain-delay');
  set('validationTimeoutMs', flags.validationTimeout, '--validation-timeout');
  set('nodeIntervalMs', flags.nodeInterval, '--node-interval');
  set('controlPlaneIntervalMs', flags.controlPlaneInterval, '--control-plane-interval');
  set('bastionIntervalMs', flags.bastionInterval, '--bastion-interval');
  if (flags.validateCount !== undefined) {
    const count = Number(flags.validateCount);
    if (!Number.isInteger(count) || count < 0) throw new CliError(`--validate-count must be a whole number (0 skips validation), not "${flags.validateCount}".`);
    timings.validateCount = count;
  }
  return timings;
}

/** Go-style durations as kops takes them: 15m, 5s, 1h30m, 500ms. */
export function parseDuration(text: string, flag = 'duration'): number {
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const parts = [...text.trim().matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)];
  const consumed = parts.map((p) => p[0]).join('');
  if (parts.length === 0 || consumed !== text.trim()) throw new CliError(`${flag} must be a duration such as 15m, 30s or 1h30m, not "${text}".`);
  return parts.reduce((sum, p) => sum + Number(p[1]) * units[p[2]], 0);
}

/** A Go-style boolean flag: given alone it is true; =true/=false as written. */
function booleanFlag(value: string | boolean | undefined, flag: string): boolean {
  if (value === undefined || value === true) return true;
  const text = String(value).trim().toLowerCase();
  if (['true', '1', 't'].includes(text)) return true;
  if (['false', '0', 'f'].includes(text)) return false;
  throw new CliError(`${flag} takes true or false, not "${value}".`);
}

function list(value: string | string[] | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const items = (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  return items.length ? items : undefined;
}
