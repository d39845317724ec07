// Reading, merging and writing kubeconfig files as kubectl and kops do: the
// cluster, user and context entries of one cluster replace those of the same
// names, and the file is written 0600 (it holds credentials), through a
// temporary file renamed over the old one.
import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../engine/fs/atomic-write.js';
import { parse, stringify, YAMLError } from 'yaml';
import { CliError } from './cli-error.js';

export interface Named {
  name: string;
  [key: string]: unknown;
}

export interface KubeconfigFile {
  apiVersion?: string;
  kind?: string;
  clusters?: Named[];
  users?: Named[];
  contexts?: Named[];
  'current-context'?: string;
  [key: string]: unknown;
}

export type KubeconfigEntries = Required<Pick<KubeconfigFile, 'clusters' | 'users' | 'contexts'>>;

/** Merges the entries into the file at `target` and makes `current` the current context. */
export function mergeIntoKubeconfig(target: string, entries: KubeconfigEntries, current: string): void {
  const existing = existsSync(target) ? readKubeconfig(target) : emptyKubeconfig();
  writeKubeconfig(target, merge(existing, entries, current));
}

function merge(target: KubeconfigFile, entries: KubeconfigEntries, current: string): KubeconfigFile {
  const replace = (list: Named[] | undefined, added: Named[]) => [...(list ?? []).filter((entry) => !added.some((a) => a.name === entry.name)), ...added];
  return {
    ...target,
    clusters: replace(target.clusters, entries.clusters),
    users: replace(target.users, entries.users),
    contexts: replace(target.contexts, entries.contexts),
    'current-context': current,
  };
}

export function readKubeconfig(path: string): KubeconfigFile {
  try {
    return (parse(readFileSync(path, 'utf8')) as KubeconfigFile) ?? emptyKubeconfig();
  } catch (error) {
    throw new CliError(`${path} is not a readable kubeconfig (${whereItFailed(error)}); nothing was written.`);
  }
}

/**
 * Where reading failed, never what is there: a YAML error quotes the line,
 * and a kubeconfig's lines hold tokens and keys.
 */
function whereItFailed(error: unknown): string {
  if (error instanceof YAMLError) {
    const at = error.linePos?.[0];
    return at ? `not valid YAML at line ${at.line}, column ${at.col}` : 'not valid YAML';
  }
  const code = (error as NodeJS.ErrnoException).code;
  return code ? `cannot be read: ${code}` : 'cannot be read';
}

function emptyKubeconfig(): KubeconfigFile {
  return { apiVersion: 'v1', kind: 'Config', clusters: [], users: [], contexts: [] };
}

function writeKubeconfig(path: string, config: KubeconfigFile): void {
  writeFileAtomic(path, stringify(config));
}
