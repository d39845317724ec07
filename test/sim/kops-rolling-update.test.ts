// The supervised rolling update on a cluster laid out exactly as kops lays one
// out (src/sim/seed): kops' group names (`<ig>.masters.<cluster>`), pinned
// launch-template versions, nodeup user-data. After a "kops update cluster"
// (a new launch-template version, the group pointed at it) the out-of-date
// nodes are replaced, each taken out of its target group before its drain,
// and `--instance-group-roles control-plane` touches the control plane only.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as as from '@aws-sdk/client-auto-scaling';
import * as elbv2 from '@aws-sdk/client-elastic-load-balancing-v2';
import { CreateLaunchTemplateVersionCommand, DescribeSubnetsCommand } from '@aws-sdk/client-ec2';
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { awsClientsFor, type AwsClients } from '../../src/engine/cloud/aws/clients.js';
import { simulatorAccess } from '../../src/startup/cloud-session.js';
import { startRecordedSimulator, type SimulatorConnection } from '../../src/startup/simulator-connection.js';
import { seedKopsCluster } from '../../src/sim/seed/seed-kops.js';
import type { RolloutEvent } from '../../src/engine/rollout/types.js';
import { cliHarness } from '../helpers/cli-harness.js';
import { connectKube, until, waitForReadyNodes } from '../helpers/sim-cluster.js';
import { keysKopsDeleteRefuses } from '../helpers/kops-state-rules.js';

const STORE = 's3://kops-state-store/team';
const CLUSTER = 'ha.example.com';
const WORKERS = 'nodes-us-east-1a';
const WORKER_COUNT = 3;
const HAND_MADE = `hand-made.${CLUSTER}`;
const home = mkdtempSync(join(tmpdir(), 'kopsdeck-kops-roll-'));
let sim: SimulatorConnection;
let clients: AwsClients;
let targetGroupArn = '';
const cli = cliHarness();
const run = (args: string[]) => cli.run(['--state', STORE, ...args], { KOPSDECK_HOME: home });
const asgName = (ig: string) => (ig.startsWith('control-plane') ? `${ig}.masters.${CLUSTER}` : `${ig}.${CLUSTER}`);

before(async () => {
  sim = await startRecordedSimulator({ dir: join(home, 'sim'), speed: 200 });
  const access = simulatorAccess(sim);
  clients = awsClientsFor(access, 'us-east-1');
  await seedKopsCluster({ endpoint: sim.url, region: 'us-east-1', credentials: access.awsCredentials!, cluster: CLUSTER, layout: 'ha', stateStore: STORE });
  // The worker group grown to three (as `kops edit ig` + update would), behind a
  // target group of its own (kops' spec.externalLoadBalancers).
  await clients.autoscaling.send(new as.UpdateAutoScalingGroupCommand({ AutoScalingGroupName: asgName(WORKERS), MaxSize: WORKER_COUNT, DesiredCapacity: WORKER_COUNT }));
  const kube = await connectKube(CLUSTER, sim.kubeconfigPath, 30_000);
  try {
    await waitForReadyNodes(kube, 5 + WORKER_COUNT, 60_000);
  } finally {
    kube.close();
  }
  const subnets = await clients.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'tag:KubernetesCluster', Values: [CLUSTER] }] }));
  const tg = await clients.elbv2.send(
    new elbv2.CreateTargetGroupCommand({ Name: 'ingress-ha', Protocol: 'TCP', Port: 30080, VpcId: subnets.Subnets![0].VpcId!, HealthCheckIntervalSeconds: 10, HealthyThresholdCount: 2 }),
  );
  targetGroupArn = tg.TargetGroups![0].TargetGroupArn!;
  // A target group receives traffic (and reports health) only behind a listener.
  const lb = await clients.elbv2.send(
    new elbv2.CreateLoadBalancerCommand({ Name: 'ingress-ha', Type: 'network', Subnets: subnets.Subnets!.map((s) => s.SubnetId!) }),
  );
  await clients.elbv2.send(
    new elbv2.CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancers![0].LoadBalancerArn, Protocol: 'TCP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: targetGroupArn }] }),
  );
  await clients.autoscaling.send(new as.AttachLoadBalancerTargetGroupsCommand({ AutoScalingGroupName: asgName(WORKERS), TargetGroupARNs: [targetGroupArn] }));
  // A group someone made by hand, tagged with the cluster, that no instance group of the spec names: kops leaves it alone.
  await clients.autoscaling.send(
    new as.CreateAutoScalingGroupCommand({
      AutoScalingGroupName: HAND_MADE,
      LaunchTemplate: { LaunchTemplateName: asgName(WORKERS), Version: '$Latest' },
      MinSize: 0,
      MaxSize: 1,
      DesiredCapacity: 0,
      VPCZoneIdentifier: subnets.Subnets![0].SubnetId!,
      Tags: [{ Key: 'KubernetesCluster', Value: CLUSTER, PropagateAtLaunch: true }],
    }),
  );
  await until('the workers healthy in their target group', async () => {
    const states = await targetStates();
    return states.size === WORKER_COUNT && [...states.values()].every((s) => s === 'healthy') ? true : undefined;
  }, 30_000);
});
after(async () => {
  clients?.destroy();
  await sim?.release();
  rmSync(home, { recursive: true, force: true });
});

