// `kopsdeck update cluster NAME [--yes]`: what kops calls update cluster. The
// plan of cloud changes is always shown; it is applied only with --yes, and
// never to a cluster kops made (kops itself updates those).
// Exit codes without --yes, for pipelines: 0 nothing to change (or a cluster
// kops made: kopsdeck applies nothing), 4 changes pending (EXIT_CHANGES_PENDING).
import { applyClusterPlan, planCluster, type ApplyClusterResult } from '../engine/reconcile/cluster.js';
import { hasChanges } from '../engine/reconcile/plan.js';
import { planJson } from '../engine/reconcile/plan-json.js';
import { renderPlan } from '../engine/reconcile/render-plan.js';
import { ReconcileSpecError } from '../engine/reconcile/model.js';
import { refusalSentence } from '../engine/ownership/decide.js';
import type { EnsureSecretsResult } from '../engine/pki/ensure-secrets.js';
import type { OutputFormat } from '../engine/output/text-table.js';
import { printApplyEvent } from './apply-progress.js';
import { CliError, EXIT_CHANGES_PENDING, EXIT_VALIDATION_FAILED, exitSilently } from './cli-error.js';
import type { CommandContext } from './command-context.js';
import { loadValidCluster, withAwsClients } from './cluster-connection.js';
import { storeUnreachableByMachines } from '../engine/bootstrap/store-reach.js';

export interface UpdateClusterFlags {
  yes?: boolean;
  output: OutputFormat;
  /** terraform: write the cluster as a Terraform module (update-cluster-terraform.ts) instead of changing the cloud. */
  target?: 'direct' | 'terraform';
  /** With target terraform: the module's folder. */
  out?: string;
}

export async function updateCluster(ctx: CommandContext, name: string, flags: UpdateClusterFlags): Promise<void> {
  if (flags.target === 'terraform') {
    const { updateClusterTerraform } = await import('./update-cluster-terraform.js');
    return updateClusterTerraform(ctx, name, flags);
  }
  if (flags.out !== undefined) throw new CliError('--out is for --target terraform: add --target terraform, or leave out --out.');
  const { cluster, instanceGroups } = await loadValidCluster(ctx, name, { strictKubernetesVersion: true });
  await withAwsClients(ctx, cluster, async (clients, session) => {
    const planned = await planCluster({ cluster, instanceGroups, clients, store: ctx.store().objects, clock: session.clock }).catch(rethrowSpecErrors);
    const { ownership } = planned;
    const missingSecrets = planned.secrets?.plan.missing ?? [];
    const cloudChanges = hasChanges(planned.plan);
    const changesPending = ownership.manager !== 'kops' && (cloudChanges || missingSecrets.length > 0);
    if (flags.output === 'json') {
      ctx.print(JSON.stringify(planJson({ plan: planned.plan, ownership, secretsToGenerate: missingSecrets, changesPending }), null, 2));
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
    if (!changesPending) return;
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
      throw exitSilently(EXIT_CHANGES_PENDING);
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
