// The bootstrap script's own functions (bootstrap/kopsdeck-bootstrap.sh, the
// text bootstrapScript() ships and every launch template carries), run for
// real under bash, with curl --aws-sigv4, openssl and python3, against a
// kopsdeck cluster made in the simulator with an s3:// state store.
//
// What stands in for what:
//   - the simulator's S3 (S3_ENDPOINT, addressed path-style) and EC2
//     (EC2_ENDPOINT) stand in for AWS's regional endpoints. They route each
//     request by its SigV4 credential scope's service and check its key id;
//     they check no signature;
//   - a fake IMDSv2 on 127.0.0.1 stands in for 169.254.169.254. It answers as
//     the cluster's control-plane instance, whose instance profile's
//     credentials are the simulator's own;
//   - a temp dir stands in for /etc/kopsdeck (the bootstrap.env and kubeadm
//     templates from that instance's real user-data, unchanged), for
//     /etc/kubernetes/pki and /run/kopsdeck (fresh ones for each run), and
//     for HOME (so that no ~/.curlrc is read).
// Nothing outside the temp dir is touched. No package is installed, and
// kubeadm, kubectl and etcdctl never run: where a function calls one, the
// test replaces it with a stub.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { CreateBucketCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import {
  CreateVolumeCommand,
  DeleteVolumeCommand,
  DescribeInstancesCommand,
  DescribeLaunchTemplateVersionsCommand,
  DescribeVolumesCommand,
  DetachVolumeCommand,
  TerminateInstancesCommand,
  type Instance,
  type Volume,
} from '@aws-sdk/client-ec2';
import { simulatorAccess, simulatorCredentials } from '../../src/startup/cloud-session.js';
import { startRecordedSimulator, type SimulatorConnection } from '../../src/startup/simulator-connection.js';
import { awsClientsFor, type AwsClients } from '../../src/engine/cloud/aws/clients.js';
import { bootstrapScript, decodeUserData, MACHINE_PATHS, parseEnvFile, upkeepScript } from '../../src/engine/bootstrap/user-data.js';
import { caCertHash } from '../../src/engine/pki/certificates.js';
import { cliHarness } from '../helpers/cli-harness.js';
import { until as poll, type NotYet } from '../helpers/wait.js';

const has = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
const missing = ['bash', 'curl', 'openssl', 'python3', 'sha256sum'].filter((tool) => !has(tool));
// --aws-sigv4 came with curl 7.75.
if (has('curl') && !/--aws-sigv4/.test(spawnSync('curl', ['--help', 'all'], { encoding: 'utf8' }).stdout ?? '')) missing.push('a curl with --aws-sigv4 (7.75 or later)');
const skip = missing.length ? `${missing.join(', ')} not installed: the script's functions run under bash with curl, openssl and python3` : false;

const NAME = 'script.k8s.local';
const STATE = 's3://kops-state/clusters';
const CONFIG_BASE = `s3://kops-state/clusters/${NAME}`;
const BUCKET = 'kops-state';
const storeKey = (key: string) => `clusters/${NAME}/${key}`;
/** Wall-clock limit of one run of the script's functions; curl has none of its own. */
const RUN_TIMEOUT_MS = 30_000;

const dir = mkdtempSync(join(tmpdir(), 'kopsdeck-script-run-'));
const home = join(dir, 'home');
const env = { KOPSDECK_HOME: home, KOPSDECK_CLOUD: 'sim', KOPS_STATE_STORE: STATE };
const cli = cliHarness();
const run = (args: string[]) => cli.run(['--state', STATE, ...args], env);
let sim: SimulatorConnection;
let clients: AwsClients;
let imds: FakeImds;

/** The script as the machines get it, written where bash sources it. */
const script = join(dir, 'kopsdeck-bootstrap');
const upkeep = join(dir, 'kopsdeck-upkeep');
/** /etc/kopsdeck as cloud-init writes it from the control-plane user-data. */
let etc: string;
/** The files of that user-data under /etc/kopsdeck, by name. */
let machineFiles: Map<string, string>;
/** The control-plane instance the fake instance metadata service answers as, and a worker. */
let controlPlane: Instance;
let worker: Instance;
/** The store's CA, as kopsdeck wrote it. */
let caPem: string;

const until = <T,>(what: string, check: () => Promise<T | NotYet>, timeoutMs = 60_000) => poll(what, check, timeoutMs, 100);

