// `kopsdeck upgrade cluster` and `kopsdeck rolling-update cluster` through the
// command line (in-process runCli), on a small simulated cluster made with
// `create cluster` + `update cluster --yes`: the refusals of upgrade, the plan
// table kops prints without --yes, -o json as one event per line, and the
// whole flow upgrade -> update -> rolling-update --yes.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { KubeClient } from '../../src/engine/kube/client.js';
import type { RolloutEvent } from '../../src/engine/rollout/types.js';
import { startRecordedSimulator, type SimulatorConnection } from '../../src/startup/simulator-connection.js';
import { EXIT_ROLLOUT_PENDING } from '../../src/commands/cli-error.js';
import { cliHarness, type CliResult } from '../helpers/cli-harness.js';
import { connectKube, listNodes, waitForReadyNodes } from '../helpers/sim-cluster.js';

const NAME = 'roll-cli.k8s.local';
let home: string;
let sim: SimulatorConnection;
let kube: KubeClient;
let cli: (args: string[]) => Promise<CliResult>;
let cleanup: () => void;

const nodes = () => listNodes(kube);
const readyNodes = (count: number) => waitForReadyNodes(kube, count, 30_000, 50);

before(async () => {
  home = mkdtempSync(join(tmpdir(), 'kopsdeck-rollcli-'));
  sim = await startRecordedSimulator({ dir: join(home, 'sim'), speed: 200, seed: 9 });
  const harness = cliHarness();
  cli = (args) => harness.run(args, { KOPSDECK_HOME: home, KOPSDECK_CLOUD: 'sim' });
  cleanup = () => rmSync(harness.home, { recursive: true, force: true });
  const created = await cli(['create', 'cluster', NAME, '--zones', 'us-east-1a', '--control-plane-count', '1', '--node-count', '1', '--kubernetes-version', '1.31.9']);
  assert.equal(created.code, 0, created.stderr);
  const updated = await cli(['update', 'cluster', NAME, '--yes']);
  assert.equal(updated.code, 0, updated.stderr);
  kube = await connectKube(NAME, sim.kubeconfigPath, 20_000);
  await readyNodes(2);
});

after(async () => {
  kube?.close();
  await sim?.release();
  cleanup?.();
  if (home) rmSync(home, { recursive: true, force: true });
});

test('upgrade refuses skipping a minor version and a downgrade, and changes nothing', async () => {
  const skip = await cli(['upgrade', 'cluster', NAME, '--kubernetes-version', '1.33.0', '--yes']);
  assert.equal(skip.code, 1);
  assert.match(skip.stderr, /Cannot upgrade roll-cli\.k8s\.local: upgrade one minor version at a time: 1\.31 -> 1\.33 skips a minor version; upgrade to 1\.32\.\d+ first\./);
  const down = await cli(['upgrade', 'cluster', NAME, '--kubernetes-version', '1.30.13', '--yes']);
  assert.equal(down.code, 1);
  assert.match(down.stderr, /Cannot upgrade roll-cli\.k8s\.local: 1\.30\.13 is older than the cluster's 1\.31\.9; Kubernetes cannot be downgraded in place\./);
  const bad = await cli(['upgrade', 'cluster', NAME, '--kubernetes-version', 'latest']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /"latest" is not a Kubernetes version/);
  const spec = await cli(['get', 'cluster', NAME, '-o', 'yaml']);
  assert.match(spec.stdout, /kubernetesVersion: 1\.31\.9/, 'the refused upgrades wrote nothing');
});

test('upgrade -> update -> rolling-update: the plan as kops prints it, then --yes -o json, one event per line, every node on the new version', async () => {
  const dry = await cli(['upgrade', 'cluster', NAME, '--kubernetes-version', '1.32.5']);
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /Cluster\s+KubernetesVersion\s+1\.31\.9\s+1\.32\.5/);
  assert.match(dry.stdout, /Must specify --yes to perform upgrade/);
  const upgraded = await cli(['upgrade', 'cluster', NAME, '--kubernetes-version', '1.32.5', '--yes']);
  assert.equal(upgraded.code, 0, upgraded.stderr);
  const updated = await cli(['update', 'cluster', NAME, '--yes']);
  assert.equal(updated.code, 0, updated.stderr);

  const plan = await cli(['rolling-update', 'cluster', NAME]);
  assert.equal(plan.code, EXIT_ROLLOUT_PENDING, plan.stderr);
  const lines = plan.stdout.split('\n');
  assert.match(lines[0], /^NAME\s+STATUS\s+NEEDUPDATE\s+READY\s+MIN\s+TARGET\s+MAX\s+NODES$/);
  assert.match(plan.stdout, /^control-plane-us-east-1a\s+NeedsUpdate\s+1\s+0\s+1\s+1\s+1\s+1$/m);
  assert.match(plan.stdout, /^nodes-us-east-1a\s+NeedsUpdate\s+1\s+0\s+1\s+1\s+\d+\s+1$/m);
  assert.match(plan.stdout, /Order: control-plane-us-east-1a -> nodes-us-east-1a/);
  assert.match(plan.stdout, /\nMust specify --yes to rolling-update\.\n$/);
  assert.ok((await nodes()).every((n) => n.status?.nodeInfo?.kubeletVersion === 'v1.31.9'), 'the plan replaced nothing');

  const rolled = await cli(['rolling-update', 'cluster', NAME, '--yes', '-o', 'json']);
  assert.equal(rolled.code, 0, rolled.stderr);
  const events = rolled.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as RolloutEvent);
  assert.equal(events[0].type, 'plan');
  const last = events.at(-1)!;
  assert.ok(last.type === 'finished' && last.status === 'finished' && last.replaced === 2, JSON.stringify(last));
  const finishedSteps = events.filter((e) => e.type === 'step-finished');
  assert.ok(finishedSteps.length >= 15, `steps of both instances reported (${finishedSteps.length})`);
  const after = await readyNodes(2);
  assert.deepEqual(after.map((n) => n.status?.nodeInfo?.kubeletVersion), ['v1.32.5', 'v1.32.5']);

  const again = await cli(['rolling-update', 'cluster', NAME]);
  assert.equal(again.code, 0);
  assert.match(again.stdout, /No rolling-update required\./);
  assert.doesNotMatch(again.stdout, /Must specify --yes/);
});

