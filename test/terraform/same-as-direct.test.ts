// One spec, two ways: the module `--target terraform` writes and what a direct
// `update cluster --yes` creates in the simulator are the same cluster: the
// same resources by type and name, with the same tags, the same security
// group rules, routes and associations, the same user-data and the same IAM
// policies. The spec is a private topology with a bastion, the API behind its
// load balancer and a DNS zone; a second, public with DNS and no load
// balancer, has the plain api A record (DNSName) instead of the alias: so
// every kind of resource kopsdeck makes is compared.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { clusterTerraform } from '../../src/engine/terraform/cluster-terraform.js';
import { applyCluster, planCluster } from '../../src/engine/reconcile/cluster.js';
import type { ClusterSnapshot } from '../../src/engine/cloud/aws/discovery.js';
import { fromTagList, type TagMap } from '../../src/engine/cloud/aws/tags.js';
import { decodeUserData } from '../../src/engine/bootstrap/user-data.js';
import { normalisePolicyText, stableJson } from '../../src/engine/reconcile/iam/policy-document.js';
import type { SecurityGroup } from '@aws-sdk/client-ec2';
import { clusterFixture, startHarness, testSshKey, type Harness } from '../helpers/sim-reconcile.js';
import { parseModule, unresolved, type ParsedModule } from './terraform-helpers.js';

let h: Harness;
before(async () => {
  h = await startHarness({ speed: 100 });
});
after(async () => h?.close());

/** `type name` -> tags (or null where a resource has none of its own). */
type Inventory = Map<string, TagMap | null>;

const REF = /^\$\{(aws_[a-z0-9_]+)\.([A-Za-z0-9_-]+)\.[a-z_]+\}$/;

function body(module: ParsedModule, ref: string): Record<string, unknown> {
  const match = REF.exec(ref);
  assert.ok(match, `${ref} is a reference`);
  return module.resource![match[1]][match[2]][0];
}

const nameTag = (b: Record<string, unknown>): string => (b.tags as TagMap).Name;

/** What the module would make, named as AWS names it. */
function moduleInventory(module: ParsedModule): Inventory {
  const found: Inventory = new Map();
  const add = (type: string, name: string, tags: TagMap | null) => {
    assert.ok(!found.has(`${type} ${name}`), `${type} ${name} once`);
    found.set(`${type} ${name}`, tags);
  };
  for (const [type, byLabel] of Object.entries(module.resource ?? {})) {
    for (const [b] of Object.values(byLabel)) {
      const tags = (b.tags as TagMap | undefined) ?? null;
      switch (type) {
        case 'aws_vpc': case 'aws_subnet': case 'aws_internet_gateway': case 'aws_route_table': case 'aws_nat_gateway': case 'aws_eip': case 'aws_ebs_volume':
          add(type, nameTag(b), tags);
          break;
        case 'aws_autoscaling_group':
          add(type, b.name as string, Object.fromEntries((b.tag as { key: string; value: string }[]).map((t) => [t.key, t.value])));
          break;
        case 'aws_key_pair':
          add(type, b.key_name as string, tags);
          break;
        case 'aws_route53_record':
          add(type, `${b.name as string} ${b.type as string}`, null);
          break;
        case 'aws_lb_listener':
          add(type, String(b.port), null);
          break;
        case 'aws_route':
          add(type, `${nameTag(body(module, b.route_table_id as string))} ${b.destination_cidr_block as string}`, null);
          break;
        case 'aws_route_table_association':
          add(type, `${nameTag(body(module, b.subnet_id as string))} -> ${nameTag(body(module, b.route_table_id as string))}`, null);
          break;
        case 'aws_security_group_rule': {
          const group = body(module, b.security_group_id as string).name as string;
          const source = b.source_security_group_id ? (body(module, b.source_security_group_id as string).name as string) : [...((b.cidr_blocks ?? b.ipv6_cidr_blocks ?? b.prefix_list_ids) as string[])][0];
          add(type, `${group} ${b.type as string} ${b.protocol as string} ${b.from_port as number}-${b.to_port as number} ${source}`, null);
          break;
        }
        case 'aws_iam_role_policy':
          add(type, b.name as string, null);
          break;
        default:
          add(type, b.name as string, tags);
      }
    }
  }
  return found;
}

function ruleEntries(groups: SecurityGroup[]): string[] {
  const nameOf = (id: string | undefined) => groups.find((g) => g.GroupId === id)?.GroupName ?? `<unknown ${id}>`;
  const entries: string[] = [];
  for (const g of groups) {
    for (const [direction, permissions] of [['ingress', g.IpPermissions], ['egress', g.IpPermissionsEgress]] as const) {
      for (const p of permissions ?? []) {
        const all = p.IpProtocol === '-1';
        const head = `${g.GroupName} ${direction} ${p.IpProtocol} ${all ? 0 : p.FromPort}-${all ? 0 : p.ToPort}`;
        for (const r of p.IpRanges ?? []) entries.push(`${head} ${r.CidrIp}`);
        for (const r of p.Ipv6Ranges ?? []) entries.push(`${head} ${r.CidrIpv6}`);
        for (const r of p.PrefixListIds ?? []) entries.push(`${head} ${r.PrefixListId}`);
        for (const r of p.UserIdGroupPairs ?? []) entries.push(`${head} ${nameOf(r.GroupId)}`);
      }
    }
  }
  return entries;
}

