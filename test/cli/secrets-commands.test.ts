// The cluster's secrets through the command line, against one simulator:
// update previews them and makes them (before any cloud resource) with --yes;
// get secrets lists names, types and expiries; rotate bootstrap-token replaces
// the token; export kubeconfig --admin writes a 0600 kubeconfig whose client
// certificate the cluster's CA vouches for, accepted by a TLS endpoint that
// trusts that CA. No private key and no token ever appears in what is printed
// or in the launch templates' user-data. A kops-made cluster is never written.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { DescribeLaunchTemplatesCommand, DescribeLaunchTemplateVersionsCommand } from '@aws-sdk/client-ec2';
import { KubeConfig, VersionApi } from '@kubernetes/client-node';
import { simulatorAccess } from '../../src/startup/cloud-session.js';
import { startRecordedSimulator, type SimulatorConnection } from '../../src/startup/simulator-connection.js';
import { awsClientsFor, type AwsClients } from '../../src/engine/cloud/aws/clients.js';
import { FileObjectStore } from '../../src/engine/store/file-store.js';
import { S3ObjectStore } from '../../src/engine/store/s3-store.js';
import { issueCertificate, loadClusterCa, TOKEN_PATTERN } from '../../src/engine/pki/index.js';
import { importKeyPair } from '../../src/engine/pki/keys.js';
import { seedKopsCluster } from '../../src/sim/seed/seed-kops.js';
import { EXIT_CHANGES_PENDING } from '../../src/commands/cli-error.js';
import { cliHarness, type CliResult } from '../helpers/cli-harness.js';
import { OPENSSL_MISSING, openssl } from '../pki/openssl.js';
import { decodeUserData } from '../../src/engine/bootstrap/user-data.js';

const NAME = 'secrets.example.com';
const SECRET_NAMES = ['ca', 'front-proxy-ca', 'etcd-ca', 'service-account', 'bootstrap-token'];
const home = mkdtempSync(join(tmpdir(), 'kopsdeck-secrets-cli-'));
const env = { KOPSDECK_HOME: home, KOPSDECK_CLOUD: 'sim' };
const cli = cliHarness();
/** Everything every command printed, searched for secrets at the end. */
const printed: string[] = [];
const run = async (args: string[]): Promise<CliResult> => {
  const result = await cli.run(args, env);
  printed.push(result.stdout, result.stderr);
  return result;
};
const clusterDir = join(cli.home, 'state', NAME);
const stored = (path: string) => readFileSync(join(clusterDir, ...path.split('/')), 'utf8');
const storedToken = () => JSON.parse(stored('secrets/bootstrap-token')) as { token: string; expires: string };
let sim: SimulatorConnection;
let clients: AwsClients;
let preview: CliResult;
let previewJson: CliResult;
let applied: CliResult;
let writtenByPreview: boolean;
const tokensSeen: string[] = [];

before(async () => {
  // Served from KOPSDECK_HOME/sim, so every CLI run below connects to this one.
  sim = await startRecordedSimulator({ dir: join(home, 'sim'), speed: 100 });
  clients = awsClientsFor(simulatorAccess(sim), 'us-east-1');
  assert.equal((await run(['create', 'cluster', NAME, '--zones', 'us-east-1a'])).code, 0);
  preview = await run(['update', 'cluster', NAME]);
  previewJson = await run(['update', 'cluster', NAME, '-o', 'json']);
  writtenByPreview = existsSync(join(clusterDir, 'pki')) || existsSync(join(clusterDir, 'secrets'));
  applied = await run(['update', 'cluster', NAME, '--yes']);
  tokensSeen.push(storedToken().token);
});
after(async () => {
  clients?.destroy();
  await sim?.release();
  rmSync(home, { recursive: true, force: true });
});

