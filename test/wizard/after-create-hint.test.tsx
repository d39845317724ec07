// After the cluster is ready, the hint for upgrading it later lists the real
// sequence: set the version, update cluster --yes, then rolling-update
// cluster --yes; and each command it names exists, with the flags it shows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup } from 'ink-testing-library';
import type { ClusterCreation } from '../../src/hooks/useClusterCreation.js';
import { ApplyView } from '../../src/screens/create-cluster/ApplyView.js';
import { cliHarness } from '../helpers/cli-harness.js';
import { makeServices, renderApp } from '../console/helpers.js';

const NAME = 'web.k8s.local';

function readyCreation(): ClusterCreation {
  return {
    state: { status: 'ready', phase: 'boot', tasks: [], unchanged: 0, runs: 1, ready: { kubeconfigPath: '/tmp/kubeconfig', context: NAME } },
    elapsedMs: 65_000,
    available: true,
    start: () => undefined,
    retry: () => undefined,
    stop: () => undefined,
  };
}

test('the upgrade hint after creation lists edit/upgrade, update cluster --yes, then rolling-update cluster --yes, and those commands exist', async () => {
  const app = renderApp({
    services: makeServices(),
    size: { columns: 160, rows: 40 },
    initialRoute: { name: 'create-cluster' },
    screens: {
      'create-cluster': {
        title: () => 'New cluster',
        render: () => <ApplyView cluster={NAME} creation={readyCreation()} onOpenCluster={() => undefined} onLeave={() => undefined} />,
      },
    },
  });
  const frame = await app.waitFor(`Cluster ${NAME} is ready`);
  const lines = frame.split('\n').map((line) => line.trim());
  const start = lines.indexOf('To upgrade Kubernetes later, in this order:');
  assert.ok(start > 0, frame);
  assert.deepEqual(lines.slice(start + 1, start + 5), [
    `1. set the new version: kopsdeck edit cluster ${NAME}  (spec.kubernetesVersion)`,
    `or the next recommended one: kopsdeck upgrade cluster ${NAME} --yes`,
    `2. kopsdeck update cluster ${NAME} --yes  (writes the new launch templates)`,
    `3. kopsdeck rolling-update cluster ${NAME} --yes  (replaces the instances)`,
  ]);
  app.unmount();
  cleanup();

  // Every command the hint names is a real one, and takes the flags shown.
  const cli = cliHarness();
  for (const [verb, flag] of [['edit', undefined], ['upgrade', '--yes'], ['update', '--yes'], ['rolling-update', '--yes']] as const) {
    const help = await cli.run([verb, 'cluster', '--help']);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, new RegExp(`^Usage: kopsdeck ${verb} cluster \\[options\\] \\[name\\]`), `${verb} cluster exists`);
    if (flag) assert.ok(help.stdout.includes(flag), `${verb} cluster takes ${flag}`);
  }
});
