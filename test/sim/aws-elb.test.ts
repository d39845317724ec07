// Elastic Load Balancing (v2 and classic) through the real SDK clients: a
// kops-style network load balancer, target health through its states with the
// health-check thresholds and the deregistration delay, auto scaling groups
// registering their in-service instances and deregistering those that leave,
// classic ELB registration with connection draining, AWS's error codes, and
// the whole of it kept across a restart.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import * as as from '@aws-sdk/client-auto-scaling';
import * as elbv2 from '@aws-sdk/client-elastic-load-balancing-v2';
import * as elb from '@aws-sdk/client-elastic-load-balancing';
import { createGroup, createNetworkAndTemplate, rejection, startFixture, tempDir, waitFor, type SimFixture } from '../helpers/sim-aws.js';
import { createNetworkLoadBalancer, elbClients, targetStates, type ElbClients } from './elb-helpers.js';

type Net = Awaited<ReturnType<typeof createNetworkAndTemplate>>;

async function inService(f: SimFixture, name: string, count: number): Promise<string[]> {
  return waitFor(`${count} InService instances in ${name}`, async () => {
    const out = await f.asg.send(new as.DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }));
    const live = (out.AutoScalingGroups?.[0]?.Instances ?? []).filter((i) => i.LifecycleState === 'InService');
    return live.length === count ? live.map((i) => i.InstanceId!) : undefined;
  });
}