async function storeObject(key: string): Promise<string> {
  const object = await clients.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: storeKey(key) }));
  return object.Body!.transformToString();
}

async function instances(filters: { Name: string; Values: string[] }[]): Promise<Instance[]> {
  const page = await clients.ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:KubernetesCluster', Values: [NAME] }, ...filters] }));
  return (page.Reservations ?? []).flatMap((r) => r.Instances ?? []);
}

const running = (roleTag: string) => instances([{ Name: 'tag-key', Values: [roleTag] }, { Name: 'instance-state-name', Values: ['running'] }]);
const tagOf = (instance: Instance, key: string) => instance.Tags?.find((t) => t.Key === key)?.Value;

// --- a fake IMDSv2 -----------------------------------------------------------------

interface FakeImds {
  url: string;
  server: Server;
}

/** IMDSv2 as EC2 serves it: a token from PUT /latest/api/token (TTL header required), then GETs carrying it. */
function startImds(paths: Record<string, string>): Promise<FakeImds> {
  const tokens = new Set<string>();
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://imds').pathname;
    if (req.method === 'PUT' && path === '/latest/api/token') {
      const ttl = Number(req.headers['x-aws-ec2-metadata-token-ttl-seconds']);
      if (!Number.isInteger(ttl) || ttl < 1 || ttl > 21600) return void res.writeHead(400).end();
      const token = randomBytes(24).toString('base64');
      tokens.add(token);
      return void res.writeHead(200, { 'content-type': 'text/plain', 'x-aws-ec2-metadata-token-ttl-seconds': String(ttl) }).end(token);
    }
    if (req.method !== 'GET') return void res.writeHead(405).end();
    if (!tokens.has(String(req.headers['x-aws-ec2-metadata-token'] ?? ''))) return void res.writeHead(401).end();
    const body = paths[path];
    if (body === undefined) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/plain' }).end(body);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server }));
  });
}

// --- running the script's functions -----------------------------------------------

interface ScriptRun {
  status: number | null;
  stdout: string;
  stderr: string;
  /** This run's PKI_DIR (not made beforehand, as on a new machine) and WORK_DIR (made 0700, as main does). */
  pki: string;
  work: string;
}

/**
 * Runs `calls` in bash after sourcing the script with `source-only`, with the
 * stand-ins' endpoints and fresh folders. Asynchronous: the simulator and the
 * fake IMDS answer from this process.
 */
function runScript(calls: string, options: { etc?: string; env?: Record<string, string> } = {}): Promise<ScriptRun> {
  const runDir = mkdtempSync(join(dir, 'run-'));
  const pki = join(runDir, 'pki');
  const work = join(runDir, 'work');
  mkdirSync(work, { mode: 0o700 });
  return new Promise((resolve, reject) => {
    // The upkeep script sources the bootstrap script: every function of both is defined.
    const child = spawn('bash', ['-c', `. "$UPKEEP" source-only; ${calls}`], {
      // Its own process group, so that a run past its time is ended with its curl and python3.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: home,
        UPKEEP: upkeep,
        KOPSDECK_BOOTSTRAP: script,
        KOPSDECK_ETC: options.etc ?? etc,
        IMDS_ENDPOINT: imds.url,
        S3_ENDPOINT: sim.url,
        EC2_ENDPOINT: sim.url,
        PKI_DIR: pki,
        WORK_DIR: work,
        ...options.env,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }, RUN_TIMEOUT_MS);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (status) => {
      clearTimeout(timer);
      if (timedOut) stderr += `\n(test: killed after ${RUN_TIMEOUT_MS / 1000}s)`;
      resolve({ status, stdout, stderr, pki, work });
    });
  });
}

/** A copy of the machine's /etc/kopsdeck, its bootstrap.env changed by `edit`. */
function etcCopy(name: string, edit: (bootstrapEnv: string) => string = (text) => text): string {
  const copy = join(dir, name);
  mkdirSync(copy);
  for (const [file, content] of machineFiles) writeFileSync(join(copy, file), file === 'bootstrap.env' ? edit(content) : content, { mode: 0o600 });
  return copy;
}

