// A cluster kops made keeps its spec in kops' state store, and kops reads it
// on its next `kops update`: a change written there by kopsdeck (a new
// Kubernetes version, an edited field) would be applied by kops, checked
// against kops' own rules, possibly against a kops too old for it. So
// kopsdeck changes nothing in such a spec and names the kops command instead.
import type { Cluster } from '../engine/spec/types.js';
import { detectOwnership } from '../engine/ownership/detect.js';
import { CliError } from './cli-error.js';
import type { CommandContext } from './command-context.js';
import { withAwsClients } from './cluster-connection.js';

/** Throws (exit 1, nothing written) when the cluster was made by kops; `kopsCommand` is what to run instead. */
export async function refuseSpecChangeOfKopsCluster(ctx: CommandContext, cluster: Cluster, kopsCommand: string): Promise<void> {
  const name = cluster.metadata.name;
  const store = ctx.store();
  const ownership = await withAwsClients(ctx, cluster, (clients) => detectOwnership({ clients, clusterName: name, store: store.objects }));
  if (ownership.manager !== 'kops') return;
  const [first] = ownership.evidence;
  throw new CliError(`Cluster "${name}" was made by kops (${first.phrase}), so kopsdeck changes nothing in its spec: run \`${kopsCommand}\` instead.`);
}
