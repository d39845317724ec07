// Where kubeconfigs are read from, as kubectl reads them: the given path (or
// several joined by the path delimiter), else KUBECONFIG, else ~/.kube/config.
// A module of its own so that naming a cluster from the kubeconfig does not
// load the Kubernetes client.
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

export function kubeconfigPaths(opts: { kubeconfigPath?: string; env?: NodeJS.ProcessEnv } = {}): string[] {
  const env = opts.env ?? process.env;
  const raw = opts.kubeconfigPath ?? env.KUBECONFIG;
  if (raw) return raw.split(delimiter).filter(Boolean);
  return [join(env.HOME || homedir(), '.kube', 'config')];
}