before(
  async () => {
    if (skip) return;
    // A real cluster in the simulator, as test/cli/kubeadm-bootstrap-sim.test.ts makes one, but small.
    sim = await startRecordedSimulator({ dir: join(home, 'sim'), speed: 300 });
    clients = awsClientsFor(simulatorAccess(sim), 'us-east-1');
    await clients.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    const created = await run(['create', 'cluster', NAME, '--zones', 'us-east-1a', '--control-plane-count', '1', '--node-count', '1']);
    assert.equal(created.code, 0, created.stderr);
    const applied = await run(['update', 'cluster', NAME, '--yes']);
    assert.equal(applied.code, 0, applied.stderr);
    const theOne = async (roleTag: string) => {
      const found = await running(roleTag);
      return found.length === 1 ? found[0] : undefined;
    };
    controlPlane = await until('the control-plane instance to run', () => theOne('k8s.io/role/control-plane'));
    worker = await until('the worker to run', () => theOne('k8s.io/role/node'));
    caPem = await storeObject('pki/ca.crt');

    // The control-plane group's user-data, as cloud-init would read it.
    const versions = await clients.ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateName: `control-plane-us-east-1a.masters.${NAME}`, Versions: ['$Latest'] }));
    const userData = decodeUserData(versions.LaunchTemplateVersions![0].LaunchTemplateData!.UserData);
    assert.match(userData, /^#cloud-config\n/);
    const files = (parseYaml(userData) as { write_files: { path: string; content: string; encoding?: string }[] }).write_files;
    machineFiles = new Map(files.filter((f) => f.path.startsWith('/etc/kopsdeck/') && !f.encoding).map((f) => [basename(f.path), f.content]));
    for (const file of ['bootstrap.env', 'kubeadm-init.yaml', 'kubeadm-join-control-plane.yaml']) assert.ok(machineFiles.has(file), `the control-plane user-data writes /etc/kopsdeck/${file}`);
    const shipped = files.find((f) => f.path === MACHINE_PATHS.script)!;
    assert.equal(shipped.content, bootstrapScript(), 'the user-data carries the script this test runs');
    const shippedUpkeep = files.find((f) => f.path === MACHINE_PATHS.upkeep)!;
    assert.equal(shippedUpkeep.content, upkeepScript(), 'and the upkeep script');
    writeFileSync(script, bootstrapScript(), { mode: 0o755 });
    writeFileSync(upkeep, upkeepScript(), { mode: 0o755 });
    // etcd's volume folders under the test's dir: nothing here touches the machine's /mnt.
    etc = etcCopy('etc', (text) => text.replace(/^(ETCD_[A-Z_]+)=\//gm, `$1=${join(dir, 'root')}/`));
    const bootstrapEnv = parseEnvFile(machineFiles.get('bootstrap.env')!);
    assert.equal(bootstrapEnv.CONFIG_BASE, CONFIG_BASE);
    assert.equal(bootstrapEnv.INSTANCE_GROUP_ROLE, 'ControlPlane');

    // The instance metadata of the control-plane instance; its profile's role has the simulator's credentials.
    const role = controlPlane.IamInstanceProfile?.Arn?.split('/').pop();
    assert.ok(role, `the control-plane instance has an instance profile: ${JSON.stringify(controlPlane.IamInstanceProfile)}`);
    const credentials = simulatorCredentials(sim.token);
    const now = Date.now();
    imds = await startImds({
      '/latest/meta-data/iam/security-credentials/': role,
      [`/latest/meta-data/iam/security-credentials/${role}`]: JSON.stringify({
        Code: 'Success',
        LastUpdated: new Date(now).toISOString().replace(/\.\d+Z$/, 'Z'),
        Type: 'AWS-HMAC',
        AccessKeyId: credentials.accessKeyId,
        SecretAccessKey: credentials.secretAccessKey,
        Token: 'kopsdeck-test-session-token',
        Expiration: new Date(now + 6 * 3600_000).toISOString().replace(/\.\d+Z$/, 'Z'),
      }),
      '/latest/meta-data/instance-id': controlPlane.InstanceId!,
      '/latest/meta-data/local-ipv4': controlPlane.PrivateIpAddress!,
      '/latest/meta-data/placement/availability-zone': controlPlane.Placement!.AvailabilityZone!,
    });
  },
  { timeout: 180_000 },
);
after(async () => {
  if (imds) {
    imds.server.closeAllConnections();
    await new Promise((resolve) => imds.server.close(resolve));
  }
  clients?.destroy();
  await sim?.release();
  rmSync(dir, { recursive: true, force: true });
  rmSync(cli.home, { recursive: true, force: true });
});

// --- the state store ------------------------------------------------------------------

test("load_credentials then fetch_ca keeps the store's CA, which passes the hash the user-data carries, out of /etc/kubernetes/pki", { skip }, async () => {
  const fetched = await runScript('load_credentials; fetch_ca');
  assert.equal(fetched.status, 0, fetched.stderr);
  assert.equal(fetched.stderr, '');
  assert.equal(readFileSync(join(fetched.work, 'ca.crt'), 'utf8'), caPem);
  assert.ok(!existsSync(fetched.pki), 'a worker leaves /etc/kubernetes/pki to kubeadm join');
});

test('fetch_control_plane_secrets puts the checked CA and the keys a control plane shares where kubeadm reads them, the keys readable by root only', { skip }, async () => {
  const fetched = await runScript('load_credentials; fetch_ca; fetch_control_plane_secrets');
  assert.equal(fetched.status, 0, fetched.stderr);
  assert.equal(readFileSync(join(fetched.pki, 'ca.crt'), 'utf8'), caPem);
  assert.equal(statSync(fetched.pki).mode & 0o777, 0o755);
  for (const key of ['ca.key', 'front-proxy-ca.key', 'etcd/ca.key', 'sa.key']) assert.equal(statSync(join(fetched.pki, key)).mode & 0o777, 0o600, key);
  for (const file of ['front-proxy-ca.crt', 'etcd/ca.crt', 'sa.pub']) assert.ok(existsSync(join(fetched.pki, file)), file);
});

test("a worker's kubeadm join finds no /etc/kubernetes/pki/ca.crt, which its preflight refuses (kubeadm's FileAvailable check)", { skip }, async () => {
  // kubeadm stands in as that one check, as kubeadm runs it for a join without controlPlane (cmd/kubeadm/app/preflight/checks.go JoinNodeChecks).
  const kubeadm =
    'kubeadm() {\n' +
    '  if ! grep -q "^controlPlane:" "$3" && [ -e "${PKI_DIR}/ca.crt" ]; then echo "[ERROR FileAvailable--etc-kubernetes-pki-ca.crt]: ${PKI_DIR}/ca.crt already exists" >&2; return 1; fi\n' +
    '  echo "kubeadm $1: preflight passed"\n' +
    '}\n';
  const workerEtc = etcCopy('etc-worker');
  writeFileSync(join(workerEtc, 'kubeadm-join.yaml'), 'apiVersion: kubeadm.k8s.io/v1beta4\nkind: JoinConfiguration\n');
  const stubs = 'api_ready() { return 0; }\nrender_kubeadm_config() { echo "$1"; }\n' + kubeadm;
  const joined = await runScript(`${stubs}load_credentials; fetch_ca; worker`, { etc: workerEtc });
  assert.equal(joined.status, 0, joined.stderr);
  assert.equal(joined.stdout, 'kubeadm join: preflight passed\n');
  // The stand-in does refuse a CA left there.
  const refused = await runScript(`${stubs}load_credentials; fetch_ca; install -D "$CA_FILE" "$PKI_DIR/ca.crt"; worker`, { etc: workerEtc });
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /\[ERROR FileAvailable--etc-kubernetes-pki-ca\.crt\]: .*ca\.crt already exists/);
});

