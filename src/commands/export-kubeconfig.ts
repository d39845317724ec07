// `kopsdeck export kubeconfig NAME [--admin[=DURATION]]`: merges the cluster's
// context (cluster, user and context entries named after it) into your
// kubeconfig, as kops does. With --admin a client certificate is issued by the
// cluster's CA (export-admin-kubeconfig.ts); without it the entries are those
// of the session's kubeconfig (the simulator's), copied as they are.
import { kubeconfigWritePath } from '../engine/kube/kubeconfig-paths.js';
import { DEFAULT_ADMIN_LIFETIME_MS } from '../engine/pki/admin-credentials.js';
import { CliError } from './cli-error.js';
import type { CommandContext } from './command-context.js';
import { exportAdminKubeconfig } from './export-admin-kubeconfig.js';
import { parseDuration } from './rolling-update.js';
import { mergeIntoKubeconfig, readKubeconfig, type KubeconfigEntries, type KubeconfigFile } from './kubeconfig-file.js';

export interface ExportKubeconfigFlags {
  kubeconfig?: string;
  /** Lifetime of the admin certificate in ms; undefined: no admin certificate. */
  adminLifetimeMs?: number;
}

export async function exportKubeconfig(ctx: CommandContext, name: string, flags: ExportKubeconfigFlags): Promise<void> {
  const target = flags.kubeconfig ?? kubeconfigWritePath({ env: ctx.io.env });
  if (flags.adminLifetimeMs !== undefined) return exportAdminKubeconfig(ctx, name, target, flags.adminLifetimeMs);
  const session = await ctx.cloud();
  const source = session.kubeconfigPath;
  const entries = source ? entriesFor(readKubeconfig(source), name) : null;
  if (!source || !entries) {
    throw new CliError(
      `No credentials for cluster "${name}" are available from ${session.label}; ` +
        `issue an admin certificate with \`kopsdeck export kubeconfig ${name} --admin\` (valid 18h; --admin=DURATION for another lifetime).`,
    );
  }
  mergeIntoKubeconfig(target, entries, name);
  // Says whose entries they are: kopsdeck issued no credential here.
  ctx.print(`kubeconfig: context "${name}" written to ${target} (now the current context), with the cluster and user entries of ${source}.`);
}

function entriesFor(config: KubeconfigFile, name: string): KubeconfigEntries | null {
  const context = config.contexts?.find((entry) => entry.name === name);
  if (!context) return null;
  const refs = (context.context ?? {}) as { cluster?: string; user?: string };
  const cluster = config.clusters?.find((entry) => entry.name === refs.cluster);
  const user = config.users?.find((entry) => entry.name === refs.user);
  if (!cluster || !user) return null;
  return { clusters: [cluster], users: [user], contexts: [context] };
}

/**
 * `--admin[=DURATION]` as kops' flag reads it: alone it means 18h. Commander
 * would take the word after a bare `--admin` as its value, so
 * `export kubeconfig --admin NAME` hands over NAME: when that word is not a
 * duration and no cluster was named, it is the cluster.
 */
export function readAdminFlag(argument: string | undefined, admin: boolean | string | undefined): { argument: string | undefined; adminLifetimeMs?: number } {
  if (admin === undefined || admin === false) return { argument };
  if (admin === true) return { argument, adminLifetimeMs: DEFAULT_ADMIN_LIFETIME_MS };
  const looksLikeDuration = /^(\d+(\.\d+)?(ms|h|m|s))+$/.test(admin);
  if (argument === undefined && !looksLikeDuration) return { argument: admin, adminLifetimeMs: DEFAULT_ADMIN_LIFETIME_MS };
  const lifetime = parseDuration(admin, '--admin');
  if (lifetime <= 0) throw new CliError(`--admin must be a lifetime longer than zero, such as 18h or 30m, not "${admin}".`);
  return { argument, adminLifetimeMs: lifetime };
}
