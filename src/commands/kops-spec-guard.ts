// A cluster kops made keeps its spec in kops' state store, and kops reads it
// on its next `kops update`: a change written there by kopsdeck (a new
// Kubernetes version, an edited field) would be applied by kops, checked
// against kops' own rules, possibly against a kops too old for it. So
// kopsdeck changes nothing in such a spec and names the kops command instead.
import type { Cluster } from '../engine/spec/types.js';
import { kopsEvidence } from '../engine/ownership/detect.js';
import { CliError } from './cli-error.js';
import type { CommandContext } from './command-context.js';

/** Throws (exit 1, nothing written) when the cluster was made by kops; `kopsCommand` is what to run instead. */
export async function refuseSpecChangeOfKopsCluster(ctx: CommandContext, cluster: Cluster, kopsCommand: string): Promise<void> {
  const evidence = await kopsEvidence(await ctx.cloud(), cluster, ctx.store().objects);
  if (evidence === undefined) return;
  throw new CliError(`Cluster "${cluster.metadata.name}" was made by kops (${evidence}), so kopsdeck changes nothing in its spec: run \`${kopsCommand}\` instead.`);
}
