// `get instances` lists a cluster's instances from the cloud alone when the
// Kubernetes API cannot be reached (an API that fails, or no kubeconfig context
// at all): exit 0, node names unknown, one line on stderr saying so. `get nodes`
// still needs the API and says what to run instead.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startLiveFixture, type LiveFixture } from '../screens/live-fixture.js';
import { simAdminFetch } from '../../src/sim/admin-client.js';
import { awsAtSimulator, runBuiltCli } from '../helpers/built-cli.js';

interface InstanceJson {
  id: string;
  nodeName: string;
  status: string;
  instanceGroup: string;
}

let fx: LiveFixture;
/** The instances as listed while the API answers: id -> instance group. */
let known: Map<string, string>;

before(async () => {
  fx = await startLiveFixture({ name: 'cloudonly.k8s.local', workers: 1, speed: 100 });
  const listed = await fx.cli(['get', 'instances', fx.name, '-o', 'json']);
  assert.equal(listed.code, 0, listed.stderr);
  const instances = JSON.parse(listed.stdout) as InstanceJson[];
  assert.equal(instances.length, 2);
  assert.ok(instances.every((i) => i.nodeName.startsWith('ip-')), 'with the API, every instance has its node');
  known = new Map(instances.map((i) => [i.id, i.instanceGroup]));
});
after(async () => fx?.stop());

test('an API that fails: get instances lists the cloud facts with nodes unknown, exit 0, one line on stderr', async () => {
  const health = (await (await simAdminFetch(fx.sim, '/sim/health')).json()) as { now: string };
  await fx.putFaults({ apiBlackoutUntil: Date.parse(health.now) + 60 * 60_000 });
  try {
    const table = await fx.cli(['get', 'instances', fx.name]);
    assert.equal(table.code, 0, table.stderr);
    const rows = table.stdout.trimEnd().split('\n').slice(1).map((line) => line.split(/\s+/));
    assert.deepEqual(new Map(rows.map((r) => [r[0], r[6]])), known);
    assert.ok(rows.every((r) => r[1] === '<unknown>' && r[2] === 'UpToDate' && r[4] === 'InService'), table.stdout);
    assert.match(
      table.stderr,
      /^Nodes of cloudonly\.k8s\.local not read from the Kubernetes API \(GET \/api\/v1\/nodes: 503 [^\n]*\): instances are listed from the cloud alone; whether each joined is unknown\.\n$/,
    );

    const json = await fx.cli(['get', 'instances', fx.name, '-o', 'json']);
    assert.equal(json.code, 0, json.stderr);
    const instances = JSON.parse(json.stdout) as InstanceJson[];
    assert.deepEqual(new Map(instances.map((i) => [i.id, i.instanceGroup])), known);
    assert.ok(instances.every((i) => i.nodeName === ''));

    const nodes = await fx.cli(['get', 'nodes', fx.name]);
    assert.equal(nodes.code, 1);
    assert.match(nodes.stderr, /Kubernetes API.*`kopsdeck validate cluster cloudonly\.k8s\.local`.*`kopsdeck get instances cloudonly\.k8s\.local`/);
  } finally {
    await fx.putFaults({ apiBlackoutUntil: 0 });
  }
});

test('real AWS with KUBECONFIG an empty file: get instances still lists every instance (the kopsdeck process, AWS at the simulator)', async () => {
  const home = mkdtempSync(join(tmpdir(), 'kopsdeck-nokube-'));
  const emptyKubeconfig = join(home, 'kubeconfig');
  writeFileSync(emptyKubeconfig, '');
  try {
    const result = await runBuiltCli(['--cloud', 'aws', '--state', fx.stateUrl, 'get', 'instances', fx.name, '-o', 'json'], {
      HOME: home,
      KOPSDECK_HOME: home,
      KUBECONFIG: emptyKubeconfig,
      ...awsAtSimulator(fx.sim),
    });
    assert.equal(result.code, 0, result.stderr);
    const instances = JSON.parse(result.stdout) as InstanceJson[];
    assert.deepEqual(new Map(instances.map((i) => [i.id, i.instanceGroup])), known);
    assert.ok(instances.every((i) => i.nodeName === '' && i.status === 'UpToDate'));
    assert.equal(result.stderr.trimEnd().split('\n').length, 1, result.stderr);
    assert.match(result.stderr, /not read from the Kubernetes API \(no context named cloudonly\.k8s\.local in [^)]*kubeconfig; run `kopsdeck export kubeconfig cloudonly\.k8s\.local`\)/);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