test('the preview says which secrets will be generated and writes none of them', () => {
  assert.equal(preview.code, EXIT_CHANGES_PENDING, preview.stderr);
  assert.match(preview.stdout, /^Secrets: ca, front-proxy-ca, etcd-ca, service-account, bootstrap-token will be generated and kept in file:\/\/.*\/secrets\.example\.com\/ \(pki\/, secrets\/\)\.$/m);
  assert.match(preview.stdout, /Must specify --yes to apply changes/);
  assert.equal(previewJson.code, EXIT_CHANGES_PENDING, previewJson.stderr);
  assert.deepEqual(JSON.parse(previewJson.stdout).secrets, { toGenerate: SECRET_NAMES });
  assert.match(previewJson.stderr, /Must specify --yes/);
  assert.equal(writtenByPreview, false, 'no pki/ or secrets/ after the previews');
});

test('update --yes makes the secrets before any cloud resource; a second update has none to make', async () => {
  assert.equal(applied.code, 0, applied.stderr);
  const lines = applied.stdout.split('\n');
  const secretsLine = lines.findIndex((line) => line === 'Secrets generated and stored: ca, front-proxy-ca, etcd-ca, service-account, bootstrap-token (list them with `kopsdeck get secrets`).');
  const firstTask = lines.findIndex((line) => /^\s+create\s/.test(line));
  assert.ok(secretsLine >= 0, applied.stdout);
  assert.ok(firstTask > secretsLine, 'the secrets come before the first cloud change');
  for (const file of ['pki/ca.crt', 'pki/ca.key', 'pki/front-proxy-ca.key', 'pki/etcd/ca.key', 'pki/sa.key', 'pki/sa.pub', 'secrets/bootstrap-token']) {
    assert.equal(statSync(join(clusterDir, ...file.split('/'))).mode & 0o777, 0o600, file);
  }
  const again = await run(['update', 'cluster', NAME]);
  assert.equal(again.code, 0, again.stderr);
  assert.doesNotMatch(again.stdout, /Secrets/);
});

test('get secrets lists names, types and expiries only, as a table, JSON and YAML', async () => {
  const table = await run(['get', 'secrets', NAME]);
  assert.equal(table.code, 0, table.stderr);
  const rows = table.stdout.trimEnd().split('\n');
  assert.match(rows[0], /^NAME\s+TYPE\s+EXPIRES$/);
  assert.deepEqual(rows.slice(1).map((row) => row.split(/\s+/)[0]), SECRET_NAMES);
  const tenYears = String(new Date().getUTCFullYear() + 10);
  assert.match(table.stdout, new RegExp(`^ca\\s+CertificateAuthority\\s+${tenYears}-\\d\\d-\\d\\dT`, 'm'));
  assert.match(table.stdout, /^service-account\s+KeyPair\s+never$/m);
  assert.match(table.stdout, new RegExp(`^bootstrap-token\\s+BootstrapToken\\s+${storedToken().expires.replace(/\./g, '\\.')}$`, 'm'));

  const json = await run(['get', 'secrets', NAME, '-o', 'json']);
  assert.equal(json.code, 0, json.stderr);
  const listed = JSON.parse(json.stdout) as Record<string, unknown>[];
  assert.deepEqual(listed.map((s) => s.name), SECRET_NAMES);
  for (const secret of listed) assert.deepEqual(Object.keys(secret).sort(), ['expired', 'expires', 'name', 'type'], 'no value is listed');
  assert.equal(listed.find((s) => s.name === 'bootstrap-token')!.expires, storedToken().expires);
  const yaml = await run(['get', 'secrets', NAME, '-o', 'yaml']);
  assert.deepEqual((parse(yaml.stdout) as { name: string }[]).map((s) => s.name), SECRET_NAMES);
});

