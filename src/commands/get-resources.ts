// The kinds `kopsdeck get` can list: one entry each, so adding a kind is one
// line. Each kind loads its lister when it runs: `get clusters` on a local
// store never loads the AWS SDK or the Kubernetes client.
import type { OutputFormat } from '../engine/output/output-format.js';
import type { CommandContext } from './command-context.js';

export type GetResourceHandler =
  /** Lists what the state store holds across clusters: needs no cluster name. */
  | { names: string[]; perCluster: false; run(ctx: CommandContext, output: OutputFormat): Promise<void> }
  /** Lists the resources of one cluster, named as every command names it (cluster-name.ts). */
  | { names: string[]; perCluster: true; run(ctx: CommandContext, cluster: string, output: OutputFormat): Promise<void> };

export function getResourceHandlers(): GetResourceHandler[] {
  return [
    { names: ['clusters', 'cluster'], perCluster: false, run: async (ctx, output) => (await import('./get-spec.js')).getClusters(ctx, output) },
    { names: ['instancegroups', 'instancegroup', 'ig'], perCluster: true, run: async (ctx, cluster, output) => (await import('./get-spec.js')).getInstanceGroups(ctx, cluster, output) },
    { names: ['nodes', 'node', 'no'], perCluster: true, run: async (ctx, cluster, output) => (await import('./get-cluster-resources.js')).getNodes(ctx, cluster, output) },
    { names: ['instances', 'instance'], perCluster: true, run: async (ctx, cluster, output) => (await import('./get-cluster-resources.js')).getInstances(ctx, cluster, output) },
    { names: ['secrets', 'secret'], perCluster: true, run: async (ctx, cluster, output) => (await import('./secrets-commands.js')).getSecrets(ctx, cluster, output) },
  ];
}
