// The wizard's logic without a screen: answers -> spec, each field's checks
// and their reasons, and the equivalent command line, which run through the
// real CLI (--dry-run -o yaml) prints exactly the wizard's spec.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  WIZARD_STEPS,
  activeSteps,
  answerProblems,
  buildWizardBundle,
  checkAdminAccess,
  checkClusterName,
  checkSshPublicKey,
  createClusterArgs,
  defaultAnswers,
  formatCommandLine,
  withAnswer,
  type WizardAnswers,
  type WizardEnvironment,
} from '../../src/engine/create/index.js';
import { serialiseClusterFile } from '../../src/engine/spec/parse.js';
import { checkClusterSpec } from '../../src/engine/spec/check-cluster-spec.js';
import { defaultKubernetesVersion } from '../../src/engine/spec/kubernetes-version.js';
import { cliHarness } from '../helpers/cli-harness.js';
import { tempDir } from '../helpers/temp-dir.js';

const ZONES = ['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d'];
const noZones: WizardEnvironment = { defaultRegion: 'us-east-1', takenNames: [], hostedZones: [] };
const withZones: WizardEnvironment = {
  defaultRegion: 'us-east-1',
  takenNames: ['demo.example.com'],
  hostedZones: [
    { name: 'example.com', id: 'Z1', private: false },
    { name: 'dev.example.com', id: 'Z2', private: false },
  ],
};
const step = (id: string) => WIZARD_STEPS.find((s) => s.id === id)!;
const ctxOf = (env: WizardEnvironment) => ({ env, zones: ZONES });

