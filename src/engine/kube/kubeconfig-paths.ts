// Where kubeconfigs are read from, as kubectl reads them: the given path (or
// several joined by the path delimiter), else KUBECONFIG, else ~/.kube/config;
// and the one file a new context is written to, the first of those. A module
// of its own so that naming a cluster from the kubeconfig does not load the
// Kubernetes client.
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

export interface KubeconfigLookup {
  kubeconfigPath?: string;
  env?: NodeJS.ProcessEnv;
}

export function kubeconfigPaths(opts: KubeconfigLookup = {}): string[] {
  const env = opts.env ?? process.env;
  const raw = opts.kubeconfigPath ?? env.KUBECONFIG;
  const paths = (raw ?? '').split(delimiter).filter(Boolean);
  // A KUBECONFIG of nothing but delimiters names no file: the default applies, as when it is unset.
  return paths.length > 0 ? paths : [join(env.HOME || homedir(), '.kube', 'config')];
}

/** The file kubectl writes a merged context to: the first of the paths read. */
export function kubeconfigWritePath(opts: KubeconfigLookup = {}): string {
  return kubeconfigPaths(opts)[0];
}