async function targetStates(): Promise<Map<string, string>> {
  const out = await clients.elbv2.send(new elbv2.DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }));
  return new Map((out.TargetHealthDescriptions ?? []).map((d) => [d.Target!.Id!, d.TargetHealth!.State!]));
}

async function membersOf(ig: string): Promise<{ id: string; version?: string }[]> {
  const out = await clients.autoscaling.send(new as.DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [asgName(ig)] }));
  return (out.AutoScalingGroups![0].Instances ?? []).map((i) => ({ id: i.InstanceId!, version: i.LaunchTemplate?.Version }));
}

/** What `kops update cluster --yes` does to a group whose spec changed: a new template version, the group pinned to it. */
async function publishNewTemplateVersion(ig: string): Promise<string> {
  const name = asgName(ig);
  const version = await clients.ec2.send(new CreateLaunchTemplateVersionCommand({ LaunchTemplateName: name, SourceVersion: '1', LaunchTemplateData: {} }));
  const number = String(version.LaunchTemplateVersion!.VersionNumber);
  await clients.autoscaling.send(new as.UpdateAutoScalingGroupCommand({ AutoScalingGroupName: name, LaunchTemplate: { LaunchTemplateName: name, Version: number } }));
  return number;
}

const events = (stdout: string) => stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as RolloutEvent | { type: 'plan'; plan: { order: string[]; totalInstances: number } });

test('after a kops update, the out-of-date workers are replaced, each out of its target group before its drain', async () => {
  const before = await membersOf(WORKERS);
  const untouched = new Map<string, string[]>();
  for (const ig of ['control-plane-us-east-1a', 'control-plane-us-east-1b', 'nodes-us-east-1b']) untouched.set(ig, (await membersOf(ig)).map((m) => m.id));
  const version = await publishNewTemplateVersion(WORKERS);

  const preview = await run(['rolling-update', 'cluster', CLUSTER]);
  assert.equal(preview.code, 5, `instances need replacing: the preview exits 5 (${preview.stderr})`);
  assert.match(preview.stdout, new RegExp(`^${WORKERS}\\s+NeedsUpdate\\s+${WORKER_COUNT}\\s`, 'm'));
  assert.match(preview.stdout, /^control-plane-us-east-1a\s+Ready\s+0\s/m, "kops' control-plane group is read, and up to date");
  assert.doesNotMatch(preview.stdout, /^hand-made/m, 'a group with no instance group in the spec is not in the plan');
  assert.match(preview.stdout, new RegExp(`^Not rolled: auto scaling group ${HAND_MADE.replace(/\./g, '\\.')} of this cluster has no instance group in the spec \\(kops skips them too\\)\\.$`, 'm'));

  const rolled = await run(['rolling-update', 'cluster', CLUSTER, '--yes', '-o', 'json']);
  assert.equal(rolled.code, 0, rolled.stderr + rolled.stdout.slice(-2000));
  const story = events(rolled.stdout);
  const plan = story.find((e) => e.type === 'plan');
  assert.ok(plan?.type === 'plan');
  assert.deepEqual(plan.plan.order, [WORKERS]);
  assert.equal(plan.plan.totalInstances, WORKER_COUNT);

  // No worker was up to date: the canary, one instance alone, validated before the rest go.
  const waves = story.filter((e): e is Extract<RolloutEvent, { type: 'wave-started' }> => e.type === 'wave-started');
  assert.equal(waves[0].instances.length, 1, JSON.stringify(waves));
  const afterCanary = story.slice(story.indexOf(waves[0]), story.indexOf(waves[1]));
  assert.ok(afterCanary.some((e) => e.type === 'validation-attempt' && e.ok), 'the canary validated before the second wave');
  // Every worker to be replaced was tainted before the first drain.
  const tainted = story.find((e): e is Extract<RolloutEvent, { type: 'tainted' }> => e.type === 'tainted');
  assert.equal(tainted?.nodes.length, WORKER_COUNT);
  assert.ok(story.indexOf(tainted!) < story.findIndex((e) => e.type === 'step-started' && e.step === 'drain'));

  // Each replaced instance: deregistered (its own step) before its drain started.
  for (const { id } of before) {
    const steps = story.filter((e): e is Extract<RolloutEvent, { type: 'step-started' }> => e.type === 'step-started' && e.instanceId === id).map((e) => e.step);
    assert.ok(steps.includes('deregister') && steps.includes('drain'), `${id}: ${steps.join(', ')}`);
    assert.ok(steps.indexOf('deregister') < steps.indexOf('drain'), `${id} deregistered before its drain: ${steps.join(', ')}`);
  }
  assert.equal(story.at(-1)?.type, 'finished');

  const after = await membersOf(WORKERS);
  assert.equal(after.length, WORKER_COUNT);
  assert.ok(after.every((m) => m.version === version), `every worker on version ${version}: ${JSON.stringify(after)}`);
  assert.ok(after.every((m) => !before.some((b) => b.id === m.id)), 'every old worker was replaced');
  const states = await until('the replacements healthy in the target group', async () => {
    const s = await targetStates();
    return after.every((m) => s.get(m.id) === 'healthy') ? s : undefined;
  }, 30_000);
  assert.ok(before.every((b) => !states.has(b.id) || states.get(b.id) === 'draining'), 'the old workers are out of the target group');
  for (const [ig, ids] of untouched) assert.deepEqual((await membersOf(ig)).map((m) => m.id), ids, `${ig} untouched`);

  const validate = await run(['validate', 'cluster', CLUSTER]);
  assert.equal(validate.code, 0, validate.stdout + validate.stderr);
});

