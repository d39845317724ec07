// The one reader of auto scaling groups (cloud/aws/instance-groups.ts) against
// the simulator, through the real SDK clients: kops' needs-update rules for
// $Latest, $Default, a numbered version, a group moved to another template, a
// mixed-instances group, a detached instance; and the three views mapped from
// it (console inventory, cloud provider, rollout cloud) agreeing.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as as from '@aws-sdk/client-auto-scaling';
import * as ec2 from '@aws-sdk/client-ec2';
import { AwsCloudProvider } from '../../src/engine/cloud/aws/aws-provider.js';
import { createAwsClients, type AwsClients } from '../../src/engine/cloud/aws/clients.js';
import { readInstanceGroups, type AwsInstanceGroup } from '../../src/engine/cloud/aws/instance-groups.js';
import { awsCloudInventory } from '../../src/engine/model/aws-inventory.js';
import { awsRolloutCloud } from '../../src/engine/rollout/aws-rollout-cloud.js';
import { createNetworkAndTemplate, startFixture, userData, waitFor, type SimFixture } from '../sim/sim-helpers.js';
import { PREBAKED_NODE_IMAGE_ID } from '../../src/sim/contracts.js';

const CLUSTER = 'reader.example.com';
const CONTROL_PLANE_GROUP = `control-plane-us-east-1a.masters.${CLUSTER}`;

