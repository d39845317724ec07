// Warm pools, as AWS runs them and kops rolls them: the simulator keeps a
// group's warm instances booted beside it (not in its instance list, never
// nodes) and takes them into service first when the group grows. After a
// "kops update" (a new launch template version), a rolling update terminates
// the out-of-date warm instances first, with no drain, as kops does; the pool
// refills from the new version. Before, kopsdeck never read the warm pool, and
// old instances stayed in it, to come into service on the next scale-out.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as as from '@aws-sdk/client-auto-scaling';
import { CreateLaunchTemplateVersionCommand } from '@aws-sdk/client-ec2';
import { awsClientsFor, type AwsClients } from '../../src/engine/cloud/aws/clients.js';
import { simulatorAccess } from '../../src/startup/cloud-session.js';
import { startRecordedSimulator, type SimulatorConnection } from '../../src/startup/simulator-connection.js';
import { seedKopsCluster } from '../../src/sim/seed/seed-kops.js';
import type { RolloutEvent } from '../../src/engine/rollout/types.js';
import { cliHarness } from '../helpers/cli-harness.js';
import { connectKube, listNodes, until, waitForReadyNodes } from '../helpers/sim-cluster.js';

const STORE = 's3://kops-state-store/warm';
const CLUSTER = 'warm.example.com';
const GROUP = `nodes-us-east-1a.${CLUSTER}`;
const home = mkdtempSync(join(tmpdir(), 'kopsdeck-warm-'));
let sim: SimulatorConnection;
let clients: AwsClients;
const cli = cliHarness();
const run = (args: string[]) => cli.run(['--state', STORE, ...args], { KOPSDECK_HOME: home });

before(async () => {
  sim = await startRecordedSimulator({ dir: join(home, 'sim'), speed: 200 });
  const access = simulatorAccess(sim);
  clients = awsClientsFor(access, 'us-east-1');
  await seedKopsCluster({ endpoint: sim.url, region: 'us-east-1', credentials: access.awsCredentials!, cluster: CLUSTER, layout: 'minimal', stateStore: STORE });
  const kube = await connectKube(CLUSTER, sim.kubeconfigPath, 30_000);
  try {
    await waitForReadyNodes(kube, 2, 60_000);
  } finally {
    kube.close();
  }
});
after(async () => {
  clients?.destroy();
  await sim?.release();
  rmSync(home, { recursive: true, force: true });
});

const warmPool = async () => (await clients.autoscaling.send(new as.DescribeWarmPoolCommand({ AutoScalingGroupName: GROUP }))).Instances ?? [];
const members = async () => (await clients.autoscaling.send(new as.DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [GROUP] }))).AutoScalingGroups![0].Instances ?? [];
const nodeCount = async () => {
  const kube = await connectKube(CLUSTER, sim.kubeconfigPath, 30_000);
  try {
    return (await listNodes(kube)).length;
  } finally {
    kube.close();
  }
};

test('the simulator keeps a warm pool beside the group: booted, stopped, not listed, not nodes', async () => {
  await clients.autoscaling.send(new as.PutWarmPoolCommand({ AutoScalingGroupName: GROUP, MinSize: 2, PoolState: 'Stopped' }));
  const warm = await until('two warm instances, stopped', async () => {
    const found = await warmPool();
    return found.length === 2 && found.every((i) => i.LifecycleState === 'Warmed:Stopped') ? found : undefined;
  }, 30_000);
  const listed = await members();
  assert.equal(listed.length, 1, 'the group lists its one member only');
  assert.ok(!listed.some((m) => warm.some((w) => w.InstanceId === m.InstanceId)));
  assert.equal(await nodeCount(), 2, 'warm instances are not nodes');
  const group = (await clients.autoscaling.send(new as.DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [GROUP] }))).AutoScalingGroups![0];
  assert.equal(group.WarmPoolConfiguration?.MinSize, 2);
  assert.equal(group.WarmPoolSize, 2);

  // kopsdeck lists them as kops get instances does: instances of the group, Warmed:Stopped, with no node.
  const instances = await run(['get', 'instances', CLUSTER, '-o', 'json']);
  assert.equal(instances.code, 0, instances.stderr);
  const rows = JSON.parse(instances.stdout) as { id: string; state: string; nodeName: string; instanceGroup: string }[];
  for (const w of warm) {
    const row = rows.find((r) => r.id === w.InstanceId);
    assert.deepEqual(row && [row.state, row.nodeName, row.instanceGroup], ['Warmed:Stopped', '', 'nodes-us-east-1a'], JSON.stringify(rows));
  }
});

