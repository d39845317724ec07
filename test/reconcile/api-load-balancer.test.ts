// The API load balancer kopsdeck creates, read back through the real SDK from
// the simulator and compared with what kops creates for the same cluster
// (tests/integration/update_cluster/minimal-dns-none and ha/kubernetes.tf:
// aws_lb "api-...", aws_lb_target_group "tcp-...", aws_lb_listener "...-443",
// aws_route53_record "api-..." A and AAAA aliases).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as elbv2 from '@aws-sdk/client-elastic-load-balancing-v2';
import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { ListHostedZonesCommand, ListResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import { DescribeSecurityGroupsCommand } from '@aws-sdk/client-ec2';
import { applyCluster, planCluster } from '../../src/engine/reconcile/cluster.js';
import { apiServerUrl } from '../../src/engine/cloud/aws/api-server-url.js';
import { resourceName32 } from '../../src/engine/cloud/aws/kops-names.js';
import { clusterFixture, startHarness, type Harness } from '../helpers/sim-reconcile.js';
import { tagMap } from './cluster-resources.js';

let h: Harness;
before(async () => {
  h = await startHarness({ speed: 100 });
});
after(async () => h?.close());

async function create(options: Parameters<typeof clusterFixture>[0]) {
  const { cluster, instanceGroups } = clusterFixture(options);
  const planned = await planCluster({ cluster, instanceGroups, clients: h.clients, clock: h.clock });
  const applied = await applyCluster({ cluster, instanceGroups, clients: h.clients, clock: h.clock, planned });
  assert.equal(applied.ok, true, applied.failed.map((f) => `${f.key}: ${f.error.message}`).join('\n'));
  return cluster;
}

async function apiLoadBalancer(cluster: string) {
  const name = resourceName32(cluster, 'api');
  const found = await h.clients.elbv2.send(new elbv2.DescribeLoadBalancersCommand({ Names: [name] }));
  const lb = found.LoadBalancers![0];
  const tags = (await h.clients.elbv2.send(new elbv2.DescribeTagsCommand({ ResourceArns: [lb.LoadBalancerArn!] }))).TagDescriptions![0].Tags;
  return { lb, tags: tagMap(tags) };
}

test('an HA private cluster: a network load balancer, a TCP 443 target group and listener as kops makes them, the control plane attached', async () => {
  const NAME = 'ha.example.com';
  const cluster = await create({ name: NAME, dnsZone: 'example.com', topology: 'private', zones: ['us-east-1a', 'us-east-1b', 'us-east-1c'], controlPlaneCount: 3, nodeCount: 1 });
  assert.deepEqual(cluster.spec.api, { loadBalancer: { class: 'Network', type: 'Public' } }, 'the spec asks for the load balancer');

  const { lb, tags } = await apiLoadBalancer(NAME);
  assert.equal(lb.LoadBalancerName, 'api-ha-example-com-' + lb.LoadBalancerName!.split('-').pop());
  assert.ok(lb.LoadBalancerName!.length <= 32);
  assert.deepEqual([lb.Type, lb.Scheme], ['network', 'internet-facing']);
  assert.equal(lb.AvailabilityZones?.length, 3, 'one subnet per zone');
  assert.deepEqual([tags.Name, tags.KubernetesCluster, tags[`kubernetes.io/cluster/${NAME}`]], [`api.${NAME}`, NAME, 'owned']);
  const groups = (await h.clients.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: lb.SecurityGroups }))).SecurityGroups!;
  assert.deepEqual(groups.map((g) => g.GroupName), [`api-elb.${NAME}`], "the load balancer's own security group");

  const targetGroups = (await h.clients.elbv2.send(new elbv2.DescribeTargetGroupsCommand({ LoadBalancerArn: lb.LoadBalancerArn }))).TargetGroups!;
  assert.equal(targetGroups.length, 1);
  const tg = targetGroups[0];
  assert.equal(tg.TargetGroupName, resourceName32(NAME, 'tcp'));
  assert.match(tg.TargetGroupName!, /^tcp-ha-example-com-[0-9a-z]{6}$/);
  assert.deepEqual(
    { protocol: tg.Protocol, port: tg.Port, target: tg.TargetType, check: tg.HealthCheckProtocol, interval: tg.HealthCheckIntervalSeconds, healthy: tg.HealthyThresholdCount, unhealthy: tg.UnhealthyThresholdCount },
    { protocol: 'TCP', port: 443, target: 'instance', check: 'TCP', interval: 10, healthy: 2, unhealthy: 2 },
  );
  const attributes = (await h.clients.elbv2.send(new elbv2.DescribeTargetGroupAttributesCommand({ TargetGroupArn: tg.TargetGroupArn }))).Attributes!;
  assert.equal(attributes.find((a) => a.Key === 'deregistration_delay.timeout_seconds')?.Value, '30');

  const listeners = (await h.clients.elbv2.send(new elbv2.DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn }))).Listeners!;
  assert.deepEqual(
    listeners.map((l) => [l.Protocol, l.Port, l.DefaultActions?.[0]?.Type, l.DefaultActions?.[0]?.TargetGroupArn]),
    [['TCP', 443, 'forward', tg.TargetGroupArn]],
  );

  const asgs = (await h.clients.autoscaling.send(new DescribeAutoScalingGroupsCommand({}))).AutoScalingGroups!.filter((g) => (g.Tags ?? []).some((t) => t.Key === 'KubernetesCluster' && t.Value === NAME));
  const attached = asgs.filter((g) => g.TargetGroupARNs?.includes(tg.TargetGroupArn!)).map((g) => g.AutoScalingGroupName).sort();
  assert.deepEqual(attached, [`control-plane-us-east-1a.masters.${NAME}`, `control-plane-us-east-1b.masters.${NAME}`, `control-plane-us-east-1c.masters.${NAME}`]);
  assert.ok(asgs.some((g) => g.AutoScalingGroupName!.startsWith('nodes-')), 'the node groups are there, and not attached');

  // api.<cluster>: A and AAAA aliases to the load balancer in the cluster's zone.
  const zone = (await h.clients.route53.send(new ListHostedZonesCommand({}))).HostedZones!.find((z) => z.Name === 'example.com.')!;
  const records = (await h.clients.route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zone.Id }))).ResourceRecordSets!.filter((r) => r.Name === `api.${NAME}.`);
  assert.deepEqual(records.map((r) => r.Type).sort(), ['A', 'AAAA']);
  for (const record of records) assert.equal(record.AliasTarget?.DNSName?.replace(/\.$/, '').toLowerCase(), lb.DNSName!.toLowerCase(), `${record.Type} aliases the load balancer`);
  assert.deepEqual(await apiServerUrl(cluster, h.clients), { url: `https://${lb.DNSName}`, from: `load balancer ${lb.LoadBalancerName}` });
});

test('a .k8s.local cluster: the load balancer with cross-zone balancing, no DNS record, and the kubeconfig pointing at its own name', async () => {
  const NAME = 'gossip.k8s.local';
  const cluster = await create({ name: NAME, zones: ['us-east-1a'], controlPlaneCount: 1, nodeCount: 1 });
  const { lb } = await apiLoadBalancer(NAME);
  const attributes = (await h.clients.elbv2.send(new elbv2.DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: lb.LoadBalancerArn }))).Attributes!;
  assert.equal(attributes.find((a) => a.Key === 'load_balancing.cross_zone.enabled')?.Value, 'true', 'as kops, when nodes reach the API through it');
  const zones = (await h.clients.route53.send(new ListHostedZonesCommand({}))).HostedZones!;
  for (const zone of zones) {
    const records = (await h.clients.route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zone.Id }))).ResourceRecordSets!;
    assert.equal(records.filter((r) => r.Name?.includes(NAME)).length, 0, `no record for ${NAME} in ${zone.Name}`);
  }
  assert.equal((await apiServerUrl(cluster, h.clients)).url, `https://${lb.DNSName}`);
});
