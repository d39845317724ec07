// etcd's data survives the replacement of a one-node control plane: the
// volumes kopsdeck makes (one per etcd cluster, in the member's zone, tagged
// as kops tags them) are attached to the control-plane instance as it starts,
// let go when it terminates, and attached to the instance that replaces it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { DescribeAutoScalingGroupsCommand, TerminateInstanceInAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import type { Volume } from '@aws-sdk/client-ec2';
import { applyCluster, planCluster } from '../../src/engine/reconcile/cluster.js';
import { clusterFixture, startHarness, waitFor, type Harness } from '../helpers/sim-reconcile.js';
import { clusterVolumes, tagMap } from './cluster-resources.js';

const NAME = 'etcd.example.com';
let h: Harness;
before(async () => {
  h = await startHarness({ speed: 200 });
});
after(async () => h?.close());

async function controlPlaneInstance(): Promise<string | undefined> {
  const group = (await h.clients.autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [`control-plane-us-east-1a.masters.${NAME}`] }))).AutoScalingGroups?.[0];
  return group?.Instances?.find((i) => i.LifecycleState === 'InService')?.InstanceId;
}

/** Both etcd volumes attached to this instance, or undefined while they are not. */
async function attachedTo(instanceId: string): Promise<Volume[] | undefined> {
  const volumes = await clusterVolumes(h.clients, NAME);
  const attached = volumes.filter((v) => v.Attachments?.[0]?.InstanceId === instanceId && v.Attachments[0].State === 'attached');
  return attached.length === 2 ? attached : undefined;
}

test('the control plane attaches its etcd volumes, and its replacement attaches the same ones', async () => {
  const { cluster, instanceGroups } = clusterFixture({ name: NAME, dnsZone: 'example.com', zones: ['us-east-1a'], controlPlaneCount: 1, nodeCount: 1 });
  const planned = await planCluster({ cluster, instanceGroups, clients: h.clients, clock: h.clock });
  assert.equal((await applyCluster({ cluster, instanceGroups, clients: h.clients, clock: h.clock, planned })).ok, true);

  const first = await waitFor('the control-plane instance in service', controlPlaneInstance);
  const volumes = await waitFor('its etcd volumes attached', () => attachedTo(first));
  assert.deepEqual(volumes.map((v) => tagMap(v.Tags).Name).sort(), [`a.etcd-events.${NAME}`, `a.etcd-main.${NAME}`]);
  assert.deepEqual(volumes.map((v) => v.Attachments![0].Device).sort(), ['/dev/xvdu', '/dev/xvdv']);
  for (const v of volumes) assert.equal(v.Attachments![0].DeleteOnTermination, false, 'etcd data outlives the machine');

  await h.clients.autoscaling.send(new TerminateInstanceInAutoScalingGroupCommand({ InstanceId: first, ShouldDecrementDesiredCapacity: false }));
  const second = await waitFor('a replacement in service', async () => {
    const id = await controlPlaneInstance();
    return id && id !== first ? id : undefined;
  });
  const reattached = await waitFor('the same volumes attached to the replacement', () => attachedTo(second));
  assert.deepEqual(reattached.map((v) => v.VolumeId).sort(), volumes.map((v) => v.VolumeId).sort());
  assert.equal((await clusterVolumes(h.clients, NAME)).length, 2, 'no volume was made or lost');
});
