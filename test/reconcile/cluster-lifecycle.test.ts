// Create, re-plan, modify, upgrade and delete a 3-zone HA cluster against the
// simulator, through the real SDK clients.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { DescribeInternetGatewaysCommand, DescribeLaunchTemplateVersionsCommand, DescribeSubnetsCommand, DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { planCluster, applyCluster } from '../../src/engine/reconcile/cluster.js';
import { planDelete, deleteCluster } from '../../src/engine/reconcile/delete.js';
import { renderPlan } from '../../src/engine/reconcile/render-plan.js';
import { countByKind, hasChanges } from '../../src/engine/reconcile/plan.js';
import type { ApplyEvent } from '../../src/engine/reconcile/apply-plan.js';
import { AwsCloudProvider } from '../../src/engine/cloud/aws/aws-provider.js';
import { decodeUserData, readBootstrapValues } from '../../src/engine/bootstrap/user-data.js';
import { PLACEHOLDER_IP } from '../../src/engine/reconcile/tasks/dns.js';
import type { ClusterBundle, InstanceGroup } from '../../src/engine/spec/types.js';
import { kopsGroupName } from '../../src/engine/cloud/aws/tags.js';
import { clusterFixture, startHarness, waitFor, type Harness } from '../helpers/sim-reconcile.js';
import { clusterVolumes, ruleLines } from './cluster-resources.js';

const NAME = 'demo.example.com';
let h: Harness;
let bundle: ClusterBundle;
const ownerFilter = [{ Name: 'tag:KubernetesCluster', Values: [NAME] }];

before(async () => {
  h = await startHarness({ speed: 100 });
  bundle = clusterFixture({ name: NAME, controlPlaneCount: 3, nodeCount: 3, dnsZone: 'example.com' });
});
after(async () => h?.close());

const plan = () => planCluster({ cluster: bundle.cluster, instanceGroups: bundle.instanceGroups, clients: h.clients, clock: h.clock });

/**
 * kops' rules for a DNS-API cluster with three control-plane zones
 * (kubernetes/kops tests/integration/update_cluster/ha/kubernetes.tf, which
 * has one access CIDR; minimal-1.36/kubernetes.tf shows the ::/0 ones): nodes
 * reach the control plane on every port but etcd's 2380, 2381, 4001, 4002.
 */
const sg = (role: string) => `${role}.${NAME}`;
const KOPS_HA_RULES = [
  `${sg('masters')} in all - ${sg('masters')}`,
  `${sg('masters')} in tcp 1-2379 ${sg('nodes')}`,
  `${sg('masters')} in tcp 2382-4000 ${sg('nodes')}`,
  `${sg('masters')} in tcp 4003-65535 ${sg('nodes')}`,
  `${sg('masters')} in udp 1-65535 ${sg('nodes')}`,
  `${sg('masters')} in tcp 22-22 0.0.0.0/0`,
  `${sg('masters')} in tcp 22-22 ::/0`,
  `${sg('masters')} in tcp 443-443 0.0.0.0/0`,
  `${sg('masters')} in tcp 443-443 ::/0`,
  `${sg('masters')} out all - 0.0.0.0/0`,
  `${sg('masters')} out all - ::/0`,
  `${sg('nodes')} in all - ${sg('masters')}`,
  `${sg('nodes')} in all - ${sg('nodes')}`,
  `${sg('nodes')} in tcp 22-22 0.0.0.0/0`,
  `${sg('nodes')} in tcp 22-22 ::/0`,
  `${sg('nodes')} out all - 0.0.0.0/0`,
  `${sg('nodes')} out all - ::/0`,
].sort();

