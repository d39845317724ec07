// The kinds `kopsdeck get` can list: one entry each, so adding a kind is one
// line. Each kind loads its lister when it runs: `get clusters` on a local
// store never loads the AWS SDK or the Kubernetes client.
import type { OutputFormat } from '../engine/output/output-format.js';
import type { CommandContext } from './command-context.js';

/** Flags that only some kinds take; a kind refuses the ones it does not name in `flags`. */
export interface GetFlags {
  pods?: boolean;
}

export type GetResourceHandler =
  /** Lists what the state store holds across clusters: needs no cluster name. */
  | { names: string[]; perCluster: false; run(ctx: CommandContext, output: OutputFormat): Promise<void> }
  /** Lists the resources of one cluster, named as every command names it (cluster-name.ts). */
  | { names: string[]; perCluster: true; flags?: (keyof GetFlags)[]; run(ctx: CommandContext, cluster: string, output: OutputFormat, flags: GetFlags): Promise<void> };

export function getResourceHandlers(): GetResourceHandler[] {
  return [
    { names: ['clusters', 'cluster'], perCluster: false, run: async (ctx, output) => (await import('./get-spec.js')).getClusters(ctx, output) },
    { names: ['instancegroups', 'instancegroup', 'ig'], perCluster: true, run: async (ctx, cluster, output) => (await import('./get-spec.js')).getInstanceGroups(ctx, cluster, output) },
    { names: ['nodes', 'node', 'no'], perCluster: true, flags: ['pods'], run: async (ctx, cluster, output, flags) => (await import('./get-cluster-resources.js')).getNodes(ctx, cluster, output, flags) },
    { names: ['instances', 'instance'], perCluster: true, run: async (ctx, cluster, output) => (await import('./get-cluster-resources.js')).getInstances(ctx, cluster, output) },
    { names: ['secrets', 'secret'], perCluster: true, run: async (ctx, cluster, output) => (await import('./secrets-commands.js')).getSecrets(ctx, cluster, output) },
  ];
}
