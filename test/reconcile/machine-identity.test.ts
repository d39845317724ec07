// What each machine is given to boot with, as kops gives it: its role's
// instance profile and least-privilege inline policy, an encrypted gp3 root
// volume of kops' size for the role, IMDSv2 with the role's hop limit, the
// cluster's SSH key pair, its security group and public address, and tags on
// the instance, its volumes and its network interface.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateSecurityGroupCommand, DescribeLaunchTemplatesCommand, DescribeLaunchTemplateVersionsCommand, DescribeSecurityGroupsCommand, type Tag } from '@aws-sdk/client-ec2';
import { GetInstanceProfileCommand, GetRolePolicyCommand } from '@aws-sdk/client-iam';
import { applyCluster, planCluster } from '../../src/engine/reconcile/cluster.js';
import { rolePolicy, rolePolicyInput } from '../../src/engine/reconcile/iam/role-policies.js';
import type { PolicyStatement } from '../../src/engine/reconcile/iam/policy-document.js';
import { clusterFixture, startHarness, testSshKey, type Harness } from '../helpers/sim-reconcile.js';

const NAME = 'machines.example.com';
const BUCKET = 'arn:aws:s3:::team-state';
const BASE = `${BUCKET}/clusters/${NAME}`;
const asList = (value: string | string[] | undefined) => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const s3Statements = (statements: PolicyStatement[]) => statements.filter((s) => asList(s.Action).some((a) => a.startsWith('s3:')));

test('workers may read the CA certificate and the bootstrap token, nothing else in the store', () => {
  const { cluster } = clusterFixture({ name: NAME, dnsZone: 'example.com' });
  const doc = rolePolicy('nodes', rolePolicyInput(cluster, 's3://team-state/clusters'))!;
  const s3 = s3Statements(doc.Statement);
  assert.deepEqual(s3.flatMap((s) => asList(s.Action)), ['s3:GetObject']);
  assert.deepEqual(s3.flatMap((s) => asList(s.Resource)).sort(), [`${BASE}/pki/ca.crt`, `${BASE}/secrets/bootstrap-token`]);
  assert.ok(!doc.Statement.some((s) => asList(s.Action).some((a) => a.startsWith('iam:'))), 'no IAM action');
});

test('the control plane reads only its own cluster’s prefixes and writes only the bootstrap locks and the token it renews; bastions get no policy', () => {
  const { cluster } = clusterFixture({ name: NAME, dnsZone: 'example.com' });
  const doc = rolePolicy('masters', rolePolicyInput(cluster, 's3://team-state/clusters'))!;
  const s3 = s3Statements(doc.Statement);
  const resourcesOf = (action: string) => s3.filter((s) => asList(s.Action).includes(action)).flatMap((s) => asList(s.Resource));
  assert.deepEqual(resourcesOf('s3:GetObject').sort(), ['addons', 'bootstrap', 'pki', 'secrets'].map((dir) => `${BASE}/${dir}/*`));
  assert.deepEqual(resourcesOf('s3:PutObject'), [`${BASE}/bootstrap/*`, `${BASE}/secrets/bootstrap-token`]);
  assert.ok(s3.flatMap((s) => asList(s.Resource)).every((r) => r === BUCKET || r.startsWith(`${BASE}/`)), 'nothing outside the cluster');
  assert.equal(rolePolicy('bastions', rolePolicyInput(cluster, 's3://team-state/clusters')), null);
  // A store instances cannot reach (file://) grants no S3 at all.
  assert.deepEqual(s3Statements(rolePolicy('masters', rolePolicyInput(cluster, 'file:///home/me/state'))!.Statement), []);
});

let h: Harness;
before(async () => {
  h = await startHarness({ speed: 100 });
});
after(async () => h?.close());


const tagsOf = (list?: Tag[]) => Object.fromEntries((list ?? []).map((t) => [t.Key, t.Value]));

