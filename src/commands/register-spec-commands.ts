// Subcommands that work on the spec in the state store: get, create, edit.
import { Command, Option } from 'commander';
import { CliError } from './cli-error.js';
import type { CommandContext } from './command-context.js';
import { createCluster, type CreateClusterFlags } from './create-cluster.js';
import { editCluster, editInstanceGroup } from './edit-spec.js';
import { outputOption, parseOutput } from './program.js';
import { getResourceHandlers } from './get-resources.js';
import type { ProcessHooks } from './program.js';

export function registerSpecCommands(program: Command, context: () => CommandContext, hooks?: ProcessHooks): void {
  registerGet(program, context);
  registerCreate(program, context, hooks);
  registerEdit(program, context);
}

function registerGet(program: Command, context: () => CommandContext): void {
  const kinds = getResourceHandlers();
  program
    .command('get')
    .description(`list resources: ${kinds.map((kind) => kind.names.join('|')).join(', ')}`)
    .argument('<resource>', 'what to list')
    .argument('[cluster]', 'the cluster (same as --name)')
    .option('--name <cluster>', 'the cluster')
    .addOption(outputOption())
    .action(async (resource: string, cluster: string | undefined, opts: { name?: string; output: string }) => {
      const kind = kinds.find((candidate) => candidate.names.includes(resource));
      if (!kind) {
        throw new CliError(`Unknown resource "${resource}"; use one of ${kinds.map((k) => k.names[0]).join(', ')}.`);
      }
      await kind.run(context(), opts.name ?? cluster, parseOutput(opts.output));
    });
}

/**
 * Without a name, in an interactive terminal, `create` opens the console on the
 * guided create-cluster wizard; in a script it says which flags to give.
 */
async function openWizard(ctx: CommandContext, hooks: ProcessHooks | undefined): Promise<void> {
  if (!hooks || !process.stdin.isTTY) {
    throw new CliError(
      'Name the cluster: kopsdeck create cluster NAME --zones ZONE[,ZONE...] (in an interactive terminal, `kopsdeck create` opens a guided wizard).',
      2,
    );
  }
  await hooks.openConsole(ctx, { name: 'create-cluster' });
}

function registerCreate(program: Command, context: () => CommandContext, hooks?: ProcessHooks): void {
  const create = program
    .command('create')
    .description('create a resource in the state store; with nothing more, a guided wizard for a new cluster')
    .action(async () => openWizard(context(), hooks));
  create
    .command('cluster')
    .description('write a new cluster spec with kops defaults (cloud resources are made by `update cluster`)')
    .argument('[name]', 'cluster name, a DNS name such as demo.example.com')
    .option('--name <name>', 'cluster name (instead of the argument)')
    .option('--zones <zones>', 'zones for nodes, comma separated, e.g. us-east-1a,us-east-1b,us-east-1c')
    .option('--control-plane-zones <zones>', 'zones for the control plane (default: the first of --zones)')
    .option('--control-plane-count <n>', 'control-plane nodes: 1, or 3 or 5 for high availability')
    .option('--control-plane-size <type>', 'machine type of control-plane nodes')
    .option('--node-count <n>', 'worker nodes in all, spread across the zones')
    .option('--node-size <type>', 'machine type of worker nodes')
    .option('--node-max-size <n>', 'maximum size of each node group, for an autoscaler (default: its node count)')
    .option('--kubernetes-version <version>', 'Kubernetes version (default: the newest stable)')
    .addOption(new Option('--topology <topology>', 'public subnets, or private with utility subnets').choices(['public', 'private']))
    .option('--bastion', 'add a bastion instance group (private topology)')
    .option('--networking <cni>', 'CNI: cilium, calico, flannel, amazonvpc or kindnet')
    .option('--dns-zone <zone>', 'Route 53 hosted zone for the API record')
    .option('--ssh-public-key <path>', 'SSH public key to install on instances')
    .option('--admin-access <cidrs>', 'CIDRs allowed to reach the API and SSH, comma separated')
    .option('--image <image>', 'machine image (owner/name or ami-id)')
    .option('--network-cidr <cidr>', 'the VPC CIDR (default 172.20.0.0/16)')
    .option('--dry-run', 'print the spec instead of writing it')
    .option('--yes', 'also create it in the cloud (as `update cluster NAME --yes`)')
    .addOption(outputOption())
    .action(async (name: string | undefined, flags: CreateClusterFlags & { output: string }) => {
      if (name === undefined && flags.name === undefined && flags.zones === undefined) return openWizard(context(), hooks);
      await createCluster(context(), name, { ...flags, output: parseOutput(flags.output) });
    });
}

function registerEdit(program: Command, context: () => CommandContext): void {
  const edit = program.command('edit').description('edit a spec in $EDITOR, or with --set for scripts');
  const collect = (value: string, previous: string[]) => [...previous, value];
  edit
    .command('cluster')
    .description('edit a cluster spec')
    .argument('[name]', 'the cluster')
    .option('--name <cluster>', 'the cluster (instead of the argument)')
    .option('--set <path=value>', 'set a field without an editor, e.g. spec.kubernetesVersion=1.32.5 (repeatable)', collect, [])
    .action(async (name: string | undefined, opts: { name?: string; set: string[] }) => {
      const cluster = name ?? opts.name;
      if (!cluster) throw new CliError('Name the cluster: kopsdeck edit cluster NAME');
      await editCluster(context(), cluster, opts.set);
    });
  edit
    .command('instancegroup')
    .alias('ig')
    .description('edit an instance group spec')
    .argument('<group>', 'the instance group')
    .option('--name <cluster>', 'the cluster')
    .option('--set <path=value>', 'set a field without an editor, e.g. spec.maxSize=5 (repeatable)', collect, [])
    .action(async (group: string, opts: { name?: string; set: string[] }) => {
      await editInstanceGroup(context(), group, opts.name, opts.set);
    });
}

