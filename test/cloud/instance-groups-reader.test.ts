// The one reader of auto scaling groups (cloud/aws/instance-groups.ts) against
// the simulator, through the real SDK clients: kops' needs-update rules for
// $Latest, $Default, no version at all (AWS launches the default one), a
// numbered version, a group moved to another template, a mixed-instances
// group, a detached instance; and the views mapped from it (the console's
// model, the cloud provider, the rollout cloud) agreeing.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as as from '@aws-sdk/client-auto-scaling';
import * as ec2 from '@aws-sdk/client-ec2';
import { AwsCloudProvider } from '../../src/engine/cloud/aws/aws-provider.js';
import { createAwsClients, type AwsClients } from '../../src/engine/cloud/aws/clients.js';
import { readInstanceGroups, type AwsInstanceGroup } from '../../src/engine/cloud/aws/instance-groups.js';
import { awsCloudInventory } from '../../src/engine/live-model/aws-inventory.js';
import { ClusterModel } from '../../src/engine/live-model/cluster-model.js';
import { awsRolloutCloud } from '../../src/engine/rollout/aws-rollout-cloud.js';
import { createNetworkAndTemplate, startFixture, userData, waitFor, type SimFixture } from '../helpers/sim-aws.js';
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
    // No Version at all: AWS launches the template's default version, not its latest.
    await group(`noversion.${CLUSTER}`, 1, { LaunchTemplate: { LaunchTemplateId: await template('noversion') } }, node('noversion'));
    await group(`pinned.${CLUSTER}`, 1, { LaunchTemplate: { LaunchTemplateId: await template('pinned'), Version: '1' } }, node('pinned'));
    await template('moved-to');
    await group(`moved.${CLUSTER}`, 1, { LaunchTemplate: { LaunchTemplateId: await template('moved'), Version: '$Latest' } }, node('moved'));
    const mixed = { LaunchTemplateSpecification: { LaunchTemplateId: await template('mixed'), Version: '$Latest' }, Overrides: [{ InstanceType: 'c5.large' }, { InstanceType: 'm5.large' }] };
    await group(`mixed.${CLUSTER}`, 2, { MixedInstancesPolicy: { LaunchTemplate: mixed } }, node('mixed'));
    // As kops tags a control plane group: the legacy master role tag, no instance group tag.
    await group(CONTROL_PLANE_GROUP, 1, { LaunchTemplate: { LaunchTemplateId: await template('control-plane'), Version: '$Latest' } }, { 'k8s.io/role/master': '1' });
    await waitFor('every member InService', async () => {
      const groups = await read();
      return groups.length === 7 && groups.every((g) => g.instances.length === g.desiredCapacity && g.instances.every((i) => i.lifecycleState === 'InService'));
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
        ['noversion', `noversion.${CLUSTER}`, 'Node', '1', false],
        ['pinned', `pinned.${CLUSTER}`, 'Node', '1', false],
      ],
    );
    for (const g of groups) assert.deepEqual(verdicts(g), g.instances.map(() => [false, '']), g.name);
    assert.deepEqual(named(groups, 'mixed').instances.map((i) => [i.instanceType, i.launchTemplateId, i.launchTemplateVersion]), [
      ['c5.large', templates.mixed, '1'],
      ['c5.large', templates.mixed, '1'],
    ]);
  });

  it('a new template version: $Latest and a mixed-instances group need an update, $Default, no version and a pinned version do not', async () => {
    for (const ig of ['latest', 'default', 'noversion', 'pinned', 'mixed']) await newVersion(ig);
    const groups = await read();
    const stale = [true, 'launch template version 1 != 2'];
    assert.equal(named(groups, 'latest').launchTemplate?.version, '2');
    assert.deepEqual(verdicts(named(groups, 'latest')), [stale, stale]);
    assert.equal(named(groups, 'mixed').launchTemplate?.version, '2');
    assert.deepEqual(verdicts(named(groups, 'mixed')), [stale, stale]);
    assert.deepEqual([named(groups, 'default').launchTemplate?.requested, named(groups, 'default').launchTemplate?.version], ['$Default', '1']);
    assert.deepEqual(verdicts(named(groups, 'default')), [[false, '']]);
    // The rollout's old reader took a missing version for $Latest and wanted this member replaced.
    assert.equal(named(groups, 'noversion').launchTemplate?.version, '1');
    assert.deepEqual(verdicts(named(groups, 'noversion')), [[false, '']]);
    const rollout = (await awsRolloutCloud(clients).listGroups(CLUSTER)).find((g) => g.name === 'noversion')!;
    assert.deepEqual([rollout.currentVersion, rollout.instances.map((i) => i.needsUpdate)], ['1', [false]]);
    assert.deepEqual(verdicts(named(groups, 'pinned')), [[false, '']]);
  });

  it('$Default and no version follow the default version; a pinned group follows its number', async () => {
    await f.ec2.send(new ec2.ModifyLaunchTemplateCommand({ LaunchTemplateId: templates.default, DefaultVersion: '2' }));
    await f.ec2.send(new ec2.ModifyLaunchTemplateCommand({ LaunchTemplateId: templates.noversion, DefaultVersion: '2' }));
    await f.asg.send(new as.UpdateAutoScalingGroupCommand({ AutoScalingGroupName: `pinned.${CLUSTER}`, LaunchTemplate: { LaunchTemplateId: templates.pinned, Version: '2' } }));
    const groups = await read();
    assert.equal(named(groups, 'default').launchTemplate?.version, '2');
    assert.deepEqual(verdicts(named(groups, 'default')), [[true, 'launch template version 1 != 2']]);
    assert.equal(named(groups, 'noversion').launchTemplate?.version, '2');
    assert.deepEqual(verdicts(named(groups, 'noversion')), [[true, 'launch template version 1 != 2']]);
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
    assert.deepEqual(
      [found?.member, found?.detached, found?.lifecycleState, found?.needsUpdate, found?.updateReason, found?.instanceGroup],
      [false, true, 'Detached', true, 'detached by a surge', 'latest'],
    );
    assert.ok(found?.privateIp && found.state === 'running', 'what EC2 says of the detached instance');
  });

  it("the console's view and the rollout's view of the cluster agree: same instances, needs-update, roles, detached ones included", async () => {
    const groups = await read();
    assert.ok(groups.some((g) => g.instances.some((i) => i.detached)), 'the detach above left a detached instance to compare');
    assert.ok(groups.some((g) => g.instances.some((i) => i.needsUpdate)) && groups.some((g) => g.instances.some((i) => !i.needsUpdate)));
    // The console: its inventory (what validate reads too) through the model, as the screens show it.
    const inventory = await awsCloudInventory(clients).listInstanceGroups(CLUSTER);
    const model = new ClusterModel(CLUSTER);
    model.setCloud(inventory, Date.now());
    const rows = model.snapshot().instances;
    const rollout = awsRolloutCloud(clients);
    const rolloutGroups = await rollout.listGroups(CLUSTER);
    const provider = await new AwsCloudProvider(clients).listInstanceGroups(CLUSTER);
    assert.deepEqual(rolloutGroups.map((g) => g.name).sort(), inventory.map((g) => g.name).sort());
    for (const console of inventory) {
      const roll = rolloutGroups.find((g) => g.name === console.name)!;
      assert.equal(roll.role, console.role, `role of ${console.name}`);
      assert.equal(roll.currentVersion, console.launchTemplateVersion ?? null);
      const seenByConsole = console.instances.map((i) => {
        const row = rows.find((r) => r.id === i.id)!;
        return [i.id, row.status === 'NeedsUpdate', i.detached, row.launchTemplateVersion];
      });
      const seenByRollout = roll.instances.map((i) => [i.id, i.needsUpdate, i.detached, i.launchTemplateVersion ?? '']);
      assert.deepEqual(seenByRollout, seenByConsole, `instances of ${console.name}`);
      // A wave's fresh look at one group goes through the same reader, with the same detached rule.
      const look = await rollout.lookAtGroup(CLUSTER, roll);
      assert.deepEqual(look?.instances.map((i) => [i.id, i.detached]), roll.instances.map((i) => [i.id, i.detached]), `look at ${console.name}`);
      // The provider is the same reader with EC2's details added: the very instances, detached ones too.
      const cloud = provider.find((g) => g.name === console.name)!;
      assert.equal(cloud.role, console.role);
      assert.deepEqual(cloud.instances.map((i) => [i.id, i.needsUpdate, i.detached, i.member]), console.instances.map((i) => [i.id, i.needsUpdate, i.detached, i.member]));
      assert.ok(cloud.instances.every((i) => ['pending', 'running'].includes(i.state ?? '') && i.privateIp), 'the provider adds what EC2 says of each instance');
    }
  });
});
