// `kopsdeck rolling-update cluster NAME --rehearse`: the planned rolling update
// rehearsed in a private simulator (engine/rehearse), printed as a report or
// (-o json) one JSON object. The cluster itself is only read.
import type { AwsClients } from '../engine/cloud/aws/clients.js';
import { createKubeClient } from '../engine/kube/client.js';
import { renderRehearsal } from '../engine/rehearse/render.js';
import { rehearse } from '../engine/rehearse/run-rehearsal.js';
import type { ConnectedRollout } from '../engine/rollout/connect.js';
import { planRollout, type RolloutOptions } from '../engine/rollout/run-rollout.js';
import { rehearsalWorldOpener } from '../startup/rehearsal-world.js';
import { CliError } from './cli-error.js';
import type { CommandContext } from './command-context.js';

export interface RehearseRequest {
  name: string;
  connected: ConnectedRollout;
  clients: AwsClients;
  kubeconfigPath?: string;
  options: Omit<RolloutOptions, 'confirm' | 'signal'>;
  json: boolean;
  yes?: boolean;
}

export async function rehearseFromCommand(ctx: CommandContext, r: RehearseRequest): Promise<void> {
  if (r.yes) throw new CliError('--rehearse only reads the cluster and rolls a private copy; drop --yes (or --interactive) to rehearse, or drop --rehearse to roll.');
  if (r.options.cloudOnly) throw new CliError('--rehearse needs the Kubernetes API (pods, budgets, drains); it cannot be combined with --cloudonly.');
  const plan = await planRollout(r.connected.deps, r.options);
  if (plan.totalInstances === 0) {
    const warm = plan.groups.reduce((sum, g) => sum + g.warm.length, 0);
    if (r.json) ctx.print(JSON.stringify({ type: 'rehearsal', plan, report: null }));
    else if (warm > 0) ctx.print(`Nothing to rehearse: no node of ${r.name} needs replacing; ${warm} out-of-date warm pool instance(s) would be terminated, with no drain.`);
    else ctx.print(`Nothing to rehearse: no instance of ${r.name} needs replacing.`);
    return;
  }
  const kube = await createKubeClient({ cluster: r.name, kubeconfigPath: r.kubeconfigPath });
  try {
    const report = await rehearse({
      cluster: r.name,
      source: { kube, clients: r.clients, store: ctx.store() },
      plan,
      options: { timings: r.options.timings, failOnDrainError: r.options.failOnDrainError, failOnValidateError: r.options.failOnValidateError },
      openWorld: rehearsalWorldOpener(),
      progress: (line) => ctx.warn(line),
    });
    if (r.json) ctx.print(JSON.stringify({ type: 'rehearsal', report }));
    else ctx.print(renderRehearsal(report).join('\n'));
  } finally {
    kube.close();
  }
}
