// What cloud-facing subcommands share: the stored spec of a cluster, validated,
// and AWS clients for its region, made from the cloud session.
import { awsClientsFor, type AwsClients } from '../engine/cloud/aws/clients.js';
import { clusterRegion } from '../engine/cloud/access.js';
import type { Cluster, InstanceGroup } from '../engine/spec/types.js';
import { checkCluster, storedContext } from '../engine/spec/check-cluster-spec.js';
import type { CloudSession } from '../startup/cloud-session.js';
import { CliError, specInvalid } from './cli-error.js';
import type { CommandContext } from './command-context.js';
import { channelForWarnings, printSpecWarnings } from './spec-warnings.js';

export interface StoredCluster {
  cluster: Cluster;
  instanceGroups: InstanceGroup[];
}

export interface LoadOptions {
  /**
   * Refuse a Kubernetes version kopsdeck does not support (as kops' update
   * does). By default the stored version only warns: it never blocks
   * reading, validating or rolling a cluster.
   */
  strictKubernetesVersion?: boolean;
}

/** The cluster and its groups from the store; exit 2 when they do not validate; warnings on stderr. */
export async function loadValidCluster(ctx: CommandContext, name: string, options: LoadOptions = {}): Promise<StoredCluster> {
  const store = ctx.store();
  const found = await store.getCluster(name);
  if (!found) throw new CliError(`Cluster "${name}" was not found in ${store.url}; list clusters with \`kopsdeck get clusters\`.`);
  const instanceGroups = (await store.listInstanceGroups(name)).map((entry) => entry.value);
  const channel = await channelForWarnings(ctx, found.value.spec?.channel);
  const stored = storedContext(found.value);
  if (options.strictKubernetesVersion) delete stored.storedKubernetesVersion;
  const { errors, warnings } = checkCluster(found.value, instanceGroups, { channel, ...stored });
  if (errors.length > 0) throw specInvalid(`Cluster "${name}" in the state store`, errors);
  printSpecWarnings(ctx, warnings);
  return { cluster: found.value, instanceGroups };
}

/** Runs `work` with clients that are always released. */
export async function withAwsClients<T>(ctx: CommandContext, cluster: Cluster | undefined, work: (clients: AwsClients, session: CloudSession) => Promise<T>): Promise<T> {
  const session = await ctx.cloud();
  const clients = awsClientsFor(session, clusterRegion(cluster, session));
  try {
    return await work(clients, session);
  } finally {
    clients.destroy();
  }
}

export { awsClientsFor, clusterRegion };
