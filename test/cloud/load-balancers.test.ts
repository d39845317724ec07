// Taking instances out of their load balancers, against the simulator through
// the real SDK clients: the group's target groups and classic ELBs, the API
// load balancer's target groups for a control plane, the wait for draining on
// the engine clock, putting them back, and failures that name the balancer.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as as from '@aws-sdk/client-auto-scaling';
import * as elbv2 from '@aws-sdk/client-elastic-load-balancing-v2';
import * as elb from '@aws-sdk/client-elastic-load-balancing';
import { scaledClock } from '../../src/engine/clock.js';
import { LoadBalancerDeregistrationError, putBackIntoLoadBalancers, takeOutOfLoadBalancers, type LoadBalancerClients } from '../../src/engine/cloud/aws/load-balancers.js';
import { createGroup, createNetworkAndTemplate, rejection, startFixture, waitFor, type SimFixture } from '../helpers/sim-aws.js';
import { createNetworkLoadBalancer, elbClients, targetStates, type ElbClients } from '../sim/elb-helpers.js';

const SPEED = 100;
const clock = scaledClock(SPEED);

async function inService(f: SimFixture, name: string, count: number): Promise<string[]> {
  return waitFor(`${count} InService in ${name}`, async () => {
    const out = await f.asg.send(new as.DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }));
    const live = (out.AutoScalingGroups?.[0]?.Instances ?? []).filter((i) => i.LifecycleState === 'InService');
    return live.length === count ? live.map((i) => i.InstanceId!) : undefined;
  });
}

async function classicStates(c: ElbClients, name: string): Promise<Map<string, string>> {
  const out = await c.elb.send(new elb.DescribeInstanceHealthCommand({ LoadBalancerName: name }));
  return new Map((out.InstanceStates ?? []).map((s) => [s.InstanceId!, `${s.State}${/deregistration/.test(s.Description ?? '') ? ' (deregistering)' : ''}`]));
}

