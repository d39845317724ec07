// The built CLI (dist/cli.js) authenticates to the Kubernetes API as a
// kubeconfig says. scripts/bundle.mjs marks @kubernetes/client-node free of
// side effects so that only its KubeConfig and what that uses are bundled; this
// checks that what is left still runs an exec credential plugin (as EKS's and
// kops' kubeconfigs do) and a static token, and that a refused credential is
// reported as such. The cluster and its API are the simulator's; AWS is the
// simulator's too, reached as real AWS is (--cloud aws, AWS_ENDPOINT_URL).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { stringify } from 'yaml';
import { startLiveFixture, type LiveFixture } from '../screens/live-fixture.js';
import { awsAtSimulator, runBuiltCli, type CliRun } from '../helpers/built-cli.js';

const NAME = 'kubeauth.k8s.local';
let fx: LiveFixture;
let home: string;

before(async () => {
  fx = await startLiveFixture({ name: NAME, workers: 1, speed: 100 });
  home = mkdtempSync(join(tmpdir(), 'kopsdeck-kubeauth-'));
});
after(async () => {
  await fx?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

/** A kubeconfig with one context named after the cluster, its user as given. */
function writeKubeconfig(file: string, user: Record<string, unknown>): string {
  const path = join(home, file);
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: NAME, cluster: { server: fx.kube.server } }],
    users: [{ name: NAME, user }],
    contexts: [{ name: NAME, context: { cluster: NAME, user: NAME } }],
    'current-context': NAME,
  };
  writeFileSync(path, stringify(config), { mode: 0o600 });
  return path;
}

/** An exec plugin (a node one-liner) that answers an ExecCredential holding `token`. */
function execUser(token: string): Record<string, unknown> {
  const credential = { apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token } };
  return {
    exec: {
      apiVersion: 'client.authentication.k8s.io/v1',
      command: process.execPath,
      args: ['-e', `process.stdout.write(${JSON.stringify(JSON.stringify(credential))})`],
      interactiveMode: 'Never',
    },
  };
}

function getNodes(kubeconfig: string): Promise<CliRun> {
  return runBuiltCli(['--cloud', 'aws', '--state', fx.stateUrl, 'get', 'nodes', NAME, '-o', 'json'], {
    HOME: home,
    KOPSDECK_HOME: home,
    KUBECONFIG: kubeconfig,
    ...awsAtSimulator(fx.sim),
  });
}

function nodeNames(run: CliRun): string[] {
  assert.equal(run.code, 0, run.stderr);
  return (JSON.parse(run.stdout) as { name: string }[]).map((node) => node.name).sort();
}

test('an exec credential plugin: its token is sent, and the nodes are listed', async () => {
  const expected = (await fx.nodes()).map((node) => node.metadata.name).sort();
  assert.equal(expected.length, 2);
  assert.deepEqual(nodeNames(await getNodes(writeKubeconfig('exec', execUser(fx.sim.token)))), expected);
});

test('a static token: the nodes are listed', async () => {
  const expected = (await fx.nodes()).map((node) => node.metadata.name).sort();
  assert.deepEqual(nodeNames(await getNodes(writeKubeconfig('token', { token: fx.sim.token }))), expected);
});

test('an exec plugin whose token the API refuses: exit 1 at once, the 401 and what to run said, nothing on stdout', async () => {
  const run = await getNodes(writeKubeconfig('wrong', execUser('not-the-token')));
  assert.equal(run.code, 1, run.stderr);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, /^Error: GET \/api\/v1\/nodes: 401 Unauthorized: .*; the kubeconfig's credentials for kubeauth\.k8s\.local were refused: `kopsdeck export kubeconfig kubeauth\.k8s\.local --admin` issues a fresh admin certificate\.$/m);
});
