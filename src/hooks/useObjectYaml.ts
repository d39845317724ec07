// One object's YAML, read fresh from the API server (not from the caches,
// which keep only what the views read) each time the screen opens or reloads.
import type { KubeClient } from '../engine/kube/client.js';
import { kubectlYaml } from '../engine/output/object-yaml.js';
import { useAsync, type AsyncState } from './useAsync.js';

export function useObjectYaml(kube: KubeClient | undefined, path: string): AsyncState<string | undefined> & { reload(): void } {
  // Without a client yet (the session is connecting) there is nothing to read; the screen shows the session's state.
  return useAsync(async () => (kube ? kubectlYaml(await kube.request<{ metadata?: Record<string, unknown> }>('GET', path)) : undefined), [kube, path]);
}