test('after a kops update, the rolling update terminates the out-of-date warm instances first, with no drain; the pool refills from the new version', async () => {
  const oldWarm = (await warmPool()).map((i) => i.InstanceId!);
  assert.equal(oldWarm.length, 2);
  const version = await clients.ec2.send(new CreateLaunchTemplateVersionCommand({ LaunchTemplateName: GROUP, SourceVersion: '1', LaunchTemplateData: {} }));
  const number = String(version.LaunchTemplateVersion!.VersionNumber);
  await clients.autoscaling.send(new as.UpdateAutoScalingGroupCommand({ AutoScalingGroupName: GROUP, LaunchTemplate: { LaunchTemplateName: GROUP, Version: number } }));

  const preview = await run(['rolling-update', 'cluster', CLUSTER]);
  assert.equal(preview.code, 5, preview.stderr);
  assert.match(preview.stdout, /^nodes-us-east-1a\s+NeedsUpdate\s+3\s/m, 'NEEDUPDATE counts the warm instances, as kops does');
  assert.match(preview.stdout, /nodes-us-east-1a \(Node\): 1 instance\(s\) in 1 wave\(s\), .*; 2 warm pool instance\(s\) terminated first \(not nodes: no drain; the pool refills from the current template\)/);

  const rolled = await run(['rolling-update', 'cluster', CLUSTER, '--instance-group', 'nodes-us-east-1a', '--yes', '-o', 'json']);
  assert.equal(rolled.code, 0, rolled.stderr + rolled.stdout.slice(-2000));
  const story = rolled.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as RolloutEvent);
  const terminated = story.find((e) => e.type === 'warm-pool-terminated');
  assert.ok(terminated?.type === 'warm-pool-terminated');
  assert.deepEqual([...terminated.instanceIds].sort(), [...oldWarm].sort());
  assert.ok(story.indexOf(terminated) < story.findIndex((e) => e.type === 'step-started' && e.step === 'drain'), 'before the first drain');
  assert.ok(!story.some((e) => e.type === 'step-started' && oldWarm.includes(e.instanceId)), 'no step (cordon, drain) for a warm instance');

  const refilled = await until('the pool refilled from the new version', async () => {
    const found = (await warmPool()).filter((i) => !/Terminat/.test(i.LifecycleState ?? ''));
    return found.length === 2 && found.every((i) => i.LaunchTemplate?.Version === number && i.LifecycleState === 'Warmed:Stopped') ? found : undefined;
  }, 30_000);
  assert.ok(refilled.every((i) => !oldWarm.includes(i.InstanceId!)));
  const preview2 = await run(['rolling-update', 'cluster', CLUSTER]);
  assert.equal(preview2.code, 0, `nothing left to do: ${preview2.stdout}`);
});

test('when the group grows it takes a warm instance into service first, and that instance becomes a node', async () => {
  const warm = (await warmPool()).map((i) => i.InstanceId!);
  await clients.autoscaling.send(new as.UpdateAutoScalingGroupCommand({ AutoScalingGroupName: GROUP, MaxSize: 2, DesiredCapacity: 2 }));
  const taken = await until('a warm instance in service', async () => {
    const found = (await members()).find((m) => warm.includes(m.InstanceId!) && m.LifecycleState === 'InService');
    return found;
  }, 30_000);
  const kube = await connectKube(CLUSTER, sim.kubeconfigPath, 30_000);
  try {
    await until('its node Ready', async () => ((await listNodes(kube)).some((n) => (n.spec?.providerID ?? '').endsWith(taken.InstanceId!)) ? true : undefined), 30_000);
  } finally {
    kube.close();
  }
});
