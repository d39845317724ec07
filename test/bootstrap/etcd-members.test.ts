// The upkeep script's etcd membership step against a real etcd (Debian's
// etcd-server): three members on 127.0.0.1-3 with client TLS, one of them
// stopped for good. The script's remove_stale_etcd_members (run by each
// control-plane node's upkeep with the etcdctl of its etcd container), given
// the addresses of the live control-plane machines, removes exactly the gone
// member; the cluster keeps its quorum. Then the rollout's quorum
// rule is checked against what etcd really does: with one member gone, the
// rule refuses to take another away, and taking it away does stop writes.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { bootstrapScript, upkeepScript } from '../../src/engine/bootstrap/user-data.js';
import { etcdQuorumRefusal } from '../../src/engine/rollout/etcd-quorum.js';
import { until as poll } from '../helpers/wait.js';

const has = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
const missing = ['etcd', 'etcdctl', 'openssl', 'curl', 'python3'].filter((tool) => !has(tool));
const skip = missing.length ? `${missing.join(', ')} not installed (.ci/run installs etcd-server and etcd-client)` : false;

const dir = mkdtempSync(join(tmpdir(), 'kopsdeck-etcd-'));
const pki = join(dir, 'pki');
const names = ['a', 'b', 'c'];
const hosts = ['127.0.0.1', '127.0.0.2', '127.0.0.3'];
/** A one-member etcd's first machine and the one that replaces it, on the first one's data. */
const moved = { before: '127.0.0.4', after: '127.0.0.5' };
let clientPorts: number[] = [];
let peerPorts: number[] = [];
const members = new Map<string, ChildProcess>();

function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, host, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

