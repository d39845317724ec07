// `delete cluster` on a .k8s.local cluster made by kopsdeck (API network load
// balancer, target group, IAM roles and instance profiles, etcd volumes, an
// SSH key pair) with what Kubernetes adds to such a cluster (a Service load
// balancer and its security group, a persistent volume): everything the
// cluster owns is found and removed, nothing tagged for it is left, and what
// is tagged shared is never touched.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateSecurityGroupCommand, CreateVolumeCommand, DescribeKeyPairsCommand, DescribeSubnetsCommand, DescribeVolumesCommand } from '@aws-sdk/client-ec2';
import * as elbv2 from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetInstanceProfileCommand, GetRoleCommand } from '@aws-sdk/client-iam';
import { applyCluster, planCluster } from '../../src/engine/reconcile/cluster.js';
import { deleteCluster, planDelete } from '../../src/engine/reconcile/delete.js';
import { clusterFixture, startHarness, testSshKey, type Harness } from '../helpers/sim-reconcile.js';

const NAME = 'wipe.k8s.local';
const OWNED = { Key: `kubernetes.io/cluster/${NAME}`, Value: 'owned' };
const SHARED = { Key: `kubernetes.io/cluster/${NAME}`, Value: 'shared' };

let h: Harness;
before(async () => {
  h = await startHarness({ speed: 100 });
});
after(async () => h?.close());


/** Everything still tagged for the cluster, or named for it where the API has no tag filter. */
async function leftovers(): Promise<string[]> {
  const found: string[] = [];
  const byTag = [{ Name: `tag:kubernetes.io/cluster/${NAME}`, Values: ['owned'] }];
  for (const v of (await h.clients.ec2.send(new DescribeVolumesCommand({ Filters: byTag }))).Volumes ?? []) found.push(`volume ${v.VolumeId}`);
  for (const k of (await h.clients.ec2.send(new DescribeKeyPairsCommand({}))).KeyPairs ?? []) if (k.KeyName?.includes(NAME)) found.push(`key pair ${k.KeyName}`);
  const gone = (error: { name?: string }) => (error.name === 'NoSuchEntityException' || error.name === 'NoSuchEntity' ? undefined : Promise.reject(error));
  for (const name of [`masters.${NAME}`, `nodes.${NAME}`]) {
    if (await h.clients.iam.send(new GetRoleCommand({ RoleName: name })).catch(gone)) found.push(`role ${name}`);
    if (await h.clients.iam.send(new GetInstanceProfileCommand({ InstanceProfileName: name })).catch(gone)) found.push(`instance profile ${name}`);
  }
  for (const lb of (await h.clients.elbv2.send(new elbv2.DescribeLoadBalancersCommand({}))).LoadBalancers ?? []) found.push(`load balancer ${lb.LoadBalancerName}`);
  for (const tg of (await h.clients.elbv2.send(new elbv2.DescribeTargetGroupsCommand({}))).TargetGroups ?? []) found.push(`target group ${tg.TargetGroupName}`);
  const rest = await planDelete({ clusterName: NAME, clients: h.clients });
  found.push(...rest.resources.map((r) => `${r.type} ${r.name}`));
  return found;
}

test('delete removes load balancers, target groups, IAM, volumes and the key pair, and leaves what is shared', async () => {
  const { cluster, instanceGroups } = clusterFixture({ name: NAME, zones: ['us-east-1a'], controlPlaneCount: 1, nodeCount: 1 });
  const planned = await planCluster({ cluster, instanceGroups, clients: h.clients, clock: h.clock, sshPublicKeys: [testSshKey()] });
  const applied = await applyCluster({ cluster, instanceGroups, clients: h.clients, clock: h.clock, planned });
  assert.equal(applied.ok, true, applied.failed.map((f) => `${f.key}: ${f.error.message}`).join('\n'));

  // What Kubernetes' AWS cloud controller adds: a Service load balancer with its own group, a persistent volume.
  const subnets = (await h.clients.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'tag:KubernetesCluster', Values: [NAME] }] }))).Subnets!;
  const serviceGroup = await h.clients.ec2.send(
    new CreateSecurityGroupCommand({ GroupName: 'k8s-elb-a1b2c3', Description: 'Security group for Kubernetes ELB', VpcId: subnets[0].VpcId, TagSpecifications: [{ ResourceType: 'security-group', Tags: [OWNED] }] }),
  );
  await h.clients.elbv2.send(new elbv2.CreateLoadBalancerCommand({ Name: 'a1b2c3-service', Type: 'network', Subnets: [subnets[0].SubnetId!], SecurityGroups: [serviceGroup.GroupId!], Tags: [OWNED, { Key: 'kubernetes.io/service-name', Value: 'demo/web' }] }));
  await h.clients.ec2.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 10, VolumeType: 'gp3', TagSpecifications: [{ ResourceType: 'volume', Tags: [OWNED, { Key: 'kubernetes.io/created-for/pvc/name', Value: 'data' }] }] }));
  // Tagged shared: the cluster uses it, another owner keeps it.
  const shared = await h.clients.ec2.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 10, VolumeType: 'gp3', TagSpecifications: [{ ResourceType: 'volume', Tags: [SHARED, { Key: 'Name', Value: 'shared-data' }] }] }));

  assert.ok((await h.clients.iam.send(new GetRoleCommand({ RoleName: `nodes.${NAME}` }))).Role, 'the roles exist before the delete');
  const deletePlan = await planDelete({ clusterName: NAME, clients: h.clients });
  const types = new Set(deletePlan.resources.map((r) => r.type));
  for (const type of ['load-balancer', 'target-group', 'iam-role', 'iam-instance-profile', 'volume', 'keypair', 'security-group', 'autoscaling-group', 'instance', 'vpc']) {
    assert.ok(types.has(type), `the delete plan lists ${type}: ${[...types].join(', ')}`);
  }
  assert.equal(deletePlan.resources.filter((r) => r.type === 'load-balancer').length, 2, 'the API load balancer and the Service one');
  assert.ok(!deletePlan.resources.some((r) => r.id === shared.VolumeId), 'the shared volume is not in the plan');

  const result = await deleteCluster(deletePlan, { clients: h.clients, clock: h.clock, pollIntervalMs: 2_000 });
  assert.equal(result.ok, true, result.failed.map((f) => `${f.key}: ${f.error.message}`).join('\n'));
  assert.deepEqual(await leftovers(), []);
  const kept = (await h.clients.ec2.send(new DescribeVolumesCommand({ VolumeIds: [shared.VolumeId!] }))).Volumes ?? [];
  assert.equal(kept.length, 1, 'the shared volume is still there');
});
