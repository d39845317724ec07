// `kopsdeck delete cluster NAME [--yes]`: lists every cloud resource the
// cluster owns (by its tags), and with --yes deletes them in reverse dependency
// order, then removes the spec from the state store. Re-running after a partial
// failure finishes the job. A cluster kops made is listed, never deleted:
// `kops delete cluster` does that.
import { deleteCluster as deleteCloudResources, planDelete } from '../engine/reconcile/delete.js';
import { renderResourceTable } from '../engine/reconcile/render-plan.js';
import { refusalSentence } from '../engine/ownership/decide.js';
import { printApplyEvent } from './apply-progress.js';
import { CliError } from './cli-error.js';
import type { CommandContext } from './command-context.js';
import { withAwsClients } from './cluster-connection.js';

export async function deleteCluster(ctx: CommandContext, name: string, flags: { yes?: boolean }): Promise<void> {
  const stored = await ctx.store().getCluster(name);
  await withAwsClients(ctx, stored?.value, async (clients, session) => {
    const plan = await planDelete({ clusterName: name, clients, store: ctx.store().objects });
    if (plan.resources.length === 0 && !stored) {
      throw new CliError(`Nothing to delete: no cluster "${name}" in ${ctx.store().url} and no cloud resources tagged for it.`);
    }
    if (plan.resources.length > 0) ctx.print(renderResourceTable(plan.resources).join('\n'));
    else ctx.print(`No cloud resources are tagged for cluster "${name}".`);
    if (plan.leftAlone.length > 0) {
      ctx.print(['', 'Left alone (kopsdeck does not own these):', ...plan.leftAlone.map((l) => `  ${l.kind}/${l.name}: ${l.reason}`)].join('\n'));
    }
    if (plan.ownership.manager === 'kops') {
      // Refused before anything is deleted, in the cloud or in the state store.
      if (flags.yes) throw new CliError(refusalSentence(plan.ownership, 'delete'), 1);
      ctx.print(`\nkopsdeck will not delete this cluster. ${refusalSentence(plan.ownership, 'delete')}`);
      return;
    }
    if (!flags.yes) {
      ctx.print(`\nMust specify --yes to delete cluster: kopsdeck delete cluster ${name} --yes`);
      return;
    }
    const result = await deleteCloudResources(plan, { clients, clock: session.clock, onEvent: (event) => printApplyEvent(ctx, event) });
    if (!result.ok) {
      throw new CliError(
        `${result.failed.length} resources could not be deleted yet; run \`kopsdeck delete cluster ${name} --yes\` again to finish.`,
        1,
        result.failed.map((failure) => `  ${failure.key}: ${failure.error.message}`),
      );
    }
    if (stored) await ctx.store().deleteCluster(name);
    ctx.print(`Deleted cluster: "${name}"`);
  });
}
