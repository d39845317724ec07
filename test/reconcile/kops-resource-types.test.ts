// What kopsdeck creates on AWS for three layouts kops publishes as golden
// files, compared type by type with what kops creates for them. The kops
// lists are written by hand from kubernetes/kops
// tests/integration/update_cluster/minimal-1.36/kubernetes.tf,
// minimal-dns-none/kubernetes.tf and ha/kubernetes.tf (the `resource` blocks,
// counted by type); every difference
// is listed below with the reason for it, so a new one fails this test until
// it is explained.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { planCluster } from '../../src/engine/reconcile/cluster.js';
import { countByKind } from '../../src/engine/reconcile/plan.js';
import { clusterFixture, startHarness, testSshKey, type Harness } from '../helpers/sim-reconcile.js';

/** minimal-1.36: one zone, one control-plane node, one worker group; DNS API (api.dns), an SSH key. */
const KOPS_MINIMAL_136: Record<string, number> = {
  aws_autoscaling_group: 2,
  aws_autoscaling_lifecycle_hook: 2,
  aws_cloudwatch_event_rule: 4,
  aws_cloudwatch_event_target: 4,
  aws_ebs_volume: 2,
  aws_iam_instance_profile: 2,
  aws_iam_role: 2,
  aws_iam_role_policy: 2,
  aws_internet_gateway: 1,
  aws_key_pair: 1,
  aws_launch_template: 2,
  aws_route: 2,
  aws_route_table: 1,
  aws_route_table_association: 1,
  aws_s3_object: 20,
  aws_security_group: 2,
  aws_security_group_rule: 17,
  aws_sqs_queue: 1,
  aws_subnet: 1,
  aws_vpc: 1,
  aws_vpc_dhcp_options: 1,
  aws_vpc_dhcp_options_association: 1,
};

/** ha: three zones, a control-plane node in each, one worker group; DNS API, an SSH key, one access CIDR. */
const KOPS_HA: Record<string, number> = {
  aws_autoscaling_group: 4,
  aws_autoscaling_lifecycle_hook: 4,
  aws_cloudwatch_event_rule: 4,
  aws_cloudwatch_event_target: 4,
  aws_ebs_volume: 6,
  aws_iam_instance_profile: 2,
  aws_iam_role: 2,
  aws_iam_role_policy: 1,
  aws_internet_gateway: 1,
  aws_key_pair: 1,
  aws_launch_template: 4,
  aws_route: 2,
  aws_route_table: 1,
  aws_route_table_association: 3,
  aws_s3_object: 26,
  aws_security_group: 2,
  aws_security_group_rule: 14,
  aws_sqs_queue: 1,
  aws_subnet: 3,
  aws_vpc: 1,
  aws_vpc_dhcp_options: 1,
  aws_vpc_dhcp_options_association: 1,
};

/** minimal-dns-none: minimal-1.36 without DNS, the API behind a network load balancer (kops' layout for .k8s.local clusters too). */
const KOPS_MINIMAL_DNS_NONE: Record<string, number> = {
  ...KOPS_MINIMAL_136,
  aws_lb: 1,
  aws_lb_listener: 2,
  aws_lb_target_group: 2,
  aws_security_group: 3,
  aws_security_group_rule: 26,
};

/** kopsdeck's task kinds as Terraform's resource types; null: no Terraform resource in kops' output. */
const TERRAFORM_TYPE: Record<string, string | null> = {
  AutoscalingGroup: 'aws_autoscaling_group',
  EBSVolume: 'aws_ebs_volume',
  IAMInstanceProfile: 'aws_iam_instance_profile',
  IAMRole: 'aws_iam_role',
  IAMRolePolicy: 'aws_iam_role_policy',
  InternetGateway: 'aws_internet_gateway',
  SSHKey: 'aws_key_pair',
  LaunchTemplate: 'aws_launch_template',
  Route: 'aws_route',
  RouteTable: 'aws_route_table',
  RouteTableAssociation: 'aws_route_table_association',
  SecurityGroup: 'aws_security_group',
  NetworkLoadBalancer: 'aws_lb',
  NetworkLoadBalancerListener: 'aws_lb_listener',
  TargetGroup: 'aws_lb_target_group',
  SecurityGroupRule: 'aws_security_group_rule',
  Subnet: 'aws_subnet',
  VPC: 'aws_vpc',
  // kops takes an existing hosted zone and leaves the api record to dns-controller
  // on the cluster; kopsdeck makes the zone when missing and the record itself.
  DNSZone: null,
  DNSName: null,
  DNSAlias: null,
};

/**
 * Every difference, by Terraform type: kops' count minus kopsdeck's, and why.
 * Types kopsdeck never creates have kops' full count here.
 */