test('rotate bootstrap-token replaces the token and says when the new one expires', async () => {
  const old = storedToken();
  const before = Date.now();
  const rotated = await run(['rotate', 'bootstrap-token', NAME, '--ttl', '2h']);
  const after = Date.now();
  assert.equal(rotated.code, 0, rotated.stderr);
  const fresh = storedToken();
  tokensSeen.push(fresh.token);
  assert.match(fresh.token, TOKEN_PATTERN);
  assert.notEqual(fresh.token, old.token);
  const expires = Date.parse(fresh.expires);
  assert.ok(expires >= before + 2 * 3600_000 && expires <= after + 2 * 3600_000, fresh.expires);
  assert.equal(rotated.stdout, `A new bootstrap token replaced the old one in ${cli.stateUrl}/${NAME}/secrets/bootstrap-token; it expires at ${fresh.expires}.\n`);
  assert.equal(statSync(join(clusterDir, 'secrets', 'bootstrap-token')).mode & 0o777, 0o600);
  const listed = await run(['get', 'secrets', NAME, '-o', 'json']);
  assert.equal((JSON.parse(listed.stdout) as { name: string; expires: string }[]).find((s) => s.name === 'bootstrap-token')!.expires, fresh.expires);
  const bad = await run(['rotate', 'bootstrap-token', NAME, '--ttl', 'soon']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /--ttl must be a duration/);
  assert.equal(storedToken().token, fresh.token, 'a refused rotation writes nothing');
});

