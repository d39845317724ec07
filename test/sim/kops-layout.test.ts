// A cluster laid out exactly as kops lays one out (src/sim/seed), in the
// simulator: kops' names, tags, nodeup user-data and state store; machines
// that boot as nodeup would (reading their config from S3 or kops-controller);
// and kopsdeck, pointed at it, reads, validates and previews it but refuses to
// change or delete anything, comparing every resource before and after.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeInternetGatewaysCommand,
  DescribeLaunchTemplatesCommand,
  DescribeLaunchTemplateVersionsCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  DescribeInstancesCommand,
} from '@aws-sdk/client-ec2';
import { DescribeAutoScalingGroupsCommand, UpdateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeListenersCommand, DescribeLoadBalancersCommand, DescribeTargetGroupAttributesCommand, DescribeTargetGroupsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ListHostedZonesCommand, ListResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { parse as parseYaml } from 'yaml';
import { awsClientsFor, type AwsClients } from '../../src/engine/cloud/aws/clients.js';
import { apiRecordRefresher } from '../../src/engine/rollout/api-record.js';
import { openStateStore } from '../../src/engine/store/open-store.js';
import { simulatorAccess } from '../../src/startup/cloud-session.js';
import { startRecordedSimulator, type SimulatorConnection } from '../../src/startup/simulator-connection.js';
import { seedKopsCluster, type SeededKopsCluster } from '../../src/sim/seed/seed-kops.js';
import type { KopsLayoutKind } from '../../src/sim/seed/kops-layout.js';
import { resourceName32 } from '../../src/engine/cloud/aws/kops-names.js';
import { kubeletVersionOf, nodeupBoot, parseKubeEnv } from '../../src/sim/kube/user-data.js';
import type { InstanceEnvironment } from '../../src/sim/contracts.js';
import { nodeupConfig, nodeupConfigHash, nodeupUserData } from '../../src/sim/seed/nodeup.js';
import { buildKopsLayout } from '../../src/sim/seed/kops-layout.js';
import { cliHarness } from '../helpers/cli-harness.js';
import { connectKube, listNodes, until, waitForReadyNodes } from '../helpers/sim-cluster.js';
import { simAdminFetch } from '../../src/sim/admin-client.js';

const STORE = 's3://kops-state-store/team';
const LAYOUTS: [KopsLayoutKind, string][] = [
  ['minimal', 'minimal.example.com'],
  ['ha', 'ha.example.com'],
  ['minimal-dns-none', 'nlb.example.com'],
];
const home = mkdtempSync(join(tmpdir(), 'kopsdeck-kops-layout-'));
let sim: SimulatorConnection;
let clients: AwsClients;
const seeded = new Map<string, SeededKopsCluster>();
const cli = cliHarness();
const run = (args: string[]) => cli.run(['--state', STORE, ...args], { KOPSDECK_HOME: home });

before(async () => {
  // Served from KOPSDECK_HOME/sim, so the CLI runs below connect to this one.
  sim = await startRecordedSimulator({ dir: join(home, 'sim'), speed: 100 });
  const access = simulatorAccess(sim);
  clients = awsClientsFor(access, 'us-east-1');
  for (const [layout, cluster] of LAYOUTS) {
    seeded.set(cluster, await seedKopsCluster({ endpoint: sim.url, region: 'us-east-1', credentials: access.awsCredentials!, cluster, layout, stateStore: STORE }));
  }
});
after(async () => {
  clients?.destroy();
  await sim?.release();
  rmSync(home, { recursive: true, force: true });
});

const tagsOf = (list?: { Key?: string; Value?: string }[]) => Object.fromEntries((list ?? []).map((t) => [t.Key!, t.Value ?? '']).sort(([a], [b]) => a.localeCompare(b)));
const byTag = (cluster: string) => [{ Name: 'tag:KubernetesCluster', Values: [cluster] }];

// --- what a machine reads (pure) ---------------------------------------------

test("kops' resource names with their hash, as in kops' published outputs", () => {
  // kubernetes/kops tests/integration/update_cluster/minimal-dns-none/kubernetes.tf
  assert.equal(resourceName32('minimal.example.com', 'api'), 'api-minimal-example-com-gecgf7');
  assert.equal(resourceName32('minimal.example.com', 'tcp'), 'tcp-minimal-example-com-5905t8');
  assert.equal(resourceName32('minimal.example.com', 'kops-controller'), 'kops-controller-minimal-e-uvauf3');
});

test('nodeup user-data: kube_env.yaml is read; the version is the kubelet asset’s, from the config nodeup loads', () => {
  const layout = buildKopsLayout({ cluster: 'x.example.com', kind: 'minimal', region: 'us-east-1', kubernetesVersion: '1.36.3', kopsVersion: '1.36.2', image: 'o/i', stateStore: 's3://b/p' });
  const [cp, node] = [layout.instanceGroups[0], layout.instanceGroups[1]];
  const cpConfig = nodeupConfig(layout, cp);
  const nodeConfig = nodeupConfig(layout, node);
  assert.equal(kubeletVersionOf(cpConfig), '1.36.3');
  const cpEnv = parseKubeEnv(nodeupUserData(layout, cp, nodeupConfigHash(cpConfig)))!;
  assert.deepEqual({ ...cpEnv, nodeupConfigHash: undefined }, {
    clusterName: 'x.example.com',
    instanceGroupName: 'control-plane-us-east-1a',
    role: 'ControlPlane',
    configBase: 's3://b/p/x.example.com',
    configServers: [],
    nodeupConfigHash: undefined,
  });
  const nodeEnv = parseKubeEnv(nodeupUserData(layout, node, nodeupConfigHash(nodeConfig)))!;
  assert.equal(nodeEnv.configBase, undefined);
  assert.deepEqual(nodeEnv.configServers, ['https://kops-controller.internal.x.example.com:3988/']);
  assert.equal(parseKubeEnv('#!/bin/bash\nexport CLUSTER_NAME=x\n'), undefined);

  const objects = new Map([
    ['s3://b/p/x.example.com/igconfig/control-plane/control-plane-us-east-1a/nodeupconfig.yaml', cpConfig],
    ['s3://b/p/x.example.com/igconfig/node/nodes-us-east-1a/nodeupconfig.yaml', nodeConfig],
  ]);
  let controller: string | undefined;
  const environment: InstanceEnvironment = {
    readObject: (url) => (objects.has(url) ? { body: objects.get(url)! } : { error: 'NoSuchKey: The specified key does not exist.' }),
    kopsControllerConfigBase: () => controller,
    machine: () => undefined,
    liveControlPlaneIps: () => [],
  };
  assert.deepEqual(nodeupBoot(cpEnv, environment), { kind: 'boot', info: { cluster: 'x.example.com', instanceGroup: 'control-plane-us-east-1a', role: 'ControlPlane', kubernetesVersion: '1.36.3' } });
  assert.equal(nodeupBoot(nodeEnv, environment).kind, 'waiting', 'a node waits for kops-controller');
  controller = 's3://b/p/x.example.com';
  assert.equal(nodeupBoot(nodeEnv, environment).kind, 'boot');
  objects.set('s3://b/p/x.example.com/igconfig/node/nodes-us-east-1a/nodeupconfig.yaml', nodeConfig + '# changed\n');
  assert.match((nodeupBoot(nodeEnv, environment) as { reason: string }).reason, /nodeup config hash mismatch/);
  objects.clear();
  assert.deepEqual(nodeupBoot(cpEnv, environment), {
    kind: 'failed',
    reason: 'nodeup: error loading NodeupConfig "s3://b/p/x.example.com/igconfig/control-plane/control-plane-us-east-1a/nodeupconfig.yaml": NoSuchKey: The specified key does not exist.',
  });
});

// --- the seeded layouts --------------------------------------------------------

for (const [layout, cluster] of LAYOUTS) {
  test(`${layout}: kops' names, tags, launch templates, rules and state store`, async () => {
    const seed = seeded.get(cluster)!;
    const zones = layout === 'ha' ? ['a', 'b', 'c'] : ['a'];
    const expectedGroups = [...zones.map((z) => `control-plane-us-east-1${z}.masters.${cluster}`), ...zones.map((z) => `nodes-us-east-1${z}.${cluster}`)].sort();
    const groups = (await clients.autoscaling.send(new DescribeAutoScalingGroupsCommand({ Filters: [{ Name: `tag:KubernetesCluster`, Values: [cluster] }] }))).AutoScalingGroups ?? [];
    assert.deepEqual(groups.map((g) => g.AutoScalingGroupName).sort(), expectedGroups);
    const cp = groups.find((g) => g.AutoScalingGroupName === `control-plane-us-east-1a.masters.${cluster}`)!;
    const cpTags = tagsOf(cp.Tags);
    assert.equal(cpTags['k8s.io/role/master'], '1');
    assert.equal(cpTags['k8s.io/role/control-plane'], '1');
    assert.equal(cpTags['kops.k8s.io/instancegroup'], 'control-plane-us-east-1a');
    assert.equal(cpTags['k8s.io/cluster-autoscaler/node-template/label/node-role.kubernetes.io/control-plane'], '');
    assert.equal(cpTags[`kubernetes.io/cluster/${cluster}`], 'owned');
    assert.equal(cp.LaunchTemplate?.Version, '1', 'kops pins the template version');

    const templates = (await clients.ec2.send(new DescribeLaunchTemplatesCommand({ Filters: byTag(cluster) }))).LaunchTemplates ?? [];
    assert.deepEqual(templates.map((t) => t.LaunchTemplateName).sort(), expectedGroups, 'templates are named as their groups');
    const version = (await clients.ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateName: `control-plane-us-east-1a.masters.${cluster}`, Versions: ['$Latest'] }))).LaunchTemplateVersions![0];
    const data = version.LaunchTemplateData!;
    assert.equal(data.IamInstanceProfile?.Name, `masters.${cluster}`);
    assert.deepEqual(data.MetadataOptions, { HttpTokens: 'required', HttpEndpoint: 'enabled', HttpPutResponseHopLimit: 3, HttpProtocolIpv6: 'disabled' });
    assert.equal(data.BlockDeviceMappings?.[0].Ebs?.VolumeType, 'gp3');
    assert.equal(data.BlockDeviceMappings?.[0].Ebs?.VolumeSize, 64);
    const script = Buffer.from(data.UserData!, 'base64').toString('utf8');
    assert.match(script, /^NODEUP_URL_AMD64=https:\/\/artifacts\.k8s\.io\/binaries\/kops\/[\d.]+\/linux\/amd64\/nodeup,/m);
    assert.match(script, new RegExp(`^ClusterName: ${cluster.replace(/\./g, '\\.')}$`, 'm'));
    assert.match(script, new RegExp(`^ConfigBase: ${STORE}/${cluster}$`, 'm'));
    assert.match(script, /^InstanceGroupRole: ControlPlane$/m);

    const securityGroups = (await clients.ec2.send(new DescribeSecurityGroupsCommand({ Filters: byTag(cluster) }))).SecurityGroups ?? [];
    const expectedSgs = layout === 'minimal-dns-none' ? ['api-elb', 'masters', 'nodes'] : ['masters', 'nodes'];
    assert.deepEqual(securityGroups.map((g) => g.GroupName).sort(), expectedSgs.map((r) => `${r}.${cluster}`));
    const masters = securityGroups.find((g) => g.GroupName === `masters.${cluster}`)!;
    const ranges = (masters.IpPermissions ?? []).map((p) => `${p.IpProtocol}:${p.FromPort}-${p.ToPort}`);
    for (const range of ['tcp:1-2379', 'tcp:2382-4000', 'tcp:4003-65535', 'udp:1-65535']) assert.ok(ranges.includes(range), `kops' ${range} rule from the nodes`);

    const listed = await clients.s3.send(new ListObjectsV2Command({ Bucket: 'kops-state-store', Prefix: `team/${cluster}/` }));
    const keys = (listed.Contents ?? []).map((o) => o.Key!.slice(`team/${cluster}/`.length));
    for (const key of ['config', 'kops-version.txt', 'cluster-completed.spec', 'instancegroup/control-plane-us-east-1a', 'igconfig/control-plane/control-plane-us-east-1a/nodeupconfig.yaml', 'igconfig/node/nodes-us-east-1a/nodeupconfig.yaml']) {
      assert.ok(keys.includes(key), `the store holds ${key}`);
    }
    assert.equal(seed.storeKeys.length, keys.length);

    if (layout === 'minimal-dns-none') {
      const lbs = (await clients.elbv2.send(new DescribeLoadBalancersCommand({ Names: [resourceName32(cluster, 'api')] }))).LoadBalancers ?? [];
      assert.equal(lbs[0].Type, 'network');
      const tgs = (await clients.elbv2.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: lbs[0].LoadBalancerArn }))).TargetGroups ?? [];
      assert.deepEqual(tgs.map((t) => `${t.TargetGroupName}:${t.Port}`).sort(), [`${resourceName32(cluster, 'kops-controller')}:3988`, `${resourceName32(cluster, 'tcp')}:443`]);
      assert.deepEqual([...(cp.TargetGroupARNs ?? [])].sort(), tgs.map((t) => t.TargetGroupArn).sort(), 'the control plane is registered with both');
      const config = parseYaml(await getObject(`team/${cluster}/config`));
      assert.deepEqual(config.spec.api, { loadBalancer: { class: 'Network', type: 'Public' } });
    }
  });
}

