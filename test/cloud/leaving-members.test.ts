// What AWS answers that the simulator never shows (it detaches at once and
// always echoes a version): a member caught in Detaching, and a group whose
// launch template names no version. Canned SDK answers, read by the one reader
// through the console's inventory and the rollout's cloud, which must agree.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DescribeAutoScalingGroupsCommand, type AutoScalingGroup } from '@aws-sdk/client-auto-scaling';
import { DescribeInstancesCommand, DescribeLaunchTemplatesCommand } from '@aws-sdk/client-ec2';
import type { AwsClients } from '../../src/engine/cloud/aws/clients.js';
import { awsCloudInventory } from '../../src/engine/live-model/aws-inventory.js';
import { awsRolloutCloud } from '../../src/engine/rollout/aws-rollout-cloud.js';

const CLUSTER = 'leaving.example.com';
const GROUP = `nodes.${CLUSTER}`;

/** An auto scaling group with no Version in its launch template, one member InService on the default version and one leaving. */
const group: AutoScalingGroup = {
  AutoScalingGroupName: GROUP,
  LaunchTemplate: { LaunchTemplateId: 'lt-1', LaunchTemplateName: GROUP },
  MinSize: 1,
  MaxSize: 3,
  DesiredCapacity: 2,
  DefaultCooldown: 300,
  AvailabilityZones: ['us-east-1a'],
  HealthCheckType: 'EC2',
  CreatedTime: new Date(0),
  Tags: [
    { Key: 'KubernetesCluster', Value: CLUSTER },
    { Key: 'kops.k8s.io/instancegroup', Value: 'nodes' },
  ],
  Instances: [
    { InstanceId: 'i-on-default', AvailabilityZone: 'us-east-1a', LifecycleState: 'InService', HealthStatus: 'Healthy', ProtectedFromScaleIn: false, LaunchTemplate: { LaunchTemplateId: 'lt-1', Version: '3' } },
    { InstanceId: 'i-leaving', AvailabilityZone: 'us-east-1a', LifecycleState: 'Detaching', HealthStatus: 'Healthy', ProtectedFromScaleIn: false, LaunchTemplate: { LaunchTemplateId: 'lt-1', Version: '3' } },
  ],
};

/** Answers each command the reader sends; anything else is a test failure. */
function cannedClients(): AwsClients {
  const send = async (command: object) => {
    if (command instanceof DescribeAutoScalingGroupsCommand) return { AutoScalingGroups: [group] };
    if (command instanceof DescribeInstancesCommand) return { Reservations: [] };
    if (command instanceof DescribeLaunchTemplatesCommand) {
      return { LaunchTemplates: [{ LaunchTemplateId: 'lt-1', LaunchTemplateName: GROUP, DefaultVersionNumber: 3, LatestVersionNumber: 5 }] };
    }
    throw new Error(`unexpected ${command.constructor.name}`);
  };
  return { autoscaling: { send }, ec2: { send } } as unknown as AwsClients;
}

test('no version in the group: the default version (3), not the latest (5), is what members are held to', async () => {
  const [console] = await awsCloudInventory(cannedClients()).listInstanceGroups(CLUSTER);
  const [rollout] = await awsRolloutCloud(cannedClients()).listGroups(CLUSTER);
  assert.equal(console.launchTemplateVersion, '3');
  assert.equal(rollout.currentVersion, '3');
  assert.equal(console.instances.find((i) => i.id === 'i-on-default')?.needsUpdate, false);
  assert.equal(rollout.instances.find((i) => i.id === 'i-on-default')?.needsUpdate, false);
});

test('a Detaching member is detached and out of date for the console and the rollout alike', async () => {
  const [console] = await awsCloudInventory(cannedClients()).listInstanceGroups(CLUSTER);
  const [rollout] = await awsRolloutCloud(cannedClients()).listGroups(CLUSTER);
  const view = await awsRolloutCloud(cannedClients()).lookAtGroup(CLUSTER, { name: 'nodes', groupName: GROUP });
  const leaving = console.instances.find((i) => i.id === 'i-leaving');
  assert.deepEqual([leaving?.detached, leaving?.member, leaving?.needsUpdate, leaving?.updateReason], [true, true, true, 'detached by a surge']);
  // Fixed: the rollout used to take a member still leaving for the group's own
  // (detached: false), to be detached again or terminated through a group that
  // is letting it go. It is drained and terminated directly, like any detached instance.
  assert.deepEqual(
    rollout.instances.map((i) => [i.id, i.needsUpdate, i.detached]),
    console.instances.map((i) => [i.id, i.needsUpdate, i.detached]),
  );
  assert.deepEqual(view?.instances, [
    { id: 'i-on-default', lifecycleState: 'InService', detached: false },
    { id: 'i-leaving', lifecycleState: 'Detaching', detached: true },
  ]);
});
