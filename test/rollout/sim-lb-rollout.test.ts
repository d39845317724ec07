// A rolling update on the simulator with load balancers laid out as kops lays
// them out: an API network load balancer whose target group the control-plane
// groups are attached to (target_group_arns in kops' Terraform), and a node
// group attached to a target group of its own. Each replaced instance is out
// of its target group (and its node labelled) before its drain starts; the
// replacements end up registered and healthy. A target group deleted under
// its group stops the rollout with the reason, the node left cordoned.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as as from '@aws-sdk/client-auto-scaling';
import * as elbv2 from '@aws-sdk/client-elastic-load-balancing-v2';
import { CreateSecurityGroupCommand, DescribeSubnetsCommand } from '@aws-sdk/client-ec2';
import { EXCLUDE_FROM_LOAD_BALANCERS } from '../../src/engine/kube/node-labels.js';
import type { KubeNode } from '../../src/engine/kube/types.js';
import { readJournal } from '../../src/engine/rollout/journal.js';
import { startRollout } from '../../src/engine/rollout/run-rollout.js';
import type { RolloutEvent } from '../../src/engine/rollout/types.js';
import { startRolloutHarness, until, type RolloutHarness } from '../helpers/sim-rollout.js';

let h: RolloutHarness;
let subnets: { vpcId: string; ids: string[] };

before(async () => {
  h = await startRolloutHarness({ speed: 200, name: 'lb.k8s.local', controlPlaneCount: 3, nodeCount: 3 });
  const out = await h.clients.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'tag:KubernetesCluster', Values: [h.name] }] }));
  subnets = { vpcId: out.Subnets![0].VpcId!, ids: out.Subnets!.map((s) => s.SubnetId!) };
});
after(async () => h?.close());

/** kops' names, which kopsdeck gives its groups: `<ig>.masters.<cluster>` for the control plane. */
const groupName = (ig: string) => (ig.startsWith('control-plane-') ? `${ig}.masters.${h.name}` : `${ig}.${h.name}`);

/** A network load balancer with one TCP target group (10 s checks, healthy after 2, 30 s deregistration delay: kops' settings), attached to the groups. */
async function loadBalancerFor(name: string, port: number, igs: string[], tags: Record<string, string> = {}) {
  const elb = h.clients.elbv2;
  const group = await h.clients.ec2.send(new CreateSecurityGroupCommand({ GroupName: `${name}-lb`, Description: `${name} load balancer`, VpcId: subnets.vpcId }));
  const tagList = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
  const lb = await elb.send(new elbv2.CreateLoadBalancerCommand({ Name: name, Type: 'network', Subnets: subnets.ids, SecurityGroups: [group.GroupId!], Tags: tagList.length ? tagList : undefined }));
  const tg = await elb.send(
    new elbv2.CreateTargetGroupCommand({ Name: `tcp-${name}`, Protocol: 'TCP', Port: port, VpcId: subnets.vpcId, HealthCheckIntervalSeconds: 10, HealthyThresholdCount: 2, UnhealthyThresholdCount: 2 }),
  );
  const targetGroupArn = tg.TargetGroups![0].TargetGroupArn!;
  await elb.send(new elbv2.ModifyTargetGroupAttributesCommand({ TargetGroupArn: targetGroupArn, Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '30' }] }));
  const listener = await elb.send(
    new elbv2.CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancers![0].LoadBalancerArn, Protocol: 'TCP', Port: port, DefaultActions: [{ Type: 'forward', TargetGroupArn: targetGroupArn }] }),
  );
  for (const ig of igs) await h.clients.autoscaling.send(new as.AttachLoadBalancerTargetGroupsCommand({ AutoScalingGroupName: groupName(ig), TargetGroupARNs: [targetGroupArn] }));
  await until(`every instance of ${igs.join(', ')} healthy in ${name}`, async () => {
    const states = await targetStates(targetGroupArn);
    return states.size === igs.length && [...states.values()].every((s) => s === 'healthy') ? true : undefined;
  });
  return { targetGroupArn, listenerArn: listener.Listeners![0].ListenerArn! };
}

