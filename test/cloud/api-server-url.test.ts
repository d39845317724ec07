// The API server a kubeconfig points at, chosen as kops' export kubeconfig
// chooses it: spec.api.publicName, else the API load balancer's DNS name
// (found by its Name=api.<cluster> tag, through the SDK against the
// simulator), else api.<cluster> when the cluster publishes DNS; a cluster
// whose load balancer does not exist and that has no DNS name is refused.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DescribeLoadBalancersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { createAwsClients, type AwsClients } from '../../src/engine/cloud/aws/clients.js';
import { apiServerUrl, ApiServerNotFoundError } from '../../src/engine/cloud/aws/api-server-url.js';
import { buildClusterSpec } from '../../src/engine/spec/defaults.js';
import { createNetworkAndTemplate, startFixture, type SimFixture } from '../helpers/sim-aws.js';
import { createNetworkLoadBalancer, elbClients, type ElbClients } from '../sim/elb-helpers.js';
import { simulatorCredentials } from '../../src/startup/cloud-session.js';

const NAME = 'endpoint.example.com';
let f: SimFixture;
let elb: ElbClients;
let clients: AwsClients;

before(async () => {
  f = await startFixture();
  elb = elbClients(f);
  clients = createAwsClients({ region: 'us-east-1', endpoint: f.sim.url, credentials: simulatorCredentials(f.sim.token) });
});
after(async () => {
  clients.destroy();
  elb.destroy();
  await f.close();
});

const lbCluster = () => buildClusterSpec({ name: NAME, zones: ['us-east-1a'], topology: 'public' }).cluster;

test('without its load balancer, a cluster with no DNS name is refused with what to run', async () => {
  const cluster = lbCluster();
  assert.ok(cluster.spec.api?.loadBalancer, "kops' default without --dns-zone: the API behind a load balancer");
  await assert.rejects(apiServerUrl(cluster, clients), (error: unknown) => {
    assert.ok(error instanceof ApiServerNotFoundError);
    assert.match(error.message, /the API load balancer of endpoint\.example\.com was not found.*kopsdeck update cluster endpoint\.example\.com --yes/);
    return true;
  });
});

test("the API load balancer's DNS name, not another cluster's or another balancer of the cluster", async () => {
  const net = await createNetworkAndTemplate(f, NAME);
  await createNetworkLoadBalancer(f, elb, { name: 'api-other', vpcId: net.vpcId, subnetIds: net.subnetIds, tags: { KubernetesCluster: 'other.example.com', Name: 'api.other.example.com' } });
  await createNetworkLoadBalancer(f, elb, { name: 'svc-endpoint', vpcId: net.vpcId, subnetIds: net.subnetIds, tags: { KubernetesCluster: NAME, Name: 'a-service' } });
  const api = await createNetworkLoadBalancer(f, elb, { name: 'api-endpoint', vpcId: net.vpcId, subnetIds: net.subnetIds, tags: { KubernetesCluster: NAME, Name: `api.${NAME}` } });
  const { LoadBalancers } = await clients.elbv2.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [api.loadBalancerArn] }));
  const dnsName = LoadBalancers![0].DNSName!;
  assert.deepEqual(await apiServerUrl(lbCluster(), clients), { url: `https://${dnsName}`, from: 'load balancer api-endpoint' });
});

test('spec.api.publicName wins; a DNS cluster uses api.<cluster>', async () => {
  const named = lbCluster();
  named.spec.api = { ...named.spec.api, publicName: 'k8s.endpoint.example.com' };
  assert.deepEqual(await apiServerUrl(named, clients), { url: 'https://k8s.endpoint.example.com', from: 'spec.api.publicName' });
  const dns = buildClusterSpec({ name: 'dns.example.com', zones: ['us-east-1a'], topology: 'public', dnsZone: 'example.com', apiDns: true }).cluster;
  assert.deepEqual(dns.spec.api, { dns: {} });
  assert.deepEqual(await apiServerUrl(dns, clients), { url: 'https://api.dns.example.com', from: 'the DNS record api.dns.example.com' });
});