async function getObject(key: string): Promise<string> {
  const out = await clients.s3.send(new GetObjectCommand({ Bucket: 'kops-state-store', Key: key }));
  return out.Body!.transformToString();
}

// --- kopsdeck on a kops-made cluster -----------------------------------------

/** Every resource of the cluster, as the SDK describes it, without what changes on its own (instances, health, state). */
async function describeEverything(cluster: string): Promise<unknown> {
  const ec2 = clients.ec2;
  const groups = ((await clients.autoscaling.send(new DescribeAutoScalingGroupsCommand({ Filters: [{ Name: 'tag:KubernetesCluster', Values: [cluster] }] }))).AutoScalingGroups ?? []).map((g) => ({
    name: g.AutoScalingGroupName,
    template: g.LaunchTemplate,
    sizes: [g.MinSize, g.MaxSize, g.DesiredCapacity],
    subnets: g.VPCZoneIdentifier,
    tags: tagsOf(g.Tags),
    targetGroups: g.TargetGroupARNs,
  }));
  const templates = [];
  for (const t of (await ec2.send(new DescribeLaunchTemplatesCommand({ Filters: byTag(cluster) }))).LaunchTemplates ?? []) {
    const versions = (await ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: t.LaunchTemplateId }))).LaunchTemplateVersions ?? [];
    templates.push({ name: t.LaunchTemplateName, latest: t.LatestVersionNumber, default: t.DefaultVersionNumber, tags: tagsOf(t.Tags), versions: versions.map((v) => ({ n: v.VersionNumber, data: v.LaunchTemplateData })) });
  }
  const securityGroups = ((await ec2.send(new DescribeSecurityGroupsCommand({ Filters: byTag(cluster) }))).SecurityGroups ?? []).map((g) => ({
    name: g.GroupName,
    ingress: g.IpPermissions,
    egress: g.IpPermissionsEgress,
    tags: tagsOf(g.Tags),
  }));
  const network = {
    vpcs: (await ec2.send(new DescribeVpcsCommand({ Filters: byTag(cluster) }))).Vpcs,
    subnets: (await ec2.send(new DescribeSubnetsCommand({ Filters: byTag(cluster) }))).Subnets,
    routeTables: (await ec2.send(new DescribeRouteTablesCommand({ Filters: byTag(cluster) }))).RouteTables,
    gateways: (await ec2.send(new DescribeInternetGatewaysCommand({ Filters: byTag(cluster) }))).InternetGateways,
  };
  const records = [];
  for (const zone of (await clients.route53.send(new ListHostedZonesCommand({}))).HostedZones ?? []) {
    records.push(...((await clients.route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zone.Id }))).ResourceRecordSets ?? []));
  }
  const balancers = [];
  for (const lb of (await clients.elbv2.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? []) {
    const listeners = (await clients.elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn }))).Listeners;
    balancers.push({ name: lb.LoadBalancerName, arn: lb.LoadBalancerArn, dns: lb.DNSName, groups: lb.SecurityGroups, listeners });
  }
  const targetGroups = [];
  for (const tg of (await clients.elbv2.send(new DescribeTargetGroupsCommand({}))).TargetGroups ?? []) {
    const attributes = (await clients.elbv2.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: tg.TargetGroupArn }))).Attributes;
    targetGroups.push({ ...tg, attributes });
  }
  const store = ((await clients.s3.send(new ListObjectsV2Command({ Bucket: 'kops-state-store' }))).Contents ?? []).map((o) => `${o.Key} ${o.ETag}`);
  return { groups, templates, securityGroups, network, records, balancers, targetGroups, store };
}

