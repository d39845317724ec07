// A cluster kopsdeck creates boots through its cloud-config and kubeadm in the
// strict simulator: three control-plane nodes started together come up with
// exactly one `kubeadm init` and two control-plane joins, the workers join
// with the bootstrap token, and each way a machine can be made wrong (a
// tampered token, a wrong CA hash, no instance profile, no etcd volume for a
// control plane) leaves it NotJoined, with its console's reason shown by
// `validate cluster`.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CreateBucketCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import {
  type RequestLaunchTemplateData,
  CreateLaunchTemplateVersionCommand,
  CreateVolumeCommand,
  DeleteVolumeCommand,
  DescribeLaunchTemplateVersionsCommand,
  DescribeLaunchTemplatesCommand,
  DescribeVolumesCommand,
  GetConsoleOutputCommand,
  ModifyLaunchTemplateCommand,
} from '@aws-sdk/client-ec2';
import { DescribeAutoScalingGroupsCommand, SetDesiredCapacityCommand, TerminateInstanceInAutoScalingGroupCommand, UpdateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import { simulatorAccess } from '../../src/startup/cloud-session.js';
import { startRecordedSimulator, type SimulatorConnection } from '../../src/startup/simulator-connection.js';
import { awsClientsFor, type AwsClients } from '../../src/engine/cloud/aws/clients.js';
import { simAdminFetch } from '../../src/sim/admin-client.js';
import type { BootFailure, BootstrapRecord } from '../../src/sim/contracts.js';
import { cliHarness } from '../helpers/cli-harness.js';
import { createKubeClient } from '../../src/engine/kube/client.js';
import { until as poll, type NotYet } from '../helpers/wait.js';
import { decodeUserData } from '../../src/engine/bootstrap/user-data.js';

const NAME = 'boot.k8s.local';
const STATE = 's3://kops-state/clusters';
const home = mkdtempSync(join(tmpdir(), 'kopsdeck-kubeadm-sim-'));
const env = { KOPSDECK_HOME: home, KOPSDECK_CLOUD: 'sim', KOPS_STATE_STORE: STATE };
const cli = cliHarness();
const run = (args: string[]) => cli.run(['--state', STATE, ...args], env);
let sim: SimulatorConnection;
let clients: AwsClients;

interface Stats {
  bootstraps: BootstrapRecord[];
  bootFailures: BootFailure[];
}
const stats = async (): Promise<Stats> => (await (await simAdminFetch(sim, '/sim/stats')).json()) as Stats;

const until = <T,>(what: string, check: () => Promise<T | NotYet>, timeoutMs = 60_000) => poll(what, check, timeoutMs, 100);

before(async () => {
  sim = await startRecordedSimulator({ dir: join(home, 'sim'), speed: 300 });
  clients = awsClientsFor(simulatorAccess(sim), 'us-east-1');
  await clients.s3.send(new CreateBucketCommand({ Bucket: 'kops-state' }));
  const created = await run(['create', 'cluster', NAME, '--zones', 'us-east-1a,us-east-1b,us-east-1c', '--control-plane-count', '3', '--node-count', '2']);
  assert.equal(created.code, 0, created.stderr);
  const applied = await run(['update', 'cluster', NAME, '--yes']);
  assert.equal(applied.code, 0, applied.stderr);
});
after(async () => {
  clients?.destroy();
  await sim?.release();
  rmSync(home, { recursive: true, force: true });
});

/** The kube-system DaemonSets of a network add-on, as `name image`. */
async function networkDaemonSets(cluster: string): Promise<string[]> {
  const kube = await createKubeClient({ cluster, kubeconfigPath: sim.kubeconfigPath });
  try {
    const list = await kube.request<{ items: { metadata: { name: string }; spec: { template: { spec: { containers: { image: string }[] } } } }[] }>('GET', '/apis/apps/v1/namespaces/kube-system/daemonsets');
    return list.items.filter((d) => d.metadata.name !== 'kube-proxy').map((d) => `${d.metadata.name} ${d.spec.template.spec.containers[0].image}`);
  } finally {
    kube.close();
  }
}

/** Each node's container runtime, as it reports it (status.nodeInfo.containerRuntimeVersion). */
async function nodeRuntimes(cluster: string): Promise<string[]> {
  const kube = await createKubeClient({ cluster, kubeconfigPath: sim.kubeconfigPath });
  try {
    const list = await kube.request<{ items: { status: { nodeInfo: { containerRuntimeVersion: string } } }[] }>('GET', '/api/v1/nodes');
    return list.items.map((n) => n.status.nodeInfo.containerRuntimeVersion);
  } finally {
    kube.close();
  }
}

test('three control-plane nodes started together: one kubeadm init, two control-plane joins; the workers join', async () => {
  const validated = await run(['validate', 'cluster', NAME, '--wait', '20m']);
  assert.equal(validated.code, 0, validated.stdout + validated.stderr);
  assert.deepEqual(await networkDaemonSets(NAME), ['cilium quay.io/cilium/cilium:v1.18.12'], "the channel's cilium, installed by the first control-plane node");
  assert.deepEqual(await nodeRuntimes(NAME), Array(5).fill('containerd://2.2.4'), "every node runs the channel's containerd, which its user-data installs");
  const { bootstraps, bootFailures } = await stats();
  assert.deepEqual(bootFailures, []);
  const mine = bootstraps.filter((b) => b.cluster === NAME);
  const controlPlane = mine.filter((b) => b.instanceGroup.startsWith('control-plane-'));
  assert.deepEqual(controlPlane.map((b) => b.action).sort(), ['init', 'join-control-plane', 'join-control-plane']);
  assert.equal(new Set(controlPlane.map((b) => b.instanceGroup)).size, 3, 'one per zone');
  assert.deepEqual(mine.filter((b) => !b.instanceGroup.startsWith('control-plane-')).map((b) => b.action), ['join', 'join']);
  // The init machine won the create-only lock, and said so.
  const lock = await clients.s3.send(new GetObjectCommand({ Bucket: 'kops-state', Key: `clusters/${NAME}/bootstrap/initialized` }));
  assert.equal(await lock.Body!.transformToString(), controlPlane.find((b) => b.action === 'init')!.instanceId);
});

/** The nodes group's template with its user-data changed by `edit` (and other data by `data`), as a new default version. */
async function tamperNodesTemplate(edit: (userData: string) => string, options: { withoutProfile?: boolean } = {}): Promise<{ templateId: string; previous: string }> {
  const templates = await clients.ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: [`nodes-us-east-1a.${NAME}`] }));
  const template = templates.LaunchTemplates![0];
  const latest = await clients.ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: template.LaunchTemplateId, Versions: ['$Default'] }));
  const current = latest.LaunchTemplateVersions![0].LaunchTemplateData!;
  const userData = decodeUserData(current.UserData);
  const changed = edit(userData);
  assert.notEqual(changed, userData, 'the edit changed the user-data');
  const version = await clients.ec2.send(
    new CreateLaunchTemplateVersionCommand(
      options.withoutProfile
        ? // A version with everything but the instance profile: written out whole, as EC2 cannot drop a field from a source version.
          { LaunchTemplateId: template.LaunchTemplateId, LaunchTemplateData: { ...(current as RequestLaunchTemplateData), IamInstanceProfile: undefined, UserData: gzipSync(changed).toString('base64') } }
        : { LaunchTemplateId: template.LaunchTemplateId, SourceVersion: String(template.DefaultVersionNumber), LaunchTemplateData: { UserData: gzipSync(changed).toString('base64') } },
    ),
  );
  await clients.ec2.send(new ModifyLaunchTemplateCommand({ LaunchTemplateId: template.LaunchTemplateId, DefaultVersion: String(version.LaunchTemplateVersion!.VersionNumber) }));
  return { templateId: template.LaunchTemplateId!, previous: String(template.DefaultVersionNumber) };
}

