// The containerd every machine installs comes from the cluster's channel, for
// the machine's architecture: planned against the simulator, a group's
// launch template carries that channel's release file and sum; a group whose
// architecture the channel has no sum for, or a Kubernetes version it pins
// nothing for, is refused before anything is created.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planCluster } from '../../src/engine/reconcile/cluster.js';
import { ReconcileSpecError } from '../../src/engine/reconcile/model.js';
import { readBootstrapValues, decodeUserData } from '../../src/engine/bootstrap/user-data.js';
import type { ClusterBundle } from '../../src/engine/spec/types.js';
import { clusterFixture, startHarness, type Harness } from '../helpers/sim-reconcile.js';

const SUM = 'e'.repeat(64);
const dir = mkdtempSync(join(tmpdir(), 'kopsdeck-pins-'));
/** A channel of one's own that pins another containerd, for amd64 only, from Kubernetes 1.31. */
const channelPath = join(dir, 'channel.yaml');
writeFileSync(
  channelPath,
  [
    'kind: Channel',
    'spec:',
    '  containerd:',
    '    - kubernetesVersion: ">=1.31.0"',
    '      version: 2.9.1',
    '      url: https://mirror.example.com/containerd-2.9.1-linux-@ARCH@.tar.gz',
    `      sha256: { amd64: "${SUM}" }`,
    `      runc: { version: 1.9.0, url: "https://mirror.example.com/runc.@ARCH@", sha256: { amd64: "${SUM}" } }`,
    '',
  ].join('\n'),
);

let h: Harness;
before(async () => {
  h = await startHarness({ speed: 100 });
});
after(async () => {
  await h?.close();
  rmSync(dir, { recursive: true, force: true });
});

function bundleWith(edit: (bundle: ClusterBundle) => void): ClusterBundle {
  const bundle = clusterFixture({ name: 'pins.k8s.local', controlPlaneCount: 1, nodeCount: 1 });
  bundle.cluster.spec.channel = channelPath;
  edit(bundle);
  return bundle;
}

const plan = (bundle: ClusterBundle) => planCluster({ cluster: bundle.cluster, instanceGroups: bundle.instanceGroups, clients: h.clients, clock: h.clock });

test("every group's launch template installs the containerd and runc its channel pins for its architecture", async () => {
  const planned = await plan(bundleWith(() => undefined));
  const templates = planned.plan.creates.filter((p) => p.task.kind === 'LaunchTemplate');
  assert.ok(templates.some((t) => t.task.key.includes('control-plane')) && templates.length >= 2, templates.map((t) => t.task.key).join(', '));
  for (const template of templates) {
    const desired = template.desired as { userData: string | { render: (host: string) => string } };
    const userData = typeof desired.userData === 'string' ? desired.userData : desired.userData.render('api.pins.k8s.local');
    const values = readBootstrapValues(decodeUserData(userData))!;
    assert.deepEqual(
      [values.CONTAINERD_VERSION, values.CONTAINERD_URL, values.CONTAINERD_SHA256, values.RUNC_URL],
      ['2.9.1', 'https://mirror.example.com/containerd-2.9.1-linux-amd64.tar.gz', SUM, 'https://mirror.example.com/runc.amd64'],
    );
  }
});

test('a group whose architecture the channel has no sum for is refused, naming the group and the architecture', async () => {
  const bundle = bundleWith((b) => {
    b.instanceGroups.find((ig) => ig.spec.role === 'Node')!.spec.machineType = 'm7g.large';
  });
  const nodes = bundle.instanceGroups.find((ig) => ig.spec.role === 'Node')!.metadata.name;
  await assert.rejects(plan(bundle), (error: unknown) => {
    assert.ok(error instanceof ReconcileSpecError, String(error));
    assert.equal(error.problems.join('\n'), `instance group ${nodes}: the channel pins containerd 2.9.1 and runc 1.9.0 without a SHA-256 for arm64, the architecture of m7g.large`);
    return true;
  });
});

test('a Kubernetes version the channel pins no containerd for is refused', async () => {
  writeFileSync(join(dir, 'old.yaml'), readFileSync(channelPath, 'utf8').replace('">=1.31.0"', '">=1.40.0"'));
  const bundle = bundleWith((b) => {
    b.cluster.spec.channel = join(dir, 'old.yaml');
  });
  await assert.rejects(plan(bundle), (error: unknown) => {
    assert.ok(error instanceof ReconcileSpecError, String(error));
    assert.equal(error.problems.join('\n'), `the channel pins no containerd release for Kubernetes ${bundle.cluster.spec.kubernetesVersion}: machines would have no container runtime to install`);
    return true;
  });
});

