// Through the command line, against the simulator: clusters stored on
// Kubernetes 1.31.4 and 1.36.2 are read, edited, validated and planned for a
// rolling update (their version only warns, on stderr); one stored below the
// supported range still has its groups edited; 1.30.x and 1.37.0 are refused
// when set, naming the range; cilium comes with kube-proxy off; and a prefix
// list in kubernetesApiAccess becomes a security group rule in EC2.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { AuthorizeSecurityGroupIngressCommand, DescribeSecurityGroupsCommand, EC2Client, type IpPermission } from '@aws-sdk/client-ec2';
import type { KubeClient } from '../../src/engine/kube/client.js';
import { startRecordedSimulator, type SimulatorConnection } from '../../src/startup/simulator-connection.js';
import { cliHarness, type CliHarness, type CliResult } from '../helpers/cli-harness.js';
import { connectKube, waitForReadyNodes } from '../helpers/sim-cluster.js';
import { simulatorCredentials } from '../../src/startup/cloud-session.js';

const OLD = 'old.example.com';
const NEW = 'new.example.com';
const PREFIX_LIST = 'pl-0123456789abcdef0';
let home: string;
let sim: SimulatorConnection;
let harness: CliHarness;
const kubes: KubeClient[] = [];
let cli: (args: string[]) => Promise<CliResult>;

const ok = (result: CliResult, what: string) => assert.equal(result.code, 0, `${what}: ${result.stderr}`);
const configOf = (name: string) => join(harness.home, 'state', name, 'config');

before(async () => {
  home = mkdtempSync(join(tmpdir(), 'kopsdeck-versions-'));
  sim = await startRecordedSimulator({ dir: join(home, 'sim'), speed: 200, seed: 11 });
  harness = cliHarness();
  cli = (args) => harness.run(args, { KOPSDECK_HOME: home, KOPSDECK_CLOUD: 'sim' });
  for (const [name, version] of [[OLD, '1.31.4'], [NEW, '1.36.2']]) {
    ok(await cli(['create', 'cluster', name, '--zones', 'us-east-1a', '--node-count', '1', '--kubernetes-version', version]), `create ${name}`);
    ok(await cli(['update', 'cluster', name, '--yes']), `update ${name}`);
  }
  for (const name of [OLD, NEW]) {
    const kube = await connectKube(name, sim.kubeconfigPath, 30_000);
    kubes.push(kube);
    await waitForReadyNodes(kube, 2, 60_000, 50);
  }
});

after(async () => {
  for (const kube of kubes) kube.close();
  await sim?.release();
  if (harness) rmSync(harness.home, { recursive: true, force: true });
  if (home) rmSync(home, { recursive: true, force: true });
});

test('clusters on 1.31.4 and 1.36.2 are read and their groups edited; the version only warns', async () => {
  const clusters = await cli(['get', 'clusters']);
  ok(clusters, 'get clusters');
  assert.match(clusters.stdout, /new\.example\.com[\s\S]*old\.example\.com/);
  for (const name of [OLD, NEW]) {
    const groups = await cli(['get', 'ig', '--name', name]);
    ok(groups, `get ig ${name}`);
    assert.match(groups.stdout, /nodes-us-east-1a\s+Node/);
    const edited = await cli(['edit', 'ig', 'nodes-us-east-1a', '--name', name, '--set', 'spec.maxSize=7']);
    ok(edited, `edit ig ${name}`);
    assert.match(readFileSync(join(harness.home, 'state', name, 'instancegroup', 'nodes-us-east-1a'), 'utf8'), /maxSize: 7/);
  }
  const old = await cli(['edit', 'ig', 'nodes-us-east-1a', '--name', OLD, '--set', 'spec.maxSize=6']);
  assert.match(old.stderr, /^Warning: spec\.kubernetesVersion: support for Kubernetes 1\.31 is deprecated/m);
  assert.match(old.stderr, /^Warning: spec\.kubernetesVersion: Kubernetes 1\.31\.14 is available and recommended by the stable channel/m);
  const current = await cli(['edit', 'ig', 'nodes-us-east-1a', '--name', NEW, '--set', 'spec.maxSize=6']);
  assert.match(current.stderr, /^Warning: spec\.kubernetesVersion: Kubernetes 1\.36\.3 is available/m);
});

test('clusters on 1.31.4 and 1.36.2 validate and have a rolling-update plan', async () => {
  for (const name of [OLD, NEW]) {
    const validated = await cli(['validate', 'cluster', name, '--wait', '10m']);
    ok(validated, `validate ${name}`);
    assert.match(validated.stdout, new RegExp(`Your cluster ${name.replace(/\./g, '\\.')} is ready`));
    assert.match(validated.stderr, /^Warning: spec\.kubernetesVersion: /m);
    const plan = await cli(['rolling-update', 'cluster', name]);
    ok(plan, `rolling-update ${name}`);
    assert.match(plan.stdout, /NAME\s+STATUS\s+NEEDUPDATE/);
    assert.doesNotMatch(plan.stderr, /is not valid/);
  }
});