for (const [layout, cluster] of LAYOUTS) {
  test(`${layout}: update previews no deletion, revocation or template change; update --yes and delete --yes refuse and change nothing; validate and get nodes work`, async () => {
    const kube = await connectKube(cluster, sim.kubeconfigPath, 30_000);
    try {
      await waitForReadyNodes(kube, seeded.get(cluster)!.autoScalingGroups.length, 60_000);
    } finally {
      kube.close();
    }
    const preview = await run(['update', 'cluster', cluster, '-o', 'json']);
    assert.equal(preview.code, 0, preview.stderr);
    const { ownership, plan } = JSON.parse(preview.stdout);
    assert.equal(ownership.manager, 'kops');
    assert.deepEqual(plan.deletes, [], 'no deletion, no revocation');
    assert.deepEqual(plan.modifies.filter((m: { kind: string }) => m.kind === 'LaunchTemplate'), [], 'no launch-template change');
    assert.deepEqual(plan.modifies, [], 'nothing of kops’ is modified');
    assert.ok(plan.leftAlone.some((l: { kind: string; name: string }) => l.kind === 'LaunchTemplate' && l.name === `control-plane-us-east-1a.masters.${cluster}`));
    assert.ok(!plan.creates.some((c: { kind: string }) => c.kind === 'AutoscalingGroup' || c.kind === 'LaunchTemplate'), "kops' groups are recognised, not planned anew");
    const text = await run(['update', 'cluster', cluster]);
    assert.equal(text.code, 0, text.stderr);
    assert.doesNotMatch(text.stdout, /Will delete resources/);
    assert.match(text.stdout, /^Left alone \(kopsdeck does not own these\):$/m);
    assert.match(text.stdout, /kopsdeck will not apply this plan\. Cluster ".*" was made by kops \(its state store holds kops-version\.txt, written by kops [\d.]+, and \d+ more signs\)/);

    const before = await describeEverything(cluster);
    const update = await run(['update', 'cluster', cluster, '--yes']);
    assert.equal(update.code, 1);
    assert.match(update.stderr, new RegExp(`Cluster "${cluster.replace(/\./g, '\\.')}" was made by kops .*run \`kops update cluster ${cluster.replace(/\./g, '\\.')} --yes\` instead\\.`));
    assert.doesNotMatch(update.stdout, /done\s/, 'no change was applied');
    assert.deepEqual(await describeEverything(cluster), before, 'update --yes changed nothing');

    const remove = await run(['delete', 'cluster', cluster, '--yes']);
    assert.equal(remove.code, 1);
    assert.match(remove.stdout, /^autoscaling-group\s+control-plane-us-east-1a\.masters\./m, 'it shows what is tagged for the cluster');
    assert.match(remove.stderr, new RegExp(`run \`kops delete cluster ${cluster.replace(/\./g, '\\.')} --yes\` instead\\.`));
    assert.deepEqual(await describeEverything(cluster), before, 'delete --yes changed nothing');

    const validate = await run(['validate', 'cluster', cluster, '--wait', '5m', '--interval', '2s']);
    assert.equal(validate.code, 0, validate.stderr);
    assert.match(validate.stdout, new RegExp(`Your cluster ${cluster.replace(/\./g, '\\.')} is ready`));
    const nodes = await run(['get', 'nodes', '--name', cluster]);
    assert.equal(nodes.code, 0, nodes.stderr);
    assert.match(nodes.stdout, /control-plane-us-east-1a\s+us-east-1a\s+v[\d.]+/);
    assert.match(nodes.stdout, /nodes-us-east-1a\s+us-east-1a/);
  });
}

