// The admin kubeconfig against the simulated API server, over TLS as on AWS:
// a .k8s.local cluster with its state store in S3 is created and applied, its
// control plane boots, and `export kubeconfig --admin` writes a kubeconfig
// whose server is the API load balancer's DNS name. The simulator's API
// endpoint serves that name with a certificate from the cluster's CA and
// checks client certificates against the same CA.
//
// No DNS here resolves the load balancer's name, so the test connects to the
// simulator's loopback endpoint and sends the exported host name as the TLS
// server name (kubeconfig's tls-server-name, as `curl --resolve` would): the
// server's certificate is still verified against the exported CA for that
// name, and nothing else in the exported kubeconfig is changed.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { simulatorAccess } from '../../src/startup/cloud-session.js';
import { startRecordedSimulator, type SimulatorConnection } from '../../src/startup/simulator-connection.js';
import { awsClientsFor } from '../../src/engine/cloud/aws/clients.js';
import { openStateStore } from '../../src/engine/store/open-store.js';
import { issueCertificate } from '../../src/engine/pki/index.js';
import { generateKeyPair } from '../../src/engine/pki/keys.js';
import { createCaCertificate } from '../../src/engine/pki/certificates.js';
import { cliHarness } from '../helpers/cli-harness.js';
import { simAdminFetch } from '../../src/sim/admin-client.js';
import { waitFor } from '../helpers/wait.js';

const NAME = 'admin.k8s.local';
const STATE = 's3://kops-state/clusters';
const home = mkdtempSync(join(tmpdir(), 'kopsdeck-admin-sim-'));
const env = { KOPSDECK_HOME: home, KOPSDECK_CLOUD: 'sim', KOPS_STATE_STORE: STATE };
const cli = cliHarness();
const run = (args: string[]) => cli.run(['--state', STATE, ...args], env);
let sim: SimulatorConnection;
let endpointUrl: string;
let exported: { server: string; host: string; file: string };

interface KubeconfigDoc {
  clusters: { name: string; cluster: Record<string, unknown> }[];
  users: { name: string; user: Record<string, unknown> }[];
}

/** The exported kubeconfig, connected through the simulator's endpoint; `edit` changes what a test varies. */
function throughSimulator(edit: (doc: KubeconfigDoc) => void = () => {}): CoreV1Api {
  const doc = parse(readFileSync(exported.file, 'utf8')) as KubeconfigDoc;
  const cluster = doc.clusters.find((entry) => entry.name === NAME)!.cluster;
  cluster.server = endpointUrl;
  cluster['tls-server-name'] = exported.host;
  edit(doc);
  const kubeconfig = new KubeConfig();
  kubeconfig.loadFromString(stringify(doc));
  kubeconfig.setCurrentContext(NAME);
  return kubeconfig.makeApiClient(CoreV1Api);
}

/** The API answers once the control plane has booted; bounded in time. */
async function untilServed<T>(call: () => Promise<T>): Promise<T> {
  return (await waitFor(async () => ({ value: await call() }), { describe: 'the API to answer', timeoutMs: 60_000, intervalMs: 250, retryErrors: true })).value;
}

/** An HTTP status from the API, or a Node error code from the connection. */
const statusOf = (error: unknown): number | string | undefined => (error as { code?: number | string }).code;

before(async () => {
  sim = await startRecordedSimulator({ dir: join(home, 'sim'), speed: 200 });
  const clients = awsClientsFor(simulatorAccess(sim), 'us-east-1');
  await clients.s3.send(new CreateBucketCommand({ Bucket: 'kops-state' }));
  clients.destroy();
  const health = (await (await simAdminFetch(sim, '/sim/health')).json()) as { apiEndpointUrl: string };
  endpointUrl = health.apiEndpointUrl;
  assert.equal((await run(['create', 'cluster', NAME, '--zones', 'us-east-1a'])).code, 0);
  const applied = await run(['update', 'cluster', NAME, '--yes']);
  assert.equal(applied.code, 0, applied.stderr);
  const file = join(home, 'kube', 'config');
  const result = await run(['export', 'kubeconfig', NAME, '--admin=1h', '--kubeconfig', file]);
  assert.equal(result.code, 0, result.stderr);
  const server = (parse(readFileSync(file, 'utf8')) as KubeconfigDoc).clusters.find((entry) => entry.name === NAME)!.cluster.server as string;
  exported = { server, host: new URL(server).hostname, file };
});
after(async () => {
  await sim?.release();
  rmSync(home, { recursive: true, force: true });
});