test('a cluster stored below the supported range still has its groups edited, with a warning naming the range', async () => {
  const name = 'older.k8s.local';
  ok(await cli(['create', 'cluster', name, '--zones', 'us-east-1a', '--kubernetes-version', '1.31.14']), 'create');
  // As a kops store left on an older version: written by hand, not through kopsdeck.
  writeFileSync(configOf(name), readFileSync(configOf(name), 'utf8').replace('kubernetesVersion: 1.31.14', 'kubernetesVersion: 1.30.9'));
  const edited = await cli(['edit', 'ig', 'nodes-us-east-1a', '--name', name, '--set', 'spec.maxSize=7']);
  ok(edited, 'edit ig on 1.30.9');
  assert.match(edited.stderr, /^Warning: spec\.kubernetesVersion: Kubernetes 1\.30\.9 is no longer supported; kopsdeck supports 1\.31\.0 to 1\.36\.x/m);
  const upgrade = await cli(['upgrade', 'cluster', name]);
  ok(upgrade, 'upgrade proposal');
  assert.match(upgrade.stdout, /KubernetesVersion\s+1\.30\.9\s+1\.31\.14/, 'the way up is the next minor');
  // As kops' update: machines are never built for a version outside the supported range.
  const update = await cli(['update', 'cluster', name]);
  assert.equal(update.code, 2, 'update cluster refuses 1.30.9');
  assert.match(update.stderr, /kopsdeck supports 1\.31\.0 to 1\.36\.x/);
});

test('1.30.x and 1.37.0 are refused when set, naming the supported range', async () => {
  for (const version of ['1.30.14', '1.37.0']) {
    const created = await cli(['create', 'cluster', 'refused.k8s.local', '--zones', 'us-east-1a', '--kubernetes-version', version, '--dry-run']);
    assert.equal(created.code, 2, version);
    assert.match(created.stderr, new RegExp(`Kubernetes ${version.replace(/\./g, '\\.')} is (no longer|not) supported.*kopsdeck supports 1\\.31\\.0 to 1\\.36\\.x`));
    const edited = await cli(['edit', 'cluster', NEW, '--set', `spec.kubernetesVersion=${version}`]);
    assert.equal(edited.code, 2, `edit to ${version}`);
    assert.match(edited.stderr, /kopsdeck supports 1\.31\.0 to 1\.36\.x/);
  }
  assert.match(readFileSync(configOf(NEW), 'utf8'), /kubernetesVersion: 1\.36\.2/, 'nothing was written');
});

test('a cilium spec carries kubeProxy.enabled=false, as kops writes it', async () => {
  const dry = await cli(['create', 'cluster', 'cilium.k8s.local', '--zones', 'us-east-1a', '--networking', 'cilium', '--dry-run', '-o', 'yaml']);
  ok(dry, 'dry run');
  assert.match(dry.stdout, /kubeProxy:\n {4}enabled: false/);
  assert.match(dry.stdout, /cilium:\n {6}enableNodePort: true/);
});

test('a prefix list in kubernetesApiAccess becomes a security group rule with that prefix list', async () => {
  const name = 'pl.k8s.local';
  ok(await cli(['create', 'cluster', name, '--zones', 'us-east-1a', '--node-count', '1', '--admin-access', `${PREFIX_LIST},203.0.113.0/24`]), 'create');
  ok(await cli(['update', 'cluster', name, '--yes']), 'update');
  const ec2 = new EC2Client({ region: 'us-east-1', endpoint: sim.url, credentials: simulatorCredentials(sim.token) });
  try {
    const out = await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: [`masters.${name}`, `nodes.${name}`, `api-elb.${name}`] }] }));
    const permissions = (group: string): IpPermission[] => out.SecurityGroups!.find((g) => g.GroupName === `${group}.${name}`)!.IpPermissions ?? [];
    const fromPrefixList = (group: string, port: number) =>
      permissions(group).some((p) => p.FromPort === port && p.ToPort === port && p.PrefixListIds?.some((l) => l.PrefixListId === PREFIX_LIST));
    // A .k8s.local cluster has an API load balancer: the API is open on its group (kops' https-api-elb-<entry>).
    assert.ok(fromPrefixList('api-elb', 443), JSON.stringify(permissions('api-elb')));
    assert.ok(fromPrefixList('masters', 22));
    assert.ok(fromPrefixList('nodes', 22));
    assert.ok(permissions('api-elb').some((p) => p.FromPort === 443 && p.IpRanges?.some((r) => r.CidrIp === '203.0.113.0/24')), 'the CIDR next to it too');
    assert.ok(!permissions('masters').some((p) => p.FromPort === 443 && (p.IpRanges?.length || p.PrefixListIds?.length)), 'the control plane takes 443 from the load balancer only');
    // As EC2, the simulator refuses a prefix list id that is not one.
    const groupId = out.SecurityGroups!.find((g) => g.GroupName === `masters.${name}`)!.GroupId!;
    const malformed = await ec2
      .send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, PrefixListIds: [{ PrefixListId: 'pl-office' }] }] }))
      .then(() => null, (error: Error) => error);
    assert.equal(malformed?.name, 'InvalidPrefixListId.Malformed');
  } finally {
    ec2.destroy();
  }
  const again = await cli(['update', 'cluster', name]);
  ok(again, 'second plan');
  assert.match(again.stdout, /No changes need to be applied/, 'the rule is found again, not re-created or revoked');
});
