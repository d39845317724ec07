// update, export kubeconfig and delete through the command line, against the
// simulator that each command starts from KOPSDECK_HOME/sim.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { EXIT_CHANGES_PENDING } from '../../src/commands/cli-error.js';
import { cliHarness } from '../helpers/cli-harness.js';

const env = { KOPSDECK_SIM_SPEED: '100', KOPSDECK_CLOUD: 'sim' };

test('update shows the plan without --yes and creates nothing; --yes applies; a second update has nothing to do', async () => {
  const cli = cliHarness();
  assert.equal((await cli.run(['create', 'cluster', 'cloud.example.com', '--zones', 'us-east-1a'], env)).code, 0);

  const preview = await cli.run(['update', 'cluster', 'cloud.example.com'], env);
  assert.equal(preview.code, EXIT_CHANGES_PENDING, preview.stderr);
  assert.match(preview.stdout, /^Will create resources:/m);
  assert.match(preview.stdout, /VPC\/cloud\.example\.com/);
  assert.match(preview.stdout, /Must specify --yes to apply changes/);
  const again = await cli.run(['update', 'cluster', 'cloud.example.com'], env);
  assert.match(again.stdout, /^Will create resources:/m, 'the preview created nothing');

  const applied = await cli.run(['update', 'cluster', 'cloud.example.com', '--yes'], env);
  assert.equal(applied.code, 0, applied.stderr);
  assert.match(applied.stdout, /done\s+AutoscalingGroup\/nodes-us-east-1a\.cloud\.example\.com/);

  const settled = await cli.run(['update', 'cluster', 'cloud.example.com'], env);
  assert.equal(settled.code, 0, settled.stderr);
  assert.doesNotMatch(settled.stdout, /Will create resources:/);
});

test('export kubeconfig writes the cluster context 0600; delete lists, then removes everything', async () => {
  const cli = cliHarness();
  await cli.run(['create', 'cluster', 'gone.example.com', '--zones', 'us-east-1a'], env);
  assert.equal((await cli.run(['update', 'cluster', 'gone.example.com', '--yes'], env)).code, 0);

  const kubeconfig = join(cli.home, 'kube', 'config');
  const exported = await cli.run(['export', 'kubeconfig', 'gone.example.com', '--kubeconfig', kubeconfig], env);
  assert.equal(exported.code, 0, exported.stderr);
  assert.equal(statSync(kubeconfig).mode & 0o777, 0o600);
  const config = parse(readFileSync(kubeconfig, 'utf8'));
  assert.equal(config['current-context'], 'gone.example.com');
  assert.match(config.clusters[0].cluster.server, /^http:\/\/127\.0\.0\.1:\d+\/k8s\/gone\.example\.com$/);

  const listing = await cli.run(['delete', 'cluster', 'gone.example.com'], env);
  assert.equal(listing.code, 0, listing.stderr);
  assert.match(listing.stdout, /^TYPE\s+NAME\s+ID$/m);
  for (const type of ['autoscaling-group', 'instance', 'security-group', 'subnet', 'internet-gateway', 'route-table', 'vpc']) {
    assert.match(listing.stdout, new RegExp(`^${type}\\s`, 'm'), `lists the ${type}`);
  }
  assert.match(listing.stdout, /Must specify --yes to delete cluster/);

  const deleted = await cli.run(['delete', 'cluster', 'gone.example.com', '--yes'], env);
  assert.equal(deleted.code, 0, deleted.stderr);
  assert.match(deleted.stdout, /Deleted cluster: "gone\.example\.com"/);
  const clusters = await cli.run(['get', 'clusters'], env);
  assert.match(clusters.stdout, /No clusters found/);
  const nothing = await cli.run(['delete', 'cluster', 'gone.example.com'], env);
  assert.equal(nothing.code, 1);
  assert.match(nothing.stderr, /Nothing to delete/);
});

test('export kubeconfig for a cluster the cloud does not know says so and writes nothing', async () => {
  const cli = cliHarness();
  const kubeconfig = join(cli.home, 'kube', 'config');
  const result = await cli.run(['export', 'kubeconfig', 'unknown.example.com', '--kubeconfig', kubeconfig], env);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /No credentials for cluster "unknown\.example\.com"/);
  assert.throws(() => statSync(kubeconfig));
});
