// AutoScaling through the real SDK client: groups keep their desired
// capacity from their launch template, instances boot to running, the
// decrement flag decides whether a terminated instance is replaced, and
// DescribeInstances / DescribeAutoScalingGroups paginate.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as as from '@aws-sdk/client-auto-scaling';
import * as ec2 from '@aws-sdk/client-ec2';
import { createGroup, createNetworkAndTemplate, rejection, startFixture, waitFor, type SimFixture } from '../helpers/sim-aws.js';

async function groupNamed(f: SimFixture, name: string) {
  const out = await f.asg.send(new as.DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }));
  return out.AutoScalingGroups?.[0];
}

async function inService(f: SimFixture, name: string, count: number) {
  return waitFor(`${count} InService instances in ${name}`, async () => {
    const group = await groupNamed(f, name);
    const instances = group?.Instances ?? [];
    return instances.length === count && instances.every((i) => i.LifecycleState === 'InService') ? instances : undefined;
  });
}

describe('simulated AutoScaling', () => {
  let f: SimFixture;
  let net: Awaited<ReturnType<typeof createNetworkAndTemplate>>;
  before(async () => {
    f = await startFixture({ speed: 100 });
    net = await createNetworkAndTemplate(f);
  });
  after(() => f.close());

  it('launches up to desired capacity, spread over zones, and instances reach running', async () => {
    const name = await createGroup(f, net, 0);
    assert.equal((await groupNamed(f, name))?.Instances?.length, 0);
    await f.asg.send(new as.SetDesiredCapacityCommand({ AutoScalingGroupName: name, DesiredCapacity: 3 }));
    const members = await inService(f, name, 3);
    assert.deepEqual(members.map((m) => m.AvailabilityZone).sort(), ['us-east-1a', 'us-east-1b', 'us-east-1c']);
    assert.ok(members.every((m) => m.LaunchTemplate?.LaunchTemplateId === net.templateId && m.LaunchTemplate?.Version === '1' && m.HealthStatus === 'Healthy'));
    const described = await f.ec2.send(new ec2.DescribeInstancesCommand({ Filters: [{ Name: 'tag:aws:autoscaling:groupName', Values: [name] }, { Name: 'instance-state-name', Values: ['running'] }] }));
    const instances = described.Reservations!.flatMap((r) => r.Instances!);
    assert.equal(instances.length, 3);
    assert.ok(instances.every((i) => i.Tags?.some((t) => t.Key === 'KubernetesCluster' && t.Value === 'test.example.com')));
    assert.ok(instances.every((i) => i.PrivateIpAddress?.startsWith('10.0.') && i.VpcId === net.vpcId));
    const over = await rejection(() => f.asg.send(new as.SetDesiredCapacityCommand({ AutoScalingGroupName: name, DesiredCapacity: 99 })));
    assert.equal(over.name, 'ValidationError');
  });

  it('records the launch template version an instance was launched from, not the current default', async () => {
    const name = (await groupNamed(f, 'nodes.test.example.com'))!.AutoScalingGroupName!;
    await f.ec2.send(new ec2.CreateLaunchTemplateVersionCommand({ LaunchTemplateId: net.templateId, SourceVersion: '1', LaunchTemplateData: { InstanceType: 'm5.xlarge' } }));
    await f.asg.send(new as.SetDesiredCapacityCommand({ AutoScalingGroupName: name, DesiredCapacity: 4 }));
    const members = await inService(f, name, 4);
    assert.deepEqual(members.map((m) => m.LaunchTemplate?.Version).sort(), ['1', '1', '1', '2']);
    const newest = members.find((m) => m.LaunchTemplate?.Version === '2')!;
    assert.equal(newest.InstanceType, 'm5.xlarge');
  });

  it('replaces a terminated instance unless the desired capacity is decremented', async () => {
    const name = 'nodes.test.example.com';
    const before = await inService(f, name, 4);
    const replaced = before[0].InstanceId!;
    const activity = await f.asg.send(new as.TerminateInstanceInAutoScalingGroupCommand({ InstanceId: replaced, ShouldDecrementDesiredCapacity: false }));
    assert.match(activity.Activity?.Description ?? '', /Terminating EC2 instance/);
    const afterReplace = await waitFor('a replacement', async () => {
      const group = await groupNamed(f, name);
      const live = group!.Instances!.filter((i) => i.LifecycleState === 'InService');
      return live.length === 4 && !live.some((i) => i.InstanceId === replaced) ? group : undefined;
    });
    assert.equal(afterReplace.DesiredCapacity, 4);
    const gone = await f.ec2.send(new ec2.DescribeInstancesCommand({ InstanceIds: [replaced] }));
    assert.ok(['shutting-down', 'terminated'].includes(gone.Reservations![0].Instances![0].State!.Name!), 'a terminated instance stays visible');

    const dropped = afterReplace.Instances!.find((i) => i.LifecycleState === 'InService')!.InstanceId!;
    await f.asg.send(new as.TerminateInstanceInAutoScalingGroupCommand({ InstanceId: dropped, ShouldDecrementDesiredCapacity: true }));
    const shrunk = await inService(f, name, 3);
    assert.ok(!shrunk.some((i) => i.InstanceId === dropped));
    assert.equal((await groupNamed(f, name))?.DesiredCapacity, 3);
  });

  it('detaches instances, with and without a replacement', async () => {
    const name = 'nodes.test.example.com';
    const members = await inService(f, name, 3);
    await f.asg.send(new as.DetachInstancesCommand({ AutoScalingGroupName: name, InstanceIds: [members[0].InstanceId!], ShouldDecrementDesiredCapacity: true }));
    await inService(f, name, 2);
    const detached = await f.ec2.send(new ec2.DescribeInstancesCommand({ InstanceIds: [members[0].InstanceId!] }));
    assert.equal(detached.Reservations![0].Instances![0].State?.Name, 'running', 'a detached instance keeps running');
    assert.equal((await groupNamed(f, name))?.DesiredCapacity, 2, 'decremented: no replacement');
    // Without decrementing, the group keeps its size: a replacement launches for the detached instance.
    const kept = members[1].InstanceId!;
    await f.asg.send(new as.DetachInstancesCommand({ AutoScalingGroupName: name, InstanceIds: [kept], ShouldDecrementDesiredCapacity: false }));
    assert.equal((await groupNamed(f, name))?.DesiredCapacity, 2, 'not decremented');
    const replaced = await waitFor('a replacement in service', async () => {
      const now = (await groupNamed(f, name))?.Instances ?? [];
      const settled = now.length === 2 && now.every((i) => i.LifecycleState === 'InService') && !now.some((i) => i.InstanceId === kept);
      return settled ? now : undefined;
    });
    assert.ok(replaced.every((i) => i.InstanceId !== members[0].InstanceId && i.InstanceId !== kept), 'both detached instances are out of the group');
    assert.ok(replaced.some((i) => !members.some((m) => m.InstanceId === i.InstanceId)), 'a new instance replaced the one detached without decrementing');
    await f.ec2.send(new ec2.TerminateInstancesCommand({ InstanceIds: [members[0].InstanceId!, kept] }));
  });

  it('updates a group: sizes and the launch template version it launches from', async () => {
    const name = 'nodes.test.example.com';
    await f.asg.send(new as.UpdateAutoScalingGroupCommand({ AutoScalingGroupName: name, MinSize: 1, MaxSize: 6, LaunchTemplate: { LaunchTemplateId: net.templateId, Version: '1' } }));
    const group = await groupNamed(f, name);
    assert.deepEqual([group?.MinSize, group?.MaxSize, group?.LaunchTemplate?.Version], [1, 6, '1']);
    const invalid = await rejection(() => f.asg.send(new as.UpdateAutoScalingGroupCommand({ AutoScalingGroupName: name, MinSize: 7 })));
    assert.equal(invalid.name, 'ValidationError');
    await f.asg.send(new as.UpdateAutoScalingGroupCommand({ AutoScalingGroupName: name, LaunchTemplate: { LaunchTemplateId: net.templateId, Version: '$Latest' } }));
  });

  it('tags groups and filters them by tag', async () => {
    const name = 'nodes.test.example.com';
    await f.asg.send(new as.CreateOrUpdateTagsCommand({ Tags: [{ ResourceId: name, ResourceType: 'auto-scaling-group', Key: 'team', Value: 'infra', PropagateAtLaunch: false }] }));
    const tags = await f.asg.send(new as.DescribeTagsCommand({ Filters: [{ Name: 'auto-scaling-group', Values: [name] }] }));
    assert.ok(tags.Tags?.some((t) => t.Key === 'team' && t.Value === 'infra' && t.PropagateAtLaunch === false));
    const byTag = await f.asg.send(new as.DescribeAutoScalingGroupsCommand({ Filters: [{ Name: 'tag:team', Values: ['infra'] }] }));
    assert.deepEqual(byTag.AutoScalingGroups?.map((g) => g.AutoScalingGroupName), [name]);
    await f.asg.send(new as.DeleteTagsCommand({ Tags: [{ ResourceId: name, ResourceType: 'auto-scaling-group', Key: 'team' }] }));
    const none = await f.asg.send(new as.DescribeAutoScalingGroupsCommand({ Filters: [{ Name: 'tag:team', Values: ['infra'] }] }));
    assert.equal(none.AutoScalingGroups?.length, 0);
  });

  it('records a failed launch as a failed scaling activity and retries it', async () => {
    const name = await createGroup(f, net, 0, 'test.example.com', 'flaky');
    f.sim.faults.failLaunches = 1;
    await f.asg.send(new as.SetDesiredCapacityCommand({ AutoScalingGroupName: name, DesiredCapacity: 1 }));
    const failed = await waitFor('a failed activity', async () => {
      const out = await f.asg.send(new as.DescribeScalingActivitiesCommand({ AutoScalingGroupName: name }));
      return out.Activities?.find((a) => a.StatusCode === 'Failed');
    });
    assert.match(failed.StatusMessage ?? '', /InsufficientInstanceCapacity/);
    await inService(f, name, 1);
  });

  it('refuses to delete a group with instances unless forced, then removes it', async () => {
    const name = 'flaky.test.example.com';
    const refused = await rejection(() => f.asg.send(new as.DeleteAutoScalingGroupCommand({ AutoScalingGroupName: name })));
    // AWS sends the code ResourceInUse; the SDK's typed exception for it is ResourceInUseFault.
    assert.ok(refused instanceof as.ResourceInUseFault);
    assert.equal((refused as unknown as { Code: string }).Code, 'ResourceInUse');
    await f.asg.send(new as.DeleteAutoScalingGroupCommand({ AutoScalingGroupName: name, ForceDelete: true }));
    await waitFor('the group to disappear', async () => (await groupNamed(f, name)) === undefined);
    const missing = await rejection(() => f.asg.send(new as.SetDesiredCapacityCommand({ AutoScalingGroupName: name, DesiredCapacity: 1 })));
    assert.equal(missing.name, 'ValidationError');
  });

  it('paginates DescribeInstances and DescribeAutoScalingGroups', async () => {
    const groupNames: string[] = [];
    for (let n = 0; n < 5; n++) groupNames.push(await createGroup(f, net, n === 0 ? 20 : 1, 'pages.example.com', `ig${n}`));
    for (const name of groupNames) await inService(f, name, name.startsWith('ig0') ? 20 : 1);
    const pages: number[] = [];
    const seen = new Set<string>();
    for await (const page of ec2.paginateDescribeInstances({ client: f.ec2, pageSize: 5 }, { Filters: [{ Name: 'tag:KubernetesCluster', Values: ['pages.example.com'] }] })) {
      const ids = page.Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId!));
      pages.push(ids.length);
      ids.forEach((id) => seen.add(id));
    }
    assert.equal(seen.size, 24);
    assert.ok(pages.length >= 5 && pages.every((n) => n <= 5), `pages of at most 5: ${pages}`);
    const groupPages: string[][] = [];
    for await (const page of as.paginateDescribeAutoScalingGroups({ client: f.asg, pageSize: 2 }, { Filters: [{ Name: 'tag:KubernetesCluster', Values: ['pages.example.com'] }] })) {
      groupPages.push(page.AutoScalingGroups!.map((g) => g.AutoScalingGroupName!));
    }
    assert.deepEqual(groupPages.map((p) => p.length), [2, 2, 1]);
    assert.deepEqual(groupPages.flat().sort(), [...groupNames].sort());
  });

  it('answers an unknown group with a ValidationError and a bad template with ValidationError', async () => {
    const bad = await rejection(() =>
      f.asg.send(new as.CreateAutoScalingGroupCommand({ AutoScalingGroupName: 'x', LaunchTemplate: { LaunchTemplateId: 'lt-00000000000000000' }, MinSize: 0, MaxSize: 1, VPCZoneIdentifier: net.subnetIds[0] })),
    );
    assert.equal(bad.name, 'ValidationError');
    assert.ok(bad instanceof as.AutoScalingServiceException);
    const duplicate = await rejection(() => createGroup(f, net, 0));
    assert.ok(duplicate instanceof as.AlreadyExistsFault);
    assert.equal((duplicate as unknown as { Code: string }).Code, 'AlreadyExists');
  });
});