test('fetch_ca refuses a CA whose hash is not the one the machine was made for', { skip }, async () => {
  const wrong = `sha256:${'0'.repeat(64)}`;
  const otherCa = etcCopy('etc-other-ca', (text) => text.replace(/^CA_CERT_HASH=.*$/m, `CA_CERT_HASH=${wrong}`));
  const refused = await runScript('load_credentials; fetch_ca', { etc: otherCa });
  assert.equal(refused.status, 1);
  assert.equal(refused.stderr, `kopsdeck-bootstrap: the CA in ${CONFIG_BASE} has hash ${caCertHash(caPem)}, not the ${wrong} this machine was made for: refusing to join\n`);
});

test("ca_hash of the CA is kopsdeck's caCertHash of it, the hash in bootstrap.env", { skip }, async () => {
  const caFile = join(dir, 'store-ca.crt');
  writeFileSync(caFile, caPem);
  const hashed = await runScript('ca_hash "$STORE_CA"', { env: { STORE_CA: caFile } });
  assert.equal(hashed.status, 0, hashed.stderr);
  assert.equal(hashed.stdout, `${caCertHash(caPem)}\n`);
  assert.equal(parseEnvFile(machineFiles.get('bootstrap.env')!).CA_CERT_HASH, caCertHash(caPem));
});