test("--instance-group-roles control-plane (kops' spelling) rolls kops' control-plane groups only", async () => {
  const workers = new Map<string, string[]>();
  for (const ig of ['nodes-us-east-1a', 'nodes-us-east-1b', 'nodes-us-east-1c']) workers.set(ig, (await membersOf(ig)).map((m) => m.id));
  const controlPlane = ['control-plane-us-east-1a', 'control-plane-us-east-1b', 'control-plane-us-east-1c'];
  const before = new Map<string, string[]>();
  for (const ig of controlPlane) before.set(ig, (await membersOf(ig)).map((m) => m.id));

  const rolled = await run(['rolling-update', 'cluster', CLUSTER, '--instance-group-roles', 'control-plane', '--force', '--yes', '-o', 'json']);
  assert.equal(rolled.code, 0, rolled.stderr + rolled.stdout.slice(-2000));
  const plan = events(rolled.stdout).find((e) => e.type === 'plan');
  assert.ok(plan?.type === 'plan');
  assert.deepEqual([...plan.plan.order].sort(), controlPlane);
  for (const ig of controlPlane) {
    const now = (await membersOf(ig)).map((m) => m.id);
    assert.equal(now.length, 1);
    assert.notDeepEqual(now, before.get(ig), `${ig} was replaced`);
  }
  for (const [ig, ids] of workers) assert.deepEqual((await membersOf(ig)).map((m) => m.id), ids, `${ig} untouched`);
});

test("after the rollouts, the cluster's folder in the state store holds only files kops delete cluster knows", async () => {
  const listed = await clients.s3.send(new ListObjectsV2Command({ Bucket: 'kops-state-store', Prefix: 'team/' }));
  const keys = (listed.Contents ?? []).map((o) => o.Key!.slice('team/'.length));
  assert.ok(keys.includes(`${CLUSTER}/config`), `the cluster's folder is listed: ${keys.join(', ')}`);
  assert.ok(keys.includes(`kopsdeck/${CLUSTER}/rollout/journal`), `the rollouts left their journal beside it: ${keys.join(', ')}`);
  assert.deepEqual(keysKopsDeleteRefuses(keys, CLUSTER), []);
});

test('a Karpenter-managed instance group in the spec: validate passes (it has no auto scaling group, as in kops) and the plan says it is not rolled', async () => {
  const group = ['apiVersion: kops.k8s.io/v1alpha2', 'kind: InstanceGroup', 'metadata:', '  name: karpenter-nodes', '  labels:', `    kops.k8s.io/cluster: ${CLUSTER}`, 'spec:', '  role: Node', '  manager: Karpenter', '  image: 099720109477/ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20250610', '  subnets:', '  - us-east-1a', ''].join('\n');
  await clients.s3.send(new PutObjectCommand({ Bucket: 'kops-state-store', Key: `team/${CLUSTER}/instancegroup/karpenter-nodes`, Body: group }));
  const validate = await run(['validate', 'cluster', CLUSTER]);
  assert.equal(validate.code, 0, validate.stdout + validate.stderr);
  assert.doesNotMatch(validate.stdout, /karpenter-nodes/);
  const preview = await run(['rolling-update', 'cluster', CLUSTER]);
  assert.match(preview.stdout, /^Not rolled: instance group karpenter-nodes is managed by Karpenter, whose nodes kopsdeck does not roll yet\.$/m, preview.stdout + preview.stderr);
});