async function targetStates(targetGroupArn: string): Promise<Map<string, string>> {
  const out = await h.clients.elbv2.send(new elbv2.DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }));
  return new Map((out.TargetHealthDescriptions ?? []).map((d) => [d.Target!.Id!, d.TargetHealth!.State!]));
}

async function members(ig: string): Promise<string[]> {
  const out = await h.clients.autoscaling.send(new as.DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [groupName(ig)] }));
  return (out.AutoScalingGroups?.[0]?.Instances ?? []).filter((i) => i.LifecycleState === 'InService').map((i) => i.InstanceId!);
}

const instanceOf = (node: KubeNode) => node.spec?.providerID?.split('/').pop() ?? '';

test('each replaced instance is out of its target group, its node labelled, before its drain starts; the replacements end up healthy in it', async () => {
  const api = await loadBalancerFor('api-lb-k8s-local', 443, ['control-plane-us-east-1a', 'control-plane-us-east-1b', 'control-plane-us-east-1c'], {
    KubernetesCluster: h.name,
    Name: `api.${h.name}`,
    [`kubernetes.io/cluster/${h.name}`]: 'owned',
  });
  const nodes = await loadBalancerFor('nodes-ingress', 30080, ['nodes-us-east-1a']);
  const [controlPlane] = await members('control-plane-us-east-1a');
  const [worker] = await members('nodes-us-east-1a');
  const targetGroupOf = new Map([[controlPlane, api.targetGroupArn], [worker, nodes.targetGroupArn]]);

  // The target groups' history as a poller sees it: when each replaced instance was first seen draining (wall ms).
  const firstDraining = new Map<string, number>();
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      for (const arn of [api.targetGroupArn, nodes.targetGroupArn]) {
        for (const [id, state] of await targetStates(arn)) if (state === 'draining' && !firstDraining.has(id)) firstDraining.set(id, Date.now());
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();

  const connected = await h.connect();
  // What the cloud and the node look like the moment each drain starts.
  const atDrain = new Map<string, { at: number; labelled: boolean; state: string; reason?: string }>();
  const kube = connected.deps.kube!;
  const drain = kube.drain.bind(kube);
  kube.drain = async (nodeName, options) => {
    const node = await h.kube.request<KubeNode>('GET', `/api/v1/nodes/${encodeURIComponent(nodeName)}`);
    const id = instanceOf(node);
    const health = await h.clients.elbv2.send(new elbv2.DescribeTargetHealthCommand({ TargetGroupArn: targetGroupOf.get(id), Targets: [{ Id: id }] }));
    const target = health.TargetHealthDescriptions![0].TargetHealth!;
    atDrain.set(id, { at: Date.now(), labelled: node.metadata.labels?.[EXCLUDE_FROM_LOAD_BALANCERS] !== undefined, state: target.State!, reason: target.Reason });
    return drain(nodeName, options);
  };
  const events: RolloutEvent[] = [];
  try {
    const run = startRollout(connected.deps, { cluster: h.name, force: true, instanceGroups: ['control-plane-us-east-1a', 'nodes-us-east-1a'] });
    run.subscribe((e) => events.push(e));
    const result = await run.done;
    assert.equal(result.status, 'finished', result.reason);
    assert.deepEqual(result.replaced.sort(), [controlPlane, worker].sort());
  } finally {
    sampling = false;
    await sampler;
    await connected.close();
  }

  for (const id of [controlPlane, worker]) {
    const seen = atDrain.get(id);
    assert.ok(seen, `${id} was drained`);
    assert.equal(seen.labelled, true, `${id}: its node carried ${EXCLUDE_FROM_LOAD_BALANCERS} when its drain started`);
    assert.deepEqual([seen.state, seen.reason], ['unused', 'Target.NotRegistered'], `${id}: out of its target group when its drain started`);
    assert.ok(firstDraining.has(id) && firstDraining.get(id)! < seen.at, `${id} was seen draining before its drain`);
    const steps = events.filter((e) => e.type === 'step-started' && e.instanceId === id).map((e) => (e.type === 'step-started' ? e.step : ''));
    assert.ok(steps.indexOf('deregister') > steps.indexOf('cordon') && steps.indexOf('deregister') < steps.indexOf('drain'), steps.join(' '));
  }
  const journal = (await readJournal(h.store.objects, h.name))!;
  const entry = (id: string) => journal.entries.find((e) => e.instance === id && e.step === 'deregister')!;
  // The control plane (three nodes) is taken out of the API load balancers by the rollout itself: the one
  // made here and the one kopsdeck made for this .k8s.local cluster, every target group its group is attached to.
  const cpGroup = await h.clients.autoscaling.send(new as.DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [groupName('control-plane-us-east-1a')] }));
  const attached = cpGroup.AutoScalingGroups![0].TargetGroupARNs ?? [];
  assert.ok(attached.includes(api.targetGroupArn) && attached.length === 2, attached.join(' '));
  assert.deepEqual(
    entry(controlPlane).loadBalancers?.targetGroups.map((t) => `${t.arn} ${t.port}`).sort(),
    attached.map((arn) => `${arn} 443`).sort(),
  );
  assert.match(entry(controlPlane).note ?? '', /taken out of target group tcp-lb-k8s-local-\w+, target group tcp-api-lb-k8s-local; connection draining over/);
  // The worker surged: detaching it from its group deregistered it (the poller saw it draining), and its
  // 30 s draining ended while its replacement joined (45 s and more), before the step looked.
  assert.match(entry(worker).note ?? '', /registered with no load balancer \(it left its group's load balancers, if any, when it was detached\)/);

  // The replacements are registered by their groups and become healthy; the replaced ones are gone.
  await until('the replacements healthy in their target groups', async () => {
    const [apiStates, nodeStates] = await Promise.all([targetStates(api.targetGroupArn), targetStates(nodes.targetGroupArn)]);
    const healthy = (states: Map<string, string>) => [...states].filter(([, s]) => s === 'healthy').map(([id]) => id);
    return healthy(apiStates).length === 3 && !apiStates.has(controlPlane) && healthy(nodeStates).length === 1 && !nodeStates.has(worker) ? true : undefined;
  }, 20_000);
  assert.deepEqual(await targetStates(nodes.targetGroupArn), new Map((await members('nodes-us-east-1a')).map((id) => [id, 'healthy'])));
});

test('a target group deleted under its group stops the rollout with the reason, the node left cordoned', async () => {
  const ig = 'nodes-us-east-1b';
  const lb = await loadBalancerFor('gone-ingress', 30081, [ig]);
  await h.clients.elbv2.send(new elbv2.DeleteListenerCommand({ ListenerArn: lb.listenerArn }));
  await h.clients.elbv2.send(new elbv2.DeleteTargetGroupCommand({ TargetGroupArn: lb.targetGroupArn }));
  const [victim] = await members(ig);
  const connected = await h.connect();
  try {
    const result = await startRollout(connected.deps, { cluster: h.name, force: true, instanceGroups: [ig] }).done;
    assert.equal(result.status, 'failed');
    assert.match(result.reason!, new RegExp(`could not take node \\S+ \\(${victim}\\) out of its load balancers: could not read target group tcp-gone-ingress .*TargetGroupNotFound`));
  } finally {
    await connected.close();
  }
  const node = (await h.nodes()).find((n) => instanceOf(n) === victim)!;
  assert.equal(node.spec?.unschedulable, true, 'left cordoned, as kops leaves it');
  assert.equal(node.metadata.labels?.[EXCLUDE_FROM_LOAD_BALANCERS], '', 'and labelled');
  const journal = (await readJournal(h.store.objects, h.name))!;
  assert.equal(journal.status, 'failed');
  assert.ok(!journal.entries.some((e) => e.instance === victim && (e.step === 'deregister' || e.step === 'drain')));
});
