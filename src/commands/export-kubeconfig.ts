// `kopsdeck export kubeconfig NAME`: merges the cluster's context (cluster,
// user and context entries named after it) into your kubeconfig, as kops does,
// so kubectl reaches it. The file is written 0600: kubeconfigs hold credentials.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { parse, stringify } from 'yaml';
import { CliError } from './cli-error.js';
import type { CommandContext } from './command-context.js';

interface Named {
  name: string;
  [key: string]: unknown;
}

interface KubeconfigFile {
  apiVersion?: string;
  kind?: string;
  clusters?: Named[];
  users?: Named[];
  contexts?: Named[];
  'current-context'?: string;
  [key: string]: unknown;
}

export async function exportKubeconfig(ctx: CommandContext, name: string, flags: { kubeconfig?: string }): Promise<void> {
  const session = await ctx.cloud();
  const source = session.kubeconfigPath ? readKubeconfig(session.kubeconfigPath) : null;
  const entries = source ? entriesFor(source, name) : null;
  if (!entries) {
    throw new CliError(
      `No credentials for cluster "${name}" are available from ${session.label}; ` +
        'kopsdeck does not yet issue admin certificates for clusters on real AWS (use `kops export kubeconfig --admin`).',
    );
  }
  const target = flags.kubeconfig ?? firstKubeconfigPath(ctx.io.env);
  const merged = merge(existsSync(target) ? readKubeconfig(target) : emptyKubeconfig(), entries, name);
  writeKubeconfig(target, merged);
  ctx.print(`kubeconfig: context "${name}" written to ${target} (now the current context).`);
}

function entriesFor(config: KubeconfigFile, name: string): Pick<KubeconfigFile, 'clusters' | 'users' | 'contexts'> | null {
  const context = config.contexts?.find((entry) => entry.name === name);
  if (!context) return null;
  const refs = (context.context ?? {}) as { cluster?: string; user?: string };
  const cluster = config.clusters?.find((entry) => entry.name === refs.cluster);
  const user = config.users?.find((entry) => entry.name === refs.user);
  if (!cluster || !user) return null;
  return { clusters: [cluster], users: [user], contexts: [context] };
}

function merge(target: KubeconfigFile, entries: Pick<KubeconfigFile, 'clusters' | 'users' | 'contexts'>, current: string): KubeconfigFile {
  const replace = (list: Named[] | undefined, added: Named[] | undefined) => [
    ...(list ?? []).filter((entry) => !(added ?? []).some((a) => a.name === entry.name)),
    ...(added ?? []),
  ];
  return {
    ...target,
    clusters: replace(target.clusters, entries.clusters),
    users: replace(target.users, entries.users),
    contexts: replace(target.contexts, entries.contexts),
    'current-context': current,
  };
}

function firstKubeconfigPath(env: NodeJS.ProcessEnv): string {
  const first = env.KUBECONFIG?.split(delimiter).find(Boolean);
  return first ?? join(homedir(), '.kube', 'config');
}

function readKubeconfig(path: string): KubeconfigFile {
  try {
    return (parse(readFileSync(path, 'utf8')) as KubeconfigFile) ?? emptyKubeconfig();
  } catch (error) {
    throw new CliError(`${path} is not a readable kubeconfig (${(error as Error).message}); nothing was written.`);
  }
}

function emptyKubeconfig(): KubeconfigFile {
  return { apiVersion: 'v1', kind: 'Config', clusters: [], users: [], contexts: [] };
}

function writeKubeconfig(path: string, config: KubeconfigFile): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.kopsdeck-${process.pid}.tmp`;
  writeFileSync(temporary, stringify(config), { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
}