/** What the simulator has after the direct apply, as discovery sees it. */
function cloudInventory(s: ClusterSnapshot): Inventory {
  const found: Inventory = new Map();
  const add = (type: string, name: string, tags: TagMap | null) => found.set(`${type} ${name}`, tags);
  const byName = (type: string, items: { Tags?: { Key?: string; Value?: string }[] }[]) => {
    for (const item of items) add(type, fromTagList(item.Tags).Name, fromTagList(item.Tags));
  };
  byName('aws_vpc', s.vpcs);
  byName('aws_subnet', s.subnets);
  byName('aws_internet_gateway', s.internetGateways);
  byName('aws_route_table', s.routeTables);
  byName('aws_nat_gateway', (s.natGateways ?? []).filter((g) => g.State === 'available' || g.State === 'pending'));
  byName('aws_eip', s.addresses ?? []);
  byName('aws_ebs_volume', s.volumes ?? []);
  for (const g of s.securityGroups) add('aws_security_group', g.GroupName!, fromTagList(g.Tags));
  for (const rule of ruleEntries(s.securityGroups)) add('aws_security_group_rule', rule, null);
  const tableName = new Map(s.routeTables.map((t) => [t.RouteTableId!, fromTagList(t.Tags).Name]));
  const subnetName = new Map(s.subnets.map((n) => [n.SubnetId!, fromTagList(n.Tags).Name]));
  for (const t of s.routeTables) {
    for (const r of t.Routes ?? []) if (r.GatewayId !== 'local' && r.DestinationCidrBlock) add('aws_route', `${tableName.get(t.RouteTableId!)} ${r.DestinationCidrBlock}`, null);
    for (const a of t.Associations ?? []) if (a.SubnetId) add('aws_route_table_association', `${subnetName.get(a.SubnetId)} -> ${tableName.get(t.RouteTableId!)}`, null);
  }
  for (const t of s.launchTemplates) add('aws_launch_template', t.template.LaunchTemplateName!, fromTagList(t.template.Tags));
  for (const g of s.autoScalingGroups) add('aws_autoscaling_group', g.AutoScalingGroupName!, Object.fromEntries((g.Tags ?? []).map((t) => [t.Key!, t.Value ?? ''])));
  for (const r of s.iamRoles ?? []) {
    if (r.role) add('aws_iam_role', r.name, fromTagList(r.role.Tags));
    if (r.profile) add('aws_iam_instance_profile', r.name, fromTagList(r.profile.Tags));
    if (r.policy !== null) add('aws_iam_role_policy', r.name, null);
  }
  for (const k of s.keyPairs ?? []) add('aws_key_pair', k.KeyName!, fromTagList(k.Tags));
  if (s.hostedZone) add('aws_route53_zone', s.hostedZone.Name!.replace(/\.$/, ''), null);
  for (const r of s.apiRecords) add('aws_route53_record', `${r.Name!.replace(/\.$/, '')} ${r.Type}`, null);
  const lb = s.apiLoadBalancing;
  if (lb?.loadBalancer) add('aws_lb', lb.loadBalancer.description.LoadBalancerName!, lb.loadBalancer.tags);
  for (const g of lb?.targetGroups ?? []) add('aws_lb_target_group', g.description.TargetGroupName!, g.tags);
  for (const l of lb?.listeners ?? []) add('aws_lb_listener', String(l.Port), null);
  return found;
}

