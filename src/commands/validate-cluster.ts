// `kopsdeck validate cluster NAME [--wait 10m] [--count N] [-o table|json]`,
// as kops: judge the cluster (instance groups at size, machines joined, nodes
// Ready, control-plane and system-critical pods, /readyz), retrying until it
// passes N times in a row or the wait runs out. Exit code 2 when it fails.
// -o json is a stable document for pipelines (validationJson; README "In pipelines").
// A machine that has not joined is shown with the last line its bootstrap
// printed on its console.
import { explainUnjoinedMachines } from '../engine/health/boot-messages.js';
import { liveValidator } from '../engine/health/live-validator.js';
import { waitForValidation } from '../engine/health/wait-for-validation.js';
import { awsCloudInventory } from '../engine/live-model/aws-inventory.js';
import { startLiveCluster } from '../engine/live-model/live-cluster.js';
import { formatValidation } from '../engine/output/validate-report.js';
import { cloudGroupsOfSpec, type ValidationFailure, type ValidationResult } from '../engine/health/validate-cluster-health.js';
import { CliError, EXIT_VALIDATION_FAILED } from './cli-error.js';
import { awsClientsFor, clusterRegion, loadValidCluster } from './cluster-connection.js';
import type { CommandContext } from './command-context.js';
import { kubeClientFor } from './get-cluster-resources.js';
import { parseDuration } from './rolling-update.js';
import { terminalSafe } from '../engine/output/terminal-safe.js';

export interface ValidateClusterFlags {
  wait?: string;
  count?: string;
  interval?: string;
  output: 'table' | 'json';
}

export async function validateClusterCommand(ctx: CommandContext, name: string, flags: ValidateClusterFlags): Promise<void> {
  const waitMs = flags.wait ? parseDuration(flags.wait, '--wait') : 0;
  const intervalMs = flags.interval ? parseDuration(flags.interval, '--interval') : 10_000;
  // kops takes 0 (its default) as one passing validation.
  const count = flags.count === undefined ? 1 : Math.max(1, Number(flags.count));
  if (!Number.isInteger(count) || Number(flags.count) < 0) throw new CliError(`--count must be a whole number (0 or 1: one passing validation), not "${flags.count}".`);
  const { cluster, instanceGroups } = await loadValidCluster(ctx, name);
  const session = await ctx.cloud();
  const kube = await kubeClientFor(name, session.kubeconfigPath);
  const clients = awsClientsFor(session, clusterRegion(cluster, session));
  // The validator polls the cloud itself before each judgement.
  const live = startLiveCluster({ cluster: name, kube, cloud: awsCloudInventory(clients), clock: session.clock, cloudIntervalMs: 60 * 60_000 });
  try {
    const validate = liveValidator({
      live,
      kube,
      clock: session.clock,
      syncTimeoutMs: Math.min(30_000, Math.max(waitMs, 10_000)),
      specInstanceGroups: cloudGroupsOfSpec(instanceGroups),
    });
    const outcome = await waitForValidation({
      validate,
      clock: session.clock,
      waitMs,
      count,
      intervalMs,
      onAttempt: (attempt) => {
        if (flags.output !== 'table' || waitMs === 0) return;
        const { result } = attempt;
        const state = result.ok ? `passed (${attempt.consecutivePasses} of ${attempt.required} in a row)` : `failed: ${result.failures[0]?.message}${result.failures.length > 1 ? ` (and ${result.failures.length - 1} more)` : ''}`;
        ctx.warn(`Validation attempt ${attempt.attempt} ${state}`);
      },
    });
    await explainUnjoinedMachines(clients.ec2, outcome.result);
    const report = flags.output === 'json' ? JSON.stringify(validationJson(outcome.result), null, 2) + '\n' : formatValidation(outcome.result, flags.output);
    ctx.io.stdout.write(terminalSafe(report));
    if (!outcome.ok) throw new CliError(outcome.reason ?? `cluster ${name} did not pass validation`, EXIT_VALIDATION_FAILED);
  } finally {
    await live.stop();
    kube.close();
    clients.destroy();
  }
}

/**
 * `validate cluster -o json`, field by field, so that a field added inside the
 * engine does not appear (or move) in what pipelines read. `ok` is true
 * exactly when the exit code is 0.
 */
export function validationJson(result: ValidationResult) {
  const failure = (f: ValidationFailure) => ({ kind: f.kind, name: f.name, message: f.message, instanceGroup: f.instanceGroup ?? null });
  return {
    cluster: result.cluster,
    ok: result.ok,
    failures: result.failures.map(failure),
    tolerated: result.tolerated.map(failure),
    instanceGroups: result.instanceGroups.map((g) => ({ name: g.name, role: g.role, machineType: g.machineType, min: g.min, max: g.max, target: g.target, zones: g.zones })),
    nodes: result.nodes.map((n) => ({ name: n.name, role: n.role, status: n.status, zone: n.zone, hostname: n.hostname, instanceGroup: n.instanceGroup })),
  };
}