test('creating a 3-zone cluster with 3 control-plane nodes makes exactly the expected resources, tagged', async () => {
  const planned = await plan();
  assert.deepEqual(countByKind(planned.plan.creates.map((p) => p.task)), {
    VPC: 1,
    DNSZone: 1,
    DNSName: 1,
    InternetGateway: 1,
    RouteTable: 1,
    Route: 1,
    Subnet: 3,
    RouteTableAssociation: 3,
    SecurityGroup: 2,
    // kops' list for this layout (KOPS_HA_RULES below): 17 rules.
    SecurityGroupRule: 17,
    IAMRole: 2,
    IAMRolePolicy: 2,
    IAMInstanceProfile: 2,
    LaunchTemplate: 6,
    AutoscalingGroup: 6,
    // main and events, one member per control-plane zone.
    EBSVolume: 6,
  });
  assert.equal(planned.plan.modifies.length + planned.plan.deletes.length, 0);
  assert.match(renderPlan(planned.plan), /^Will create resources:\n {2}VPC\/demo\.example\.com\n/);
  const events: ApplyEvent[] = [];
  const result = await applyCluster({ cluster: bundle.cluster, instanceGroups: bundle.instanceGroups, clients: h.clients, clock: h.clock, planned, onEvent: (e) => events.push(e) });
  assert.equal(result.ok, true, result.failed.map((f) => `${f.key}: ${f.error.message}`).join('\n'));
  assert.equal(events.filter((e) => e.type === 'task-done').length, planned.plan.creates.length);
  assert.ok(events.findIndex((e) => e.type === 'task-done' && e.task.kind === 'VPC') < events.findIndex((e) => e.type === 'task-started' && e.task.kind === 'Subnet'));

  const ownedTags = { KubernetesCluster: NAME, [`kubernetes.io/cluster/${NAME}`]: 'owned' };
  const tagsOf = (list?: { Key?: string; Value?: string }[]) => Object.fromEntries((list ?? []).map((t) => [t.Key, t.Value]));
  const vpcs = (await h.clients.ec2.send(new DescribeVpcsCommand({ Filters: ownerFilter }))).Vpcs ?? [];
  assert.equal(vpcs.length, 1);
  assert.deepEqual(tagsOf(vpcs[0].Tags), { ...ownedTags, Name: NAME });
  const subnets = (await h.clients.ec2.send(new DescribeSubnetsCommand({ Filters: ownerFilter }))).Subnets ?? [];
  assert.deepEqual(subnets.map((s) => s.AvailabilityZone).sort(), ['us-east-1a', 'us-east-1b', 'us-east-1c']);
  for (const s of subnets) assert.equal(tagsOf(s.Tags).Name, `${s.AvailabilityZone}.${NAME}`);
  assert.equal(((await h.clients.ec2.send(new DescribeInternetGatewaysCommand({ Filters: ownerFilter }))).InternetGateways ?? []).length, 1);
  assert.deepEqual(await ruleLines(h.clients, NAME), KOPS_HA_RULES);
  const volumes = await clusterVolumes(h.clients, NAME);
  assert.deepEqual(volumes.map((v) => tagsOf(v.Tags).Name).sort(), ['a', 'b', 'c'].flatMap((m) => [`${m}.etcd-events.${NAME}`, `${m}.etcd-main.${NAME}`]).sort());
  for (const v of volumes) {
    const [member, etcd] = tagsOf(v.Tags).Name!.split('.');
    assert.equal(v.AvailabilityZone, `us-east-1${member}`);
    assert.deepEqual([v.VolumeType, v.Size, v.Iops, v.Throughput, v.Encrypted], ['gp3', 20, 3000, 125, true]);
    assert.deepEqual(tagsOf(v.Tags), {
      ...ownedTags,
      Name: `${member}.${etcd}.${NAME}`,
      [`k8s.io/etcd/${etcd.replace('etcd-', '')}`]: `${member}/a,b,c`,
      'k8s.io/role/control-plane': '1',
      'k8s.io/role/master': '1',
    });
  }

  const asgs = (await h.clients.autoscaling.send(new DescribeAutoScalingGroupsCommand({ Filters: [{ Name: 'tag:KubernetesCluster', Values: [NAME] }] }))).AutoScalingGroups ?? [];
  // kops' names: <ig>.masters.<cluster> for the control plane, <ig>.<cluster> for nodes.
  const groupName = (ig: InstanceGroup) => kopsGroupName(NAME, ig.metadata.name, ig.spec.role);
  assert.ok(asgs.some((g) => g.AutoScalingGroupName === `control-plane-us-east-1a.masters.${NAME}`));
  assert.deepEqual(asgs.map((g) => g.AutoScalingGroupName).sort(), bundle.instanceGroups.map(groupName).sort());
  for (const asg of asgs) {
    const ig = bundle.instanceGroups.find((i) => groupName(i) === asg.AutoScalingGroupName)!;
    const roleTag = ig.spec.role === 'Node' ? 'k8s.io/role/node' : 'k8s.io/role/control-plane';
    // A control-plane group also carries kops' k8s.io/role/master, which its role's AttachVolume condition asks of the instance.
    const masterTag = ig.spec.role === 'Node' ? {} : { 'k8s.io/role/master': '1' };
    assert.deepEqual(tagsOf(asg.Tags), { ...ownedTags, Name: asg.AutoScalingGroupName, 'kops.k8s.io/instancegroup': ig.metadata.name, [roleTag]: '1', ...masterTag });
    assert.ok(asg.Tags!.every((t) => t.PropagateAtLaunch));
    assert.equal(asg.DesiredCapacity, ig.spec.minSize);
    assert.equal(asg.LaunchTemplate?.Version, '$Latest');
    const version = (await h.clients.ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: asg.LaunchTemplate!.LaunchTemplateId, Versions: ['$Latest'] }))).LaunchTemplateVersions![0];
    assert.equal(version.LaunchTemplateData?.MetadataOptions?.HttpTokens, 'required');
    const values = readBootstrapValues(decodeUserData(version.LaunchTemplateData?.UserData))!;
    assert.deepEqual(
      { CLUSTER_NAME: values.CLUSTER_NAME, INSTANCE_GROUP: values.INSTANCE_GROUP, INSTANCE_GROUP_ROLE: values.INSTANCE_GROUP_ROLE, KUBERNETES_VERSION: values.KUBERNETES_VERSION, AWS_REGION: values.AWS_REGION },
      { CLUSTER_NAME: NAME, INSTANCE_GROUP: ig.metadata.name, INSTANCE_GROUP_ROLE: ig.spec.role, KUBERNETES_VERSION: '1.31.4', AWS_REGION: 'us-east-1' },
    );
  }
});