/** Renders the bundle, applies it directly, and compares the two: every type in `exercised` must be among them. */
async function compareWithDirect(bundle: ReturnType<typeof clusterFixture>, exercised: string[]): Promise<{ module: ParsedModule; snapshot: ClusterSnapshot }> {
  const key = testSshKey();
  const input = { cluster: bundle.cluster, instanceGroups: bundle.instanceGroups, clients: h.clients, clock: h.clock, sshPublicKeys: [key] };
  const rendered = await clusterTerraform(input);
  const module = await parseModule(rendered.files.get('kubernetes.tf')!);
  assert.deepEqual(unresolved(module, rendered.files), []);
  assert.deepEqual(rendered.existing, [], 'rendered before anything existed');

  const applied = await applyCluster(input);
  assert.ok(applied.ok, applied.failed.map((f) => `${f.key}: ${f.error.message}`).join('\n'));
  const snapshot = (await planCluster(input)).context.snapshot;

  const ours = moduleInventory(module);
  const cloud = cloudInventory(snapshot);
  const types = new Set([...ours.keys()].map((k) => k.split(' ')[0]));
  for (const type of exercised) assert.ok(types.has(type), `the spec exercises ${type}`);
  assert.deepEqual([...ours.keys()].sort(), [...cloud.keys()].sort(), 'the same resources');
  for (const [name, tags] of ours) if (tags) assert.deepEqual(cloud.get(name), tags, `${name}: the same tags`);

  // What machines boot with, and what they may do: byte for byte, document for document.
  for (const state of snapshot.launchTemplates) {
    const name = state.template.LaunchTemplateName!;
    const file = rendered.files.get(`data/aws_launch_template_${name}_user_data`);
    assert.equal(file, decodeUserData(state.latest!.LaunchTemplateData!.UserData), `${name}: the same user-data`);
  }
  for (const role of snapshot.iamRoles ?? []) {
    if (role.policy === null) continue;
    const file = rendered.files.get(`data/aws_iam_role_policy_${role.name}_policy`)!;
    assert.equal(stableJson(JSON.parse(file)), normalisePolicyText(role.policy), `${role.name}: the same policy`);
  }
  return { module, snapshot };
}

test('the module and a direct apply make the same cluster: names, tags, rules, routes, user-data, policies', async () => {
  const bundle = clusterFixture({ name: 'direct.example.com', zones: ['us-east-1a', 'us-east-1b'], topology: 'private', bastion: true, controlPlaneCount: 1, nodeCount: 2, dnsZone: 'example.com' });
  await compareWithDirect(bundle, ['aws_nat_gateway', 'aws_eip', 'aws_lb', 'aws_lb_target_group', 'aws_lb_listener', 'aws_route53_zone', 'aws_route53_record', 'aws_key_pair', 'aws_ebs_volume', 'aws_iam_role_policy']);
});

test('with DNS and no API load balancer, the api record (a plain A record, the DNSName task) is the same both ways', async () => {
  // A zone of its own, made both ways (an existing zone is an input of the module, not one of its resources).
  const bundle = clusterFixture({ name: 'dnsname.zone2.example.com', zones: ['us-east-1a'], controlPlaneCount: 1, nodeCount: 1, dnsZone: 'zone2.example.com' });
  const { module, snapshot } = await compareWithDirect(bundle, ['aws_route53_zone', 'aws_route53_record', 'aws_key_pair', 'aws_launch_template']);
  assert.equal(module.resource?.aws_lb, undefined, 'no API load balancer');
  const [record] = Object.values(module.resource!.aws_route53_record).map(([b]) => b);
  const [applied] = snapshot.apiRecords.filter((r) => r.Type === 'A');
  assert.equal(record.type, 'A');
  assert.equal(record.ttl, applied.TTL, 'the same TTL');
  assert.deepEqual(record.records, (applied.ResourceRecords ?? []).map((r) => r.Value), 'the same addresses (the placeholder, before a control-plane node runs)');
});

test('without DNS, user-data names the load balancer Terraform makes: the module fills in its dns_name as a direct apply does', async () => {
  const bundle = clusterFixture({ name: 'nodns.k8s.local', zones: ['us-east-1a'], controlPlaneCount: 1, nodeCount: 1 });
  const input = { cluster: bundle.cluster, instanceGroups: bundle.instanceGroups, clients: h.clients, clock: h.clock, sshPublicKeys: [testSshKey()] };
  const rendered = await clusterTerraform(input);
  const module = await parseModule(rendered.files.get('kubernetes.tf')!);
  assert.deepEqual(unresolved(module, rendered.files), []);
  const [lbLabel] = Object.keys(module.resource!.aws_lb);
  const applied = await applyCluster(input);
  assert.ok(applied.ok, applied.failed.map((f) => `${f.key}: ${f.error.message}`).join('\n'));
  const snapshot = (await planCluster(input)).context.snapshot;
  const dnsName = snapshot.apiLoadBalancing!.loadBalancer!.description.DNSName!.toLowerCase();
  for (const state of snapshot.launchTemplates) {
    const name = state.template.LaunchTemplateName!;
    const label = name.replace(/\./g, '-');
    const fileName = `aws_launch_template_${name}_user_data`;
    // Read as text, the placeholder replaced by the load balancer's name when Terraform applies, then encoded.
    assert.equal(
      module.resource!.aws_launch_template[label][0].user_data,
      `\${base64gzip(replace(file("\${path.module}/data/${fileName}"), "api-load-balancer.pending.invalid", lower(aws_lb.${lbLabel}.dns_name)))}`,
    );
    const file = rendered.files.get(`data/${fileName}`)!;
    assert.match(file, /api-load-balancer\.pending\.invalid/);
    assert.equal(file.replaceAll('api-load-balancer.pending.invalid', dnsName), decodeUserData(state.latest!.LaunchTemplateData!.UserData), `${name}: the same user-data once Terraform fills in the name`);
  }
});
