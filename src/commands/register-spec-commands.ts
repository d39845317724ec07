// Subcommands that work on the spec in the state store: get, create, edit.
// Each loads what it runs when it runs (import() in its action).
import { Command, Option } from 'commander';
import { supportedKubernetesRange } from '../engine/spec/kubernetes-version.js';
import { CliError } from './cli-error.js';
import type { CommandContext } from './command-context.js';
import type { CreateClusterFlags } from './create-cluster.js';
import { outputOption, parseOutput } from './program.js';
import { getResourceHandlers, type GetFlags } from './get-resources.js';
import type { ProcessHooks } from './program.js';
import { CLUSTER_ARGUMENT_HELP, clusterNameFor, clusterNameOption, namedCluster } from './cluster-name.js';

export function registerSpecCommands(program: Command, context: () => CommandContext, hooks?: ProcessHooks): void {
  registerGet(program, context);
  registerCreate(program, context, hooks);
  registerEdit(program, context);
}

function registerGet(program: Command, context: () => CommandContext): void {
  const kinds = getResourceHandlers();
  const perCluster = kinds.filter((kind) => kind.perCluster).map((kind) => kind.names[0]).join(', ');
  program
    .command('get')
    .description(`list resources: ${kinds.map((kind) => kind.names.join('|')).join(', ')}`)
    .argument('<resource>', 'what to list')
    .argument('[cluster]', `for ${perCluster}: ${CLUSTER_ARGUMENT_HELP}`)
    .addOption(clusterNameOption())
    .addOption(outputOption())
    .option('--pods', 'get nodes: also count the pods on each node (PODS); this lists every pod in the cluster')
    .action(async (resource: string, cluster: string | undefined, opts: { name?: string; output: string; pods?: boolean }) => {
      const kind = kinds.find((candidate) => candidate.names.includes(resource));
      if (!kind) {
        throw new CliError(`Unknown resource "${resource}"; use one of ${kinds.map((k) => k.names[0]).join(', ')}.`);
      }
      const flags: GetFlags = opts.pods ? { pods: true } : {};
      const refused = (Object.keys(flags) as (keyof GetFlags)[]).find((flag) => !(kind.perCluster && kind.flags?.includes(flag)));
      if (refused) throw new CliError(`--${refused} applies to \`kopsdeck get nodes\` only, not to ${resource}.`);
      const output = parseOutput(opts.output);
      if (!kind.perCluster) return kind.run(context(), output);
      const name = clusterNameFor(context(), { argument: cluster, flag: opts.name, usage: `kopsdeck get ${kind.names[0]} NAME` });
      await kind.run(context(), name, output, flags);
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
    .argument('[name]', 'cluster name, a DNS name such as demo.example.com (else --name or KOPS_CLUSTER_NAME; never taken from the kubeconfig)')
    .addOption(clusterNameOption())
    .option('--zones <zones>', 'zones for nodes, comma separated, e.g. us-east-1a,us-east-1b,us-east-1c')
    .option('--control-plane-zones <zones>', 'zones for the control plane (default: the first of --zones)')
    .option('--control-plane-count <n>', 'control-plane nodes: 1, or 3 or 5 for high availability')
    .option('--control-plane-size <type>', 'machine type of control-plane nodes')
    .option('--node-count <n>', 'worker nodes in all, spread across the zones')
    .option('--node-size <type>', 'machine type of worker nodes')
    .option('--node-max-size <n>', 'maximum size of each node group, for an autoscaler (default: its node count)')
    .option('--kubernetes-version <version>', `Kubernetes version, ${supportedKubernetesRange()} (default: the stable channel's version for new clusters)`)
    .addOption(new Option('--topology <topology>', 'public subnets, or private with utility subnets').choices(['public', 'private']))
    .option('--bastion', 'add a bastion instance group (private topology)')
    .option('--networking <cni>', 'CNI: cilium, calico, flannel, amazonvpc or kindnet')
    .option('--dns-zone <zone>', 'Route 53 hosted zone for the API record (default: no DNS, the API behind a load balancer)')
    .option('--ssh-public-key <path>', 'SSH public key to install on instances')
    .option('--admin-access <cidrs>', 'CIDRs (or pl- prefix lists) allowed to reach the API and SSH, comma separated')
    .option('--image <image>', 'machine image (owner/name or ami-id)')
    .option('--network-cidr <cidr>', 'the VPC CIDR (default 172.20.0.0/16)')
    .option('--dry-run', 'print the spec instead of writing it')
    .option('--yes', 'also create it in the cloud (as `update cluster NAME --yes`)')
    .addOption(outputOption())
    .action(async (name: string | undefined, flags: CreateClusterFlags & { output: string }) => {
      // As kops: the argument, --name or KOPS_CLUSTER_NAME, never the kubeconfig (a new cluster is not in it).
      const named = namedCluster({ argument: name, flag: flags.name }, context().io.env);
      if (named === undefined && flags.zones === undefined) return openWizard(context(), hooks);
      const { createCluster } = await import('./create-cluster.js');
      await createCluster(context(), named?.name, { ...flags, output: parseOutput(flags.output) });
    });
}

function registerEdit(program: Command, context: () => CommandContext): void {
  const edit = program.command('edit').description('edit a spec in $EDITOR, or with --set for scripts');
  const collect = (value: string, previous: string[]) => [...previous, value];
  edit
    .command('cluster')
    .description('edit a cluster spec')
    .argument('[name]', CLUSTER_ARGUMENT_HELP)
    .addOption(clusterNameOption())
    .option('--set <path=value>', 'set a field without an editor, e.g. spec.kubernetesVersion=1.32.5 (repeatable)', collect, [])
    .action(async (name: string | undefined, opts: { name?: string; set: string[] }) => {
      const cluster = clusterNameFor(context(), { argument: name, flag: opts.name, usage: 'kopsdeck edit cluster NAME' });
      const { editCluster } = await import('./edit-spec.js');
      await editCluster(context(), cluster, opts.set);
    });
  edit
    .command('instancegroup')
    .alias('ig')
    .description('edit an instance group spec')
    .argument('<group>', 'the instance group')
    .addOption(new Option('--name <cluster>', "the cluster (else KOPS_CLUSTER_NAME, or the cluster of the kubeconfig's current context)"))
    .option('--set <path=value>', 'set a field without an editor, e.g. spec.maxSize=5 (repeatable)', collect, [])
    .action(async (group: string, opts: { name?: string; set: string[] }) => {
      const cluster = clusterNameFor(context(), { flag: opts.name, usage: `kopsdeck edit ig ${group} --name NAME` });
      const { editInstanceGroup } = await import('./edit-spec.js');
      await editInstanceGroup(context(), group, cluster, opts.set);
    });
}