test('a second plan reports no changes, once the api record follows the running control plane', async () => {
  const provider = new AwsCloudProvider(h.clients);
  await waitFor('three running control-plane instances', async () => {
    const groups = await provider.listInstanceGroups(NAME);
    return groups.filter((g) => g.role === 'ControlPlane').flatMap((g) => g.instances).filter((i) => i.state === 'running').length === 3;
  });
  const first = await plan();
  // Only the api record moves from the placeholder to the control-plane addresses.
  assert.deepEqual(first.plan.modifies.map((p) => p.task.key), [`DNSName/api.${NAME}`]);
  assert.equal(first.plan.modifies[0].changes[0].old, `[${PLACEHOLDER_IP}]`);
  assert.match(first.plan.modifies[0].changes[0].new, /^\[[\d.]+, [\d.]+, [\d.]+\]$/);
  assert.equal(first.plan.creates.length + first.plan.deletes.length, 0);
  assert.equal((await applyCluster({ ...bundle, clients: h.clients, clock: h.clock, planned: first })).ok, true);
  const second = await plan();
  assert.equal(hasChanges(second.plan), false);
  assert.equal(renderPlan(second.plan), 'No changes need to be applied\n');
});

test('raising an instance group maxSize shows exactly that modification and applies it', async () => {
  const ig = bundle.instanceGroups.find((i) => i.metadata.name === 'nodes-us-east-1b')!;
  const before = ig.spec.maxSize!;
  ig.spec.maxSize = before + 4;
  const planned = await plan();
  assert.deepEqual(planned.plan.modifies.map((p) => [p.task.key, p.changes]), [
    [`AutoscalingGroup/nodes-us-east-1b.${NAME}`, [{ field: 'MaxSize', old: String(before), new: String(before + 4) }]],
  ]);
  assert.equal(planned.plan.creates.length + planned.plan.deletes.length, 0);
  assert.match(renderPlan(planned.plan), new RegExp(`Will modify resources:\\n  AutoscalingGroup/nodes-us-east-1b\\.demo\\.example\\.com\\n    MaxSize +${before} -> ${before + 4}\\n`));
  assert.equal((await applyCluster({ ...bundle, clients: h.clients, clock: h.clock, planned })).ok, true);
  const asg = (await h.clients.autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [`nodes-us-east-1b.${NAME}`] }))).AutoScalingGroups![0];
  assert.equal(asg.MaxSize, before + 4);
  assert.equal(hasChanges((await plan()).plan), false);
});