test('--instance-group-roles reads kops spellings and rolls only those groups; unknown roles and groups are refused', async () => {
  for (const role of ['control-plane', 'ControlPlane', 'masters']) {
    const plan = await cli(['rolling-update', 'cluster', NAME, '--force', '--instance-group-roles', role]);
    assert.equal(plan.code, EXIT_ROLLOUT_PENDING, plan.stderr);
    assert.match(plan.stdout, /control-plane-us-east-1a\s+NeedsUpdate/, role);
    assert.doesNotMatch(plan.stdout, /nodes-us-east-1a/, `${role}: no worker group in the plan`);
  }
  const nodesOnly = await cli(['rolling-update', 'cluster', NAME, '--force', '--instance-group-roles', 'Nodes']);
  assert.match(nodesOnly.stdout, /nodes-us-east-1a\s+NeedsUpdate/);
  assert.doesNotMatch(nodesOnly.stdout, /control-plane-us-east-1a/);
  const before = (await nodes()).map((n) => `${n.metadata.name} ${n.spec?.unschedulable ?? false}`).sort();
  const badRole = await cli(['rolling-update', 'cluster', NAME, '--yes', '--force', '--instance-group-roles', 'worker']);
  assert.equal(badRole.code, 1);
  assert.match(badRole.stderr, /invalid instance group role "worker": use control-plane, apiserver, node, bastion/);
  const badGroup = await cli(['rolling-update', 'cluster', NAME, '--yes', '--force', '--instance-group', 'nope']);
  assert.equal(badGroup.code, 1);
  assert.match(badGroup.stderr, /InstanceGroup "nope" not found; the cluster's groups are [a-z0-9-]+(, [a-z0-9-]+)+/);
  const afterRefusals = (await nodes()).map((n) => `${n.metadata.name} ${n.spec?.unschedulable ?? false}`).sort();
  assert.deepEqual(afterRefusals, before, 'the refused runs touched no node');
});

test('kops flags: --validate-count 0 skips validation and says so, nodes are tainted before their drain, and bad values are refused', async () => {
  for (const [flag, pattern] of [
    ['--fail-on-validate-error=maybe', /--fail-on-validate-error takes true or false, not "maybe"/],
    ['--fail-on-drain-error=sometimes', /--fail-on-drain-error takes true or false, not "sometimes"/],
    ['--validate-count=-1', /--validate-count must be a whole number/],
  ] as const) {
    const refused = await cli(['rolling-update', 'cluster', NAME, '--yes', '--force', flag]);
    assert.equal(refused.code, 1, flag);
    assert.match(refused.stderr, pattern);
  }
  const rolled = await cli(['rolling-update', 'cluster', NAME, '--yes', '--force', '--instance-group-roles', 'node', '--validate-count', '0', '--fail-on-drain-error=false', '--fail-on-validate-error=false']);
  assert.equal(rolled.code, 0, rolled.stderr);
  assert.match(rolled.stdout, /Warning \(nodes-us-east-1a\): cluster validation skipped: --validate-count is 0/);
  assert.match(rolled.stdout, /Tainted 1 node\(s\) of nodes-us-east-1a kops\.k8s\.io\/scheduled-for-update:PreferNoSchedule/);
  assert.match(rolled.stdout, /Rolling update finished in .*: 1 replaced, 0 skipped\./);
  assert.ok(rolled.stdout.indexOf('Tainted') < rolled.stdout.indexOf('drain done'), rolled.stdout);
});