function openssl(args: string[]): void {
  const run = spawnSync('openssl', args, { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
}

/** The etcd CA (kept where the bootstrap keeps it), a server certificate for the three addresses, and a client certificate for etcdctl. */
function makePki(): void {
  mkdirSync(join(pki, 'etcd'), { recursive: true });
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=etcd-ca', '-keyout', join(pki, 'etcd/ca.key'), '-out', join(pki, 'etcd/ca.crt')]);
  const issue = (name: string, extensions: string) => {
    openssl(['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${name}`, '-keyout', join(dir, `${name}.key`), '-out', join(dir, `${name}.csr`)]);
    writeFileSync(join(dir, `${name}.ext`), extensions);
    openssl(['x509', '-req', '-days', '1', '-in', join(dir, `${name}.csr`), '-CA', join(pki, 'etcd/ca.crt'), '-CAkey', join(pki, 'etcd/ca.key'), '-CAcreateserial', '-extfile', join(dir, `${name}.ext`), '-out', join(dir, `${name}.crt`)]);
  };
  issue('server', `subjectAltName = ${[...hosts, moved.before, moved.after].map((h) => `IP:${h}`).join(',')}\nextendedKeyUsage = serverAuth\n`);
  issue('etcdctl', 'extendedKeyUsage = clientAuth\n');
}

function startMember(index: number, state: 'new' | 'existing' = 'new'): void {
  const cluster = names.map((n, i) => `${n}=http://${hosts[i]}:${peerPorts[i]}`).join(',');
  const child = spawn('etcd', [
    '--name', names[index],
    '--data-dir', join(dir, `data-${names[index]}`),
    '--listen-client-urls', `https://${hosts[index]}:${clientPorts[index]}`,
    '--advertise-client-urls', `https://${hosts[index]}:${clientPorts[index]}`,
    '--listen-peer-urls', `http://${hosts[index]}:${peerPorts[index]}`,
    '--initial-advertise-peer-urls', `http://${hosts[index]}:${peerPorts[index]}`,
    '--initial-cluster', cluster,
    '--initial-cluster-state', state,
    '--initial-cluster-token', 'kopsdeck-test',
    '--cert-file', join(dir, 'server.crt'),
    '--key-file', join(dir, 'server.key'),
    '--trusted-ca-file', join(pki, 'etcd/ca.crt'),
    '--client-cert-auth',
  ], { stdio: 'ignore' });
  members.set(names[index], child);
}

async function stopMember(name: string): Promise<void> {
  const child = members.get(name)!;
  members.delete(name);
  if (child.exitCode !== null) return;
  await new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill('SIGTERM');
  });
}

function etcdctl(index: number, args: string[], timeout = '5s'): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(
    'etcdctl',
    ['--endpoints', `https://${hosts[index]}:${clientPorts[index]}`, '--cacert', join(pki, 'etcd/ca.crt'), '--cert', join(dir, 'etcdctl.crt'), '--key', join(dir, 'etcdctl.key'), '--command-timeout', timeout, ...args],
    { encoding: 'utf8', env: { ...process.env, ETCDCTL_API: '3' } },
  );
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const until = (what: string, check: () => boolean, timeoutMs = 20_000) => poll(what, check, timeoutMs, 100);

/** Member names from `etcdctl member list -w simple` (IDs stay hex text: JSON would round them). */
const memberNames = (index: number) =>
  etcdctl(index, ['member', 'list', '-w', 'simple'])
    .stdout.trim()
    .split('\n')
    .map((line) => line.split(', ')[2])
    .sort();

/** Runs one of the script's functions, with a bootstrap.env and the pki folder it expects. */
function scriptFunction(call: string, through: number | string): { status: number | null; stdout: string; stderr: string } {
  const endpoint = typeof through === 'number' ? `https://${hosts[through]}:${clientPorts[through]}` : through;
  const etc = join(dir, 'etc');
  mkdirSync(etc, { recursive: true });
  writeFileSync(join(etc, 'bootstrap.env'), 'CLUSTER_NAME=test.k8s.local\nINSTANCE_GROUP=cp\nINSTANCE_GROUP_ROLE=ControlPlane\nKUBERNETES_VERSION=1.36.3\nAWS_REGION=us-east-1\nCONFIG_BASE=s3://state/test.k8s.local\n');
  const script = join(dir, 'kopsdeck-bootstrap');
  writeFileSync(script, bootstrapScript(), { mode: 0o755 });
  const upkeep = join(dir, 'kopsdeck-upkeep');
  writeFileSync(upkeep, upkeepScript(), { mode: 0o755 });
  const run = spawnSync('bash', ['-c', `. "${upkeep}" source-only; ${call}`], {
    encoding: 'utf8',
    env: {
      ...process.env,
      KOPSDECK_ETC: etc,
      KOPSDECK_BOOTSTRAP: script,
      // The host's etcdctl stands in for the one in the node's etcd container.
      ETCDCTL: `etcdctl --endpoints ${endpoint} --cacert ${join(pki, 'etcd/ca.crt')} --cert ${join(dir, 'etcdctl.crt')} --key ${join(dir, 'etcdctl.key')}`,
    },
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

before(async () => {
  if (skip) return;
  clientPorts = await Promise.all(hosts.map(freePort));
  peerPorts = await Promise.all(hosts.map(freePort));
  makePki();
  for (const index of [0, 1, 2]) startMember(index);
  await until('three healthy members', () => [0, 1, 2].every((i) => etcdctl(i, ['endpoint', 'health']).status === 0));
});
after(async () => {
  for (const name of [...members.keys()]) await stopMember(name);
  rmSync(dir, { recursive: true, force: true });
});

test('a gone member is removed through a healthy one, and only it; etcd keeps its quorum', { skip }, async () => {
  assert.deepEqual(memberNames(0), ['a', 'b', 'c']);
  await stopMember('c');
  const run = scriptFunction(`remove_stale_etcd_members ${hosts[0]} ${hosts[1]}`, 0);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stderr, /kopsdeck-bootstrap: removing etcd member [0-9a-f]+: no running control-plane instance has its address/);
  assert.deepEqual(memberNames(0), ['a', 'b']);
  assert.equal(etcdctl(1, ['put', 'after-removal', 'ok']).status, 0, 'two of two members: writes go on');
  // Run again with nothing stale: nothing is removed.
  const again = scriptFunction(`remove_stale_etcd_members ${hosts[0]} ${hosts[1]}`, 1);
  assert.equal(again.status, 0, again.stderr);
  assert.doesNotMatch(again.stderr, /removing/);
  assert.deepEqual(memberNames(1), ['a', 'b']);
  // Without a view of the live machines nothing is removed (every member would look gone).
  const blind = scriptFunction('remove_stale_etcd_members', 0);
  assert.equal(blind.status, 0, blind.stderr);
  assert.deepEqual(memberNames(0), ['a', 'b']);
});

test("the rollout's quorum rule agrees with etcd: with one member down of three, a second must not go", { skip }, async () => {
  // A fresh member c joins again (as a replacement would), so there are three.
  rmSync(join(dir, 'data-c'), { recursive: true, force: true });
  // etcd refuses to change its members until they have been connected for a few seconds ("unhealthy cluster").
  await until('c added', () => etcdctl(0, ['member', 'add', 'c', `--peer-urls=http://${hosts[2]}:${peerPorts[2]}`]).status === 0);
  startMember(2, 'existing');
  await until('c healthy', () => etcdctl(2, ['endpoint', 'health']).status === 0);
  assert.deepEqual(memberNames(0), ['a', 'b', 'c']);
  await stopMember('c');
  const nodes = names.map((name) => ({ name, instanceId: `i-${name}`, ready: members.has(name), unschedulable: false, controlPlane: true }));
  assert.match(etcdQuorumRefusal(nodes, ['i-b']) ?? '', /left with 1 healthy of 3 members, below its quorum of 2/);
  // What the rule prevents: with b gone too, etcd takes no writes.
  await stopMember('b');
  assert.notEqual(etcdctl(0, ['put', 'without-quorum', 'x'], '2s').status, 0);
});

test("a one-member etcd that came back on a new machine keeps its old peer address; the upkeep corrects it and removes nothing", { skip }, async () => {
  const [clientPort, peerPort] = [await freePort(moved.before), await freePort(moved.before)];
  const data = join(dir, 'data-x');
  const start = (host: string) =>
    spawn('etcd', [
      '--name', 'x',
      '--data-dir', data,
      '--listen-client-urls', `https://${host}:${clientPort}`,
      '--advertise-client-urls', `https://${host}:${clientPort}`,
      '--listen-peer-urls', `http://${host}:${peerPort}`,
      '--initial-advertise-peer-urls', `http://${host}:${peerPort}`,
      '--initial-cluster', `x=http://${host}:${peerPort}`,
      '--cert-file', join(dir, 'server.crt'),
      '--key-file', join(dir, 'server.key'),
      '--trusted-ca-file', join(pki, 'etcd/ca.crt'),
      '--client-cert-auth',
    ], { stdio: 'ignore' });
  const etcdctlAt = (host: string, args: string[]) =>
    spawnSync('etcdctl', ['--endpoints', `https://${host}:${clientPort}`, '--cacert', join(pki, 'etcd/ca.crt'), '--cert', join(dir, 'etcdctl.crt'), '--key', join(dir, 'etcdctl.key'), '--command-timeout', '5s', ...args], {
      encoding: 'utf8',
      env: { ...process.env, ETCDCTL_API: '3' },
    });
  const first = start(moved.before);
  await until('x healthy on its first machine', () => etcdctlAt(moved.before, ['endpoint', 'health']).status === 0);
  assert.equal(etcdctlAt(moved.before, ['put', 'kept', 'yes']).status, 0);
  await new Promise((resolve) => {
    first.once('exit', resolve);
    first.kill('SIGTERM');
  });
  // The replacement starts etcd on the same data: the flags' new peer address is ignored.
  const second = start(moved.after);
  try {
    await until('x healthy on the new machine', () => etcdctlAt(moved.after, ['endpoint', 'health']).status === 0);
    const list = () => etcdctlAt(moved.after, ['member', 'list', '-w', 'simple']).stdout.trim().split(', ');
    assert.deepEqual(list().slice(2, 5), ['x', `http://${moved.before}:${peerPort}`, `https://${moved.after}:${clientPort}`], 'the old peer address, the new client address');
    const endpoint = `https://${moved.after}:${clientPort}`;
    // Without the correction the member looks gone by its peer address; the upkeep removes nothing that answers on a live address.
    const removal = scriptFunction(`remove_stale_etcd_members ${moved.after}`, endpoint);
    assert.equal(removal.status, 0, removal.stderr);
    assert.doesNotMatch(removal.stderr, /removing/);
    const corrected = scriptFunction(`correct_moved_etcd_members ${moved.after}`, endpoint);
    assert.equal(corrected.status, 0, corrected.stderr);
    assert.match(corrected.stderr, new RegExp(`kopsdeck-bootstrap: etcd member [0-9a-f]+ came back on a new machine: its peer address becomes http://${moved.after.replaceAll('.', '\\.')}:${peerPort}\n`));
    assert.deepEqual(list().slice(2, 4), ['x', `http://${moved.after}:${peerPort}`]);
    assert.equal(etcdctlAt(moved.after, ['get', 'kept', '--print-value-only']).stdout.trim(), 'yes', 'the data it came back on');
    // Nothing left to correct or remove.
    const again = scriptFunction(`correct_moved_etcd_members ${moved.after}; remove_stale_etcd_members ${moved.after}`, endpoint);
    assert.equal(again.status, 0, again.stderr);
    assert.equal(again.stderr, '');
  } finally {
    await new Promise((resolve) => {
      if (second.exitCode !== null) return resolve(undefined);
      second.once('exit', resolve);
      second.kill('SIGTERM');
    });
  }
});
