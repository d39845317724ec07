// The module `update cluster --target terraform` writes for specs equivalent
// to kops' minimal-1.36 and ha inputs, against the simulator: it parses as
// HCL2, every reference and data file resolves, its resources are kops' by
// type and name (each difference listed below with its reason), the same
// input gives the same bytes, and nothing is created in the cloud.
//
// The expected lists are data derived from kubernetes/kops
// tests/integration/update_cluster/minimal-1.36/kubernetes.tf and
// ha/kubernetes.tf (every `resource` block but the aws_s3_object ones, which
// are counted), with the zone us-test-1 written as the simulator's us-east-1.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateHostedZoneCommand } from '@aws-sdk/client-route-53';
import { DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { clusterTerraform } from '../../src/engine/terraform/cluster-terraform.js';
import type { ClusterBundle } from '../../src/engine/spec/types.js';
import type { SshPublicKey } from '../../src/engine/ssh/public-key.js';
import { startHarness, testSshKey, type Harness } from '../helpers/sim-reconcile.js';
import { kopsHaSpec, kopsMinimalSpec, parseModule, resourceBody, resourceNames, unresolved, type ParsedModule } from './terraform-helpers.js';

/** kops' test key's fingerprint in its key pair's label; the tests use a key of their own (FINGERPRINT is put in its place). */
const KOPS_FINGERPRINT = 'c4a6ed9aa889b9e2c39cd663eb9c7157';

const KOPS_MINIMAL_136 = [
  'aws_autoscaling_group master-us-east-1a-masters-minimal-example-com',
  'aws_autoscaling_group nodes-minimal-example-com',
  'aws_autoscaling_lifecycle_hook master-us-east-1a-NTHLifecycleHook',
  'aws_autoscaling_lifecycle_hook nodes-NTHLifecycleHook',
  'aws_cloudwatch_event_rule minimal-example-com-ASGLifecycle',
  'aws_cloudwatch_event_rule minimal-example-com-InstanceScheduledChange',
  'aws_cloudwatch_event_rule minimal-example-com-InstanceStateChange',
  'aws_cloudwatch_event_rule minimal-example-com-SpotInterruption',
  'aws_cloudwatch_event_target minimal-example-com-ASGLifecycle-Target',
  'aws_cloudwatch_event_target minimal-example-com-InstanceScheduledChange-Target',
  'aws_cloudwatch_event_target minimal-example-com-InstanceStateChange-Target',
  'aws_cloudwatch_event_target minimal-example-com-SpotInterruption-Target',
  'aws_ebs_volume a-etcd-events-minimal-example-com',
  'aws_ebs_volume a-etcd-main-minimal-example-com',
  'aws_iam_instance_profile masters-minimal-example-com',
  'aws_iam_instance_profile nodes-minimal-example-com',
  'aws_iam_role masters-minimal-example-com',
  'aws_iam_role nodes-minimal-example-com',
  'aws_iam_role_policy masters-minimal-example-com',
  'aws_iam_role_policy nodes-minimal-example-com',
  'aws_internet_gateway minimal-example-com',
  'aws_key_pair kubernetes-minimal-example-com-c4a6ed9aa889b9e2c39cd663eb9c7157',
  'aws_launch_template master-us-east-1a-masters-minimal-example-com',
  'aws_launch_template nodes-minimal-example-com',
  'aws_route route-0-0-0-0--0',
  'aws_route route-__--0',
  'aws_route_table minimal-example-com',
  'aws_route_table_association us-east-1a-minimal-example-com',
  'aws_security_group masters-minimal-example-com',
  'aws_security_group nodes-minimal-example-com',
  'aws_security_group_rule from-0-0-0-0--0-ingress-tcp-22to22-masters-minimal-example-com',
  'aws_security_group_rule from-0-0-0-0--0-ingress-tcp-22to22-nodes-minimal-example-com',
  'aws_security_group_rule from-0-0-0-0--0-ingress-tcp-443to443-masters-minimal-example-com',
  'aws_security_group_rule from-__--0-ingress-tcp-22to22-masters-minimal-example-com',
  'aws_security_group_rule from-__--0-ingress-tcp-22to22-nodes-minimal-example-com',
  'aws_security_group_rule from-__--0-ingress-tcp-443to443-masters-minimal-example-com',
  'aws_security_group_rule from-masters-minimal-example-com-egress-all-0to0-0-0-0-0--0',
  'aws_security_group_rule from-masters-minimal-example-com-egress-all-0to0-__--0',
  'aws_security_group_rule from-masters-minimal-example-com-ingress-all-0to0-masters-minimal-example-com',
  'aws_security_group_rule from-masters-minimal-example-com-ingress-all-0to0-nodes-minimal-example-com',
  'aws_security_group_rule from-nodes-minimal-example-com-egress-all-0to0-0-0-0-0--0',
  'aws_security_group_rule from-nodes-minimal-example-com-egress-all-0to0-__--0',
  'aws_security_group_rule from-nodes-minimal-example-com-ingress-all-0to0-nodes-minimal-example-com',
  'aws_security_group_rule from-nodes-minimal-example-com-ingress-tcp-1to2379-masters-minimal-example-com',
  'aws_security_group_rule from-nodes-minimal-example-com-ingress-tcp-2382to4000-masters-minimal-example-com',
  'aws_security_group_rule from-nodes-minimal-example-com-ingress-tcp-4003to65535-masters-minimal-example-com',
  'aws_security_group_rule from-nodes-minimal-example-com-ingress-udp-1to65535-masters-minimal-example-com',
  'aws_sqs_queue minimal-example-com-nth',
  'aws_subnet us-east-1a-minimal-example-com',
  'aws_vpc minimal-example-com',
  'aws_vpc_dhcp_options minimal-example-com',
  'aws_vpc_dhcp_options_association minimal-example-com',
];
const KOPS_MINIMAL_136_S3_OBJECTS = 20;

const KOPS_HA = [
  'aws_autoscaling_group master-us-east-1a-masters-ha-example-com',
  'aws_autoscaling_group master-us-east-1b-masters-ha-example-com',
  'aws_autoscaling_group master-us-east-1c-masters-ha-example-com',
  'aws_autoscaling_group nodes-ha-example-com',
  'aws_autoscaling_lifecycle_hook master-us-east-1a-NTHLifecycleHook',
  'aws_autoscaling_lifecycle_hook master-us-east-1b-NTHLifecycleHook',
  'aws_autoscaling_lifecycle_hook master-us-east-1c-NTHLifecycleHook',
  'aws_autoscaling_lifecycle_hook nodes-NTHLifecycleHook',
  'aws_cloudwatch_event_rule ha-example-com-ASGLifecycle',
  'aws_cloudwatch_event_rule ha-example-com-InstanceScheduledChange',
  'aws_cloudwatch_event_rule ha-example-com-InstanceStateChange',
  'aws_cloudwatch_event_rule ha-example-com-SpotInterruption',
  'aws_cloudwatch_event_target ha-example-com-ASGLifecycle-Target',
  'aws_cloudwatch_event_target ha-example-com-InstanceScheduledChange-Target',
  'aws_cloudwatch_event_target ha-example-com-InstanceStateChange-Target',
  'aws_cloudwatch_event_target ha-example-com-SpotInterruption-Target',
  'aws_ebs_volume a-etcd-events-ha-example-com',
  'aws_ebs_volume a-etcd-main-ha-example-com',
  'aws_ebs_volume b-etcd-events-ha-example-com',
  'aws_ebs_volume b-etcd-main-ha-example-com',
  'aws_ebs_volume c-etcd-events-ha-example-com',
  'aws_ebs_volume c-etcd-main-ha-example-com',
  'aws_iam_instance_profile masters-ha-example-com',
  'aws_iam_instance_profile nodes-ha-example-com',
  'aws_iam_role masters-ha-example-com',
  'aws_iam_role nodes-ha-example-com',
  'aws_iam_role_policy masters-ha-example-com',
  'aws_internet_gateway ha-example-com',
  'aws_key_pair kubernetes-ha-example-com-c4a6ed9aa889b9e2c39cd663eb9c7157',
  'aws_launch_template master-us-east-1a-masters-ha-example-com',
  'aws_launch_template master-us-east-1b-masters-ha-example-com',
  'aws_launch_template master-us-east-1c-masters-ha-example-com',
  'aws_launch_template nodes-ha-example-com',
  'aws_route route-0-0-0-0--0',
  'aws_route route-__--0',
  'aws_route_table ha-example-com',
  'aws_route_table_association us-east-1a-ha-example-com',
  'aws_route_table_association us-east-1b-ha-example-com',
  'aws_route_table_association us-east-1c-ha-example-com',
  'aws_security_group masters-ha-example-com',
  'aws_security_group nodes-ha-example-com',
  'aws_security_group_rule from-0-0-0-0--0-ingress-tcp-22to22-masters-ha-example-com',
  'aws_security_group_rule from-0-0-0-0--0-ingress-tcp-22to22-nodes-ha-example-com',
  'aws_security_group_rule from-0-0-0-0--0-ingress-tcp-443to443-masters-ha-example-com',
  'aws_security_group_rule from-masters-ha-example-com-egress-all-0to0-0-0-0-0--0',
  'aws_security_group_rule from-masters-ha-example-com-egress-all-0to0-__--0',
  'aws_security_group_rule from-masters-ha-example-com-ingress-all-0to0-masters-ha-example-com',
  'aws_security_group_rule from-masters-ha-example-com-ingress-all-0to0-nodes-ha-example-com',
  'aws_security_group_rule from-nodes-ha-example-com-egress-all-0to0-0-0-0-0--0',
  'aws_security_group_rule from-nodes-ha-example-com-egress-all-0to0-__--0',
  'aws_security_group_rule from-nodes-ha-example-com-ingress-all-0to0-nodes-ha-example-com',
  'aws_security_group_rule from-nodes-ha-example-com-ingress-tcp-1to2379-masters-ha-example-com',
  'aws_security_group_rule from-nodes-ha-example-com-ingress-tcp-2382to4000-masters-ha-example-com',
  'aws_security_group_rule from-nodes-ha-example-com-ingress-tcp-4003to65535-masters-ha-example-com',
  'aws_security_group_rule from-nodes-ha-example-com-ingress-udp-1to65535-masters-ha-example-com',
  'aws_sqs_queue ha-example-com-nth',
  'aws_subnet us-east-1a-ha-example-com',
  'aws_subnet us-east-1b-ha-example-com',
  'aws_subnet us-east-1c-ha-example-com',
  'aws_vpc ha-example-com',
  'aws_vpc_dhcp_options ha-example-com',
  'aws_vpc_dhcp_options_association ha-example-com',
];
const KOPS_HA_S3_OBJECTS = 26;

/** Why kops' module has a resource kopsdeck's has not, by resource type (or `type name`). */
const ONLY_IN_KOPS: Record<string, string> = {
  aws_autoscaling_lifecycle_hook: "the Node Termination Handler's termination hooks: kopsdeck does not install that add-on (its rolling update drains nodes itself)",
  aws_cloudwatch_event_rule: "the Node Termination Handler's queue processor: not installed",
  aws_cloudwatch_event_target: "the Node Termination Handler's queue processor: not installed",
  aws_sqs_queue: "the Node Termination Handler's queue: not installed",
  aws_vpc_dhcp_options: "kops sets the region's default domain name explicitly; kopsdeck keeps the VPC's default DHCP options, which carry the same name",
  aws_vpc_dhcp_options_association: 'no DHCP options of its own to associate',
  'aws_route route-__--0': 'kops gives the VPC an Amazon IPv6 block and routes ::/0; kopsdeck clusters are IPv4-only',
};

/**
 * kops' aws_s3_object resources are nodeup's configuration, add-on and static
 * manifests, cluster-completed.spec and kops-version.txt. kopsdeck's machines
 * boot with kubeadm from their user-data and read only the cluster's secrets
 * from the state store; those stay in the store (as kops keeps its keystore out
 * of Terraform), never in the module. So the module has no S3 objects, and no
 * `aws.files` provider alias for them.
 */
const S3_OBJECTS_IN_KOPSDECK = 0;

/** Why kopsdeck's module has a resource kops' has not. */
const ONLY_IN_KOPSDECK = (cluster: string): Record<string, string> => ({
  [`aws_route53_record api-${cluster}`]: "kops' dns-controller writes api.<cluster> from inside the cluster; kopsdeck runs none, so the record is part of the module (the control plane's addresses, or the placeholder before there are any)",
});

function explain(names: string[], reasons: Record<string, string>): { unexplained: string[]; used: Set<string> } {
  const used = new Set<string>();
  const unexplained: string[] = [];
  for (const name of names) {
    const key = name in reasons ? name : name.split(' ')[0];
    if (key in reasons) used.add(key);
    else unexplained.push(name);
  }
  return { unexplained, used };
}

/** kops' list against the module's: every difference explained, every explanation used. */
function compareWithKops(module: ParsedModule, kops: string[], kopsS3Objects: number, onlyKopsdeck: Record<string, string>, fingerprint: string): void {
  const expected = new Set(kops.map((n) => n.replace(KOPS_FINGERPRINT, fingerprint)));
  const ours = resourceNames(module);
  const missing = [...expected].filter((n) => !ours.includes(n));
  const extra = ours.filter((n) => !expected.has(n));
  const kopsSide = explain(missing, ONLY_IN_KOPS);
  const oursSide = explain(extra, onlyKopsdeck);
  assert.deepEqual(kopsSide.unexplained, [], "kops' resources the module lacks without a reason");
  assert.deepEqual(oursSide.unexplained, [], "the module's resources kops' lacks without a reason");
  assert.deepEqual([...oursSide.used].sort(), Object.keys(onlyKopsdeck).sort(), 'every kopsdeck-only reason still applies');
  const s3 = Object.keys(module.resource?.aws_s3_object ?? {}).length;
  assert.equal(s3, S3_OBJECTS_IN_KOPSDECK, `kops writes ${kopsS3Objects} S3 objects; kopsdeck's module has ${S3_OBJECTS_IN_KOPSDECK} (see S3_OBJECTS_IN_KOPSDECK)`);
}

/**
 * The top-level arguments kops writes for each type both modules have
 * (minimal-1.36/kubernetes.tf, every resource of the type together).
 */
const KOPS_ARGUMENTS: Record<string, string[]> = {
  aws_autoscaling_group: ['enabled_metrics', 'launch_template', 'max_instance_lifetime', 'max_size', 'metrics_granularity', 'min_size', 'name', 'protect_from_scale_in', 'tag', 'vpc_zone_identifier'],
  aws_ebs_volume: ['availability_zone', 'encrypted', 'iops', 'size', 'tags', 'throughput', 'type'],
  aws_iam_instance_profile: ['name', 'role', 'tags'],
  aws_iam_role: ['assume_role_policy', 'name', 'tags'],
  aws_iam_role_policy: ['name', 'policy', 'role'],
  aws_internet_gateway: ['tags', 'vpc_id'],
  aws_key_pair: ['key_name', 'public_key', 'tags'],
  aws_launch_template: ['block_device_mappings', 'iam_instance_profile', 'image_id', 'instance_type', 'key_name', 'lifecycle', 'metadata_options', 'monitoring', 'name', 'network_interfaces', 'tag_specifications', 'tags', 'user_data'],
  aws_route: ['destination_cidr_block', 'destination_ipv6_cidr_block', 'gateway_id', 'route_table_id'],
  aws_route_table: ['tags', 'vpc_id'],
  aws_route_table_association: ['route_table_id', 'subnet_id'],
  aws_security_group: ['description', 'name', 'tags', 'vpc_id'],
  aws_security_group_rule: ['cidr_blocks', 'from_port', 'ipv6_cidr_blocks', 'protocol', 'security_group_id', 'source_security_group_id', 'to_port', 'type'],
  aws_subnet: ['availability_zone', 'cidr_block', 'enable_resource_name_dns_a_record_on_launch', 'private_dns_hostname_type_on_launch', 'tags', 'vpc_id'],
  aws_vpc: ['assign_generated_ipv6_cidr_block', 'cidr_block', 'enable_dns_hostnames', 'enable_dns_support', 'tags'],
};

/**
 * Arguments kops writes that the module leaves out, and why. The module makes
 * what a direct update makes (same-as-direct.test.ts), so a setting the
 * direct update does not make is not written either.
 */
const ARGUMENTS_ONLY_IN_KOPS: Record<string, string> = {
  'aws_autoscaling_group.enabled_metrics': "kops turns on the groups' CloudWatch metrics; kopsdeck's groups do not publish them",
  'aws_autoscaling_group.metrics_granularity': 'goes with enabled_metrics',
  'aws_autoscaling_group.max_instance_lifetime': "kops writes AWS's default (0, no limit)",
  'aws_autoscaling_group.protect_from_scale_in': "kops writes AWS's default (false)",
  'aws_launch_template.monitoring': "kops writes AWS's default (detailed monitoring off)",
  'aws_route.destination_ipv6_cidr_block': 'the ::/0 route: kopsdeck clusters are IPv4-only',
  'aws_vpc.assign_generated_ipv6_cidr_block': 'an Amazon IPv6 block: kopsdeck clusters are IPv4-only',
  'aws_subnet.enable_resource_name_dns_a_record_on_launch': "kops gives instances resource-name hostnames (i-….ec2.internal); a direct update keeps the subnet's AWS default (IP-based names), and the module makes the same subnet",
  'aws_subnet.private_dns_hostname_type_on_launch': 'goes with enable_resource_name_dns_a_record_on_launch',
};

let h: Harness;
let key: SshPublicKey;
before(async () => {
  h = await startHarness({ speed: 100 });
  key = testSshKey();
});
after(async () => h?.close());

async function render(bundle: ClusterBundle) {
  return clusterTerraform({ cluster: bundle.cluster, instanceGroups: bundle.instanceGroups, clients: h.clients, clock: h.clock, sshPublicKeys: [key] });
}

async function cloudCounts(): Promise<{ vpcs: number; groups: number }> {
  const vpcs = await h.clients.ec2.send(new DescribeVpcsCommand({}));
  const groups = await h.clients.autoscaling.send(new DescribeAutoScalingGroupsCommand({}));
  return { vpcs: vpcs.Vpcs?.length ?? 0, groups: groups.AutoScalingGroups?.length ?? 0 };
}

const fingerprintOf = (k: SshPublicKey): string => k.fingerprint.replace(/:/g, '');

test('minimal-1.36: parses as HCL2, resolves, matches kops by type and name, and creates nothing', async () => {
  // kops takes the hosted zone as it exists: so does the module (no aws_route53_zone; records name the zone by id).
  const zone = await h.clients.route53.send(new CreateHostedZoneCommand({ Name: 'example.com', CallerReference: 'terraform-test' }));
  const zoneId = zone.HostedZone!.Id!.replace('/hostedzone/', '');
  const before = await cloudCounts();
  const first = await render(kopsMinimalSpec());
  const module = await parseModule(first.files.get('kubernetes.tf')!);
  assert.deepEqual(unresolved(module, first.files), []);
  compareWithKops(module, KOPS_MINIMAL_136, KOPS_MINIMAL_136_S3_OBJECTS, ONLY_IN_KOPSDECK('minimal-example-com'), fingerprintOf(key));
  assert.equal(resourceBody(module, 'aws_route53_record', 'api-minimal-example-com').zone_id, zoneId);
  assert.deepEqual(await cloudCounts(), before, 'no VPC and no auto scaling group was created');
  // The same input, the same bytes.
  const second = await render(kopsMinimalSpec());
  assert.deepEqual([...second.files.keys()], [...first.files.keys()]);
  for (const [path, content] of first.files) assert.equal(second.files.get(path), content, `${path} is byte-identical`);
});

test('ha: matches kops by type and name; a missing hosted zone is made by the module', async () => {
  const bundle = kopsHaSpec();
  bundle.cluster.spec.dnsZone = 'ha-zone.example.net';
  const first = await render(bundle);
  const module = await parseModule(first.files.get('kubernetes.tf')!);
  assert.deepEqual(unresolved(module, first.files), []);
  compareWithKops(module, KOPS_HA, KOPS_HA_S3_OBJECTS, {
    ...ONLY_IN_KOPSDECK('ha-example-com'),
    'aws_route53_zone ha-zone-example-net': 'the zone does not exist: kopsdeck makes it, as a direct update does (kops requires it to exist)',
    'aws_iam_role_policy nodes-ha-example-com': "kops' ha fixture gives its nodes no inline policy; kopsdeck's workers need theirs to read the CA and the bootstrap token from the state store",
  }, fingerprintOf(key));
  assert.equal(resourceBody(module, 'aws_route53_record', 'api-ha-example-com').zone_id, '${aws_route53_zone.ha-zone-example-net.zone_id}');
});

test("kops' conventions: locals mirrored by outputs, the provider, launch templates and auto scaling groups", async () => {
  const result = await render(kopsHaSpec());
  const module = await parseModule(result.files.get('kubernetes.tf')!);
  const locals = module.locals?.[0] ?? {};
  const outputs = Object.fromEntries(Object.entries(module.output ?? {}).map(([name, [o]]) => [name, o.value]));
  assert.deepEqual(outputs, locals, 'every local is an output with the same value');
  assert.deepEqual(Object.keys(locals).sort(), [
    'cluster_name', 'master_autoscaling_group_ids', 'master_security_group_ids', 'masters_role_arn', 'masters_role_name',
    'node_autoscaling_group_ids', 'node_security_group_ids', 'node_subnet_ids', 'nodes_role_arn', 'nodes_role_name', 'region',
    'route_table_public_id', 'subnet_us-east-1a_id', 'subnet_us-east-1b_id', 'subnet_us-east-1c_id', 'vpc_cidr_block', 'vpc_id',
  ]);
  assert.equal(locals.cluster_name, 'ha.example.com');
  assert.equal((locals.master_autoscaling_group_ids as string[]).length, 3);
  assert.equal((locals.node_subnet_ids as string[]).length, 3);
  assert.deepEqual(module.provider?.aws, [{ region: 'us-east-1' }]);
  const required = (module.terraform?.[0] as { required_providers: { aws: { source: string } }[] }).required_providers[0].aws;
  assert.equal(required.source, 'hashicorp/aws');
  // kops' block as written (required_version first), less its `"configuration_aliases" = [aws.files]`: no S3 objects, no aws.files (S3_OBJECTS_IN_KOPSDECK).
  const text = result.files.get('kubernetes.tf')!;
  assert.equal(
    text.slice(text.lastIndexOf('\nterraform {') + 1),
    ['terraform {', '  required_version = ">= 0.15.0"', '  required_providers {', '    aws = {', '      "source"  = "hashicorp/aws"', '      "version" = ">= 5.0.0"', '    }', '  }', '}', ''].join('\n'),
  );
  for (const [label, [template]] of Object.entries(module.resource!.aws_launch_template)) {
    assert.deepEqual(template.lifecycle, [{ create_before_destroy: true }], `${label}: create_before_destroy`);
    // kops reads its (short) user-data with filebase64(); kopsdeck's carries its scripts, and is gzipped as a direct apply sends it.
    assert.match(String(template.user_data), /^\$\{base64gzip\(file\("\$\{path\.module\}\/data\/aws_launch_template_.*_user_data"\)\)\}$/);
  }
  for (const [label, [group]] of Object.entries(module.resource!.aws_autoscaling_group)) {
    const [template] = group.launch_template as { id: string; version: string }[];
    assert.equal(template.version, `\${aws_launch_template.${label}.latest_version}`, `${label} follows the template's latest version`);
  }
  // Policies and user-data are files, never inline: what a reviewer reads in a pull request.
  const policy = JSON.parse(result.files.get('data/aws_iam_role_policy_masters.ha.example.com_policy')!) as { Statement: unknown[] };
  assert.ok(policy.Statement.length > 0);
  assert.match(result.files.get('data/aws_launch_template_nodes.ha.example.com_user_data')!, /^#cloud-config\n# kopsdeck bootstrap: Node nodes of ha\.example\.com/);
});

test("the arguments of each resource type are kops', each one left out justified", async () => {
  const result = await render(kopsMinimalSpec());
  const module = await parseModule(result.files.get('kubernetes.tf')!);
  const missing: string[] = [];
  const extra: string[] = [];
  for (const [type, kops] of Object.entries(KOPS_ARGUMENTS)) {
    const resources = Object.values(module.resource?.[type] ?? {});
    assert.ok(resources.length > 0, `the module has ${type}`);
    const ours = new Set(resources.flatMap(([body]) => Object.keys(body)));
    missing.push(...kops.filter((a) => !ours.has(a)).map((a) => `${type}.${a}`));
    extra.push(...[...ours].filter((a) => !kops.includes(a)).map((a) => `${type}.${a}`));
  }
  assert.deepEqual(extra, [], 'no argument kops does not write');
  assert.deepEqual(missing.sort(), Object.keys(ARGUMENTS_ONLY_IN_KOPS).sort(), 'every argument left out is justified, and every justification still applies');
});