function keyDir(): string {
  const dir = tempDir('kopsdeck-keys-');
  writeFileSync(join(dir, 'id_ed25519.pub'), 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBbXkz8T7kopsdecktestkey user@host\n');
  writeFileSync(join(dir, 'id_ed25519'), '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n');
  return dir;
}

/** Runs the printed command line (minus the program name) with --dry-run -o yaml. */
async function specFromCommandLine(answers: WizardAnswers): Promise<string> {
  const cli = cliHarness();
  const result = await cli.run([...createClusterArgs(answers), '--dry-run', '-o', 'yaml']);
  assert.equal(result.code, 0, result.stderr);
  return result.stdout;
}

test('the defaults: a valid, highly available cluster over three zones, newest stable version, no DNS needed', () => {
  const answers = defaultAnswers(noZones, ZONES);
  assert.equal(answers.name, 'demo.k8s.local');
  assert.deepEqual(answers.zones, ['us-east-1a', 'us-east-1b', 'us-east-1c']);
  assert.equal(answers.controlPlaneCount, 3);
  assert.equal(answers.kubernetesVersion, defaultKubernetesVersion());
  assert.equal(answers.kubernetesVersion, '1.36.3');
  assert.deepEqual(answerProblems(answers, ctxOf(noZones)), []);
  const bundle = buildWizardBundle(answers);
  assert.deepEqual(checkClusterSpec(bundle.cluster, bundle.instanceGroups), []);
  const groups = bundle.instanceGroups.map((ig) => `${ig.metadata.name}:${ig.spec.role}:${ig.spec.minSize}-${ig.spec.maxSize}`);
  assert.deepEqual(groups, [
    'control-plane-us-east-1a:ControlPlane:1-1',
    'control-plane-us-east-1b:ControlPlane:1-1',
    'control-plane-us-east-1c:ControlPlane:1-1',
    'nodes-us-east-1a:Node:1-1',
    'nodes-us-east-1b:Node:1-1',
    'nodes-us-east-1c:Node:1-1',
  ]);
  assert.equal(bundle.cluster.spec.topology.dns.type, 'None');
  // Under a hosted zone the default name goes there, and taken names are skipped.
  const underZone = defaultAnswers(withZones, ZONES);
  assert.equal(underZone.name, 'demo-2.example.com');
  assert.equal(underZone.dnsZone, 'example.com');
});

test("the review's command line, run as is, produces the wizard's spec (defaults)", async () => {
  const answers = defaultAnswers(noZones, ZONES);
  assert.equal(
    formatCommandLine(createClusterArgs(answers)),
    `kopsdeck create cluster demo.k8s.local --zones us-east-1a,us-east-1b,us-east-1c --control-plane-count 3 --control-plane-size t3.medium --node-count 3 --node-size t3.medium --topology public --networking cilium --kubernetes-version ${defaultKubernetesVersion()} --yes`,
  );
  assert.equal(await specFromCommandLine(answers), serialiseClusterFile(buildWizardBundle(answers)));
});

test("the review's command line, run as is, produces the wizard's spec (every choice changed)", async () => {
  const dir = keyDir();
  let a = defaultAnswers(withZones, ZONES);
  const set = <K extends keyof WizardAnswers>(key: K, value: WizardAnswers[K]) => (a = withAnswer(a, key, value, withZones));
  set('name', 'prod.dev.example.com');
  assert.equal(a.dnsZone, 'dev.example.com', 'the DNS zone follows the name until chosen');
  set('zones', ['us-east-1a', 'us-east-1b']);
  set('controlPlaneCount', 5);
  set('controlPlaneSize', 'm6i.large');
  set('topology', 'private');
  set('bastion', true);
  set('networking', 'calico');
  set('dnsZone', 'example.com');
  set('nodeSize', 'c6i.xlarge');
  set('nodeMin', '2');
  set('nodeMax', '4');
  set('kubernetesVersion', '1.31.9');
  set('sshPublicKey', join(dir, 'id_ed25519.pub'));
  set('adminAccess', '203.0.113.0/24, 198.51.100.7/32');
  assert.deepEqual(answerProblems(a, ctxOf(withZones)), []);
  const bundle = buildWizardBundle(a);
  assert.deepEqual(checkClusterSpec(bundle.cluster, bundle.instanceGroups), []);
  assert.deepEqual(bundle.cluster.spec.kubernetesApiAccess, ['203.0.113.0/24', '198.51.100.7/32']);
  assert.equal(bundle.cluster.spec.dnsZone, 'example.com');
  const nodes = bundle.instanceGroups.filter((ig) => ig.spec.role === 'Node').map((ig) => [ig.spec.machineType, ig.spec.minSize, ig.spec.maxSize]);
  assert.deepEqual(nodes, [['c6i.xlarge', 2, 4], ['c6i.xlarge', 2, 4]]);
  assert.equal(bundle.instanceGroups.filter((ig) => ig.spec.role === 'ControlPlane').length, 5);
  assert.ok(bundle.instanceGroups.some((ig) => ig.spec.role === 'Bastion'));
  const args = createClusterArgs(a);
  for (const flag of ['--bastion', '--node-max-size', '--dns-zone', '--ssh-public-key', '--admin-access']) assert.ok(args.includes(flag), flag);
  assert.equal(await specFromCommandLine(a), serialiseClusterFile(bundle));
});

test('each text field refuses a bad value with its reason', () => {
  const a = defaultAnswers(withZones, ZONES);
  const ctx = ctxOf(withZones);
  const refused = (id: string, value: string) => {
    const s = step(id);
    assert.equal(s.kind, 'text');
    if (s.kind !== 'text') return '';
    return s.check(s.write(a, value, withZones), ctx).error ?? '';
  };
  assert.match(refused('name', 'Demo.example.com'), /capital letters/);
  assert.match(refused('name', 'demo'), /needs at least one dot/);
  assert.match(refused('name', 'demo.example.com'), /already in the state store/);
  // As kops 1.36 without --dns-zone: a name under no hosted zone uses no DNS; it is not refused.
  assert.equal(refused('name', 'demo.example.org'), '');
  assert.match(checkClusterName('demo.example.org', withZones).note!, /no Route 53 hosted zone of this account holds demo\.example\.org: the cluster uses no DNS and its API is reached through its load balancer/);
  assert.match(checkClusterName('demo.example.org', noZones).note!, /uses no DNS/);
  assert.match(refused('controlPlaneSize', 'huge'), /not an EC2 instance type/);
  assert.match(refused('nodeSize', ''), /give a machine type/);
  assert.match(refused('nodeMin', 'two'), /not a whole number/);
  assert.match(refused('nodeMin', '5000'), /at most 1000/);
  const withMin = step('nodeMin').kind === 'text' ? (step('nodeMin') as { write: (a: WizardAnswers, t: string, e: WizardEnvironment) => WizardAnswers }).write(a, '3', withZones) : a;
  assert.equal(withMin.nodeMax, '3', 'the maximum follows the minimum');
  const maxStep = step('nodeMax');
  assert.match(maxStep.kind === 'text' ? maxStep.check(maxStep.write(withMin, '2', withZones), ctx).error ?? '' : '', /below the 3 nodes each zone starts with/);
  assert.match(refused('adminAccess', 'anywhere'), /"anywhere" is not a CIDR/);
  assert.match(refused('adminAccess', '10.1.2.3/8'), /host bits set; did you mean 10\.0\.0\.0\/8\?/);
  assert.match(refused('adminAccess', ''), /at least one CIDR/);
  assert.match(checkAdminAccess('0.0.0.0/0').warning!, /open to the world/);
  assert.equal(checkAdminAccess('203.0.113.0/24').warning, undefined);
  const dir = keyDir();
  assert.match(checkSshPublicKey(join(dir, 'missing.pub')).error!, /does not exist/);
  assert.match(checkSshPublicKey(join(dir, 'id_ed25519')).error!, /is a private key/);
  assert.match(checkSshPublicKey(dir).error!, /is not a file/);
  assert.match(checkSshPublicKey(join(dir, 'id_ed25519.pub')).note!, /installs the ssh-ed25519 key/);
  assert.match(checkSshPublicKey('').note!, /none/);
});

test('choice steps refuse what does not fit the other answers, and say what a choice means', () => {
  const ctx = ctxOf(withZones);
  let a = defaultAnswers(withZones, ZONES);
  assert.match(step('zones').check({ ...a, zones: [] }, ctx).error!, /choose at least one zone/);
  assert.match(step('zones').check({ ...a, zones: ['us-east-1a'] }, ctx).warning!, /one zone/);
  assert.match(step('controlPlaneCount').check({ ...a, controlPlaneCount: 1 }, ctx).warning!, /^no high availability/);
  assert.match(step('controlPlaneCount').check({ ...a, controlPlaneCount: 5 }, ctx).note!, /2 in us-east-1a, 2 in us-east-1b, 1 in us-east-1c/);
  a = withAnswer(a, 'name', 'web.k8s.local', withZones);
  assert.equal(a.dnsZone, null);
  assert.match(step('dns').check(withAnswer(a, 'dnsZone', 'example.com', withZones), ctx).error!, /ends in \.k8s\.local and uses no DNS/);
  a = withAnswer(a, 'name', 'web.example.com', withZones);
  assert.match(step('dns').check(withAnswer(a, 'dnsZone', null, withZones), ctx).note!, /no DNS \(as kops without --dns-zone\): api\.web\.example\.com is not published; the API is reached through its load balancer/);
  assert.match(step('dns').check(withAnswer(a, 'dnsZone', 'dev.example.com', withZones), ctx).error!, /not under dev\.example\.com/);
  // The bastion step only exists for a private topology, and a public one drops it.
  assert.equal(activeSteps(a).some((s) => s.id === 'bastion'), false);
  const priv = withAnswer(withAnswer(a, 'topology', 'private', withZones), 'bastion', true, withZones);
  assert.equal(activeSteps(priv).some((s) => s.id === 'bastion'), true);
  assert.equal(withAnswer(priv, 'topology', 'public', withZones).bastion, false);
  // A new region empties the zones (the wizard then picks that region's first three).
  assert.deepEqual(withAnswer(a, 'region', 'eu-west-1', withZones).zones, []);
});

test('create cluster --node-max-size refuses a maximum below the group size, as the wizard does', async () => {
  const cli = cliHarness();
  const result = await cli.run(['create', 'cluster', 'small.k8s.local', '--zones', 'us-east-1a', '--node-count', '3', '--node-max-size', '2', '--dry-run']);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /minSize: is 3, more than maxSize 2/);
});

test('`kopsdeck create` with no name outside a terminal says how to name the cluster', async () => {
  const cli = cliHarness();
  for (const args of [['create'], ['create', 'cluster']]) {
    const result = await cli.run(args);
    assert.equal(result.code, 2, args.join(' '));
    assert.match(result.stderr, /Name the cluster: kopsdeck create cluster NAME --zones .*guided wizard/);
  }
});

test('create cluster --yes writes the spec and creates it in the cloud (the wizard\'s confirm, from a script)', async () => {
  const cli = cliHarness();
  const result = await cli.run(['create', 'cluster', 'scripted.k8s.local', '--zones', 'us-east-1a', '--node-count', '1', '--yes'], { KOPSDECK_SIM_SPEED: '50', KOPSDECK_CLOUD: 'sim' });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /Cluster "scripted\.k8s\.local" written to file:\/\//);
  assert.match(result.stdout, /Will create resources:/);
  assert.match(result.stdout, /is being created or updated in the cloud/);
  const again = await cli.run(['update', 'cluster', 'scripted.k8s.local'], { KOPSDECK_SIM_SPEED: '50', KOPSDECK_CLOUD: 'sim' });
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /No changes need to be applied/);
});