describe('simulated Elastic Load Balancing v2', () => {
  let f: SimFixture;
  let c: ElbClients;
  let net: Net;
  before(async () => {
    f = await startFixture({ speed: 100 });
    c = elbClients(f);
    net = await createNetworkAndTemplate(f);
  });
  after(async () => {
    c.destroy();
    await f.close();
  });

  it('lays out a network load balancer as kops does: load balancer, target group, listener; creating again with the same settings is a no-op', async () => {
    const nlb = await createNetworkLoadBalancer(f, c, { name: 'api-test-example-com-a1b2c3', vpcId: net.vpcId, subnetIds: net.subnetIds, tags: { KubernetesCluster: 'test.example.com', Name: 'api.test.example.com' } });
    const [lb] = (await c.elbv2.send(new elbv2.DescribeLoadBalancersCommand({ LoadBalancerArns: [nlb.loadBalancerArn] }))).LoadBalancers!;
    assert.equal(lb.Type, 'network');
    assert.equal(lb.Scheme, 'internet-facing');
    assert.equal(lb.VpcId, net.vpcId);
    assert.match(lb.DNSName!, /^api-test-example-com-a1b2c3-[0-9a-f]{16}\.elb\.us-east-1\.amazonaws\.com$/);
    assert.equal(lb.CanonicalHostedZoneId, 'Z26RNL4JYFTOTI');
    assert.deepEqual(lb.AvailabilityZones!.map((z) => z.ZoneName).sort(), ['us-east-1a', 'us-east-1b', 'us-east-1c']);
    assert.equal(lb.State?.Code, 'provisioning');
    await waitFor('the load balancer to be active', async () => (await c.elbv2.send(new elbv2.DescribeLoadBalancersCommand({ Names: [lb.LoadBalancerName!] }))).LoadBalancers![0].State?.Code === 'active');

    const [tg] = (await c.elbv2.send(new elbv2.DescribeTargetGroupsCommand({ LoadBalancerArn: nlb.loadBalancerArn }))).TargetGroups!;
    assert.equal(tg.TargetGroupArn, nlb.targetGroupArn);
    assert.deepEqual([tg.Protocol, tg.Port, tg.HealthCheckProtocol, tg.HealthCheckIntervalSeconds, tg.HealthyThresholdCount, tg.TargetType], ['TCP', 443, 'TCP', 10, 2, 'instance']);
    assert.deepEqual(tg.LoadBalancerArns, [nlb.loadBalancerArn]);
    const attributes = (await c.elbv2.send(new elbv2.DescribeTargetGroupAttributesCommand({ TargetGroupArn: tg.TargetGroupArn }))).Attributes!;
    assert.equal(attributes.find((a) => a.Key === 'deregistration_delay.timeout_seconds')?.Value, '30');
    const [listener] = (await c.elbv2.send(new elbv2.DescribeListenersCommand({ LoadBalancerArn: nlb.loadBalancerArn }))).Listeners!;
    assert.deepEqual([listener.Protocol, listener.Port, listener.DefaultActions?.[0].TargetGroupArn], ['TCP', 443, nlb.targetGroupArn]);
    const tags = (await c.elbv2.send(new elbv2.DescribeTagsCommand({ ResourceArns: [nlb.loadBalancerArn, nlb.targetGroupArn] }))).TagDescriptions!;
    assert.deepEqual(tags.map((t) => t.Tags?.find((x) => x.Key === 'KubernetesCluster')?.Value), ['test.example.com', 'test.example.com']);

    // The same request again returns what exists (as AWS: create is idempotent); other settings are refused.
    const again = await c.elbv2.send(new elbv2.CreateLoadBalancerCommand({ Name: lb.LoadBalancerName, Type: 'network', Subnets: net.subnetIds, SecurityGroups: lb.SecurityGroups }));
    assert.equal(again.LoadBalancers![0].LoadBalancerArn, nlb.loadBalancerArn);
    const clash = await rejection(() => c.elbv2.send(new elbv2.CreateLoadBalancerCommand({ Name: lb.LoadBalancerName, Type: 'network', Subnets: net.subnetIds.slice(0, 1) })));
    assert.equal(clash.name, 'DuplicateLoadBalancerNameException');
    const fresh = await c.elbv2.send(new elbv2.CreateTargetGroupCommand({ Name: 'fresh-defaults', Protocol: 'TCP', Port: 80, VpcId: net.vpcId }));
    const defaults = (await c.elbv2.send(new elbv2.DescribeTargetGroupAttributesCommand({ TargetGroupArn: fresh.TargetGroups![0].TargetGroupArn }))).Attributes!;
    assert.equal(defaults.find((a) => a.Key === 'deregistration_delay.timeout_seconds')?.Value, '300', 'AWS default delay');
    const badDelay = await rejection(() =>
      c.elbv2.send(new elbv2.ModifyTargetGroupAttributesCommand({ TargetGroupArn: fresh.TargetGroups![0].TargetGroupArn, Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '4000' }] })),
    );
    assert.equal(badDelay.name, 'ValidationError');
  });

  it('a registered target is initial through its health checks, healthy after the threshold, draining for the delay, then gone', async () => {
    // 30 s checks, healthy after 5: 150 simulated seconds of `initial` (1.5 s of wall time at speed 100).
    const nlb = await createNetworkLoadBalancer(f, c, { name: 'health', vpcId: net.vpcId, subnetIds: net.subnetIds, intervalSeconds: 30, healthyThreshold: 5, deregistrationDelaySeconds: 60 });
    const group = await createGroup(f, net, 1, 'health.example.com', 'nodes');
    const [id] = await inService(f, group, 1);
    const described = (await c.elbv2.send(new elbv2.DescribeTargetHealthCommand({ TargetGroupArn: nlb.targetGroupArn, Targets: [{ Id: id }] }))).TargetHealthDescriptions!;
    assert.equal(described[0].TargetHealth?.State, 'unused', 'not in the target group until it is registered');
    assert.equal(described[0].TargetHealth?.Reason, 'Target.NotRegistered');
    await c.elbv2.send(new elbv2.RegisterTargetsCommand({ TargetGroupArn: nlb.targetGroupArn, Targets: [{ Id: id }] }));
    const first = (await c.elbv2.send(new elbv2.DescribeTargetHealthCommand({ TargetGroupArn: nlb.targetGroupArn }))).TargetHealthDescriptions!;
    assert.deepEqual([first[0].Target?.Id, first[0].Target?.Port, first[0].TargetHealth?.State], [id, 443, 'initial']);
    assert.equal(first[0].TargetHealth?.Reason, 'Elb.RegistrationInProgress');
    await waitFor('the target to be healthy', async () => (await targetStates(c, nlb.targetGroupArn)).get(id) === 'healthy');

    await c.elbv2.send(new elbv2.DeregisterTargetsCommand({ TargetGroupArn: nlb.targetGroupArn, Targets: [{ Id: id }] }));
    const draining = (await c.elbv2.send(new elbv2.DescribeTargetHealthCommand({ TargetGroupArn: nlb.targetGroupArn }))).TargetHealthDescriptions!;
    assert.deepEqual([draining[0].TargetHealth?.State, draining[0].TargetHealth?.Reason], ['draining', 'Target.DeregistrationInProgress']);
    // Deregistering a draining target again changes nothing, as on AWS.
    await c.elbv2.send(new elbv2.DeregisterTargetsCommand({ TargetGroupArn: nlb.targetGroupArn, Targets: [{ Id: id }] }));
    await waitFor('the drained target to be gone', async () => (await targetStates(c, nlb.targetGroupArn)).size === 0);
    const asked = (await c.elbv2.send(new elbv2.DescribeTargetHealthCommand({ TargetGroupArn: nlb.targetGroupArn, Targets: [{ Id: id }] }))).TargetHealthDescriptions!;
    assert.deepEqual([asked[0].TargetHealth?.State, asked[0].TargetHealth?.Reason], ['unused', 'Target.NotRegistered']);
  });

  it('an auto scaling group registers its instances as they go InService and deregisters (drains) those it terminates or detaches', async () => {
    const nlb = await createNetworkLoadBalancer(f, c, { name: 'asg-members', vpcId: net.vpcId, subnetIds: net.subnetIds, deregistrationDelaySeconds: 120 });
    const name = 'members.asg.example.com';
    await f.asg.send(
      new as.CreateAutoScalingGroupCommand({
        AutoScalingGroupName: name,
        LaunchTemplate: { LaunchTemplateId: net.templateId, Version: '$Latest' },
        MinSize: 0,
        MaxSize: 5,
        DesiredCapacity: 3,
        VPCZoneIdentifier: net.subnetIds.join(','),
        TargetGroupARNs: [nlb.targetGroupArn],
      }),
    );
    const described = (await f.asg.send(new as.DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }))).AutoScalingGroups![0];
    assert.deepEqual(described.TargetGroupARNs, [nlb.targetGroupArn]);
    assert.deepEqual(described.LoadBalancerNames, []);
    assert.equal((await targetStates(c, nlb.targetGroupArn)).size, 0, 'nothing registered while the instances boot');
    const members = await inService(f, name, 3);
    await waitFor('every member healthy', async () => {
      const states = await targetStates(c, nlb.targetGroupArn);
      return members.every((id) => states.get(id) === 'healthy');
    });
    const attached = (await f.asg.send(new as.DescribeLoadBalancerTargetGroupsCommand({ AutoScalingGroupName: name }))).LoadBalancerTargetGroups!;
    assert.deepEqual(attached.map((t) => [t.LoadBalancerTargetGroupARN, t.State]), [[nlb.targetGroupArn, 'InService']]);
    const [terminated, detached] = members;
    await f.asg.send(new as.TerminateInstanceInAutoScalingGroupCommand({ InstanceId: terminated, ShouldDecrementDesiredCapacity: false }));
    await f.asg.send(new as.DetachInstancesCommand({ AutoScalingGroupName: name, InstanceIds: [detached], ShouldDecrementDesiredCapacity: false }));
    const leaving = await targetStates(c, nlb.targetGroupArn);
    assert.equal(leaving.get(terminated), 'draining');
    assert.equal(leaving.get(detached), 'draining');
    assert.equal(leaving.get(members[2]), 'healthy');
    // Their replacements are registered as they go InService and become healthy.
    await waitFor('two replacements registered and healthy, the drained ones gone', async () => {
      const states = await targetStates(c, nlb.targetGroupArn);
      const healthy = [...states].filter(([, s]) => s === 'healthy').map(([id]) => id);
      return !states.has(terminated) && !states.has(detached) && healthy.length === 3 && healthy.includes(members[2]);
    }, 15_000);

    await f.asg.send(new as.DetachLoadBalancerTargetGroupsCommand({ AutoScalingGroupName: name, TargetGroupARNs: [nlb.targetGroupArn] }));
    assert.ok([...(await targetStates(c, nlb.targetGroupArn)).values()].every((s) => s === 'draining'), 'detaching the target group drains every member');
    assert.deepEqual((await f.asg.send(new as.DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }))).AutoScalingGroups![0].TargetGroupARNs, []);
    await f.asg.send(new as.AttachLoadBalancerTargetGroupsCommand({ AutoScalingGroupName: name, TargetGroupARNs: [nlb.targetGroupArn] }));
    const reattached = await targetStates(c, nlb.targetGroupArn);
    assert.equal([...reattached.values()].filter((s) => s === 'initial').length, 3, 'attaching registers the in-service members again');
    const unknown = await rejection(() => f.asg.send(new as.AttachLoadBalancerTargetGroupsCommand({ AutoScalingGroupName: name, TargetGroupARNs: [`${nlb.targetGroupArn}0`] })));
    assert.equal(unknown.name, 'ValidationError');
  });

  it('answers with AWS error codes: unknown ARNs, instances that cannot be targets, groups in use, listeners that clash', async () => {
    const nlb = await createNetworkLoadBalancer(f, c, { name: 'errors', vpcId: net.vpcId, subnetIds: net.subnetIds });
    const missingGroup = nlb.targetGroupArn.replace(/[0-9a-f]{16}$/, '0000000000000000');
    assert.equal((await rejection(() => c.elbv2.send(new elbv2.DescribeTargetHealthCommand({ TargetGroupArn: missingGroup })))).name, 'TargetGroupNotFoundException');
    assert.equal((await rejection(() => c.elbv2.send(new elbv2.DeregisterTargetsCommand({ TargetGroupArn: missingGroup, Targets: [{ Id: 'i-0123' }] })))).name, 'TargetGroupNotFoundException');
    assert.equal((await rejection(() => c.elbv2.send(new elbv2.DescribeTargetGroupsCommand({ Names: ['no-such-group'] })))).name, 'TargetGroupNotFoundException');
    const missingLb = nlb.loadBalancerArn.replace(/[0-9a-f]{16}$/, '0000000000000000');
    assert.equal((await rejection(() => c.elbv2.send(new elbv2.DescribeLoadBalancersCommand({ LoadBalancerArns: [missingLb] })))).name, 'LoadBalancerNotFoundException');
    assert.equal((await rejection(() => c.elbv2.send(new elbv2.DescribeListenersCommand({ ListenerArns: [`${nlb.listenerArn}0`] })))).name, 'ListenerNotFoundException');
    assert.equal((await rejection(() => c.elbv2.send(new elbv2.RegisterTargetsCommand({ TargetGroupArn: nlb.targetGroupArn, Targets: [{ Id: 'i-00000000000000000' }] })))).name, 'InvalidTargetException');
    const group = await createGroup(f, net, 1, 'errors.example.com', 'nodes');
    const pending = await waitFor('a pending member', async () => (await f.asg.send(new as.DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [group] }))).AutoScalingGroups![0].Instances?.[0]);
    // Booting takes 20 simulated seconds (200 ms of wall time): it is still pending.
    assert.equal(pending.LifecycleState, 'Pending');
    const early = await rejection(() => c.elbv2.send(new elbv2.RegisterTargetsCommand({ TargetGroupArn: nlb.targetGroupArn, Targets: [{ Id: pending.InstanceId }] })));
    assert.equal(early.name, 'InvalidTargetException');
    assert.match(early.message, /not in a running state/);
    assert.equal((await rejection(() => c.elbv2.send(new elbv2.DeleteTargetGroupCommand({ TargetGroupArn: nlb.targetGroupArn })))).name, 'ResourceInUseException');
    const clash = await c.elbv2.send(new elbv2.CreateTargetGroupCommand({ Name: 'errors-other', Protocol: 'TCP', Port: 8443, VpcId: net.vpcId }));
    const duplicate = await rejection(() =>
      c.elbv2.send(new elbv2.CreateListenerCommand({ LoadBalancerArn: nlb.loadBalancerArn, Protocol: 'TCP', Port: 443, DefaultActions: [{ Type: 'forward', TargetGroupArn: clash.TargetGroups![0].TargetGroupArn }] })),
    );
    assert.equal(duplicate.name, 'DuplicateListenerException');
    const other = await createNetworkLoadBalancer(f, c, { name: 'errors-2', vpcId: net.vpcId, subnetIds: net.subnetIds });
    const shared = await rejection(() =>
      c.elbv2.send(new elbv2.CreateListenerCommand({ LoadBalancerArn: other.loadBalancerArn, Protocol: 'TCP', Port: 8443, DefaultActions: [{ Type: 'forward', TargetGroupArn: nlb.targetGroupArn }] })),
    );
    assert.equal(shared.name, 'TargetGroupAssociationLimitException');
    const http = await c.elbv2.send(new elbv2.CreateTargetGroupCommand({ Name: 'errors-http', Protocol: 'HTTP', Port: 80, VpcId: net.vpcId }));
    const incompatible = await rejection(() =>
      c.elbv2.send(new elbv2.CreateListenerCommand({ LoadBalancerArn: other.loadBalancerArn, Protocol: 'TCP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: http.TargetGroups![0].TargetGroupArn }] })),
    );
    assert.equal(incompatible.name, 'IncompatibleProtocolsException');
    const oneZone = await rejection(() => c.elbv2.send(new elbv2.CreateLoadBalancerCommand({ Name: 'alb-one-zone', Type: 'application', Subnets: net.subnetIds.slice(0, 1) })));
    assert.equal(oneZone.name, 'ValidationError');
    const badSubnet = await rejection(() => c.elbv2.send(new elbv2.CreateLoadBalancerCommand({ Name: 'bad-subnet', Type: 'network', Subnets: ['subnet-0000000000000000f'] })));
    assert.equal(badSubnet.name, 'SubnetNotFoundException');
    // Deleting what is not there succeeds, as AWS answers.
    await c.elbv2.send(new elbv2.DeleteLoadBalancerCommand({ LoadBalancerArn: missingLb }));
    const unknownAsgTargetGroup = await rejection(() =>
      f.asg.send(
        new as.CreateAutoScalingGroupCommand({ AutoScalingGroupName: 'bad-tg', LaunchTemplate: { LaunchTemplateId: net.templateId }, MinSize: 0, MaxSize: 1, VPCZoneIdentifier: net.subnetIds[0], TargetGroupARNs: [missingGroup] }),
      ),
    );
    assert.equal(unknownAsgTargetGroup.name, 'ValidationError');
  });
});

