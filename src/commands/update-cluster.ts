// `kopsdeck update cluster NAME [--yes]`: what kops calls update cluster. The
// plan of cloud changes is always shown; it is applied only with --yes, and
// never to a cluster kops made (kops itself updates those).
import { applyClusterPlan, planCluster, type ApplyClusterResult } from '../engine/reconcile/cluster.js';
import { hasChanges, planToJson } from '../engine/reconcile/plan.js';
import { renderPlan } from '../engine/reconcile/render-plan.js';
import { ReconcileSpecError } from '../engine/reconcile/model.js';
import { refusalSentence } from '../engine/ownership/decide.js';
import type { EnsureSecretsResult } from '../engine/pki/ensure-secrets.js';
import type { OutputFormat } from '../engine/output/text-table.js';
import { printApplyEvent } from './apply-progress.js';
import { CliError, EXIT_VALIDATION_FAILED } from './cli-error.js';
import type { CommandContext } from './command-context.js';
import { loadValidCluster, withAwsClients } from './cluster-connection.js';
import { storeUnreachableByMachines } from '../engine/bootstrap/store-reach.js';

export interface UpdateClusterFlags {
  yes?: boolean;
  output: OutputFormat;
}

export async function updateCluster(ctx: CommandContext, name: string, flags: UpdateClusterFlags): Promise<void> {
  const { cluster, instanceGroups } = await loadValidCluster(ctx, name, { strictKubernetesVersion: true });
  await withAwsClients(ctx, cluster, async (clients, session) => {
    const planned = await planCluster({ cluster, instanceGroups, clients, store: ctx.store().objects, clock: session.clock }).catch(rethrowSpecErrors);
    const { ownership } = planned;
    const missingSecrets = planned.secrets?.plan.missing ?? [];
    if (flags.output === 'json') {
      ctx.print(JSON.stringify({ cluster: name, ownership, plan: planToJson(planned.plan), secrets: { toGenerate: missingSecrets } }, null, 2));
    } else {
      ctx.print(renderPlan(planned.plan));
      if (missingSecrets.length) ctx.print(`Secrets: ${missingSecrets.join(', ')} will be generated and kept in ${ctx.store().url}/${name}/ (pki/, secrets/).`);
    }
    if (ownership.manager === 'kops') {
      // Refused before anything is written: the plan above is all kopsdeck does here.
      if (flags.yes) throw new CliError(refusalSentence(ownership, 'update'), 1);
      if (flags.output !== 'json') ctx.print(`kopsdeck will not apply this plan. ${refusalSentence(ownership, 'update')}`);
      return;
    }
    const cloudChanges = hasChanges(planned.plan);
    if (!cloudChanges && missingSecrets.length === 0) return;
    const unreachable = storeUnreachableByMachines(ctx.store().url, session);
    if (unreachable) {
      if (flags.yes) throw new CliError(`${unreachable}; nothing was changed.`, 1);
      ctx.warn(`Warning: ${unreachable}.`);
    }
    if (!flags.yes) {
      // With -o json stdout stays one JSON document; the hint goes to stderr.
      const hint = `Must specify --yes to apply changes: kopsdeck update cluster ${name} --yes`;
      if (flags.output === 'json') ctx.warn(hint);
      else ctx.print(hint);
      return;
    }
    const quiet = flags.output === 'json';
    const result = await applyClusterPlan(planned, {
      onEvent: quiet ? undefined : (event) => printApplyEvent(ctx, event),
      onSecrets: quiet ? undefined : (made) => printSecrets(ctx, made),
    });
    if (cloudChanges) reportResult(ctx, name, result, quiet);
  });
}

/** Names only: the values never reach the terminal. */
function printSecrets(ctx: CommandContext, made: EnsureSecretsResult): void {
  if (made.generated.length) ctx.print(`Secrets generated and stored: ${made.generated.join(', ')} (list them with \`kopsdeck get secrets\`).`);
}

function reportResult(ctx: CommandContext, name: string, result: ApplyClusterResult, quiet: boolean): void {
  if (!result.ok) {
    const failures = result.failed.map((failure) => `  ${failure.key}: ${failure.error.message}`);
    throw new CliError(
      `${result.failed.length} of the cluster's cloud changes failed; what was done is kept, and running \`kopsdeck update cluster ${name} --yes\` again finishes the rest.`,
      1,
      failures,
    );
  }
  if (quiet) return;
  ctx.print(
    [
      '',
      `Cluster "${name}" is being created or updated in the cloud (${result.done.length} changes applied).`,
      'Instances take a few minutes to boot and join. Next:',
      `  kopsdeck validate cluster ${name} --wait 10m`,
      `  kopsdeck get nodes --name ${name}`,
    ].join('\n'),
  );
}

function rethrowSpecErrors(error: unknown): never {
  if (error instanceof ReconcileSpecError) {
    throw new CliError(`The cluster spec cannot be built in the cloud: ${error.message}`, EXIT_VALIDATION_FAILED);
  }
  throw error;
}
