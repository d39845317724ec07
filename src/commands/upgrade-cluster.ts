// `kopsdeck upgrade cluster NAME [--kubernetes-version V] [--yes]`: checks the
// version (one minor at a time, no downgrade, supported) and writes it to the
// spec with --yes. Without a version it proposes the channel's recommended
// patch of the next minor, as kops does. Then `update cluster` and
// `rolling-update cluster` follow.
import { ChannelError } from '../engine/channel/channel.js';
import { loadChannel } from '../engine/channel/load-channel.js';
import { renderTextTable } from '../engine/output/text-table.js';
import { kubernetesVersionWarnings } from '../engine/spec/kubernetes-version.js';
import { checkUpgrade, proposedUpgrade, upgradeCluster, UpgradeRefusedError } from '../engine/rollout/upgrade.js';
import { ConflictError } from '../engine/store/object-store.js';
import { refuseSpecChangeOfKopsCluster } from './kops-spec-guard.js';
import { CliError } from './cli-error.js';
import type { CommandContext } from './command-context.js';

export interface UpgradeClusterFlags {
  kubernetesVersion?: string;
  yes?: boolean;
}

export async function upgradeClusterCommand(ctx: CommandContext, name: string, flags: UpgradeClusterFlags): Promise<void> {
  const store = ctx.store();
  const found = await store.getCluster(name);
  if (!found) throw new CliError(`Cluster "${name}" was not found in ${store.url}; list clusters with \`kopsdeck get clusters\`.`);
  await refuseSpecChangeOfKopsCluster(ctx, found.value, `kops upgrade cluster ${name} --yes`);
  const current = found.value.spec.kubernetesVersion;
  const channel = await loadChannel(found.value.spec.channel).catch((error: unknown) => {
    if (error instanceof ChannelError) throw new CliError(`Cannot upgrade ${name}: its ${error.message}.`);
    throw error;
  });
  const target = flags.kubernetesVersion ?? proposedUpgrade(current, channel);
  if (!target) {
    ctx.print(`No upgrade required: ${name} runs Kubernetes ${current}; the ${channel.location} channel recommends nothing newer that kopsdeck supports.`);
    return;
  }
  try {
    const check = checkUpgrade(current, target, channel);
    if (!check.changes) {
      ctx.print(`No upgrade required: ${name} already runs Kubernetes ${check.to}.`);
      return;
    }
    ctx.print(renderTextTable(['ITEM', 'PROPERTY', 'OLD', 'NEW'], [['Cluster', 'KubernetesVersion', check.from, check.to]]));
    for (const warning of kubernetesVersionWarnings(check.to, channel)) ctx.warn(`Warning: ${warning}`);
    if (!flags.yes) {
      ctx.print(`\nMust specify --yes to perform upgrade: kopsdeck upgrade cluster ${name} --kubernetes-version ${check.to} --yes`);
      return;
    }
    await upgradeCluster(store, name, check.to, { channel });
    ctx.print(
      [
        '',
        `Cluster "${name}" now asks for Kubernetes ${check.to} (was ${check.from}). Next:`,
        `  write the new launch templates:  kopsdeck update cluster ${name} --yes`,
        `  replace the instances:           kopsdeck rolling-update cluster ${name} --yes`,
      ].join('\n'),
    );
  } catch (error) {
    if (error instanceof UpgradeRefusedError) throw new CliError(`Cannot upgrade ${name}: ${error.message}.`);
    if (error instanceof ConflictError) throw new CliError(`${error.message}.`);
    throw error;
  }
}
