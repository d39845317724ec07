// The API server URL a kubeconfig points at, chosen as kops' export
// kubeconfig chooses it (pkg/kubeconfig/create_kubecfg.go): spec.api.publicName
// if set; else, for a cluster whose API is behind a load balancer, that load
// balancer's DNS name; else the cluster's DNS record, api.<cluster>.
import type { Cluster } from '../../spec/types.js';
import type { AwsClients } from './clients.js';
import { findLoadBalancers } from './discovery-load-balancers.js';

export interface ApiServer {
  url: string;
  /** Where the host name came from, for a sentence: "spec.api.publicName", "load balancer api-x", "DNS record". */
  from: string;
}

export class ApiServerNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ApiServerNotFoundError';
  }
}

export async function apiServerUrl(cluster: Cluster, clients: AwsClients): Promise<ApiServer> {
  const name = cluster.metadata.name;
  const api = cluster.spec.api ?? {};
  if (api.publicName) return { url: `https://${api.publicName}`, from: 'spec.api.publicName' };
  const record = { url: `https://api.${name}`, from: `the DNS record api.${name}` };
  if (!api.loadBalancer) return record;
  const { loadBalancers } = await findLoadBalancers(clients, name);
  // kops tags its API load balancer Name=api.<cluster>.
  const lb = loadBalancers.find((candidate) => candidate.tags.Name === `api.${name}` && candidate.dnsName);
  if (lb) return { url: `https://${lb.dnsName}`, from: `load balancer ${lb.name}` };
  if (publishesDns(cluster)) return record;
  throw new ApiServerNotFoundError(
    `the API load balancer of ${name} was not found, and the cluster publishes no DNS name for its API; create it first with \`kopsdeck update cluster ${name} --yes\``,
  );
}

function publishesDns(cluster: Cluster): boolean {
  return Boolean(cluster.spec.dnsZone) && (cluster.spec.topology?.dns?.type ?? 'Public') !== 'None';
}