test("the api record of a kops-made cluster is dns-controller's: the rollout's refresh leaves it alone", async () => {
  const cluster = 'minimal.example.com';
  const store = openStateStore(STORE, { s3Client: clients.s3 });
  const recordsBefore = await describeEverything(cluster);
  const refresh = apiRecordRefresher({
    clients,
    clock: simulatorAccess(sim).clock,
    load: async () => ({ cluster: (await store.getCluster(cluster))!.value, instanceGroups: (await store.listInstanceGroups(cluster)).map((g) => g.value) }),
    store: store.objects,
  });
  assert.equal(await refresh(), undefined);
  assert.deepEqual(await describeEverything(cluster), recordsBefore);
});

test('a machine whose nodeup config cannot be read stays NotJoined, and /sim/stats says why', async () => {
  const cluster = 'minimal.example.com';
  await clients.s3.send(new DeleteObjectCommand({ Bucket: 'kops-state-store', Key: `team/${cluster}/igconfig/node/nodes-us-east-1a/nodeupconfig.yaml` }));
  await clients.autoscaling.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: `nodes-us-east-1a.${cluster}`, MaxSize: 2, DesiredCapacity: 2 }));
  const failure = await until('a boot failure', async () => {
    const stats = (await (await simAdminFetch(sim, '/sim/stats')).json()) as { bootFailures: { cluster: string; instanceId: string; reason: string }[] };
    return stats.bootFailures.find((f) => f.cluster === cluster);
  }, 60_000, 100);
  assert.match(failure.reason, /^nodeup: error loading NodeupConfig "s3:\/\/kops-state-store\/team\/minimal\.example\.com\/igconfig\/node\/nodes-us-east-1a\/nodeupconfig\.yaml": NoSuchKey/);
  const described = await clients.ec2.send(new DescribeInstancesCommand({ InstanceIds: [failure.instanceId] }));
  const instance = described.Reservations![0].Instances![0];
  assert.equal(instance.State?.Name, 'running', 'the machine runs');
  const kube = await connectKube(cluster, sim.kubeconfigPath, 10_000);
  try {
    const nodes = await listNodes(kube);
    assert.equal(nodes.length, 2, 'it never registered a node');
    assert.ok(!nodes.some((n) => n.spec?.providerID?.endsWith(failure.instanceId)));
  } finally {
    kube.close();
  }
});
