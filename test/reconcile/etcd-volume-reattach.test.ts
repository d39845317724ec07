// etcd's data survives the replacement of a one-node control plane: the
// volumes kopsdeck makes (one per etcd cluster, in the member's zone, tagged
// as kops tags them) outlive the machine, the control-plane machine's
// bootstrap attaches the main one (kubeadm runs one etcd: the events volume
// is kops' layout, unused), and the machine that replaces it attaches the
// same one once it is let go.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { DescribeAutoScalingGroupsCommand, TerminateInstanceInAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import type { Volume } from '@aws-sdk/client-ec2';
import { waitFor } from '../helpers/sim-reconcile.js';
import { startRolloutHarness, type RolloutHarness } from '../helpers/sim-rollout.js';
import { clusterVolumes, tagMap } from './cluster-resources.js';

const NAME = 'etcd.k8s.local';
let h: RolloutHarness;
before(async () => {
  h = await startRolloutHarness({ speed: 200, name: NAME, zones: ['us-east-1a'], controlPlaneCount: 1, nodeCount: 1 });
});
after(async () => h?.close());

async function controlPlaneInstance(): Promise<string | undefined> {
  const group = (await h.clients.autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [`control-plane-us-east-1a.masters.${NAME}`] }))).AutoScalingGroups?.[0];
  return group?.Instances?.find((i) => i.LifecycleState === 'InService')?.InstanceId;
}

/** The etcd main volume, once it is attached to this instance. */
async function mainVolumeAttachedTo(instanceId: string): Promise<Volume | undefined> {
  const volumes = await clusterVolumes(h.clients, NAME);
  return volumes.find((v) => tagMap(v.Tags)['k8s.io/etcd/main'] !== undefined && v.Attachments?.[0]?.InstanceId === instanceId && v.Attachments[0].State === 'attached');
}

test("the control plane's bootstrap attaches its etcd main volume, and its replacement attaches the same one", async () => {
  const volumes = await clusterVolumes(h.clients, NAME);
  assert.deepEqual(volumes.map((v) => tagMap(v.Tags).Name).sort(), [`a.etcd-events.${NAME}`, `a.etcd-main.${NAME}`]);
  for (const v of volumes) assert.equal(v.AvailabilityZone, 'us-east-1a');

  const first = await waitFor('the control-plane instance in service', controlPlaneInstance);
  const main = await waitFor('its etcd main volume attached', () => mainVolumeAttachedTo(first));
  assert.equal(tagMap(main.Tags).Name, `a.etcd-main.${NAME}`);
  assert.equal(main.Attachments![0].DeleteOnTermination, false, 'etcd data outlives the machine');
  await h.waitForReadyNodes(2);

  await h.clients.autoscaling.send(new TerminateInstanceInAutoScalingGroupCommand({ InstanceId: first, ShouldDecrementDesiredCapacity: false }));
  const second = await waitFor('a replacement in service', async () => {
    const id = await controlPlaneInstance();
    return id && id !== first ? id : undefined;
  });
  const reattached = await waitFor('the same volume attached to the replacement', () => mainVolumeAttachedTo(second));
  assert.equal(reattached.VolumeId, main.VolumeId);
  assert.equal((await clusterVolumes(h.clients, NAME)).length, 2, 'no volume was made or lost');
});
