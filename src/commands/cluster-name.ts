// Which cluster a command works on, named the way kops names it (cmd/kops/root.go
// in kubernetes/kops): the positional argument, --name, KOPS_CLUSTER_NAME, and
// otherwise the cluster of the kubeconfig's current context. --name overrides
// KOPS_CLUSTER_NAME, as in kops; an argument that differs from either is an
// error, so a command never acts on a cluster nobody meant. kops' `create
// cluster` and `delete cluster` never guess from the kubeconfig, and neither do
// ours. Everything is read from the CommandContext's environment, not the process's.
import { readFileSync } from 'node:fs';
import { delimiter } from 'node:path';
import { Option } from 'commander';
import { parse } from 'yaml';
import { kubeconfigPaths } from '../engine/kube/kubeconfig-paths.js';
import { CliError } from './cli-error.js';
import type { CommandContext } from './command-context.js';

export interface ClusterNameRequest {
  /** The positional argument, for commands that take one. */
  argument?: string;
  /** --name */
  flag?: string;
  /** The command as typed with a name, e.g. "kopsdeck update cluster NAME [--yes]", for the error when nothing names one. */
  usage: string;
  /** False for create and delete: a guessed name could create or delete the wrong cluster. Default true. */
  fromKubeconfig?: boolean;
}

export type ClusterNameSource = 'argument' | '--name' | 'KOPS_CLUSTER_NAME' | 'kubeconfig';

export interface ResolvedClusterName {
  name: string;
  source: ClusterNameSource;
}

/** Help for the positional argument of every command that takes a cluster. */
export const CLUSTER_ARGUMENT_HELP = "the cluster (else --name, KOPS_CLUSTER_NAME, or the cluster of the kubeconfig's current context)";
/** The same for create and delete, which never take the name from the kubeconfig. */
export const CLUSTER_ARGUMENT_HELP_NO_KUBECONFIG = 'the cluster (else --name or KOPS_CLUSTER_NAME; never taken from the kubeconfig)';

/** `--name <cluster>`, as every command that takes a cluster spells it. */
export function clusterNameOption(): Option {
  return new Option('--name <cluster>', 'the cluster (overrides KOPS_CLUSTER_NAME)');
}

/** The cluster a command works on; says on stderr when the name came from the kubeconfig, as kops does. */
export function clusterNameFor(ctx: CommandContext, request: ClusterNameRequest): string {
  const resolved = resolveClusterName(request, ctx.io.env);
  if (resolved.source === 'kubeconfig') ctx.warn(`Using cluster from kubectl context: ${resolved.name}`);
  return resolved.name;
}

export function resolveClusterName(request: ClusterNameRequest, env: NodeJS.ProcessEnv): ResolvedClusterName {
  const named = namedCluster(request, env);
  if (named) return named;
  const ask = `Name the cluster: ${request.usage}${request.usage.includes('--name') ? '' : ', or with --name NAME'}, or with KOPS_CLUSTER_NAME`;
  if (request.fromKubeconfig === false) throw new CliError(`${ask} (this command never takes it from the kubeconfig).`);
  const current = currentContextCluster(env);
  if ('cluster' in current) return { name: current.cluster, source: 'kubeconfig' };
  throw new CliError(`${ask}; no cluster came from the kubeconfig: ${current.reason}.`);
}

/**
 * The name given on the command line or in KOPS_CLUSTER_NAME, or undefined;
 * two different names are refused (exit 1) before anything is read or done.
 */
export function namedCluster(request: Pick<ClusterNameRequest, 'argument' | 'flag'>, env: NodeJS.ProcessEnv): ResolvedClusterName | undefined {
  const argument = nonEmpty(request.argument);
  const flag = nonEmpty(request.flag);
  const variable = nonEmpty(env.KOPS_CLUSTER_NAME);
  const fromOption: ResolvedClusterName | undefined = flag
    ? { name: flag, source: '--name' }
    : variable
      ? { name: variable, source: 'KOPS_CLUSTER_NAME' }
      : undefined;
  if (argument && fromOption && argument !== fromOption.name) {
    throw new CliError(
      `Two different cluster names were given: "${argument}" as the argument and "${fromOption.name}" from ${fromOption.source}; give one name (or the same name in both).`,
    );
  }
  if (argument) return { name: argument, source: 'argument' };
  return fromOption;
}

type CurrentContext = { cluster: string } | { reason: string };

/**
 * The cluster named by the current context of the kubeconfig, merged as kubectl
 * merges KUBECONFIG's paths: missing files are skipped, the first file that sets
 * current-context wins, and the first definition of a context wins. Only the
 * file's name is ever reported, never its content (kubeconfigs hold credentials).
 */
export function currentContextCluster(env: NodeJS.ProcessEnv): CurrentContext {
  const paths = kubeconfigPaths({ env });
  const shown = paths.join(delimiter);
  let current: string | undefined;
  const contexts = new Map<string, unknown>();
  let found = false;
  for (const path of paths) {
    const read = readKubeconfig(path);
    if (read === 'missing') continue;
    if (read === 'unreadable') return { reason: `the kubeconfig ${path} could not be read, so its current context was not used` };
    if (read === 'invalid') return { reason: `${path} is not a valid kubeconfig, so its current context was not used` };
    found = true;
    current ??= nonEmpty(read['current-context']);
    for (const entry of Array.isArray(read.contexts) ? read.contexts : []) {
      const name = nonEmpty((entry as { name?: unknown })?.name);
      if (name && !contexts.has(name)) contexts.set(name, (entry as { context?: unknown }).context);
    }
  }
  if (!found) return { reason: `there is no kubeconfig at ${shown}` };
  if (!current) return { reason: `the kubeconfig ${shown} has no current context` };
  if (!contexts.has(current)) return { reason: `the current context "${current}" is not defined in ${shown}` };
  const cluster = nonEmpty((contexts.get(current) as { cluster?: unknown } | undefined)?.cluster);
  if (!cluster) return { reason: `the current context "${current}" in ${shown} names no cluster` };
  return { cluster };
}

function readKubeconfig(path: string): Record<string, unknown> | 'missing' | 'unreadable' | 'invalid' {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'unreadable';
  }
  try {
    // logLevel 'error': parse errors still throw, warnings are not printed (they may quote the file).
    const config: unknown = parse(text, { logLevel: 'error' });
    if (config === null || config === undefined) return {}; // an empty file is an empty kubeconfig, as for kubectl
    return typeof config === 'object' && !Array.isArray(config) ? (config as Record<string, unknown>) : 'invalid';
  } catch {
    return 'invalid';
  }
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
