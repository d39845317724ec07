// The kinds `kopsdeck get` can list: one entry each, so adding a kind is one line.
import type { OutputFormat } from '../engine/output/text-table.js';
import type { CommandContext } from './command-context.js';
import { getClusters, getInstanceGroups } from './get-spec.js';
import { getInstances, getNodes } from './get-cluster-resources.js';

export interface GetResourceHandler {
  names: string[];
  run(ctx: CommandContext, cluster: string | undefined, output: OutputFormat): Promise<void>;
}

export function getResourceHandlers(): GetResourceHandler[] {
  return [
    { names: ['clusters', 'cluster'], run: (ctx, _cluster, output) => getClusters(ctx, output) },
    { names: ['instancegroups', 'instancegroup', 'ig'], run: getInstanceGroups },
    { names: ['nodes', 'node', 'no'], run: getNodes },
    { names: ['instances', 'instance'], run: getInstances },
  ];
}
