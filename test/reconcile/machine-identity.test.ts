// What each machine is given to boot with, as kops gives it: its role's
// instance profile and least-privilege inline policy, an encrypted gp3 root
// volume of kops' size for the role, IMDSv2 with the role's hop limit, the
// cluster's SSH key pair, its security group and public address, and tags on
// the instance, its volumes and its network interface.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { DescribeLaunchTemplatesCommand, DescribeLaunchTemplateVersionsCommand, DescribeSecurityGroupsCommand, type Tag } from '@aws-sdk/client-ec2';
import { applyCluster, planCluster } from '../../src/engine/reconcile/cluster.js';
import { rolePolicy, rolePolicyInput } from '../../src/engine/reconcile/iam/role-policies.js';
import type { PolicyStatement } from '../../src/engine/reconcile/iam/policy-document.js';
import { clusterFixture, startHarness, testSshKey, type Harness } from './sim-harness.js';

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

test('the control plane reads only its own cluster’s prefixes and writes only the bootstrap locks; bastions get no policy', () => {
  const { cluster } = clusterFixture({ name: NAME, dnsZone: 'example.com' });
  const doc = rolePolicy('masters', rolePolicyInput(cluster, 's3://team-state/clusters'))!;
  const s3 = s3Statements(doc.Statement);
  const resourcesOf = (action: string) => s3.filter((s) => asList(s.Action).includes(action)).flatMap((s) => asList(s.Resource));
  assert.deepEqual(resourcesOf('s3:GetObject').sort(), ['addons', 'bootstrap', 'pki', 'secrets'].map((dir) => `${BASE}/${dir}/*`));
  assert.deepEqual(resourcesOf('s3:PutObject'), [`${BASE}/bootstrap/*`]);
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
});
