// `kopsdeck get clusters` and `kopsdeck get instancegroups|ig --name C`:
// what the state store holds, as kops prints it.
import { managedByKarpenter, type Cluster, type InstanceGroup } from '../engine/spec/types.js';
import { renderData, renderTextTable, type OutputFormat } from '../engine/output/text-table.js';
import { CliError, EXIT_ERROR } from './cli-error.js';
import type { CommandContext } from './command-context.js';
import { errorMessage } from '../engine/error-message.js';

export async function getClusters(ctx: CommandContext, output: OutputFormat): Promise<void> {
  const store = ctx.store();
  const names = await store.listClusters();
  const clusters: Cluster[] = [];
  // One cluster that cannot be read is reported after the others, not instead of them.
  const unreadable: string[] = [];
  for (const name of names) {
    try {
      const found = await store.getCluster(name);
      if (found) clusters.push(found.value);
    } catch (error) {
      unreadable.push(`${name}: ${errorMessage(error)}`);
    }
  }
  if (output !== 'table') ctx.print(renderData(clusters, output));
  else if (clusters.length === 0 && unreadable.length === 0) {
    return ctx.print(`No clusters found in ${store.url}. Create one with: kopsdeck create cluster NAME --zones ZONE[,ZONE...]`);
  } else if (clusters.length > 0) {
    const rows = clusters.map((cluster) => [
      cluster.metadata.name,
      String(cluster.spec.cloudProvider ?? ''),
      clusterZones(cluster).join(','),
    ]);
    ctx.print(renderTextTable(['NAME', 'CLOUD', 'ZONES'], rows));
  }
  if (unreadable.length > 0) {
    throw new CliError(`${unreadable.length} cluster(s) in ${store.url} could not be read; the others are listed above`, EXIT_ERROR, unreadable);
  }
}

export async function getInstanceGroups(ctx: CommandContext, clusterName: string | undefined, output: OutputFormat): Promise<void> {
  const cluster = await requireCluster(ctx, clusterName);
  const groups = (await ctx.store().listInstanceGroups(cluster.metadata.name)).map((entry) => entry.value);
  if (output !== 'table') return ctx.print(renderData(groups, output));
  const rows = groups.map((group) => [
    group.metadata.name,
    group.spec.role === 'Master' ? 'ControlPlane' : String(group.spec.role),
    String(group.spec.machineType ?? (managedByKarpenter(group) ? '(Karpenter)' : '')),
    String(group.spec.minSize ?? ''),
    String(group.spec.maxSize ?? ''),
    instanceGroupZones(cluster, group).join(','),
  ]);
  ctx.print(renderTextTable(['NAME', 'ROLE', 'MACHINETYPE', 'MIN', 'MAX', 'ZONES'], rows));
}

/** Reads a cluster or fails with a sentence naming the store and what to do. */
export async function requireCluster(ctx: CommandContext, clusterName: string | undefined): Promise<Cluster> {
  if (!clusterName) throw new CliError('Name the cluster with --name CLUSTER (see `kopsdeck get clusters`).');
  const found = await ctx.store().getCluster(clusterName);
  if (!found) {
    throw new CliError(`Cluster "${clusterName}" was not found in ${ctx.store().url}; list clusters with \`kopsdeck get clusters\`.`);
  }
  return found.value;
}

export function clusterZones(cluster: Cluster): string[] {
  const zones = (cluster.spec.subnets ?? []).map((subnet) => subnet.zone).filter(Boolean);
  return [...new Set(zones)].sort();
}

export function instanceGroupZones(cluster: Cluster, group: InstanceGroup): string[] {
  const zoneBySubnet = new Map((cluster.spec.subnets ?? []).map((subnet) => [subnet.name, subnet.zone]));
  const zones = (group.spec.subnets ?? []).map((name) => zoneBySubnet.get(name) ?? name);
  return [...new Set(zones)].sort();
}
