// The kinds `kopsdeck get` can list: one entry each, so adding a kind is one line.
import type { OutputFormat } from '../engine/output/text-table.js';
import type { CommandContext } from './command-context.js';
import { getClusters, getInstanceGroups } from './get-spec.js';
import { getInstances, getNodes } from './get-cluster-resources.js';
import { getSecrets } from './secrets-commands.js';

export type GetResourceHandler =
  /** Lists what the state store holds across clusters: needs no cluster name. */
  | { names: string[]; perCluster: false; run(ctx: CommandContext, output: OutputFormat): Promise<void> }
  /** Lists the resources of one cluster, named as every command names it (cluster-name.ts). */
  | { names: string[]; perCluster: true; run(ctx: CommandContext, cluster: string, output: OutputFormat): Promise<void> };

export function getResourceHandlers(): GetResourceHandler[] {
  return [
    { names: ['clusters', 'cluster'], perCluster: false, run: getClusters },
    { names: ['instancegroups', 'instancegroup', 'ig'], perCluster: true, run: getInstanceGroups },
    { names: ['nodes', 'node', 'no'], perCluster: true, run: getNodes },
    { names: ['instances', 'instance'], perCluster: true, run: getInstances },
    { names: ['secrets', 'secret'], perCluster: true, run: getSecrets },
  ];
}
