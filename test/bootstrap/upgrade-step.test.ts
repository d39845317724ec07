// The script's upgrade step, with stand-ins for kubectl and kubeadm on PATH:
// the first control-plane node of a newer version upgrades the cluster (whose
// kubeadm-config still names the old one); a node of the same or an older
// version leaves it alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootstrapScript } from '../../src/engine/bootstrap/user-data.js';

function runUpgradeStep(clusterVersion: string, nodeVersion: string): { status: number | null; kubeadm: string; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'kopsdeck-upgrade-'));
  try {
    writeFileSync(join(dir, 'bootstrap.env'), `CLUSTER_NAME=c.k8s.local\nINSTANCE_GROUP=cp\nINSTANCE_GROUP_ROLE=ControlPlane\nKUBERNETES_VERSION=${nodeVersion}\nAWS_REGION=us-east-1\nCONFIG_BASE=s3://state/c.k8s.local\n`);
    // What `kubectl get configmap kubeadm-config -o jsonpath={.data.ClusterConfiguration}` prints.
    writeFileSync(join(dir, 'kubectl'), `#!/bin/bash\nprintf 'apiVersion: kubeadm.k8s.io/v1beta4\\nkind: ClusterConfiguration\\nkubernetesVersion: ${clusterVersion}\\n'\n`, { mode: 0o755 });
    writeFileSync(join(dir, 'kubeadm'), `#!/bin/bash\necho "$*" >> "${join(dir, 'kubeadm.calls')}"\n`, { mode: 0o755 });
    writeFileSync(join(dir, 'script'), bootstrapScript(), { mode: 0o755 });
    const run = spawnSync('bash', ['-c', `. "${join(dir, 'script')}" source-only; upgrade_cluster_if_older`], {
      encoding: 'utf8',
      env: { ...process.env, PATH: `${dir}:${process.env.PATH}`, KOPSDECK_ETC: dir },
    });
    const calls = join(dir, 'kubeadm.calls');
    return { status: run.status, kubeadm: existsSync(calls) ? readFileSync(calls, 'utf8').trim() : '', stderr: run.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a control-plane node newer than the cluster upgrades it to its own version', () => {
  const run = runUpgradeStep('v1.35.7', '1.36.3');
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.kubeadm, 'upgrade apply v1.36.3 --yes');
  assert.match(run.stderr, /kopsdeck-bootstrap: the cluster runs v1\.35\.7: upgrading its control plane to v1\.36\.3/);
});

test('a node of the same version, or an older one, leaves the cluster as it is', () => {
  for (const [cluster, node] of [['v1.36.3', '1.36.3'], ['v1.36.3', '1.35.7'], ['v1.36.10', '1.36.9']]) {
    const run = runUpgradeStep(cluster, node);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.kubeadm, '', `${cluster} / ${node}`);
  }
});