test('s3_create writes only what is absent (If-None-Match: *), and s3_exists tells present from missing', { skip }, async () => {
  const exists = (key: string) => runScript(`load_credentials; s3_exists ${key}`);
  const before = await exists('bootstrap/test-lock');
  assert.deepEqual([before.status, before.stderr], [1, ''], 'missing before it is written');

  const first = await runScript('load_credentials; s3_create bootstrap/test-lock "$TEXT"', { env: { TEXT: 'the first writer' } });
  assert.deepEqual([first.status, first.stderr], [0, ''], 'the first create-only write succeeds');
  assert.equal(await storeObject('bootstrap/test-lock'), 'the first writer');

  const second = await runScript('load_credentials; s3_create bootstrap/test-lock "$TEXT"', { env: { TEXT: 'the second writer' } });
  // Status 1 with nothing on stderr: the 412 answer, not fail() on another status.
  assert.deepEqual([second.status, second.stderr], [1, ''], 'the second create-only write is refused with 412');
  assert.equal(await storeObject('bootstrap/test-lock'), 'the first writer', 'the first write stands');

  const present = await exists('bootstrap/test-lock');
  assert.deepEqual([present.status, present.stderr], [0, '']);
  const absent = await exists('bootstrap/no-such-object');
  assert.deepEqual([absent.status, absent.stderr], [1, '']);
});

// --- the kubeadm configuration --------------------------------------------------------

/** The fields of kubeadm's InitConfiguration and JoinConfiguration the machine fills in. */
interface KubeadmDocument {
  kind: string;
  bootstrapTokens?: { token: string }[];
  localAPIEndpoint?: { advertiseAddress: string };
  discovery?: { bootstrapToken: { token: string } };
  controlPlane?: { localAPIEndpoint: { advertiseAddress: string } };
}

test("render_kubeadm_config fills in the store's bootstrap token and the instance's address, and writes its provider ID as a kubelet patch", { skip }, async () => {
  const token = (JSON.parse(await storeObject('secrets/bootstrap-token')) as { token: string }).token;
  assert.match(token, /^[a-z0-9]{6}\.[a-z0-9]{16}$/);
  for (const template of ['kubeadm-init.yaml', 'kubeadm-join-control-plane.yaml']) {
    const text = machineFiles.get(template)!;
    assert.equal(text.split('@BOOTSTRAP_TOKEN@').length, 2, `${template} has the token placeholder once`);
    assert.equal(text.split('@NODE_IP@').length, 2, `${template} has the address placeholder once`);
    // render_kubeadm_config writes under $KOPSDECK_ETC/patches: a copy of etc of its own.
    const machineEtc = etcCopy(`etc-render-${template}`);
    const rendered = await runScript(`load_credentials; render_kubeadm_config "$KOPSDECK_ETC/${template}"`, { etc: machineEtc });
    assert.equal(rendered.status, 0, rendered.stderr);
    assert.equal(rendered.stderr, '');
    const path = join(rendered.work, 'kubeadm.yaml');
    assert.equal(rendered.stdout, `${path}\n`);
    const config = readFileSync(path, 'utf8');
    assert.equal(config, text.replace('@BOOTSTRAP_TOKEN@', token).replace('@NODE_IP@', controlPlane.PrivateIpAddress!));
    assert.equal(statSync(path).mode & 0o777, 0o600, `${template}: the configuration with the token is readable by root only`);
    // And as kubeadm reads it.
    const docs = parseAllDocuments(config).map((doc) => doc.toJS() as KubeadmDocument);
    if (template === 'kubeadm-init.yaml') {
      const init = docs.find((doc) => doc.kind === 'InitConfiguration')!;
      assert.equal(init.bootstrapTokens?.[0].token, token);
      assert.equal(init.localAPIEndpoint?.advertiseAddress, controlPlane.PrivateIpAddress);
    } else {
      const joinConfig = docs.find((doc) => doc.kind === 'JoinConfiguration')!;
      assert.equal(joinConfig.discovery?.bootstrapToken.token, token);
      assert.equal(joinConfig.controlPlane?.localAPIEndpoint.advertiseAddress, controlPlane.PrivateIpAddress);
    }
    assert.equal(
      readFileSync(join(machineEtc, 'patches', 'kubeletconfiguration+merge.yaml'), 'utf8'),
      `providerID: aws:///${controlPlane.Placement!.AvailabilityZone}/${controlPlane.InstanceId}\n`,
    );
  }
});