describe('simulated classic Elastic Load Balancing', () => {
  let f: SimFixture;
  let c: ElbClients;
  let net: Net;
  before(async () => {
    f = await startFixture({ speed: 100 });
    c = elbClients(f);
    net = await createNetworkAndTemplate(f);
  });
  after(async () => {
    c.destroy();
    await f.close();
  });

  it('registers a group\'s instances, reports them in service after the healthy threshold, and drains a deregistered one for the connection-draining timeout', async () => {
    const created = await c.elb.send(
      new elb.CreateLoadBalancerCommand({ LoadBalancerName: 'classic-web', Listeners: [{ Protocol: 'TCP', LoadBalancerPort: 80, InstancePort: 30080 }], Subnets: net.subnetIds }),
    );
    assert.match(created.DNSName!, /^classic-web-\d{10}\.us-east-1\.elb\.amazonaws\.com$/);
    const attributes = (await c.elb.send(new elb.DescribeLoadBalancerAttributesCommand({ LoadBalancerName: 'classic-web' }))).LoadBalancerAttributes!;
    assert.deepEqual(attributes.ConnectionDraining, { Enabled: false, Timeout: 300 });
    await c.elb.send(new elb.ConfigureHealthCheckCommand({ LoadBalancerName: 'classic-web', HealthCheck: { Target: 'TCP:30080', Interval: 30, Timeout: 5, UnhealthyThreshold: 2, HealthyThreshold: 5 } }));
    await c.elb.send(new elb.ModifyLoadBalancerAttributesCommand({ LoadBalancerName: 'classic-web', LoadBalancerAttributes: { ConnectionDraining: { Enabled: true, Timeout: 60 } } }));

    const group = await createGroup(f, net, 2, 'classic.example.com', 'nodes');
    await f.asg.send(new as.AttachLoadBalancersCommand({ AutoScalingGroupName: group, LoadBalancerNames: ['classic-web'] }));
    const members = await inService(f, group, 2);
    assert.deepEqual((await f.asg.send(new as.DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [group] }))).AutoScalingGroups![0].LoadBalancerNames, ['classic-web']);
    const health = async () => (await c.elb.send(new elb.DescribeInstanceHealthCommand({ LoadBalancerName: 'classic-web' }))).InstanceStates ?? [];
    const registering = await waitFor('both members registered', async () => ((await health()).length === 2 ? health() : undefined));
    assert.ok(registering.every((s) => s.State === 'OutOfService' && s.Description === 'Instance registration is still in progress.'), JSON.stringify(registering));
    await waitFor('both members InService', async () => (await health()).every((s) => s.State === 'InService'));
    const described = (await c.elb.send(new elb.DescribeLoadBalancersCommand({ LoadBalancerNames: ['classic-web'] }))).LoadBalancerDescriptions![0];
    assert.deepEqual(described.Instances!.map((i) => i.InstanceId).sort(), [...members].sort());

    const [leaving] = members;
    await c.elb.send(new elb.DeregisterInstancesFromLoadBalancerCommand({ LoadBalancerName: 'classic-web', Instances: [{ InstanceId: leaving }] }));
    const draining = (await health()).find((s) => s.InstanceId === leaving)!;
    assert.deepEqual([draining.State, draining.Description], ['InService', 'Instance deregistration currently in progress.']);
    await waitFor('the deregistered instance gone after its draining', async () => !(await health()).some((s) => s.InstanceId === leaving));
    const asked = (await c.elb.send(new elb.DescribeInstanceHealthCommand({ LoadBalancerName: 'classic-web', Instances: [{ InstanceId: leaving }] }))).InstanceStates![0];
    assert.deepEqual([asked.State, asked.Description], ['OutOfService', 'Instance is not currently registered with the LoadBalancer.']);
    const notRegistered = await rejection(() => c.elb.send(new elb.DeregisterInstancesFromLoadBalancerCommand({ LoadBalancerName: 'classic-web', Instances: [{ InstanceId: leaving }] })));
    assert.equal(notRegistered.name, 'InvalidEndPointException');
    const missing = await rejection(() => c.elb.send(new elb.DescribeInstanceHealthCommand({ LoadBalancerName: 'no-such-elb' })));
    assert.equal(missing.name, 'AccessPointNotFoundException');
    assert.match(missing.message, /There is no ACTIVE Load Balancer named 'no-such-elb'/);
  });
});