async function scaleGroup(name: string, desired: number): Promise<void> {
  const group = (await clients.autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }))).AutoScalingGroups![0];
  if ((group.MaxSize ?? 0) < desired) await clients.autoscaling.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: name, MaxSize: desired }));
  await clients.autoscaling.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: name, DesiredCapacity: desired }));
}

/** Launches one more machine of `group`, waits for its boot failure, and checks `validate cluster` quotes the reason. */
async function expectNotJoined(group: string, reason: RegExp): Promise<string> {
  const before = (await stats()).bootFailures.length;
  const current = (await clients.autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [group] }))).AutoScalingGroups![0];
  await scaleGroup(group, (current.DesiredCapacity ?? 0) + 1);
  const failure = await until('a boot failure', async () => (await stats()).bootFailures.slice(before).find((f) => f.cluster === NAME));
  assert.match(failure.reason, reason);
  const validated = await run(['validate', 'cluster', NAME, '-o', 'json']);
  assert.equal(validated.code, 2, 'validation fails while the machine has not joined');
  const report = JSON.parse(validated.stdout) as { failures: { name: string; message: string }[] };
  const line = report.failures.find((f) => f.name === failure.instanceId);
  assert.ok(line, `validate names ${failure.instanceId}: ${validated.stdout}`);
  assert.match(line.message, /has not yet joined cluster; its console says: kopsdeck-bootstrap: /);
  assert.match(line.message, reason);
  await clients.autoscaling.send(new TerminateInstanceInAutoScalingGroupCommand({ InstanceId: failure.instanceId, ShouldDecrementDesiredCapacity: true }));
  return failure.instanceId;
}

