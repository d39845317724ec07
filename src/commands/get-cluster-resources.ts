// `kopsdeck get nodes|instances [NAME] [-o table|json|yaml]`: what the cluster
// runs right now, printed as kops and kubectl print it. Nodes are read from
// Kubernetes (the same live model the console watches); instances are a cloud
// fact, listed from the cloud alone when the Kubernetes API cannot be reached.
import { clusterRegion } from '../engine/cloud/access.js';
import type { Cluster } from '../engine/spec/types.js';
import { createKubeClient, KubeApiError, KubeConfigError, type KubeClient } from '../engine/kube/client.js';
import { lazyAwsInventory, type LazyAwsInventory } from '../engine/live-model/lazy-aws-inventory.js';
import { ClusterReadTimeout, loadClusterOnce, loadCloudFirst, type CloudFirstSnapshot } from '../engine/live-model/load-once.js';
import type { ModelSnapshot } from '../engine/live-model/types.js';
import { formatInstances, formatNodes } from '../engine/output/get-output.js';
import type { OutputFormat } from '../engine/output/text-table.js';
import type { CloudSession } from '../startup/cloud-session.js';
import { CliError } from './cli-error.js';
import type { CommandContext } from './command-context.js';
import { terminalSafe } from '../engine/output/terminal-safe.js';

/**
 * `pods`: also count the pods on each node. That lists every pod in the
 * cluster (150,000 at 5,000 nodes: the most expensive call an API server
 * answers), so it is asked for, as kubectl's `get nodes` never makes it.
 */
export async function getNodes(ctx: CommandContext, name: string, output: OutputFormat, options: { pods?: boolean } = {}): Promise<void> {
  const { session, stored } = await openCluster(ctx, name);
  const kube = await kubeForCluster(ctx, name, session, stored);
  // The SDK loads on the cloud's first call, after the Kubernetes requests are sent.
  const cloud = cloudFor(session, stored);
  let snapshot: ModelSnapshot;
  try {
    snapshot = await loadClusterOnce({ cluster: name, kube, cloud, clock: session.clock, pods: options.pods ? 'count' : 'none' });
  } catch (error) {
    if (error instanceof KubeApiError && error.status === 401) {
      // On real AWS fresh credentials are an admin certificate from the cluster's CA; the simulator's are its kubeconfig's.
      const fresh = session.simulated ? `\`kopsdeck export kubeconfig ${name}\` writes fresh ones` : `\`kopsdeck export kubeconfig ${name} --admin\` issues a fresh admin certificate`;
      throw new CliError(`${error.message}; the kubeconfig's credentials for ${name} were refused: ${fresh}.`);
    }
    if (!(error instanceof ClusterReadTimeout && error.kubeError)) throw error;
    throw new CliError(`${error.message}; nodes come from the Kubernetes API: check it with \`kopsdeck validate cluster ${name}\`, or list the instances from the cloud alone with \`kopsdeck get instances ${name}\`.`);
  } finally {
    kube.close();
    cloud.destroy();
  }
  if (output === 'table' && snapshot.nodes.length === 0) return ctx.print(`No nodes in ${snapshot.cluster} yet: instances register a Node once they boot.`);
  ctx.io.stdout.write(terminalSafe(formatNodes(snapshot, output, session.clock.now(), { pods: options.pods === true })));
}

export async function getInstances(ctx: CommandContext, name: string, output: OutputFormat): Promise<void> {
  const { session, stored } = await openCluster(ctx, name);
  let kube: KubeClient | undefined;
  let kubeUnavailable: string | undefined;
  try {
    kube = await createKubeClient({ cluster: name, kubeconfigPath: session.kubeconfigPath });
  } catch (error) {
    // A stored cluster is listed from the cloud alone; one in neither place does not exist.
    if (!stored) throw error instanceof KubeConfigError ? clusterNotFound(ctx, name) : error;
    kubeUnavailable = (error as Error).message;
  }
  const cloud = cloudFor(session, stored);
  let result: CloudFirstSnapshot;
  try {
    result = await loadCloudFirst({ cluster: name, cloud, kube, kubeUnavailable, clock: session.clock });
  } finally {
    kube?.close();
    cloud.destroy();
  }
  let { snapshot } = result;
  if (result.nodesUnknown) {
    ctx.warn(`Nodes of ${name} not read from the Kubernetes API (${result.nodesUnknown}): instances are listed from the cloud alone; whether each joined is unknown.`);
    // The table says so per row (a bastion has none to know of); json and yaml keep the empty node name.
    if (output === 'table') snapshot = { ...snapshot, instances: snapshot.instances.map((row) => ({ ...row, nodeName: row.nodeName || (row.role === 'bastion' ? '' : '<unknown>') })) };
  }
  if (output === 'table' && snapshot.instances.length === 0) {
    return ctx.print(`No instances in ${snapshot.cluster}; \`kopsdeck update cluster ${snapshot.cluster} --yes\` creates them.`);
  }
  ctx.io.stdout.write(terminalSafe(formatInstances(snapshot, output)));
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

interface OpenedCluster {
  session: CloudSession;
  /** The stored spec, when the state store has it (it says which region). */
  stored: Cluster | undefined;
}

async function openCluster(ctx: CommandContext, name: string): Promise<OpenedCluster> {
  // The store first: a store that does not exist is said before the cloud is opened.
  const stored = (await ctx.store().getCluster(name))?.value;
  const session = await ctx.cloud();
  return { session, stored };
}

/** The Kubernetes client; a cluster only in the kubeconfig (e.g. one seeded by `kopsdeck sim --nodes`) is still readable. */
async function kubeForCluster(ctx: CommandContext, name: string, session: CloudSession, stored: Cluster | undefined): Promise<KubeClient> {
  try {
    return await kubeClientFor(name, session.kubeconfigPath);
  } catch (error) {
    throw stored ? error : clusterNotFound(ctx, name);
  }
}

function clusterNotFound(ctx: CommandContext, name: string): CliError {
  return new CliError(`Cluster "${name}" was not found in ${ctx.store().url} nor in the kubeconfig; list clusters with \`kopsdeck get clusters\`.`);
}

/** The cloud in the stored cluster's region, else the session's default region. */
function cloudFor(session: CloudSession, stored: Cluster | undefined): LazyAwsInventory {
  return lazyAwsInventory(session, clusterRegion(stored, session));
}