describe('load balancers across a restart', () => {
  it('keeps load balancers, target groups, listeners and registrations, with a drain in progress finishing after the restart', async () => {
    const dir = tempDir();
    try {
      const first = await startFixture({ dir, speed: 100 }, true);
      const firstClients = elbClients(first);
      const net = await createNetworkAndTemplate(first);
      const nlb = await createNetworkLoadBalancer(first, firstClients, { name: 'restart', vpcId: net.vpcId, subnetIds: net.subnetIds, deregistrationDelaySeconds: 90 });
      const group = await createGroup(first, net, 2, 'restart.example.com', 'nodes');
      await first.asg.send(new as.AttachLoadBalancerTargetGroupsCommand({ AutoScalingGroupName: group, TargetGroupARNs: [nlb.targetGroupArn] }));
      const members = await inService(first, group, 2);
      await waitFor('both registered', async () => (await targetStates(firstClients, nlb.targetGroupArn)).size === 2);
      await firstClients.elbv2.send(new elbv2.DeregisterTargetsCommand({ TargetGroupArn: nlb.targetGroupArn, Targets: [{ Id: members[0] }] }));
      firstClients.destroy();
      await first.close();

      const second = await startFixture({ dir, speed: 100 }, true);
      const secondClients = elbClients(second);
      try {
        const [listener] = (await secondClients.elbv2.send(new elbv2.DescribeListenersCommand({ LoadBalancerArn: nlb.loadBalancerArn }))).Listeners!;
        assert.equal(listener.ListenerArn, nlb.listenerArn);
        const states = await targetStates(secondClients, nlb.targetGroupArn);
        assert.equal(states.get(members[0]), 'draining', 'still draining after the restart');
        assert.ok(['initial', 'healthy'].includes(states.get(members[1])!));
        await waitFor('the drain to end after the restart', async () => !(await targetStates(secondClients, nlb.targetGroupArn)).has(members[0]));
        const asg = (await second.asg.send(new as.DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [group] }))).AutoScalingGroups![0];
        assert.deepEqual(asg.TargetGroupARNs, [nlb.targetGroupArn]);
      } finally {
        secondClients.destroy();
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
