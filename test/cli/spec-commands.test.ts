import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { cliHarness } from '../helpers/cli-harness.js';

const HA = ['create', 'cluster', 'demo.example.com', '--zones', 'us-east-1a,us-east-1b,us-east-1c', '--control-plane-count', '3'];

test('create cluster then get ig shows the control-plane and node groups a kops user expects', async () => {
  const cli = cliHarness();
  const created = await cli.run(HA);
  assert.equal(created.code, 0, created.stderr);
  assert.match(created.stdout, /Cluster "demo.example.com" written/);

  const groups = await cli.run(['get', 'ig', '--name', 'demo.example.com']);
  assert.equal(groups.code, 0, groups.stderr);
  const lines = groups.stdout.trim().split('\n');
  assert.match(lines[0], /^NAME\s+ROLE\s+MACHINETYPE\s+MIN\s+MAX\s+ZONES$/);
  const rows = lines.slice(1).map((line) => line.split(/\s+/));
  assert.deepEqual(
    rows.map((row) => [row[0], row[1], row[5]]),
    [
      ['control-plane-us-east-1a', 'ControlPlane', 'us-east-1a'],
      ['control-plane-us-east-1b', 'ControlPlane', 'us-east-1b'],
      ['control-plane-us-east-1c', 'ControlPlane', 'us-east-1c'],
      ['nodes-us-east-1a', 'Node', 'us-east-1a'],
      ['nodes-us-east-1b', 'Node', 'us-east-1b'],
      ['nodes-us-east-1c', 'Node', 'us-east-1c'],
    ],
  );

  const clusters = await cli.run(['get', 'clusters']);
  assert.match(clusters.stdout, /demo\.example\.com\s+aws\s+us-east-1a,us-east-1b,us-east-1c/);
});

test('get ig -o json and -o yaml print the stored instance groups', async () => {
  const cli = cliHarness();
  await cli.run(['create', 'cluster', 'json.example.com', '--zones', 'eu-west-1a']);
  const json = JSON.parse((await cli.run(['get', 'ig', '--name', 'json.example.com', '-o', 'json'])).stdout);
  assert.deepEqual(json.map((ig: { metadata: { name: string } }) => ig.metadata.name), ['control-plane-eu-west-1a', 'nodes-eu-west-1a']);
  const yaml = parse((await cli.run(['get', 'ig', '--name', 'json.example.com', '-o', 'yaml'])).stdout);
  assert.equal(yaml[1].spec.role, 'Node');
});

test('create --dry-run -o yaml prints kops YAML and writes nothing', async () => {
  const cli = cliHarness();
  const result = await cli.run([...HA, '--dry-run', '-o', 'yaml']);
  assert.equal(result.code, 0, result.stderr);
  const docs = result.stdout.split(/^---$/m).map((doc) => parse(doc));
  assert.equal(docs[0].kind, 'Cluster');
  assert.equal(docs[0].apiVersion, 'kops.k8s.io/v1alpha2');
  assert.equal(docs.filter((doc) => doc.kind === 'InstanceGroup').length, 6);
  assert.equal(existsSync(join(cli.home, 'state', 'demo.example.com')), false);
});

const badInputs: Array<{ name: string; args: string[]; message: RegExp }> = [
  { name: 'invalid name', args: ['create', 'cluster', 'Not_A_DNS', '--zones', 'us-east-1a'], message: /name/i },
  { name: 'even control-plane count', args: ['create', 'cluster', 'even.example.com', '--zones', 'us-east-1a,us-east-1b', '--control-plane-count', '2'], message: /odd/i },
  { name: 'unknown zone', args: ['create', 'cluster', 'zone.example.com', '--zones', 'us-east-1z'], message: /us-east-1z/ },
  { name: 'zones of two regions', args: ['create', 'cluster', 'mixed.example.com', '--zones', 'us-east-1a,eu-west-1a'], message: /region/i },
  { name: 'unsupported version', args: ['create', 'cluster', 'old.example.com', '--zones', 'us-east-1a', '--kubernetes-version', '1.10.0'], message: /1\.10\.0/ },
  { name: 'bad network CIDR', args: ['create', 'cluster', 'cidr.example.com', '--zones', 'us-east-1a', '--network-cidr', '10.0.0.0/40'], message: /CIDR|cidr/ },
];

for (const bad of badInputs) {
  test(`create cluster refuses ${bad.name} with exit 2 and writes nothing`, async () => {
    const cli = cliHarness();
    const result = await cli.run(bad.args);
    assert.equal(result.code, 2, `stdout: ${result.stdout}\nstderr: ${result.stderr}`);
    assert.match(result.stderr, /^Error: .*nothing was written\.|^Error: /);
    assert.match(result.stderr, bad.message);
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace without --debug');
    const stateDir = join(cli.home, 'state');
    assert.ok(!existsSync(stateDir) || readdirSync(stateDir).length === 0, 'nothing written to the store');
  });
}