test('export kubeconfig --admin writes a 0600 kubeconfig with a client certificate from the cluster CA, for the asked lifetime', { skip: OPENSSL_MISSING }, async () => {
  assert.equal((await run(['edit', 'cluster', NAME, '--set', 'spec.api.publicName=api.secrets.example.com'])).code, 0);
  const kubeconfig = join(cli.home, 'kube', 'config');
  const before = Date.now();
  const exported = await run(['export', 'kubeconfig', NAME, '--admin=2h', '--kubeconfig', kubeconfig]);
  const after = Date.now();
  assert.equal(exported.code, 0, exported.stderr);
  assert.equal(statSync(kubeconfig).mode & 0o777, 0o600);
  const config = parse(readFileSync(kubeconfig, 'utf8'));
  assert.equal(config['current-context'], NAME);
  const cluster = config.clusters.find((c: { name: string }) => c.name === NAME).cluster;
  assert.equal(cluster.server, 'https://api.secrets.example.com');
  assert.equal(Buffer.from(cluster['certificate-authority-data'], 'base64').toString(), stored('pki/ca.crt'));
  const user = config.users.find((u: { name: string }) => u.name === NAME).user;
  const certPem = Buffer.from(user['client-certificate-data'], 'base64').toString();
  assert.match(Buffer.from(user['client-key-data'], 'base64').toString(), /^-----BEGIN RSA PRIVATE KEY-----/);
  const certFile = join(cli.home, 'admin.crt');
  writeFileSync(certFile, certPem);
  assert.match(openssl(['verify', '-CAfile', join(clusterDir, 'pki', 'ca.crt'), '-purpose', 'sslclient', certFile]), /admin\.crt: OK\n/);
  assert.match(openssl(['x509', '-noout', '-subject', '-in', certFile]), /^subject=O = kubeadm:cluster-admins, CN = kubecfg-/);
  const notAfter = Date.parse(new X509Certificate(certPem).validTo);
  assert.ok(notAfter >= before + 2 * 3600_000 - 1000 && notAfter <= after + 2 * 3600_000, new X509Certificate(certPem).validTo);
  assert.match(exported.stdout, /^kubeconfig: context "secrets\.example\.com" written to .*\/kube\/config \(now the current context\)\.\n {2}server: https:\/\/api\.secrets\.example\.com \(spec\.api\.publicName\)\n {2}user: kubecfg-\S+ in group kubeadm:cluster-admins, a certificate signed by the cluster's CA, valid until \d{4}-/);

  // Bare --admin is kops' 18h, and the cluster may follow it.
  const defaults = await run(['export', 'kubeconfig', '--admin', NAME, '--kubeconfig', kubeconfig]);
  assert.equal(defaults.code, 0, defaults.stderr);
  const again = parse(readFileSync(kubeconfig, 'utf8'));
  const cert18 = new X509Certificate(Buffer.from(again.users.find((u: { name: string }) => u.name === NAME).user['client-certificate-data'], 'base64'));
  assert.ok(Math.abs(Date.parse(cert18.validTo) - Date.now() - 18 * 3600_000) < 60_000, cert18.validTo);
  assert.equal(again.clusters.filter((c: { name: string }) => c.name === NAME).length, 1, 'merged, not appended');
});

test('the admin kubeconfig is accepted by a TLS endpoint that trusts the cluster CA, and a certificate from another CA is not', async (t) => {
  const kubeconfig = join(cli.home, 'kube', 'config');
  assert.equal((await run(['export', 'kubeconfig', NAME, '--admin=1h', '--kubeconfig', kubeconfig])).code, 0);
  const ca = (await loadClusterCa(new FileObjectStore(join(cli.home, 'state')), NAME))!;
  const now = new Date();
  const serving = await issueCertificate({ ca, subject: { commonName: 'kube-apiserver' }, usage: 'server', ipAddresses: ['127.0.0.1'], now, notAfter: new Date(now.getTime() + 3600_000) });
  const peers: string[] = [];
  // Stands in for kube-apiserver's TLS: client certificates checked against the cluster CA, as --client-ca-file does.
  const server: Server = createServer({ key: serving.privateKeyPem, cert: serving.certPem, ca: ca.certPem, requestCert: true, rejectUnauthorized: true }, (req, res) => {
    const peer = (req.socket as TLSSocket).getPeerCertificate();
    peers.push(`O=${peer.subject.O} CN=${peer.subject.CN}`);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ major: '1', minor: '32', gitVersion: 'v1.32.0', platform: 'linux/amd64' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const port = (server.address() as { port: number }).port;

  const pointed = parse(readFileSync(kubeconfig, 'utf8'));
  pointed.clusters.find((c: { name: string }) => c.name === NAME).cluster.server = `https://127.0.0.1:${port}`;
  const kc = new KubeConfig();
  kc.loadFromString(stringify(pointed));
  kc.setCurrentContext(NAME);
  const version = await kc.makeApiClient(VersionApi).getCode();
  assert.equal(version.gitVersion, 'v1.32.0');
  assert.match(peers[0], /^O=kubeadm:cluster-admins CN=kubecfg-/);

  // Same kubeconfig, but a client certificate from the front-proxy CA: refused in the handshake.
  const frontProxy = { certPem: stored('pki/front-proxy-ca.crt'), keys: await importKeyPair(stored('pki/front-proxy-ca.key')) };
  const stranger = await issueCertificate({ ca: frontProxy, subject: { commonName: 'stranger', organizations: ['kubeadm:cluster-admins'] }, usage: 'client', now, notAfter: new Date(now.getTime() + 3600_000) });
  const user = pointed.users.find((u: { name: string }) => u.name === NAME).user;
  user['client-certificate-data'] = Buffer.from(stranger.certPem).toString('base64');
  user['client-key-data'] = Buffer.from(stranger.privateKeyPem).toString('base64');
  const other = new KubeConfig();
  other.loadFromString(stringify(pointed));
  other.setCurrentContext(NAME);
  await assert.rejects(other.makeApiClient(VersionApi).getCode());
  assert.equal(peers.length, 1, 'the stranger never got a response');
});

test('export kubeconfig --admin for a cluster with no CA yet says how to make one and writes nothing', async () => {
  assert.equal((await run(['create', 'cluster', 'nosecrets.example.com', '--zones', 'us-east-1a'])).code, 0);
  const kubeconfig = join(cli.home, 'kube', 'none');
  const result = await run(['export', 'kubeconfig', 'nosecrets.example.com', '--admin', '--kubeconfig', kubeconfig]);
  assert.equal(result.code, 1);
  assert.equal(result.stderr, `Error: Cluster nosecrets.example.com has no CA in ${cli.stateUrl} yet; it is generated by \`kopsdeck update cluster nosecrets.example.com --yes\`.\n`);
  assert.ok(!existsSync(kubeconfig));
  const listed = await run(['get', 'secrets', 'nosecrets.example.com']);
  assert.equal(listed.stdout, `Cluster "nosecrets.example.com" has no secrets in ${cli.stateUrl} yet; \`kopsdeck update cluster nosecrets.example.com --yes\` generates them.\n`);
  const bad = await run(['export', 'kubeconfig', 'nosecrets.example.com', '--admin=0s', '--kubeconfig', kubeconfig]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /--admin must be a lifetime longer than zero/);
});

test('a kops-made cluster: update, rotate, export --admin, edit and upgrade refuse and its state store is left as it was', async () => {
  const store = 's3://kops-secrets-store/team';
  const kopsName = 'kopsmade.example.com';
  await seedKopsCluster({ endpoint: sim.url, region: 'us-east-1', credentials: simulatorAccess(sim).awsCredentials!, cluster: kopsName, layout: 'minimal', stateStore: store });
  const objects = new S3ObjectStore(clients.s3, 'kops-secrets-store', 'team');
  const beforeKeys = await objects.list(`${kopsName}/`);
  const kops = (args: string[]) => run(['--state', store, ...args]);
  const update = await kops(['update', 'cluster', kopsName, '--yes']);
  assert.equal(update.code, 1);
  assert.doesNotMatch(update.stdout, /Secrets/);
  const rotate = await kops(['rotate', 'bootstrap-token', kopsName]);
  assert.equal(rotate.code, 1);
  assert.match(rotate.stderr, /was made by kops .*so kopsdeck writes none of its secrets/);
  const exported = await kops(['export', 'kubeconfig', kopsName, '--admin', '--kubeconfig', join(cli.home, 'kube', 'kops')]);
  assert.equal(exported.code, 1);
  assert.match(exported.stderr, /run `kops export kubeconfig kopsmade\.example\.com --admin` instead/);
  // Its spec is kops' to change: kops applies it on its next update.
  const edited = await kops(['edit', 'cluster', kopsName, '--set', 'spec.kubernetesVersion=1.36.3']);
  assert.equal(edited.code, 1, edited.stdout);
  assert.match(edited.stderr, /was made by kops .*so kopsdeck changes nothing in its spec: run `kops edit cluster kopsmade\.example\.com` instead/);
  const editedGroup = await kops(['edit', 'ig', 'nodes-us-east-1a', '--name', kopsName, '--set', 'spec.maxSize=9']);
  assert.equal(editedGroup.code, 1, editedGroup.stdout);
  assert.match(editedGroup.stderr, /run `kops edit ig nodes-us-east-1a --name kopsmade\.example\.com` instead/);
  const upgraded = await kops(['upgrade', 'cluster', kopsName, '--kubernetes-version', '1.36.3', '--yes']);
  assert.equal(upgraded.code, 1, upgraded.stdout);
  assert.match(upgraded.stderr, /run `kops upgrade cluster kopsmade\.example\.com --yes` instead/);
  const listed = await kops(['get', 'secrets', kopsName]);
  assert.equal(listed.code, 0, listed.stderr);
  assert.match(listed.stdout, /was made by kops, which keeps its secrets in its own layout/);
  assert.deepEqual(await objects.list(`${kopsName}/`), beforeKeys, 'not one object was written');
});

test("no private key and no bootstrap token appear in any command's output or in any launch template's user-data", async () => {
  const all = printed.join('\n');
  assert.doesNotMatch(all, /PRIVATE KEY/);
  assert.ok(tokensSeen.length >= 2);
  for (const token of tokensSeen) {
    assert.ok(!all.includes(token) && !all.includes(token.split('.')[1]), 'the token is never printed');
  }
  const templates = await clients.ec2.send(new DescribeLaunchTemplatesCommand({ Filters: [{ Name: 'tag:KubernetesCluster', Values: [NAME] }] }));
  assert.ok((templates.LaunchTemplates ?? []).length >= 2, 'the cluster has launch templates');
  for (const template of templates.LaunchTemplates ?? []) {
    const versions = await clients.ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: template.LaunchTemplateId, Versions: ['$Latest'] }));
    const userData = decodeUserData(versions.LaunchTemplateVersions?.[0].LaunchTemplateData?.UserData);
    assert.ok(userData.length > 0, `${template.LaunchTemplateName} has user-data`);
    assert.doesNotMatch(userData, /PRIVATE KEY/, template.LaunchTemplateName);
    for (const token of tokensSeen) assert.ok(!userData.includes(token.split('.')[1]), `${template.LaunchTemplateName} carries no token`);
  }
});