// --- EC2 answers and the XML helpers -------------------------------------------------

test("live_control_plane_ips prints the private addresses of the cluster's pending and running control-plane instances", { skip }, async () => {
  const live = await instances([{ Name: 'tag-key', Values: ['k8s.io/role/control-plane'] }, { Name: 'instance-state-name', Values: ['pending', 'running'] }]);
  const ips = live.map((i) => i.PrivateIpAddress!).sort();
  assert.deepEqual(ips, [controlPlane.PrivateIpAddress]);
  const listed = await runScript('load_credentials; live_control_plane_ips');
  assert.equal(listed.status, 0, listed.stderr);
  assert.equal(listed.stdout, ips.map((ip) => `${ip}\n`).join(''));
});

test("xml_tag_value reads an instance's tags from a DescribeInstances answer", { skip }, async () => {
  const tags = await runScript(
    'load_credentials\n' +
      'for id in "$CONTROL_PLANE" "$WORKER"; do\n' +
      '  answer=$(ec2_call "Action=DescribeInstances&InstanceId.1=${id}")\n' +
      '  echo "${id} group=$(xml_tag_value kops.k8s.io/instancegroup <<<"${answer}") node=$(xml_tag_value k8s.io/role/node <<<"${answer}")"\n' +
      'done',
    { env: { CONTROL_PLANE: controlPlane.InstanceId!, WORKER: worker.InstanceId! } },
  );
  assert.equal(tags.status, 0, tags.stderr);
  assert.equal(tagOf(controlPlane, 'kops.k8s.io/instancegroup'), 'control-plane-us-east-1a');
  assert.equal(tagOf(worker, 'kops.k8s.io/instancegroup'), 'nodes-us-east-1a');
  assert.equal(tagOf(worker, 'k8s.io/role/node'), '1');
  assert.equal(
    tags.stdout,
    `${controlPlane.InstanceId} group=control-plane-us-east-1a node=\n` + `${worker.InstanceId} group=nodes-us-east-1a node=1\n`,
  );
});

// --- the etcd volume --------------------------------------------------------------------

const etcdVolumeFilters = [
  { Name: 'tag:KubernetesCluster', Values: [NAME] },
  { Name: 'tag-key', Values: ['k8s.io/etcd/main'] },
];

async function volumeNamed(id: string): Promise<Volume | undefined> {
  return ((await clients.ec2.send(new DescribeVolumesCommand({ VolumeIds: [id] }))).Volumes ?? [])[0];
}

test('claim_etcd_volume waits while every etcd volume of the zone is attached elsewhere, then gives up saying so', { skip }, async () => {
  const zone = worker.Placement!.AvailabilityZone!;
  const volumes = (await clients.ec2.send(new DescribeVolumesCommand({ Filters: [...etcdVolumeFilters, { Name: 'availability-zone', Values: [zone] }] }))).Volumes ?? [];
  assert.ok(volumes.length > 0 && volumes.every((v) => v.State === 'in-use'), `the control plane holds the zone's etcd volumes: ${JSON.stringify(volumes.map((v) => v.State))}`);
  const claimed = await runScript('load_credentials; claim_etcd_volume "$ZONE" "$INSTANCE"', {
    env: { ZONE: zone, INSTANCE: worker.InstanceId!, ETCD_VOLUME_WAIT_SECONDS: '2', ETCD_VOLUME_RETRY_SECONDS: '1' },
  });
  assert.equal(claimed.status, 1);
  assert.equal(claimed.stdout, '');
  assert.equal(
    claimed.stderr,
    `kopsdeck-bootstrap: waiting for an etcd volume of ${NAME} in ${zone} to be free\n`.repeat(2) +
      `kopsdeck-bootstrap: no etcd volume of ${NAME} in ${zone} came free in 2s: a control-plane node keeps etcd's data only there\n`,
  );
});

