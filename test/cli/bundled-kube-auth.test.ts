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
import { connect, createServer, type AddressInfo } from 'node:net';
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
function writeKubeconfig(file: string, user: Record<string, unknown>, proxyUrl?: string): string {
  const path = join(home, file);
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: NAME, cluster: { server: fx.kube.server, ...(proxyUrl ? { 'proxy-url': proxyUrl } : {}) } }],
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

// The gcp provider reads its command's answer with JSONPath, which the bundle loads only on first use (scripts/bundle.mjs).
test("a gcp auth provider: its command's token is read and sent, and the nodes are listed", async () => {
  const expected = (await fx.nodes()).map((node) => node.metadata.name).sort();
  const command = join(home, 'gcp-token.cjs');
  const answer = { credential: { access_token: fx.sim.token, token_expiry: '2099-01-01T00:00:00Z' } };
  writeFileSync(command, `process.stdout.write(${JSON.stringify(JSON.stringify(answer))});\n`);
  const gcp = {
    'auth-provider': {
      name: 'gcp',
      config: { 'cmd-path': process.execPath, 'cmd-args': command, 'token-key': '{.credential.access_token}', 'expiry-key': '{.credential.token_expiry}' },
    },
  };
  assert.deepEqual(nodeNames(await getNodes(writeKubeconfig('gcp', gcp))), expected);
});

/**
 * A SOCKS5 proxy (no authentication, CONNECT only) on 127.0.0.1, as `ssh -D`
 * opens one: it counts the connections it forwards.
 */
async function startSocksProxy(): Promise<{ url: string; forwarded: () => number; close: () => Promise<void> }> {
  let forwarded = 0;
  const server = createServer((client) => {
    client.once('data', (greeting) => {
      assert.equal(greeting[0], 5, 'a SOCKS5 greeting');
      client.write(Buffer.from([5, 0]));
      client.once('data', (request) => {
        // VER CMD RSV ATYP: an IPv4 address or a domain name, then the port.
        const domain = request[3] === 3;
        const host = domain ? request.subarray(5, 5 + request[4]).toString() : [...request.subarray(4, 8)].join('.');
        const port = request.readUInt16BE(domain ? 5 + request[4] : 8);
        const upstream = connect(port, host, () => {
          forwarded += 1;
          client.write(Buffer.from([5, 0, 0, 1, 0, 0, 0, 0, 0, 0]));
          client.pipe(upstream).pipe(client);
        });
        upstream.on('error', () => client.destroy());
        client.on('error', () => upstream.destroy());
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `socks5://127.0.0.1:${port}`, forwarded: () => forwarded, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

// kubectl honours a cluster's proxy-url; so does kopsdeck. The SOCKS agent is one the bundle loads on first use.
test("a kubeconfig's SOCKS5 proxy-url: the API is reached through the proxy, and the nodes are listed", async () => {
  const expected = (await fx.nodes()).map((node) => node.metadata.name).sort();
  const proxy = await startSocksProxy();
  try {
    assert.deepEqual(nodeNames(await getNodes(writeKubeconfig('socks', { token: fx.sim.token }, proxy.url))), expected);
    assert.ok(proxy.forwarded() >= 1, 'the requests went through the proxy');
  } finally {
    await proxy.close();
  }
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
