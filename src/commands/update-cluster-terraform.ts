// `kopsdeck update cluster NAME --target terraform [--out DIR]`: the cluster's
// infrastructure written as a Terraform module (kubernetes.tf and data/), as
// kops writes it, instead of applied. The cloud is only read (what exists,
// images, hosted zones); the module is applied by the team's own Terraform.
import { resolve } from 'node:path';
import { checkOutputFolder, clusterTerraform, writeTerraformFiles } from '../engine/terraform/cluster-terraform.js';
import { TerraformRenderError } from '../engine/terraform/build.js';
import { ReconcileSpecError } from '../engine/reconcile/model.js';
import { NotOwnedError } from '../engine/ownership/decide.js';
import { CliError, EXIT_VALIDATION_FAILED } from './cli-error.js';
import type { CommandContext } from './command-context.js';
import { loadValidCluster, withAwsClients } from './cluster-connection.js';
import { storeUnreachableByMachines } from '../engine/bootstrap/store-reach.js';

export const DEFAULT_TERRAFORM_OUT = 'out/terraform';

export interface UpdateClusterTerraformFlags {
  out?: string;
  /** --yes means nothing here: Terraform applies the module. */
  yes?: boolean;
  output?: string;
}

export async function updateClusterTerraform(ctx: CommandContext, name: string, flags: UpdateClusterTerraformFlags): Promise<void> {
  if (flags.yes) throw new CliError('--yes applies changes to the cloud; with --target terraform nothing is applied: leave out --yes and run `terraform apply` on the module.');
  if (flags.output && flags.output !== 'table') throw new CliError(`-o ${flags.output} is not available with --target terraform: the module is the output.`);
  const outDir = resolve(flags.out ?? DEFAULT_TERRAFORM_OUT);
  try {
    checkOutputFolder(outDir);
  } catch (error) {
    throw new CliError(`${error instanceof Error ? error.message : String(error)}; nothing was written.`);
  }
  const { cluster, instanceGroups } = await loadValidCluster(ctx, name, { strictKubernetesVersion: true });
  await withAwsClients(ctx, cluster, async (clients, session) => {
    const unreachable = storeUnreachableByMachines(ctx.store().url, session);
    if (unreachable) throw new CliError(`${unreachable}; nothing was written.`);
    const result = await clusterTerraform({ cluster, instanceGroups, clients, store: ctx.store().objects, clock: session.clock }).catch(rethrow);
    if (result.secrets?.generated.length) {
      ctx.print(`Secrets generated and stored in ${ctx.store().url}/${name}/ (pki/, secrets/): ${result.secrets.generated.join(', ')}. They stay in the state store, never in the Terraform files.`);
    }
    let written;
    try {
      written = writeTerraformFiles(outDir, result.files);
    } catch (error) {
      throw new CliError(`could not write the Terraform files to ${outDir}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const data = written.written.length - 1;
    ctx.print(`Terraform for cluster "${name}" written to ${outDir}: kubernetes.tf (${result.module.resources.length} resources) and ${data} ${data === 1 ? 'file' : 'files'} in data/.`);
    if (written.removed.length) ctx.print(`Removed from data/: ${written.removed.map((p) => p.slice('data/'.length)).join(', ')} (no longer in the module).`);
    if (result.existing.length) {
      ctx.warn(
        `Note: ${result.existing.length} of these resources exist in the cloud already. Those this module's Terraform state does not hold ` +
          '(made by `update cluster --yes`, say) must be imported into it (`terraform import`) before `terraform apply`, or Terraform would try to create them again.',
      );
    }
    ctx.print(['Next:', `  cd ${outDir}`, '  terraform init', '  terraform plan', '  terraform apply'].join('\n'));
  });
}

function rethrow(error: unknown): never {
  if (error instanceof ReconcileSpecError) throw new CliError(`The cluster spec cannot be built in the cloud: ${error.message}; nothing was written.`, EXIT_VALIDATION_FAILED);
  if (error instanceof TerraformRenderError) throw new CliError(`${error.message}\nnothing was written.`);
  if (error instanceof NotOwnedError) throw new CliError(`${error.message} Nothing was written.`);
  throw error;
}