test('claim_etcd_volume attaches a free etcd volume of the zone to the instance and prints its id', { skip }, async () => {
  const zone = worker.Placement!.AvailabilityZone!;
  const created = await clients.ec2.send(
    new CreateVolumeCommand({
      AvailabilityZone: zone,
      Size: 1,
      VolumeType: 'gp3',
      TagSpecifications: [{ ResourceType: 'volume', Tags: [{ Key: 'KubernetesCluster', Value: NAME }, { Key: 'k8s.io/etcd/main', Value: 'b/a,b' }] }],
    }),
  );
  const id = created.VolumeId!;
  try {
    // Started while the volume may still be being created: the script waits for it.
    const claimed = await runScript('load_credentials; claim_etcd_volume "$ZONE" "$INSTANCE"', {
      env: { ZONE: zone, INSTANCE: worker.InstanceId!, ETCD_VOLUME_WAIT_SECONDS: '20', ETCD_VOLUME_RETRY_SECONDS: '1' },
    });
    assert.equal(claimed.status, 0, claimed.stderr);
    assert.equal(claimed.stdout, `${id}\n`);
    assert.match(claimed.stderr, new RegExp(`^(kopsdeck-bootstrap: waiting for an etcd volume of ${NAME.replaceAll('.', '\\.')} in ${zone} to be free\n)*$`));
    assert.equal((await volumeNamed(id))?.Attachments?.[0]?.InstanceId, worker.InstanceId);
  } finally {
    // Leave the cluster as it was: one etcd main volume per control-plane node.
    if ((await volumeNamed(id))?.Attachments?.length) await clients.ec2.send(new DetachVolumeCommand({ VolumeId: id }));
    await until('the test volume to be detached', async () => ((await volumeNamed(id))?.State === 'available' ? true : undefined));
    await clients.ec2.send(new DeleteVolumeCommand({ VolumeId: id }));
  }
});

test('instance_state: running for a live instance, gone for a terminated one and for an unknown id', { skip }, async () => {
  const stateOf = (id: string) =>
    runScript('load_credentials; answer=$(ec2_call "Action=DescribeInstances&InstanceId.1=${ID}"); printf "%s" "${answer}" >"${WORK_DIR}/answer.xml"; instance_state <<<"${answer}"', { env: { ID: id } });
  const live = await stateOf(controlPlane.InstanceId!);
  assert.equal(live.status, 0, live.stderr);
  assert.equal(live.stdout, 'running\n');

  // A worker terminated (its group launches a replacement, which does not matter here).
  await clients.ec2.send(new TerminateInstancesCommand({ InstanceIds: [worker.InstanceId!] }));
  await until('the worker to be terminated', async () => {
    const [instance] = await instances([{ Name: 'instance-id', Values: [worker.InstanceId!] }]);
    return instance?.State?.Name === 'terminated' ? instance : undefined;
  });
  const gone = await stateOf(worker.InstanceId!);
  assert.equal(gone.status, 0, gone.stderr);
  // Still listed, as EC2 lists a terminated instance for about an hour: the state, not a NotFound, said gone.
  assert.match(readFileSync(join(gone.work, 'answer.xml'), 'utf8'), /<instanceState><code>48<\/code><name>terminated<\/name><\/instanceState>/);
  assert.equal(gone.stdout, 'gone\n');

  const unknown = await stateOf('i-0123456789abcdef0');
  assert.equal(unknown.status, 0, unknown.stderr);
  assert.match(readFileSync(join(unknown.work, 'answer.xml'), 'utf8'), /<Code>InvalidInstanceID\.NotFound<\/Code>/);
  assert.equal(unknown.stdout, 'gone\n');
});

test("xml_text volumeId of a DescribeVolumes answer is the cluster's etcd main volume", { skip }, async () => {
  const filters = [
    { Name: 'tag:KubernetesCluster', Values: [NAME] },
    { Name: 'tag-key', Values: ['k8s.io/etcd/main'] },
  ];
  const volumes = (await clients.ec2.send(new DescribeVolumesCommand({ Filters: filters }))).Volumes ?? [];
  assert.equal(volumes.length, 1, 'one control-plane node, one etcd main volume');
  const found = await runScript(
    'load_credentials; ec2_call "Action=DescribeVolumes&Filter.1.Name=tag:KubernetesCluster&Filter.1.Value.1=${CLUSTER_NAME}&Filter.2.Name=tag-key&Filter.2.Value.1=k8s.io/etcd/main" | xml_text volumeId',
  );
  assert.equal(found.status, 0, found.stderr);
  assert.equal(found.stdout, `${volumes[0].VolumeId}\n`);
});

// --- failures that must stop the machine ---------------------------------------------------

