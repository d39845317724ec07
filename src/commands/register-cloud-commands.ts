// Subcommands that talk to the cloud or the simulator. Each loads what it
// runs when it runs (import() in its action): the AWS SDK, the Kubernetes
// client and the simulator stay unloaded for --help and for other commands.
import { Option, type Command } from 'commander';
import type { CommandContext } from './command-context.js';
import type { SimFlags } from './sim-command.js';
import { outputOption, parseOutput } from './program.js';
import { CliError } from './cli-error.js';
import type { RollingUpdateFlags } from './rolling-update.js';
import type { ValidateClusterFlags } from './validate-cluster.js';
import { CLUSTER_ARGUMENT_HELP, CLUSTER_ARGUMENT_HELP_NO_KUBECONFIG, clusterNameFor, clusterNameOption } from './cluster-name.js';

/** The cluster named by the argument, --name, KOPS_CLUSTER_NAME or the kubeconfig (see cluster-name.ts). */
function clusterName(ctx: CommandContext, argument: string | undefined, opts: { name?: string }, usage: string, fromKubeconfig = true): string {
  return clusterNameFor(ctx, { argument, flag: opts.name, usage, fromKubeconfig });
}

export function registerCloudCommands(program: Command, context: () => CommandContext): void {
  const update = program.command('update').description('make the cloud match the spec');
  update
    .command('cluster')
    .description('show the cloud changes the spec needs, and apply them with --yes')
    .addHelpText('after', '\nExit codes (--target direct): 0 applied (--yes), or nothing to change; 4 changes pending (without --yes; a cluster kops made: 0, kopsdeck applies nothing); 1 error; 2 the spec is not valid.\n-o json: the plan as one document (formatVersion, changesPending, summary, changes by task key, deletions); see README "In pipelines".')
    .argument('[name]', CLUSTER_ARGUMENT_HELP)
    .addOption(clusterNameOption())
    .option('--yes', 'apply the changes (without it: only show them)')
    .addOption(outputOption(['table', 'json']))
    .addOption(new Option('--target <target>', 'direct: change the cloud; terraform: write a Terraform module instead').choices(['direct', 'terraform']).default('direct'))
    .option('--out <dir>', 'with --target terraform: the folder for kubernetes.tf and data/ (default out/terraform)')
    .action(async (name: string | undefined, opts: { name?: string; yes?: boolean; output: string; target: 'direct' | 'terraform'; out?: string }) => {
      const { updateCluster } = await import('./update-cluster.js');
      await updateCluster(context(), clusterName(context(), name, opts, 'kopsdeck update cluster NAME [--yes]'), {
        yes: opts.yes,
        output: parseOutput(opts.output),
        target: opts.target,
        out: opts.out,
      });
    });

  const rolling = program.command('rolling-update').description('replace out-of-date instances, node by node');
  const collect = (value: string, previous: string[] = []) => [...previous, value];
  rolling
    .command('cluster')
    .description('show which instances need replacing, and roll them with --yes (or --interactive)')
    .addHelpText('after', '\nExit codes: 0 rolled (--yes), or nothing to replace; 5 instances need replacing (without --yes); 1 error; 2 the cluster did not validate; 3 aborted (run it again to resume).')
    .argument('[name]', CLUSTER_ARGUMENT_HELP)
    .addOption(clusterNameOption())
    .option('--yes', 'perform the rolling update (without it: only show the plan)')
    .option('--interactive', 'ask before draining each instance (y drain, s skip, a yes to all, x abort)')
    .option('--force', 'replace every instance, even those up to date')
    .option('--instance-group <group>', 'only these instance groups (repeatable)', collect)
    .option('--instance-group-roles <roles>', 'only groups of these roles: control-plane (or master), apiserver, node, bastion; any case, plural accepted (repeatable, or comma-separated)', collect)
    .option('--cloudonly', 'replace instances without draining or validating through Kubernetes')
    .option('--drain-timeout <duration>', 'give up a drain after this long (default 15m)')
    .option('--post-drain-delay <duration>', 'wait after a drain before terminating (default 5s)')
    .option('--validation-timeout <duration>', 'give up validation after this long (default 15m)')
    .option('--validate-count <n>', 'consecutive passing validations required (default 2; 0 skips validation)')
    .option('--fail-on-validate-error [bool]', 'stop when the cluster does not validate (default true; =false warns and goes on)')
    .option('--fail-on-drain-error [bool]', 'stop when a drain fails (default true; =false warns and terminates the instance anyway)')
    .option('--node-interval <duration>', 'pause between worker nodes (default 15s)')
    .option('--control-plane-interval <duration>', 'pause between control-plane nodes (default 15s)')
    .option('--bastion-interval <duration>', 'pause between bastions (default 15s)')
    .option('--break-stale-lock', 'take over the rollout lock left by a process that is gone')
    .option('--rehearse', 'rehearse the plan in a private simulator and report the predicted timeline, blocked drains and unavailable pods (the cluster is only read)')
    .addOption(outputOption(['table', 'json']))
    .action(async (name: string | undefined, opts: RollingUpdateFlags & { name?: string; interactive?: boolean; output: string }) => {
      const ctx = context();
      const [{ rollingUpdateCluster }, { terminalConfirm }] = await Promise.all([import('./rolling-update.js'), import('./terminal-confirm.js')]);
      const flags: RollingUpdateFlags = { ...opts, output: parseOutput(opts.output) as 'table' | 'json' };
      if (opts.interactive) {
        flags.yes = true;
        flags.confirm = terminalConfirm(ctx);
      }
      await rollingUpdateCluster(ctx, clusterName(ctx, name, opts, 'kopsdeck rolling-update cluster NAME [--yes]'), flags);
    });

  const upgrade = program.command('upgrade').description('move a cluster to a newer Kubernetes version');
  upgrade
    .command('cluster')
    .description('write the next Kubernetes version into the spec (one minor version at a time) with --yes')
    .argument('[name]', CLUSTER_ARGUMENT_HELP)
    .addOption(clusterNameOption())
    .option('--kubernetes-version <version>', 'the version to move to (default: the next one)')
    .option('--yes', 'write the change (without it: only show it)')
    .action(async (name: string | undefined, opts: { name?: string; kubernetesVersion?: string; yes?: boolean }) => {
      const { upgradeClusterCommand } = await import('./upgrade-cluster.js');
      await upgradeClusterCommand(context(), clusterName(context(), name, opts, 'kopsdeck upgrade cluster NAME [--kubernetes-version V] [--yes]'), opts);
    });

  program
    .command('export')
    .description('export a cluster\'s credentials for kubectl')
    .command('kubeconfig')
    .description('merge the cluster\'s context into your kubeconfig (KUBECONFIG, else ~/.kube/config)')
    .argument('[name]', CLUSTER_ARGUMENT_HELP)
    .addOption(clusterNameOption())
    .option('--kubeconfig <path>', 'the file to write (default: the first path of KUBECONFIG, else ~/.kube/config)')
    .option('--admin [duration]', "issue an admin client certificate signed by the cluster's CA, valid this long (default 18h)")
    .action(async (name: string | undefined, opts: { name?: string; kubeconfig?: string; admin?: boolean | string }) => {
      const { exportKubeconfig, readAdminFlag } = await import('./export-kubeconfig.js');
      const { argument, adminLifetimeMs } = readAdminFlag(name, opts.admin);
      const cluster = clusterName(context(), argument, opts, 'kopsdeck export kubeconfig NAME [--admin[=DURATION]]');
      await exportKubeconfig(context(), cluster, { kubeconfig: opts.kubeconfig, adminLifetimeMs });
    });

  program
    .command('rotate')
    .description("replace one of a cluster's secrets")
    .command('bootstrap-token')
    .description("write a new bootstrap token for joining workers over the old one in the state store")
    .argument('[name]', CLUSTER_ARGUMENT_HELP)
    .addOption(clusterNameOption())
    .option('--ttl <duration>', 'how long the new token is valid (default 24h, as kubeadm)', '24h')
    .action(async (name: string | undefined, opts: { name?: string; ttl: string }) => {
      const [{ parseDuration }, { rotateBootstrapTokenCommand }] = await Promise.all([import('./rolling-update.js'), import('./secrets-commands.js')]);
      const ttlMs = parseDuration(opts.ttl, '--ttl');
      if (ttlMs <= 0) throw new CliError(`--ttl must be longer than zero, such as 24h, not "${opts.ttl}".`);
      await rotateBootstrapTokenCommand(context(), clusterName(context(), name, opts, 'kopsdeck rotate bootstrap-token NAME'), ttlMs);
    });

  const remove = program.command('delete').description('delete a cluster and everything it owns in the cloud');
  remove
    .command('cluster')
    .description('list the cloud resources the cluster owns, and delete them with --yes')
    .argument('[name]', CLUSTER_ARGUMENT_HELP_NO_KUBECONFIG)
    .addOption(clusterNameOption())
    .option('--yes', 'delete (without it: only list)')
    .action(async (name: string | undefined, opts: { name?: string; yes?: boolean }) => {
      const { deleteCluster } = await import('./delete-cluster.js');
      await deleteCluster(context(), clusterName(context(), name, opts, 'kopsdeck delete cluster NAME [--yes]', false), { yes: opts.yes });
    });

  const validate = program.command('validate').description("check a cluster's health as kops does");
  validate
    .command('cluster')
    .description('validate a cluster: instance groups at size, nodes joined and Ready, system pods, the API server (exit code 2 when it fails)')
    .addHelpText('after', '\nExit codes: 0 the cluster is valid; 2 it did not validate (within --wait); 1 error.\n-o json: cluster, ok, failures, tolerated, instanceGroups, nodes; see README "In pipelines".')
    .argument('[name]', CLUSTER_ARGUMENT_HELP)
    .addOption(clusterNameOption())
    .option('--wait <duration>', 'keep validating until it passes or this much time has passed, e.g. 10m')
    .option('--count <n>', 'consecutive passes required (default 1)')
    .option('--interval <duration>', 'time between attempts while waiting (default 10s)')
    .addOption(outputOption(['table', 'json']))
    .action(async (name: string | undefined, opts: Omit<ValidateClusterFlags, 'output'> & { name?: string; output: string }) => {
      const output = parseOutput(opts.output) === 'json' ? 'json' : 'table';
      const { validateClusterCommand } = await import('./validate-cluster.js');
      await validateClusterCommand(context(), clusterName(context(), name, opts, 'kopsdeck validate cluster NAME [--wait 10m]'), { ...opts, output });
    });

  program
    .command('sim')
    .description('serve the simulated AWS and Kubernetes on 127.0.0.1 until interrupted (Ctrl-C)')
    .option('--port <port>', 'port to listen on (default: any free port)')
    .option('--speed <factor>', 'simulated time runs this many times faster (default 10)')
    .option('--seed <n>', 'random seed, for repeatable runs')
    .option('--dir <path>', 'where the simulated world is saved (default: $KOPSDECK_HOME/sim)')
    .option('--nodes <n>', 'scale mode: seed one large cluster, scale.example.com, with this many nodes')
    .option('--pods-per-node <n>', 'scale mode: pods per node (default 30)')
    .option('--kops-cluster <name>', 'seed a cluster laid out as kops lays one out (nodeup, kops names, its state store in the simulated S3)')
    .option('--kops-layout <layout>', 'with --kops-cluster: minimal, ha or minimal-dns-none (API behind a load balancer) (default minimal)')
    .option('--kubernetes-version <version>', "with --kops-cluster: the cluster's Kubernetes version (default: the channel's stable)")
    .option('--kops-state <url>', 'with --kops-cluster: the state store, s3://bucket[/prefix] (default s3://kops-state-store)')
    .action(async (flags: SimFlags) => {
      const { serveSimulator, untilSignal } = await import('./sim-command.js');
      await serveSimulator(context(), flags, untilSignal);
    });
}
