// `kopsdeck get nodes|instances --name C [-o table|json|yaml]`: what the
// cluster runs right now, read once from Kubernetes and the cloud (the same
// model the console watches), printed as kops and kubectl print it.
import { awsClientsFor, clusterRegion } from '../engine/cloud/access.js';
import type { Cluster } from '../engine/spec/types.js';
import { createKubeClient, KubeConfigError, type KubeClient } from '../engine/kube/client.js';
import { awsCloudInventory } from '../engine/model/aws-inventory.js';
import { loadClusterOnce } from '../engine/model/load-once.js';
import type { ModelSnapshot } from '../engine/model/types.js';
import { formatInstances, formatNodes } from '../engine/output/get-output.js';
import type { OutputFormat } from '../engine/output/text-table.js';
import { CliError } from './cli-error.js';
import type { CommandContext } from './command-context.js';

export async function getNodes(ctx: CommandContext, clusterName: string | undefined, output: OutputFormat): Promise<void> {
  const { snapshot, now } = await readCluster(ctx, clusterName, 'count');
  if (output === 'table' && snapshot.nodes.length === 0) return ctx.print(`No nodes in ${snapshot.cluster} yet: instances register a Node once they boot.`);
  ctx.io.stdout.write(formatNodes(snapshot, output, now));
}

export async function getInstances(ctx: CommandContext, clusterName: string | undefined, output: OutputFormat): Promise<void> {
  const { snapshot } = await readCluster(ctx, clusterName, 'none');
  if (output === 'table' && snapshot.instances.length === 0) {
    return ctx.print(`No instances in ${snapshot.cluster}; \`kopsdeck update cluster ${snapshot.cluster} --yes\` creates them.`);
  }
  ctx.io.stdout.write(formatInstances(snapshot, output));
}

/** A Kubernetes client for the cluster's kubeconfig context, or an error that says what to run. */
export async function kubeClientFor(cluster: string, kubeconfigPath: string | undefined): Promise<KubeClient> {
  try {
    return await createKubeClient({ cluster, kubeconfigPath });
  } catch (error) {
    if (!(error instanceof KubeConfigError)) throw error;
    throw new CliError(`No kubeconfig context for ${cluster}: ${error.message}; run \`kopsdeck update cluster ${cluster} --yes\` first.`);
  }
}

async function readCluster(ctx: CommandContext, name: string | undefined, pods: 'count' | 'none'): Promise<{ snapshot: ModelSnapshot; now: number }> {
  if (!name) throw new CliError('Name the cluster with --name CLUSTER (see `kopsdeck get clusters`).');
  const session = await ctx.cloud();
  // The stored spec says which region; a cluster only in the kubeconfig (e.g. one
  // seeded by `kopsdeck sim --nodes`) is still readable in the default region.
  const stored = await ctx.store().getCluster(name);
  let kube: KubeClient;
  try {
    kube = await kubeClientFor(name, session.kubeconfigPath);
  } catch (error) {
    if (stored) throw error;
    throw new CliError(`Cluster "${name}" was not found in ${ctx.store().url} nor in the kubeconfig; list clusters with \`kopsdeck get clusters\`.`);
  }
  const clients = awsClientsFor(session, clusterRegion(stored?.value as Cluster | undefined, session));
  try {
    const snapshot = await loadClusterOnce({ cluster: name, kube, cloud: awsCloudInventory(clients), clock: session.clock, pods });
    return { snapshot, now: session.clock.now() };
  } finally {
    kube.close();
    clients.destroy();
  }
}