test('a bootstrap token that cannot be read stops join_control_plane before kubeadm runs', { skip }, async () => {
  // The store answers 404 for the token (here: a cluster folder without one), as it answers 403 to a profile not allowed to read it.
  const elsewhere = 's3://kops-state/clusters/missing.k8s.local';
  const noToken = etcCopy('etc-no-token', (text) => text.replace(/^CONFIG_BASE=.*$/m, `CONFIG_BASE=${elsewhere}`));
  const joined = await runScript('kubeadm() { echo "kubeadm ran: $*"; cat "$3"; }\nload_credentials; join_control_plane', { etc: noToken });
  assert.match(joined.stderr, new RegExp(`kopsdeck-bootstrap: could not read secrets/bootstrap-token from ${elsewhere} \\(HTTP 404\\)`));
  assert.doesNotMatch(
    joined.stdout,
    /kubeadm ran/,
    'SCRIPT BUG: kubeadm ran although the bootstrap token could not be read (its config has an empty token). bash clears errexit inside $(...), ' +
      'so render_kubeadm_config goes on after bootstrap_token fails, and `kubeadm join --config "$(render_kubeadm_config ...)"` runs whatever it printed. ' +
      'Fix: `shopt -s inherit_errexit` after `set -o errexit ...`, and render into a variable first (config=$(render_kubeadm_config ...); kubeadm join --config "${config}") ' +
      `in init_control_plane, join_control_plane and worker.\nstdout:\n${joined.stdout}`,
  );
  assert.notEqual(joined.status, 0);
});

test('upkeep makes its work folder again: /run is emptied when a control-plane machine restarts', { skip }, async () => {
  const emptied = join(dir, 'restarted-run', 'kopsdeck');
  const probe = join(emptied, 'probe');
  // The token step writes into the work folder, as keep_bootstrap_token does; the steps that need kubectl are stubbed.
  const upkept = await runScript('label_nodes() { :; }; forget_gone_nodes() { :; }; keep_bootstrap_token() { : >"${WORK_DIR}/probe"; }; live_control_plane_ips() { :; }\nupkeep', {
    env: { WORK_DIR: emptied },
  });
  assert.equal(upkept.status, 0, upkept.stderr);
  assert.ok(existsSync(probe));
  assert.equal(statSync(emptied).mode & 0o777, 0o700);
});

test('upkeep removes no etcd member when EC2 shows no live control-plane instance', { skip }, async () => {
  // etcdctl stands in through the script's ETCDCTL seam: one member, on this control-plane instance's address.
  const removed = join(dir, 'etcd-removed.log');
  const etcdctl = join(dir, 'fake-etcdctl');
  writeFileSync(
    etcdctl,
    '#!/bin/bash\n' +
      'case "$1 $2" in\n' +
      `  "member list") echo "8e9e05c52164694d, started, ${controlPlane.PrivateDnsName}, https://${controlPlane.PrivateIpAddress}:2380, https://${controlPlane.PrivateIpAddress}:2379, false" ;;\n` +
      `  "member remove") echo "$3" >>"${removed}"; echo "Member $3 removed" ;;\n` +
      '  *) exit 2 ;;\n' +
      'esac\n',
  );
  chmodSync(etcdctl, 0o755);
  // A view of EC2 with no live control-plane instance of the machine's cluster (here: bootstrap.env names a cluster without instances).
  const blind = etcCopy('etc-blind', (text) => text.replace(/^CLUSTER_NAME=.*$/m, 'CLUSTER_NAME=no-instances.k8s.local'));
  const view = await runScript('load_credentials; live_control_plane_ips', { etc: blind });
  assert.deepEqual([view.status, view.stdout], [0, ''], 'EC2 lists no live control-plane instance');
  // The steps that need kubectl and kubeadm are stubbed; the rest of upkeep runs as on the machine.
  const upkeep = await runScript('label_nodes() { :; }; forget_gone_nodes() { :; }; keep_bootstrap_token() { :; }\nupkeep', { etc: blind, env: { ETCDCTL: etcdctl } });
  assert.equal(upkeep.status, 0, upkeep.stderr);
  assert.equal(
    existsSync(removed) ? readFileSync(removed, 'utf8') : '',
    '',
    'SCRIPT BUG: upkeep removed the etcd member of a live machine. With no live control-plane instance, live_control_plane_ips prints nothing, ' +
      '`mapfile -t ips <<<""` makes one empty element, and remove_stale_etcd_members "" passes its "never with an empty view" guard ($# is 1), ' +
      'so every member looks gone. Fix in upkeep: `if ips=$(live_control_plane_ips) && [ -n "${ips}" ]; then`.\nstderr:\n' +
      upkeep.stderr,
  );
});