test("the exported server is the API load balancer's DNS name, as kops exports it", () => {
  assert.match(exported.server, /^https:\/\/api-admin-k8s-local-[0-9a-z]+-[0-9a-f]+\.elb\.us-east-1\.amazonaws\.com$/);
});

test('the admin kubeconfig lists the nodes of the simulated cluster over TLS, the server verified against the cluster CA', async () => {
  const api = throughSimulator();
  const nodes = await untilServed(() => api.listNode());
  const controlPlane = nodes.items.filter((node) => 'node-role.kubernetes.io/control-plane' in (node.metadata?.labels ?? {}));
  assert.equal(controlPlane.length, 1, 'the one control-plane node has joined');
});

test('without a client certificate the API server answers 401 Unauthorized', async () => {
  const api = throughSimulator((doc) => {
    doc.users.find((entry) => entry.name === NAME)!.user = { token: 'not-a-real-token' };
  });
  await untilServed(async () => {
    const error = await api.listNode().then(() => undefined, (caught: unknown) => caught);
    assert.equal(statusOf(error), 401);
  });
});

test('a client certificate from another CA is refused with 401, even with the admin group in it', async () => {
  const now = new Date();
  const keys = await generateKeyPair();
  const stranger = await issueCertificate({
    ca: { certPem: await createCaCertificate(keys, 'kubernetes', now), keys },
    subject: { commonName: 'kubecfg-stranger', organizations: ['kubeadm:cluster-admins'] },
    usage: 'client',
    now,
    notAfter: new Date(now.getTime() + 3600_000),
  });
  const api = throughSimulator((doc) => {
    doc.users.find((entry) => entry.name === NAME)!.user = {
      'client-certificate-data': Buffer.from(stranger.certPem).toString('base64'),
      'client-key-data': Buffer.from(stranger.privateKeyPem).toString('base64'),
    };
  });
  await untilServed(async () => {
    const error = await api.listNode().then(() => undefined, (caught: unknown) => caught);
    assert.equal(statusOf(error), 401);
  });
});

test('a kubeconfig that trusts another CA refuses the server: the client verifies whom it talks to', async () => {
  await untilServed(() => throughSimulator().listNode());
  const keys = await generateKeyPair();
  const otherCa = await createCaCertificate(keys, 'kubernetes', new Date());
  const api = throughSimulator((doc) => {
    doc.clusters.find((entry) => entry.name === NAME)!.cluster['certificate-authority-data'] = Buffer.from(otherCa).toString('base64');
  });
  await assert.rejects(api.listNode(), (error: unknown) => {
    assert.equal(statusOf(error), 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'no HTTP answer: the client refused the handshake');
    return true;
  });
});

test('a name that no load balancer or hosted zone publishes has no API server behind it', async () => {
  await untilServed(() => throughSimulator().listNode());
  const api = throughSimulator((doc) => {
    // On the serving certificate, but a .k8s.local cluster publishes no DNS record.
    doc.clusters.find((entry) => entry.name === NAME)!.cluster['tls-server-name'] = `api.${NAME}`;
  });
  await assert.rejects(api.listNode(), (error: unknown) => {
    assert.equal(statusOf(error), 'ECONNRESET', 'the server ended the handshake');
    return true;
  });
});

test('the CA the endpoint trusts is the one in the state store, and the exported kubeconfig holds no CA key', async () => {
  const clients = awsClientsFor(simulatorAccess(sim), 'us-east-1');
  try {
    const store = openStateStore(STATE, { s3Client: clients.s3 });
    const caCert = (await store.objects.get(`${NAME}/pki/ca.crt`))!.body;
    const doc = parse(readFileSync(exported.file, 'utf8')) as KubeconfigDoc;
    const embedded = Buffer.from(doc.clusters.find((entry) => entry.name === NAME)!.cluster['certificate-authority-data'] as string, 'base64').toString('utf8');
    assert.equal(embedded.trim(), caCert.trim());
    // The CA key's body lines appear nowhere in the file, decoded or not.
    const caKeyLines = (await store.objects.get(`${NAME}/pki/ca.key`))!.body.split('\n').filter((line) => line && !line.startsWith('-----'));
    const user = doc.users.find((entry) => entry.name === NAME)!.user;
    const decodedKey = Buffer.from(user['client-key-data'] as string, 'base64').toString('utf8');
    assert.ok(decodedKey.includes('PRIVATE KEY'), 'the user has its own key');
    const text = readFileSync(exported.file, 'utf8') + decodedKey;
    assert.equal(caKeyLines.filter((line) => text.includes(line)).length, 0);
  } finally {
    clients.destroy();
  }
});