test('changing the Kubernetes version creates new launch template versions and nothing else', async () => {
  bundle.cluster.spec.kubernetesVersion = '1.32.1';
  const planned = await plan();
  assert.deepEqual(planned.plan.modifies.map((p) => p.task.kind).sort(), Array(6).fill('LaunchTemplate'));
  for (const p of planned.plan.modifies) {
    // The kubelet package the script installs and, from Kubernetes 1.32, the channel's containerd 2 instead of 1.7 (runc
    // stays 1.3.5); a control plane's kubeadm init configuration names the version too.
    const env = '/etc/kopsdeck/bootstrap.env: ';
    const pin = { '1.31.4': ['1.7.32', '4db81bc7c67ec5e5e38ec43f287e1eab6962035cd1f4a904694700ca40698b03'], '1.32.1': ['2.2.4', '62e77f6294e432dca5b56ad7e7d6085b5bbb526ebba0a51d832714f9b04cfdfd'] };
    const lines = (version: '1.31.4' | '1.32.1') => {
      const [containerd, sum] = pin[version];
      const url = `https://github.com/containerd/containerd/releases/download/v${containerd}/containerd-${containerd}-linux-amd64.tar.gz`;
      const init = p.task.name.includes('.masters.') ? [`/etc/kopsdeck/kubeadm-init.yaml: kubernetesVersion: v${version}`] : [];
      return [`${env}KUBERNETES_VERSION=${version}`, `${env}CONTAINERD_VERSION=${containerd}`, `${env}CONTAINERD_URL=${url}`, `${env}CONTAINERD_SHA256=${sum}`, ...init].join('; ');
    };
    assert.deepEqual(p.changes, [{ field: 'UserData', old: lines('1.31.4'), new: lines('1.32.1') }], p.task.name);
  }
  assert.equal(planned.plan.creates.length + planned.plan.deletes.length, 0);
  assert.equal((await applyCluster({ ...bundle, clients: h.clients, clock: h.clock, planned })).ok, true);
  assert.equal(hasChanges((await plan()).plan), false);
  // The rollout's view: every running instance came from version 1, the groups now launch version 2.
  const groups = await new AwsCloudProvider(h.clients).listInstanceGroups(NAME);
  assert.equal(groups.length, 6);
  for (const group of groups) {
    assert.equal(group.currentVersion, '2');
    assert.ok(group.instances.length > 0);
    for (const instance of group.instances) {
      assert.equal(instance.launchTemplateVersion, '1');
      assert.equal(instance.needsUpdate, true);
    }
  }
});

test('delete lists the owned resources, removes them in order, and leaves no tagged resource', async () => {
  const deletePlan = await planDelete({ clusterName: NAME, clients: h.clients });
  const types = new Set(deletePlan.resources.map((r) => r.type));
  for (const type of ['route53-record', 'autoscaling-group', 'instance', 'autoscaling-config', 'security-group', 'subnet', 'internet-gateway', 'route-table', 'vpc']) {
    assert.ok(types.has(type), `delete plan lists ${type}`);
  }
  assert.equal(deletePlan.resources.filter((r) => r.type === 'instance').length, 6);
  const result = await deleteCluster(deletePlan, { clients: h.clients, clock: h.clock, pollIntervalMs: 2_000 });
  assert.equal(result.ok, true, result.failed.map((f) => `${f.key}: ${f.error.message}`).join('\n'));
  assert.equal(result.done.at(-1), `vpc/${NAME}`);
  const after = await planDelete({ clusterName: NAME, clients: h.clients });
  assert.deepEqual(after.resources, []);
  assert.equal(((await h.clients.ec2.send(new DescribeVpcsCommand({ Filters: ownerFilter }))).Vpcs ?? []).length, 0);
});