async function restore(templateId: string, version: string): Promise<void> {
  await clients.ec2.send(new ModifyLaunchTemplateCommand({ LaunchTemplateId: templateId, DefaultVersion: version }));
}

const NODES = `nodes-us-east-1a.${NAME}`;

test('a worker whose user-data carries a token the cluster does not know stays NotJoined', async () => {
  const { templateId, previous } = await tamperNodesTemplate((text) => text.replace('"@BOOTSTRAP_TOKEN@"', 'abcdef.0123456789abcdef'));
  await expectNotJoined(NODES, /token id "abcdef" is invalid for this cluster/);
  await restore(templateId, previous);
});

test('a worker made for another CA refuses to join', async () => {
  const { templateId, previous } = await tamperNodesTemplate((text) => text.replace(/CA_CERT_HASH=sha256:[0-9a-f]{64}/, `CA_CERT_HASH=sha256:${'0'.repeat(64)}`));
  await expectNotJoined(NODES, /, not the sha256:0{64} this machine was made for: refusing to join/);
  await restore(templateId, previous);
});

test('a worker without an instance profile cannot read the state store', async () => {
  const { templateId, previous } = await tamperNodesTemplate((text) => text.replace('# kopsdeck bootstrap:', '# kopsdeck bootstrap (no profile):'), { withoutProfile: true });
  await expectNotJoined(NODES, /no instance profile/);
  await restore(templateId, previous);
});

test('a second control-plane machine in a zone waits for an etcd volume to be free, then gives up and does not join', async () => {
  await expectNotJoined(`control-plane-us-east-1a.masters.${NAME}`, /no etcd volume of boot\.k8s\.local in us-east-1a came free in 900s/);
});

test("an etcd volume without the control plane's tags is one the instance profile may not attach: the machine tries, says why, and does not join", async () => {
  // Tagged as the cluster's etcd volume, but not k8s.io/role/master: the control-plane role's AttachVolume condition refuses it.
  const created = await clients.ec2.send(
    new CreateVolumeCommand({
      AvailabilityZone: 'us-east-1a',
      Size: 20,
      VolumeType: 'gp3',
      TagSpecifications: [{ ResourceType: 'volume', Tags: [{ Key: 'KubernetesCluster', Value: NAME }, { Key: 'k8s.io/etcd/main', Value: 'x/a,b,c' }] }],
    }),
  );
  try {
    await until('the volume to be available', async () => ((await volumeState(created.VolumeId!)) === 'available' ? true : undefined));
    const instanceId = await expectNotJoined(`control-plane-us-east-1a.masters.${NAME}`, /no etcd volume of boot\.k8s\.local in us-east-1a came free in 900s/);
    const console = Buffer.from((await clients.ec2.send(new GetConsoleOutputCommand({ InstanceId: instanceId }))).Output ?? '', 'base64').toString('utf8');
    assert.match(console, new RegExp(`kopsdeck-bootstrap: could not attach etcd volume ${created.VolumeId}: AccessDenied \\(403\\)`));
    assert.equal(await volumeState(created.VolumeId!), 'available', 'IAM refused the attach');
  } finally {
    await clients.ec2.send(new DeleteVolumeCommand({ VolumeId: created.VolumeId }));
  }
});

async function volumeState(id: string): Promise<string | undefined> {
  return (await clients.ec2.send(new DescribeVolumesCommand({ VolumeIds: [id] }))).Volumes?.[0]?.State;
}

interface EtcdMember {
  id: string;
  instanceId: string;
  peerUrl: string;
  clientUrl?: string;
}
const etcdMembers = async (cluster: string): Promise<EtcdMember[]> => ((await (await simAdminFetch(sim, `/sim/etcd/${cluster}`)).json()) as { members: EtcdMember[] }).members;

