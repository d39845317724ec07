// kops' RemoveExtraRules on a kopsdeck-made cluster: a rule someone added by
// hand on a port kopsdeck does not manage survives `update cluster`; an extra
// rule on a port it manages (SSH, the API) goes, and a changed
// kubernetesApiAccess replaces the old 443 rules.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { AuthorizeSecurityGroupIngressCommand, DescribeSecurityGroupsCommand } from '@aws-sdk/client-ec2';
import { applyCluster, planCluster } from '../../src/engine/reconcile/cluster.js';
import { ingressRules, type RuleDesired } from '../../src/engine/reconcile/tasks/security-group.js';
import type { ClusterBundle } from '../../src/engine/spec/types.js';
import { clusterFixture, startHarness, type Harness } from '../helpers/sim-reconcile.js';

const NAME = 'rules.example.com';
let h: Harness;
let bundle: ClusterBundle;

before(async () => {
  h = await startHarness({ speed: 100 });
  bundle = clusterFixture({ name: NAME, zones: ['us-east-1a'], controlPlaneCount: 1, nodeCount: 1, dnsZone: 'example.com' });
  const created = await applyCluster({ ...bundle, clients: h.clients, clock: h.clock });
  assert.equal(created.ok, true, created.failed.map((f) => `${f.key}: ${f.error.message}`).join('\n'));
});
after(async () => h?.close());

async function mastersGroup() {
  const out = await h.clients.ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: [`masters.${NAME}`] }] }));
  return out.SecurityGroups![0];
}

const has = (rules: RuleDesired[], port: number, source: string) => rules.some((r) => r.fromPort === port && r.toPort === port && (r.cidr ?? r.sourceGroupId) === source);

test('a hand-added rule on another port survives update --yes; an extra SSH rule is removed, as kops removes it', async () => {
  const group = await mastersGroup();
  const add = (port: number, cidr: string) =>
    h.clients.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: group.GroupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: port, ToPort: port, IpRanges: [{ CidrIp: cidr }] }] }));
  await add(8080, '10.0.0.0/8');
  await add(22, '198.51.100.0/24');

  const planned = await planCluster({ ...bundle, clients: h.clients, clock: h.clock });
  assert.equal(planned.ownership.manager, 'kopsdeck');
  assert.deepEqual(planned.plan.deletes.map((d) => d.name), [`masters.${NAME}:tcp/22-22:198.51.100.0/24`]);
  assert.deepEqual(planned.plan.leftAlone.map((l) => `${l.kind}/${l.name}`), [`SecurityGroupRule/masters.${NAME}`]);
  assert.match(planned.plan.leftAlone[0].reason, /^1 ingress rule no kopsdeck rule covers; kopsdeck removes extra rules only on the ports it manages there \(22, 443\)/);

  const applied = await applyCluster({ ...bundle, clients: h.clients, clock: h.clock, planned });
  assert.equal(applied.ok, true);
  const rules = ingressRules(await mastersGroup());
  assert.ok(has(rules, 8080, '10.0.0.0/8'), 'the hand-added rule is still there');
  assert.ok(!has(rules, 22, '198.51.100.0/24'), 'the extra SSH rule is gone');
  assert.ok(has(rules, 443, '0.0.0.0/0'));
});

test('a changed kubernetesApiAccess replaces the old 443 rules and keeps the hand-added one', async () => {
  const cluster = { ...bundle.cluster, spec: { ...bundle.cluster.spec, kubernetesApiAccess: ['203.0.113.0/24'] } };
  const planned = await planCluster({ cluster, instanceGroups: bundle.instanceGroups, clients: h.clients, clock: h.clock });
  assert.deepEqual(planned.plan.creates.map((p) => p.task.name), ['https-external-to-master-203.0.113.0/24']);
  assert.deepEqual(planned.plan.deletes.map((d) => d.name).sort(), [`masters.${NAME}:tcp/443-443:0.0.0.0/0`, `masters.${NAME}:tcp/443-443:::/0`]);
  const applied = await applyCluster({ cluster, instanceGroups: bundle.instanceGroups, clients: h.clients, clock: h.clock, planned });
  assert.equal(applied.ok, true);
  const rules = ingressRules(await mastersGroup());
  assert.ok(has(rules, 443, '203.0.113.0/24'));
  assert.ok(!has(rules, 443, '0.0.0.0/0') && !has(rules, 443, '::/0'), 'the old API rules were revoked');
  assert.ok(has(rules, 8080, '10.0.0.0/8'), 'the hand-added rule survives again');
  const settled = await planCluster({ cluster, instanceGroups: bundle.instanceGroups, clients: h.clients, clock: h.clock });
  assert.equal(settled.plan.creates.length + settled.plan.deletes.length, 0, 'a second update has nothing to add or remove');
});