test('each launch template carries the role’s profile, root volume, metadata options, key pair, group and tags', async () => {
  const { cluster, instanceGroups } = clusterFixture({ name: NAME, dnsZone: 'example.com', zones: ['us-east-1a'], controlPlaneCount: 1, nodeCount: 1 });
  const key = testSshKey();
  const planned = await planCluster({ cluster, instanceGroups, clients: h.clients, clock: h.clock, sshPublicKeys: [key] });
  const applied = await applyCluster({ cluster, instanceGroups, clients: h.clients, clock: h.clock, planned });
  assert.equal(applied.ok, true, applied.failed.map((f) => `${f.key}: ${f.error.message}`).join('\n'));

  const groups = (await h.clients.ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'tag:KubernetesCluster', Values: [NAME] }] }))).SecurityGroups ?? [];
  const groupId = (name: string) => groups.find((g) => g.GroupName === name)!.GroupId!;
  const expected = {
    ControlPlane: { profile: `masters.${NAME}`, size: 64, hops: 3, group: groupId(`masters.${NAME}`) },
    Node: { profile: `nodes.${NAME}`, size: 128, hops: 1, group: groupId(`nodes.${NAME}`) },
  };
  const templates = (await h.clients.ec2.send(new DescribeLaunchTemplatesCommand({ Filters: [{ Name: 'tag:KubernetesCluster', Values: [NAME] }] }))).LaunchTemplates ?? [];
  assert.equal(templates.length, 2);
  for (const template of templates) {
    const role = tagsOf(template.Tags)['k8s.io/role/control-plane'] === '1' ? 'ControlPlane' : 'Node';
    const want = expected[role];
    const data = (await h.clients.ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: template.LaunchTemplateId, Versions: ['$Latest'] }))).LaunchTemplateVersions![0].LaunchTemplateData!;
    const what = `${template.LaunchTemplateName}`;
    assert.equal(data.IamInstanceProfile?.Name, want.profile, what);
    const root = data.BlockDeviceMappings?.[0]?.Ebs;
    assert.deepEqual([root?.VolumeType, root?.VolumeSize, root?.Encrypted, root?.DeleteOnTermination], ['gp3', want.size, true, true], what);
    assert.deepEqual([data.MetadataOptions?.HttpTokens, data.MetadataOptions?.HttpPutResponseHopLimit], ['required', want.hops], what);
    assert.equal(data.KeyName, `kubernetes.${NAME}-${key.fingerprint}`, what);
    const nic = data.NetworkInterfaces?.[0];
    assert.deepEqual([nic?.AssociatePublicIpAddress, nic?.Groups], [true, [want.group]], what);
    const tagged = new Map<string | undefined, Record<string, string | undefined>>((data.TagSpecifications ?? []).map((spec) => [spec.ResourceType, tagsOf(spec.Tags)]));
    for (const type of ['instance', 'volume', 'network-interface']) {
      assert.equal(tagged.get(type)?.KubernetesCluster, NAME, `${what}: ${type} tagged for the cluster`);
      assert.equal(tagged.get(type)?.[`kubernetes.io/cluster/${NAME}`], 'owned', `${what}: ${type} owned`);
    }
  }

  // Read back from IAM: each profile holds its role, and each role's inline policy is the least-privilege one.
  for (const kind of ['masters', 'nodes'] as const) {
    const profile = (await h.clients.iam.send(new GetInstanceProfileCommand({ InstanceProfileName: `${kind}.${NAME}` }))).InstanceProfile!;
    assert.deepEqual(profile.Roles?.map((r) => r.RoleName), [`${kind}.${NAME}`]);
    const inline = await h.clients.iam.send(new GetRolePolicyCommand({ RoleName: `${kind}.${NAME}`, PolicyName: `${kind}.${NAME}` }));
    assert.deepEqual(JSON.parse(decodeURIComponent(inline.PolicyDocument!)), rolePolicy(kind, rolePolicyInput(cluster, undefined)), `${kind}: the policy as written`);
  }
});

test('a private cluster with a bastion: no public address for its machines, the bastion’s own 32 GiB disk and profile; extra groups and associatePublicIp from the spec', async () => {
  const PRIVATE = 'private-machines.example.com';
  const bundle = clusterFixture({ name: PRIVATE, dnsZone: 'example.com', topology: 'private', bastion: true, zones: ['us-east-1a'], controlPlaneCount: 1, nodeCount: 1 });
  const apply = async () => {
    const planned = await planCluster({ ...bundle, clients: h.clients, clock: h.clock });
    const applied = await applyCluster({ ...bundle, clients: h.clients, clock: h.clock, planned });
    assert.equal(applied.ok, true, applied.failed.map((f) => `${f.key}: ${f.error.message}`).join('\n'));
  };
  await apply();
  const latest = async (role: string) => {
    const templates = (await h.clients.ec2.send(new DescribeLaunchTemplatesCommand({ Filters: [{ Name: 'tag:KubernetesCluster', Values: [PRIVATE] }] }))).LaunchTemplates ?? [];
    const template = templates.find((t) => tagsOf(t.Tags)[`k8s.io/role/${role}`] === '1')!;
    return (await h.clients.ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: template.LaunchTemplateId, Versions: ['$Latest'] }))).LaunchTemplateVersions![0].LaunchTemplateData!;
  };
  const bastion = await latest('bastion');
  assert.equal(bastion.IamInstanceProfile?.Name, `bastions.${PRIVATE}`);
  assert.deepEqual([bastion.BlockDeviceMappings?.[0]?.Ebs?.VolumeSize, bastion.MetadataOptions?.HttpPutResponseHopLimit], [32, 1]);
  assert.equal(bastion.NetworkInterfaces?.[0]?.AssociatePublicIpAddress, true, 'the bastion sits in a utility subnet and is reached from outside');
  assert.equal((await latest('node')).NetworkInterfaces?.[0]?.AssociatePublicIpAddress, false, 'nodes in private subnets get no public address');
  assert.equal((await latest('control-plane')).NetworkInterfaces?.[0]?.AssociatePublicIpAddress, false);

  // A group of the user's own, in the cluster's VPC, added to the nodes; the bastion told to take no public address.
  const groups = (await h.clients.ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'tag:KubernetesCluster', Values: [PRIVATE] }] }))).SecurityGroups ?? [];
  const vpcId = groups[0].VpcId!;
  const extra = await h.clients.ec2.send(new CreateSecurityGroupCommand({ GroupName: 'monitoring', Description: 'the team’s monitoring agents', VpcId: vpcId }));
  const nodes = bundle.instanceGroups.find((ig) => ig.spec.role === 'Node')!;
  nodes.spec.additionalSecurityGroups = [extra.GroupId!];
  bundle.instanceGroups.find((ig) => ig.spec.role === 'Bastion')!.spec.associatePublicIp = false;
  await apply();
  const nodeGroup = groups.find((g) => g.GroupName === `nodes.${PRIVATE}`)!.GroupId!;
  assert.deepEqual((await latest('node')).NetworkInterfaces?.[0]?.Groups, [nodeGroup, extra.GroupId]);
  assert.equal((await latest('bastion')).NetworkInterfaces?.[0]?.AssociatePublicIpAddress, false);
});