async function runningInstances(cluster: string, role: string): Promise<string[]> {
  const { DescribeInstancesCommand } = await import('@aws-sdk/client-ec2');
  const page = await clients.ec2.send(
    new DescribeInstancesCommand({ Filters: [{ Name: 'tag:KubernetesCluster', Values: [cluster] }, { Name: `tag-key`, Values: [role] }, { Name: 'instance-state-name', Values: ['pending', 'running'] }] }),
  );
  return (page.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId!).sort();
}

test('a rolling update of the three control-plane nodes leaves etcd with exactly their three members', async () => {
  const before = await runningInstances(NAME, 'k8s.io/role/control-plane');
  assert.equal(before.length, 3);
  assert.deepEqual((await etcdMembers(NAME)).map((m) => m.instanceId).sort(), before);
  const rolled = await run(['rolling-update', 'cluster', NAME, '--yes', '--force', '--instance-group-roles', 'control-plane', '--control-plane-interval', '0s', '--post-drain-delay', '0s']);
  assert.equal(rolled.code, 0, rolled.stdout + rolled.stderr);
  const after = await runningInstances(NAME, 'k8s.io/role/control-plane');
  assert.equal(after.length, 3);
  assert.equal(after.filter((id) => before.includes(id)).length, 0, 'every control-plane instance was replaced');
  // The control-plane upkeep removes a gone machine's member within a minute of simulated time.
  const members = await until('etcd to hold only the running control-plane machines', async () => {
    const now = await etcdMembers(NAME);
    return now.map((m) => m.instanceId).sort().join() === after.join() ? now : undefined;
  });
  assert.equal(members.length, 3, 'no member of a gone instance is left');
  const joins = (await stats()).bootstraps.filter((b) => after.includes(b.instanceId)).map((b) => b.action);
  assert.deepEqual(joins, ['join-control-plane', 'join-control-plane', 'join-control-plane']);
});

test('a one-node control plane replaced by a rolling update comes back on its etcd volume, with the same cluster', async () => {
  const one = 'one.k8s.local';
  assert.equal((await run(['create', 'cluster', one, '--zones', 'us-east-1b', '--node-count', '1', '--networking', 'calico'])).code, 0);
  const applied = await run(['update', 'cluster', one, '--yes']);
  assert.equal(applied.code, 0, applied.stderr);
  const first = await run(['validate', 'cluster', one, '--wait', '20m']);
  assert.equal(first.code, 0, first.stdout + first.stderr);
  const [member] = await etcdMembers(one);
  // The first control-plane node installed the channel's calico, and no other network runs.
  assert.deepEqual(await networkDaemonSets(one), ['calico-node docker.io/calico/node:v3.31.6']);
  const rolled = await run(['rolling-update', 'cluster', one, '--yes', '--force', '--instance-group-roles', 'control-plane', '--post-drain-delay', '0s']);
  assert.equal(rolled.code, 0, rolled.stdout + rolled.stderr);
  const [replacement] = await runningInstances(one, 'k8s.io/role/control-plane');
  assert.notEqual(replacement, member.instanceId);
  const record = (await stats()).bootstraps.find((b) => b.instanceId === replacement);
  assert.equal(record?.action, 'restore', 'it started on the data its volume carried, not as a new cluster');
  // The same member on the new machine: etcd keeps the peer address it was first given, until the upkeep corrects it (within a minute).
  const { DescribeInstancesCommand } = await import('@aws-sdk/client-ec2');
  const ip = (await clients.ec2.send(new DescribeInstancesCommand({ InstanceIds: [replacement] }))).Reservations![0].Instances![0].PrivateIpAddress!;
  assert.notEqual(member.peerUrl, `https://${ip}:2380`, 'the new machine has another address');
  const moved = await until("the member's peer address to be the new machine's", async () => {
    const now = await etcdMembers(one);
    return now.length === 1 && now[0].peerUrl === `https://${ip}:2380` ? now : undefined;
  });
  assert.deepEqual(moved, [{ id: member.id, instanceId: replacement, peerUrl: `https://${ip}:2380`, clientUrl: `https://${ip}:2379` }]);
  const validated = await run(['validate', 'cluster', one, '--wait', '20m']);
  assert.equal(validated.code, 0, validated.stdout + validated.stderr);
});