describe('taking instances out of their load balancers', () => {
  let f: SimFixture;
  let c: ElbClients;
  let clients: LoadBalancerClients;
  let net: Awaited<ReturnType<typeof createNetworkAndTemplate>>;
  before(async () => {
    f = await startFixture({ speed: SPEED });
    c = elbClients(f);
    clients = { autoscaling: f.asg, elbv2: c.elbv2, elb: c.elb };
    net = await createNetworkAndTemplate(f, 'lb.example.com', 'nodes');
  });
  after(async () => {
    c.destroy();
    await f.close();
  });

  it("deregisters from the group's target groups and classic ELBs together, waits until drained, and can put them back", async () => {
    const nlb = await createNetworkLoadBalancer(f, c, { name: 'nodes-nlb', vpcId: net.vpcId, subnetIds: net.subnetIds, deregistrationDelaySeconds: 40 });
    await c.elb.send(new elb.CreateLoadBalancerCommand({ LoadBalancerName: 'nodes-elb', Listeners: [{ Protocol: 'TCP', LoadBalancerPort: 80, InstancePort: 30080 }], Subnets: net.subnetIds }));
    await c.elb.send(new elb.ConfigureHealthCheckCommand({ LoadBalancerName: 'nodes-elb', HealthCheck: { Target: 'TCP:30080', Interval: 10, Timeout: 5, UnhealthyThreshold: 2, HealthyThreshold: 2 } }));
    await c.elb.send(new elb.ModifyLoadBalancerAttributesCommand({ LoadBalancerName: 'nodes-elb', LoadBalancerAttributes: { ConnectionDraining: { Enabled: true, Timeout: 50 } } }));
    const group = await createGroup(f, net, 3, 'lb.example.com', 'nodes');
    await f.asg.send(new as.AttachLoadBalancerTargetGroupsCommand({ AutoScalingGroupName: group, TargetGroupARNs: [nlb.targetGroupArn] }));
    await f.asg.send(new as.AttachLoadBalancersCommand({ AutoScalingGroupName: group, LoadBalancerNames: ['nodes-elb'] }));
    const members = await inService(f, group, 3);
    await waitFor('all healthy and in service', async () => {
      const [tg, classic] = await Promise.all([targetStates(c, nlb.targetGroupArn), classicStates(c, 'nodes-elb')]);
      return members.every((id) => tg.get(id) === 'healthy' && classic.get(id) === 'InService');
    });
    const leaving = members.slice(0, 2);
    const seen: { names: string[]; tg: Map<string, string>; classic: Map<string, string> }[] = [];
    const taken = await takeOutOfLoadBalancers(clients, {
      clock,
      groupName: group,
      instanceIds: leaving,
      onDraining: (found) => {
        void Promise.all([targetStates(c, nlb.targetGroupArn), classicStates(c, 'nodes-elb')]).then(([tg, classic]) => seen.push({ names: found.names, tg, classic }));
      },
    });
    assert.equal(seen.length, 1);
    assert.deepEqual(seen[0].names.sort(), ['classic load balancer nodes-elb', `target group tcp-nodes-nlb`]);
    for (const id of leaving) {
      assert.equal(seen[0].tg.get(id), 'draining', 'deregistered before the wait');
      assert.equal(seen[0].classic.get(id), 'InService (deregistering)');
      assert.deepEqual(taken.taken.get(id), { targetGroups: [{ arn: nlb.targetGroupArn, port: 443 }], classic: ['nodes-elb'] });
      assert.deepEqual(taken.drainedFrom.get(id)?.sort(), ['classic load balancer nodes-elb', 'target group tcp-nodes-nlb']);
    }
    const [tg, classic] = await Promise.all([targetStates(c, nlb.targetGroupArn), classicStates(c, 'nodes-elb')]);
    assert.deepEqual([...tg.keys()], [members[2]], 'drained: only the one left is listed');
    assert.deepEqual([...classic.keys()], [members[2]]);

    await putBackIntoLoadBalancers(clients, taken.taken);
    const back = await targetStates(c, nlb.targetGroupArn);
    assert.deepEqual(leaving.map((id) => back.get(id)), ['initial', 'initial']);
    const classicBack = await classicStates(c, 'nodes-elb');
    assert.deepEqual(leaving.map((id) => classicBack.get(id)), ['OutOfService', 'OutOfService'], 'registered again, health checks starting over');
  });

  it("for a control plane, also the API load balancer's target groups the instance is registered in; a group without load balancers has nothing to do", async () => {
    const cluster = 'lb.example.com';
    const api = await createNetworkLoadBalancer(f, c, {
      name: 'api-lb-example-com',
      vpcId: net.vpcId,
      subnetIds: net.subnetIds,
      deregistrationDelaySeconds: 20,
      tags: { KubernetesCluster: cluster, Name: `api.${cluster}`, [`kubernetes.io/cluster/${cluster}`]: 'owned' },
    });
    const group = await createGroup(f, net, 1, cluster, 'control-plane');
    const [id] = await inService(f, group, 1);
    await c.elbv2.send(new elbv2.RegisterTargetsCommand({ TargetGroupArn: api.targetGroupArn, Targets: [{ Id: id }] }));
    const none = await takeOutOfLoadBalancers(clients, { clock, groupName: group, instanceIds: [id] });
    assert.deepEqual(none.taken.get(id), { targetGroups: [], classic: [] }, 'without the API load balancer asked for, the group has none');
    assert.ok(['initial', 'healthy'].includes((await targetStates(c, api.targetGroupArn)).get(id)!), 'left registered');
    const taken = await takeOutOfLoadBalancers(clients, { clock, groupName: group, instanceIds: [id], apiLoadBalancerOf: cluster });
    assert.deepEqual(taken.taken.get(id), { targetGroups: [{ arn: api.targetGroupArn, port: 443 }], classic: [] });
    assert.equal((await targetStates(c, api.targetGroupArn)).has(id), false);
  });

  it('an instance already draining (detached by a surge) is waited for and not listed as taken out', async () => {
    const nlb = await createNetworkLoadBalancer(f, c, { name: 'surge-nlb', vpcId: net.vpcId, subnetIds: net.subnetIds, deregistrationDelaySeconds: 30 });
    const group = await createGroup(f, net, 2, 'surge.example.com', 'nodes');
    await f.asg.send(new as.AttachLoadBalancerTargetGroupsCommand({ AutoScalingGroupName: group, TargetGroupARNs: [nlb.targetGroupArn] }));
    const [detached] = await inService(f, group, 2);
    await f.asg.send(new as.DetachInstancesCommand({ AutoScalingGroupName: group, InstanceIds: [detached], ShouldDecrementDesiredCapacity: false }));
    assert.equal((await targetStates(c, nlb.targetGroupArn)).get(detached), 'draining');
    const taken = await takeOutOfLoadBalancers(clients, { clock, groupName: group, instanceIds: [detached] });
    assert.deepEqual(taken.taken.get(detached), { targetGroups: [], classic: [] });
    assert.deepEqual(taken.drainedFrom.get(detached), ['target group tcp-surge-nlb'], 'waited for');
    assert.equal((await targetStates(c, nlb.targetGroupArn)).has(detached), false, 'returned once its draining ended');
  });

  it('fails naming the load balancer: a target group deleted under its group, or draining longer than the bound', async () => {
    const nlb = await createNetworkLoadBalancer(f, c, { name: 'gone-nlb', vpcId: net.vpcId, subnetIds: net.subnetIds, deregistrationDelaySeconds: 300 });
    const group = await createGroup(f, net, 1, 'gone.example.com', 'nodes');
    await f.asg.send(new as.AttachLoadBalancerTargetGroupsCommand({ AutoScalingGroupName: group, TargetGroupARNs: [nlb.targetGroupArn] }));
    const [id] = await inService(f, group, 1);
    const slow = await rejection(() => takeOutOfLoadBalancers(clients, { clock, groupName: group, instanceIds: [id], timeoutMs: 20_000 }));
    assert.ok(slow instanceof LoadBalancerDeregistrationError);
    assert.match(slow.message, new RegExp(`connection draining did not finish within 20s: ${id} still draining in target group tcp-gone-nlb`));

    await c.elbv2.send(new elbv2.DeleteListenerCommand({ ListenerArn: nlb.listenerArn }));
    await c.elbv2.send(new elbv2.DeleteTargetGroupCommand({ TargetGroupArn: nlb.targetGroupArn }));
    const gone = await rejection(() => takeOutOfLoadBalancers(clients, { clock, groupName: group, instanceIds: [id] }));
    assert.ok(gone instanceof LoadBalancerDeregistrationError);
    assert.match(gone.message, /could not read target group tcp-gone-nlb .*TargetGroupNotFound/);
  });
});