describe('reading instance groups and deciding needs-update', () => {
  let f: SimFixture;
  let clients: AwsClients;
  let subnets: string[];
  const templates: Record<string, string> = {};

  async function template(ig: string): Promise<string> {
    const out = await f.ec2.send(
      new ec2.CreateLaunchTemplateCommand({
        LaunchTemplateName: `${ig}.${CLUSTER}`,
        LaunchTemplateData: { ImageId: PREBAKED_NODE_IMAGE_ID, InstanceType: 't3.medium', UserData: userData(CLUSTER, ig) },
      }),
    );
    return (templates[ig] = out.LaunchTemplate!.LaunchTemplateId!);
  }

  async function group(name: string, desired: number, launch: Pick<as.CreateAutoScalingGroupCommandInput, 'LaunchTemplate' | 'MixedInstancesPolicy'>, tags: Record<string, string>) {
    await f.asg.send(
      new as.CreateAutoScalingGroupCommand({
        AutoScalingGroupName: name,
        ...launch,
        MinSize: 0,
        MaxSize: 5,
        DesiredCapacity: desired,
        VPCZoneIdentifier: subnets.join(','),
        Tags: Object.entries({ KubernetesCluster: CLUSTER, ...tags }).map(([Key, Value]) => ({ Key, Value, PropagateAtLaunch: true })),
      }),
    );
  }

  const newVersion = (ig: string) =>
    f.ec2.send(new ec2.CreateLaunchTemplateVersionCommand({ LaunchTemplateId: templates[ig], SourceVersion: '1', LaunchTemplateData: { ImageId: 'ami-0a1b2c3d4e5f60002' } }));

  const read = () => readInstanceGroups(clients, CLUSTER);
  const named = (groups: AwsInstanceGroup[], name: string) => groups.find((g) => g.name === name)!;
  const verdicts = (g: AwsInstanceGroup) => g.instances.map((i) => [i.needsUpdate, i.updateReason ?? '']);

  before(async () => {
    f = await startFixture({ speed: 100 });
    clients = createAwsClients({ region: 'us-east-1', endpoint: f.sim.url, credentials: { accessKeyId: f.sim.env.AWS_ACCESS_KEY_ID, secretAccessKey: f.sim.env.AWS_SECRET_ACCESS_KEY } });
    subnets = (await createNetworkAndTemplate(f, CLUSTER, 'unused')).subnetIds;
    const node = (ig: string) => ({ 'kops.k8s.io/instancegroup': ig, 'k8s.io/role/node': '1' });
    await group(`latest.${CLUSTER}`, 2, { LaunchTemplate: { LaunchTemplateId: await template('latest'), Version: '$Latest' } }, node('latest'));
    await group(`default.${CLUSTER}`, 1, { LaunchTemplate: { LaunchTemplateId: await template('default'), Version: '$Default' } }, node('default'));
    await group(`pinned.${CLUSTER}`, 1, { LaunchTemplate: { LaunchTemplateId: await template('pinned'), Version: '1' } }, node('pinned'));
    await template('moved-to');
    await group(`moved.${CLUSTER}`, 1, { LaunchTemplate: { LaunchTemplateId: await template('moved'), Version: '$Latest' } }, node('moved'));
    const mixed = { LaunchTemplateSpecification: { LaunchTemplateId: await template('mixed'), Version: '$Latest' }, Overrides: [{ InstanceType: 'c5.large' }, { InstanceType: 'm5.large' }] };
    await group(`mixed.${CLUSTER}`, 2, { MixedInstancesPolicy: { LaunchTemplate: mixed } }, node('mixed'));
    // As kops tags a control plane group: the legacy master role tag, no instance group tag.
    await group(CONTROL_PLANE_GROUP, 1, { LaunchTemplate: { LaunchTemplateId: await template('control-plane'), Version: '$Latest' } }, { 'k8s.io/role/master': '1' });
    await waitFor('every member InService', async () => {
      const groups = await read();
      return groups.length === 6 && groups.every((g) => g.instances.length === g.desiredCapacity && g.instances.every((i) => i.lifecycleState === 'InService'));
    });
  });
  after(async () => {
    clients.destroy();
    await f.close();
  });

  it('names and roles groups as kops does, and finds every member up to date after launch', async () => {
    const groups = await read();
    assert.deepEqual(
      groups.map((g) => [g.name, g.groupName, g.role, g.launchTemplate?.version, g.launchTemplate?.mixedInstances]),
      [
        ['control-plane-us-east-1a', CONTROL_PLANE_GROUP, 'ControlPlane', '1', false],
        ['default', `default.${CLUSTER}`, 'Node', '1', false],
        ['latest', `latest.${CLUSTER}`, 'Node', '1', false],
        ['mixed', `mixed.${CLUSTER}`, 'Node', '1', true],
        ['moved', `moved.${CLUSTER}`, 'Node', '1', false],
        ['pinned', `pinned.${CLUSTER}`, 'Node', '1', false],
      ],
    );
    for (const g of groups) assert.deepEqual(verdicts(g), g.instances.map(() => [false, '']), g.name);
    assert.deepEqual(named(groups, 'mixed').instances.map((i) => [i.instanceType, i.launchTemplateId, i.launchTemplateVersion]), [
      ['c5.large', templates.mixed, '1'],
      ['c5.large', templates.mixed, '1'],
    ]);
  });

  it('a new template version: $Latest and a mixed-instances group need an update, $Default and a pinned version do not', async () => {
    for (const ig of ['latest', 'default', 'pinned', 'mixed']) await newVersion(ig);
    const groups = await read();
    const stale = [true, 'launch template version 1 != 2'];
    assert.equal(named(groups, 'latest').launchTemplate?.version, '2');
    assert.deepEqual(verdicts(named(groups, 'latest')), [stale, stale]);
    assert.equal(named(groups, 'mixed').launchTemplate?.version, '2');
    assert.deepEqual(verdicts(named(groups, 'mixed')), [stale, stale]);
    assert.deepEqual([named(groups, 'default').launchTemplate?.requested, named(groups, 'default').launchTemplate?.version], ['$Default', '1']);
    assert.deepEqual(verdicts(named(groups, 'default')), [[false, '']]);
    assert.deepEqual(verdicts(named(groups, 'pinned')), [[false, '']]);
  });

  it('$Default follows the default version; a pinned group follows its number', async () => {
    await f.ec2.send(new ec2.ModifyLaunchTemplateCommand({ LaunchTemplateId: templates.default, DefaultVersion: '2' }));
    await f.asg.send(new as.UpdateAutoScalingGroupCommand({ AutoScalingGroupName: `pinned.${CLUSTER}`, LaunchTemplate: { LaunchTemplateId: templates.pinned, Version: '2' } }));
    const groups = await read();
    assert.equal(named(groups, 'default').launchTemplate?.version, '2');
    assert.deepEqual(verdicts(named(groups, 'default')), [[true, 'launch template version 1 != 2']]);
    assert.deepEqual(verdicts(named(groups, 'pinned')), [[true, 'launch template version 1 != 2']]);
  });

  it('a group moved to another launch template: its members need an update though the version number is the same', async () => {
    await f.asg.send(new as.UpdateAutoScalingGroupCommand({ AutoScalingGroupName: `moved.${CLUSTER}`, LaunchTemplate: { LaunchTemplateId: templates['moved-to'], Version: '$Latest' } }));
    const moved = named(await read(), 'moved');
    assert.equal(moved.launchTemplate?.id, templates['moved-to']);
    assert.equal(moved.launchTemplate?.version, '1');
    assert.deepEqual(verdicts(moved), [[true, `launch template ${templates.moved} != ${templates['moved-to']}`]]);
  });

  it('an instance detached by a surge is found by its tag, in its group, and needs an update', async () => {
    const latest = named(await read(), 'latest');
    const leaving = latest.instances[0].id;
    await awsRolloutCloud(clients).detach(latest.groupName, [leaving]);
    const after = named(await read(), 'latest');
    const found = after.instances.find((i) => i.id === leaving);
    assert.deepEqual([found?.member, found?.detached, found?.lifecycleState, found?.needsUpdate, found?.updateReason], [false, true, 'Detached', true, 'detached by a surge']);
    assert.equal(found?.ec2?.InstanceId, leaving);
  });

  it('the console inventory, the cloud provider and the rollout cloud map the same verdicts', async () => {
    const groups = await read();
    const expected = (g: AwsInstanceGroup, members: boolean) =>
      g.instances.filter((i) => !members || i.member).map((i) => [i.id, i.needsUpdate, i.member ? false : true]);
    const inventory = await awsCloudInventory(clients).listInstanceGroups(CLUSTER);
    const provider = await new AwsCloudProvider(clients).listInstanceGroups(CLUSTER);
    const rollout = await awsRolloutCloud(clients).listGroups(CLUSTER);
    for (const g of groups) {
      const console = inventory.find((x) => x.name === g.name)!;
      assert.deepEqual(console.instances.map((i) => [i.id, i.needsUpdate, i.detached]), expected(g, false), `inventory ${g.name}`);
      assert.equal(console.role, g.role);
      const cloud = provider.find((x) => x.name === g.name)!;
      assert.deepEqual(cloud.instances.map((i) => [i.id, i.needsUpdate, false]), expected(g, true), `provider ${g.name}`);
      assert.ok(cloud.instances.every((i) => ['pending', 'running'].includes(i.state ?? '') && i.privateIp), 'the provider adds what EC2 says of each member');
      const roll = rollout.find((x) => x.name === g.name)!;
      assert.deepEqual(roll.instances.map((i) => [i.id, i.needsUpdate, i.detached]), expected(g, false), `rollout ${g.name}`);
      assert.equal(roll.currentVersion, g.launchTemplate?.version);
    }
  });
});