test('creating a cluster that exists is refused with a clear message', async () => {
  const cli = cliHarness();
  assert.equal((await cli.run(HA)).code, 0);
  const again = await cli.run(HA);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /already exists/);
});

test('get ig for a missing cluster says so and exits 1', async () => {
  const cli = cliHarness();
  const result = await cli.run(['get', 'ig', '--name', 'missing.example.com']);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /missing\.example\.com.*not found/);
});

test('an unknown resource and an unknown flag are refused', async () => {
  const cli = cliHarness();
  const resource = await cli.run(['get', 'widgets']);
  assert.equal(resource.code, 1);
  assert.match(resource.stderr, /Unknown resource "widgets"/);
  const flag = await cli.run(['get', 'clusters', '--bogus']);
  assert.equal(flag.code, 1);
  assert.match(flag.stderr, /unknown option '--bogus'/);
});

test('one cluster that cannot be read is reported after the others, not instead of them (exit 1)', async () => {
  const cli = cliHarness();
  for (const name of ['alpha.example.com', 'beta.example.com', 'gamma.example.com']) {
    assert.equal((await cli.run(['create', 'cluster', name, '--zones', 'us-east-1a'])).code, 0);
  }
  writeFileSync(join(cli.home, 'state', 'beta.example.com', 'config'), 'apiVersion: kops.k8s.io/v1alpha2\nkind: Cluster\nspec: [unterminated\n');
  const listed = await cli.run(['get', 'clusters']);
  assert.equal(listed.code, 1);
  assert.match(listed.stdout, /alpha\.example\.com\s+aws/);
  assert.match(listed.stdout, /gamma\.example\.com\s+aws/);
  assert.doesNotMatch(listed.stdout, /beta/);
  assert.match(listed.stderr, /^Error: 1 cluster\(s\) in file:\/\/\S+ could not be read; the others are listed above\nbeta\.example\.com: /);
  const json = await cli.run(['get', 'clusters', '-o', 'json']);
  assert.deepEqual((JSON.parse(json.stdout) as { metadata: { name: string } }[]).map((c) => c.metadata.name), ['alpha.example.com', 'gamma.example.com']);
});

test('create --ssh-public-key: a missing file, a private key or a non-key is refused, exit 1, nothing written; a public key is kept as kops keeps it', async () => {
  const cli = cliHarness();
  const keys = generateKeyPairSync('ed25519');
  const privateFile = join(cli.home, 'id_ed25519');
  writeFileSync(privateFile, keys.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, { mode: 0o600 });
  const junkFile = join(cli.home, 'notes.txt');
  writeFileSync(junkFile, 'hello\n');
  const stateDir = cli.stateUrl.slice('file://'.length);
  for (const [file, why] of [
    [join(cli.home, 'missing.pub'), /--ssh-public-key: .*missing\.pub/],
    [privateFile, /private key/i],
    [junkFile, /--ssh-public-key: /],
  ] as const) {
    const refused = await cli.run(['create', 'cluster', 'ssh.example.com', '--zones', 'us-east-1a', '--ssh-public-key', file]);
    assert.equal(refused.code, 1, refused.stderr);
    assert.match(refused.stderr, why);
    assert.match(refused.stderr, /Nothing was written\./);
    assert.ok(!refused.stderr.includes('PRIVATE KEY') && !refused.stdout.includes('PRIVATE KEY'), 'the key is not echoed');
    assert.equal(existsSync(join(stateDir, 'ssh.example.com')), false, `nothing written for ${file}`);
  }

  // A public key in OpenSSH form: kept under pki/ssh/public/admin/, as kops keeps it.
  const raw = Buffer.from(keys.publicKey.export({ format: 'jwk' }).x!, 'base64url');
  const blob = Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from('ssh-ed25519'), Buffer.from([0, 0, 0, 32]), raw]);
  const publicFile = join(cli.home, 'id_ed25519.pub');
  writeFileSync(publicFile, `ssh-ed25519 ${blob.toString('base64')} me@laptop\n`);
  const created = await cli.run(['create', 'cluster', 'ssh.example.com', '--zones', 'us-east-1a', '--ssh-public-key', publicFile]);
  assert.equal(created.code, 0, created.stderr);
  const adminKeys = readdirSync(join(stateDir, 'ssh.example.com', 'pki', 'ssh', 'public', 'admin'));
  assert.equal(adminKeys.length, 1);
  assert.match(adminKeys[0], /^[0-9a-f]{32}$/, "named by the key's fingerprint");
});
