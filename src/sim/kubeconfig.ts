// The simulator's kubeconfig: one context per simulated cluster (context,
// cluster and user all named after it), pointing at this simulator's
// /k8s/<cluster> path. Written 0600 because real kubeconfigs hold secrets.
import { writeFileAtomic } from '../engine/fs/atomic-write.js';
import { stringify } from 'yaml';

/** The kubeconfig's user is the world's access token (access-token.ts), sent as a bearer token. */
export function kubeconfigYaml(baseUrl: string, clusters: string[], token: string, current?: string): string {
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    'current-context': current && clusters.includes(current) ? current : (clusters[0] ?? ''),
    // client-node 1.4 refuses a plain-http server unless TLS verification is
    // marked as skipped; there is no TLS on loopback to verify.
    clusters: clusters.map((name) => ({
      name,
      cluster: { server: `${baseUrl}/k8s/${encodeURIComponent(name)}`, 'insecure-skip-tls-verify': true },
    })),
    users: clusters.map((name) => ({ name, user: { token } })),
    contexts: clusters.map((name) => ({ name, context: { cluster: name, user: name } })),
  };
  return stringify(config);
}

export function writeKubeconfig(path: string, baseUrl: string, clusters: string[], token: string): void {
  writeFileAtomic(path, kubeconfigYaml(baseUrl, clusters, token));
}
