// `kopsdeck rolling-update cluster NAME --rehearse` through the command line
// (in-process runCli) on a small simulated cluster made with `create cluster`
// + `update cluster --yes` and upgraded one minor: the report as text (progress
// on stderr), -o json as one object, the refusal of --yes, and the cluster's
// instances untouched.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { KubeClient } from '../../src/engine/kube/client.js';
import type { RehearsalReport } from '../../src/engine/rehearse/types.js';
import { startRecordedSimulator, type SimulatorConnection } from '../../src/startup/simulator-connection.js';
import { cliHarness, type CliResult } from '../helpers/cli-harness.js';
import { connectKube, listNodes, waitForReadyNodes } from '../helpers/sim-cluster.js';

const NAME = 'rehearse-cli.k8s.local';
let home: string;
let sim: SimulatorConnection;
let kube: KubeClient;
let cli: (args: string[]) => Promise<CliResult>;
let cleanup: () => void;

before(async () => {
  home = mkdtempSync(join(tmpdir(), 'kopsdeck-rehearsecli-'));
  sim = await startRecordedSimulator({ dir: join(home, 'sim'), speed: 100, seed: 5 });
  const harness = cliHarness();
  cli = (args) => harness.run(args, { KOPSDECK_HOME: home, KOPSDECK_CLOUD: 'sim' });
  cleanup = () => rmSync(harness.home, { recursive: true, force: true });
  for (const args of [
    ['create', 'cluster', NAME, '--zones', 'us-east-1a', '--control-plane-count', '1', '--node-count', '2', '--kubernetes-version', '1.31.9'],
    ['update', 'cluster', NAME, '--yes'],
  ]) {
    const result = await cli(args);
    assert.equal(result.code, 0, result.stderr);
  }
  kube = await connectKube(NAME, sim.kubeconfigPath, 20_000);
  await waitForReadyNodes(kube, 3, 30_000, 50);
  for (const args of [['upgrade', 'cluster', NAME, '--yes'], ['update', 'cluster', NAME, '--yes']]) {
    const result = await cli(args);
    assert.equal(result.code, 0, result.stderr);
  }
});

after(async () => {
  kube?.close();
  await sim?.release();
  cleanup?.();
  if (home) rmSync(home, { recursive: true, force: true });
});

test('--rehearse prints the report, -o json one object, and neither replaces an instance', { timeout: 120_000 }, async () => {
  const nodesBefore = (await listNodes(kube)).map((n) => `${n.metadata.name}@${n.metadata.resourceVersion}`).sort();
  const text = await cli(['rolling-update', 'cluster', NAME, '--rehearse']);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, new RegExp(`^Rehearsal of ${NAME.replaceAll('.', '\\.')}: the rolling update would finish after about \\d+m\\d+s\\.`));
  assert.match(text.stdout, /Per group:\n {2}control-plane-us-east-1a +1 instance\(s\) .*\n {2}nodes-us-east-1a +2 instance\(s\)/);
  assert.match(text.stdout, /Waves \(from the start\):/);
  assert.match(text.stdout, /Peak unavailable pods per workload:/);
  assert.match(text.stderr, /Reading the shape of .* \(read-only\)/);

  const json = await cli(['rolling-update', 'cluster', NAME, '--rehearse', '-o', 'json']);
  assert.equal(json.code, 0, json.stderr);
  const lines = json.stdout.trim().split('\n');
  assert.equal(lines.length, 1, 'stdout is one JSON document');
  const { type, report } = JSON.parse(lines[0]) as { type: string; report: RehearsalReport };
  assert.equal(type, 'rehearsal');
  assert.equal(report.status, 'finished');
  assert.deepEqual(report.groups.map((g) => [g.group, g.instances]), [['control-plane-us-east-1a', 1], ['nodes-us-east-1a', 2]]);
  assert.equal(report.groups.reduce((sum, g) => sum + g.durationMs, 0) <= report.totalMs, true);

  const nodesAfter = (await listNodes(kube)).map((n) => `${n.metadata.name}@${n.metadata.resourceVersion}`).sort();
  assert.deepEqual(nodesAfter, nodesBefore, 'no node of the cluster was changed');
});

test('--rehearse refuses --yes', async () => {
  const both = await cli(['rolling-update', 'cluster', NAME, '--rehearse', '--yes']);
  assert.equal(both.code, 1);
  assert.match(both.stderr, /--rehearse only reads the cluster and rolls a private copy; drop --yes/);
});