const JUSTIFIED = (kops: Record<string, number>, layout: 'minimal' | 'ha' | 'dns-none'): Record<string, { missing: number; why: string }> => ({
  aws_autoscaling_lifecycle_hook: {
    missing: kops.aws_autoscaling_lifecycle_hook,
    why: "the Node Termination Handler's termination hooks: kopsdeck does not install that add-on (its rolling update drains nodes itself)",
  },
  aws_cloudwatch_event_rule: { missing: kops.aws_cloudwatch_event_rule, why: 'the Node Termination Handler queue processor: not installed' },
  aws_cloudwatch_event_target: { missing: kops.aws_cloudwatch_event_target, why: 'the Node Termination Handler queue processor: not installed' },
  aws_sqs_queue: { missing: kops.aws_sqs_queue, why: 'the Node Termination Handler queue: not installed' },
  aws_s3_object: {
    missing: kops.aws_s3_object,
    why: "kops' nodeup configuration and add-on manifests in the state store; kopsdeck's bootstrap reads none of them, and it keeps only the spec and the cluster's secrets there (written by the engine, not as cloud resources)",
  },
  aws_vpc_dhcp_options: { missing: 1, why: "kops sets the region's default domain name explicitly; kopsdeck keeps the VPC's default DHCP options, which carry the same name" },
  aws_vpc_dhcp_options_association: { missing: 1, why: 'no DHCP options of its own to associate' },
  aws_route: { missing: 1, why: 'kops gives the VPC an Amazon IPv6 block and routes ::/0 to the gateway; kopsdeck clusters are IPv4-only, so only 0.0.0.0/0' },
  ...(layout === 'dns-none'
    ? {
        // kops-controller serves nodeup's configuration through the load balancer on 3988; kopsdeck's machines join with kubeadm and need neither.
        aws_lb_listener: { missing: 1, why: "kops-controller's 3988 listener: no kops-controller" },
        aws_lb_target_group: { missing: 1, why: "kops-controller's 3988 target group: no kops-controller" },
        aws_security_group_rule: { missing: 1, why: 'kops-controller-elb-to-cp (3988): no kops-controller (rule by rule in firewall-golden.test.ts)' },
      }
    : {}),
  ...(layout === 'ha'
    ? {
        // kops' ha fixture has one worker group; kopsdeck's create makes a worker group per zone (as `kops create cluster --zones a,b,c` does).
        aws_autoscaling_group: { missing: -2, why: 'a worker group in each of the three zones' },
        aws_launch_template: { missing: -2, why: 'a launch template per worker group' },
        // kops' ha fixture writes no inline policy for its nodes; kopsdeck's workers need one to read the CA and bootstrap token from the state store.
        aws_iam_role_policy: { missing: -1, why: 'the nodes role gets its least-privilege policy' },
        // The fixture has one access CIDR and no IPv6 rules; kopsdeck opens SSH and the API to 0.0.0.0/0 and ::/0 by default (as minimal-1.36 shows).
        aws_security_group_rule: { missing: -3, why: 'the ::/0 rules for SSH to both roles and for the API' },
      }
    : {}),
});

let h: Harness;
before(async () => {
  h = await startHarness({ speed: 100 });
});
after(async () => h?.close());


async function terraformTypesOf(name: string, options: { zones: string[]; controlPlaneCount: number; nodeCount: number; dnsZone?: string }): Promise<Record<string, number>> {
  const bundle = clusterFixture({ name, dnsZone: 'example.com', ...options });
  const planned = await planCluster({ cluster: bundle.cluster, instanceGroups: bundle.instanceGroups, clients: h.clients, clock: h.clock, sshPublicKeys: [testSshKey()] });
  assert.equal(planned.plan.modifies.length + planned.plan.deletes.length, 0, 'a new cluster: creations only');
  const types: Record<string, number> = {};
  for (const [kind, count] of Object.entries(countByKind(planned.plan.creates.map((p) => p.task)))) {
    assert.ok(kind in TERRAFORM_TYPE, `${kind} is a task kind this comparison does not know: add it to TERRAFORM_TYPE`);
    const type = TERRAFORM_TYPE[kind];
    if (type) types[type] = (types[type] ?? 0) + count;
  }
  return types;
}

function unexplained(kops: Record<string, number>, ours: Record<string, number>, justified: Record<string, { missing: number }>): string[] {
  const problems: string[] = [];
  for (const type of new Set([...Object.keys(kops), ...Object.keys(ours)])) {
    const missing = (kops[type] ?? 0) - (ours[type] ?? 0);
    const expected = justified[type]?.missing ?? 0;
    if (missing !== expected) problems.push(`${type}: kops ${kops[type] ?? 0}, kopsdeck ${ours[type] ?? 0} (justified difference: ${expected})`);
  }
  return problems;
}

test("minimal-1.36: kopsdeck creates kops' resource types, each difference justified", async () => {
  const ours = await terraformTypesOf('minimal.example.com', { zones: ['us-east-1a'], controlPlaneCount: 1, nodeCount: 1 });
  assert.deepEqual(unexplained(KOPS_MINIMAL_136, ours, JUSTIFIED(KOPS_MINIMAL_136, 'minimal')), []);
});

test("ha: kopsdeck creates kops' resource types, each difference justified", async () => {
  const ours = await terraformTypesOf('ha.example.com', { zones: ['us-east-1a', 'us-east-1b', 'us-east-1c'], controlPlaneCount: 3, nodeCount: 3 });
  assert.deepEqual(unexplained(KOPS_HA, ours, JUSTIFIED(KOPS_HA, 'ha')), []);
});

test("minimal-dns-none: the API load balancer's resource types as kops', each difference justified", async () => {
  // A .k8s.local name publishes no DNS, as minimal-dns-none's dns: none.
  const ours = await terraformTypesOf('minimal.k8s.local', { zones: ['us-east-1a'], controlPlaneCount: 1, nodeCount: 1, dnsZone: undefined });
  assert.equal(ours.aws_lb, 1);
  assert.deepEqual(unexplained(KOPS_MINIMAL_DNS_NONE, ours, JUSTIFIED(KOPS_MINIMAL_DNS_NONE, 'dns-none')), []);
});
