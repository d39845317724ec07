// The simulator's play of kopsdeck's bootstrap, step by step, on fakes of
// what a machine reaches: whichever control-plane machine creates the init
// lock first initialises and the other waits, then joins; a restarted
// one-node control plane comes back on its volume; and the machine's own
// facts must agree with its kubeadm files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, createHash } from 'node:crypto';
import { renderUserData } from '../../src/engine/bootstrap/user-data.js';
import { createCaCertificate } from '../../src/engine/pki/certificates.js';
import { generateKeyPair } from '../../src/engine/pki/keys.js';
import type { MachineReach } from '../../src/sim/contracts.js';
import { readCloudConfig, type CloudConfig } from '../../src/sim/kube/cloud-config.js';
import { bootstrapEnvOf, kubeadmBoot, type ClusterView } from '../../src/sim/kube/kubeadm-boot.js';

const BASE = 's3://state/c.k8s.local';
const TOKEN = 'abcdef.0123456789abcdef';
/** The shipped channel's containerd and runc for amd64. */
const RUNTIME = {
  containerd: { version: '2.2.4', url: 'https://github.com/containerd/containerd/releases/download/v2.2.4/containerd-2.2.4-linux-amd64.tar.gz', sha256: '62e77f6294e432dca5b56ad7e7d6085b5bbb526ebba0a51d832714f9b04cfdfd' },
  runc: { version: '1.3.5', url: 'https://github.com/opencontainers/runc/releases/download/v1.3.5/runc.amd64', sha256: '66fa8390be8fb3b23dfbb60c767368bb5b51f1acfa88692bbff1a82953d4d9e9' },
};

async function world() {
  const ca = await createCaCertificate(await generateKeyPair(), 'kubernetes', new Date());
  const hash = `sha256:${createHash('sha256').update(new X509Certificate(ca).publicKey.export({ type: 'spki', format: 'der' })).digest('hex')}`;
  const objects = new Map<string, string>([[`${BASE}/pki/ca.crt`, ca], [`${BASE}/secrets/bootstrap-token`, JSON.stringify({ token: TOKEN, expires: '2099-01-01T00:00:00Z' })]]);
  for (const key of ['ca.key', 'front-proxy-ca.crt', 'front-proxy-ca.key', 'etcd/ca.crt', 'etcd/ca.key', 'sa.key', 'sa.pub']) objects.set(`${BASE}/pki/${key}`, 'x');
  return { objects, hash };
}

function reachOf(objects: Map<string, string>, volume = { id: 'vol-1', hasData: false }, instanceId = 'i-self', alive: string[] = []): MachineReach {
  return {
    instanceId,
    role: () => ({ role: 'masters.c.k8s.local' }),
    read: (url) => (objects.has(url) ? { body: objects.get(url)! } : { error: 'NoSuchKey (404)' }),
    exists: (url) => objects.has(url),
    create: (url, body) => {
      if (objects.has(url)) return 'exists';
      objects.set(url, body);
      return 'created';
    },
    overwrite: (url, body) => {
      objects.set(url, body);
      return 'written';
    },
    instanceAlive: (id) => alive.includes(id) || id === instanceId,
    etcdVolume: () => volume,
    claimEtcdVolume: () => undefined,
    zone: 'us-east-1a',
    bucketRegion: () => 'us-east-1',
    markEtcdData: () => undefined,
    resolves: () => true,
    console: () => undefined,
  };
}

function machine(hash: string, role: 'ControlPlane' | 'Node', edit: (text: string) => string = (t) => t, storeRegion?: string): { config: CloudConfig; env: Record<string, string> } {
  const text = edit(
    renderUserData({
      storeRegion,
      cluster: 'c.k8s.local',
      instanceGroup: role === 'Node' ? 'nodes' : 'control-plane-a',
      kubernetesVersion: '1.36.3',
      role,
      region: 'us-east-1',
      configBase: BASE,
      caCertHash: hash,
      containerRuntime: RUNTIME,
      kubeadm: { apiHost: 'api.c.k8s.local', certSANs: [], podSubnet: '100.96.0.0/11', serviceSubnet: '100.64.0.0/13', nodeLabels: {}, taints: [], skipKubeProxy: false },
    }),
  );
  const read = readCloudConfig(text);
  assert.ok('config' in read, JSON.stringify(read));
  return { config: read.config, env: bootstrapEnvOf(read.config)! };
}

const cluster = (answers: boolean, knows: string[] = []): ClusterView => ({
  apiAnswers: () => answers,
  knowsToken: (_c, token, storeToken) => knows.includes(token) || (answers && token === storeToken),
});

test('whichever control-plane machine creates the init lock first initialises; the other waits, then joins', async () => {
  for (const order of [['i-first', 'i-second'], ['i-second', 'i-first']]) {
    const { objects, hash } = await world();
    const m = machine(hash, 'ControlPlane');
    const outcomes = new Map(order.map((id) => [id, kubeadmBoot(m.config, m.env, reachOf(objects, undefined, id, order), cluster(false))]));
    assert.equal(objects.get(`${BASE}/bootstrap/init-lock`), order[0], 'the lock names the machine that won it');
    assert.equal(outcomes.get(order[0])!.kind, 'boot');
    assert.equal((outcomes.get(order[0]) as { action: string }).action, 'init');
    assert.deepEqual(outcomes.get(order[1]), { kind: 'waiting', reason: 'another control-plane node is initialising the cluster: waiting for its API' });
    const later = kubeadmBoot(m.config, m.env, reachOf(objects, undefined, order[1], order), cluster(true));
    assert.equal((later as { action: string }).action, 'join-control-plane');
  }
});

test('a one-node control plane whose volume holds etcd data comes back on it; with bootstrap/initialized and an empty volume it refuses to start a new cluster', async () => {
  const { objects, hash } = await world();
  const m = machine(hash, 'ControlPlane');
  objects.set(`${BASE}/bootstrap/init-lock`, 'i-old');
  objects.set(`${BASE}/bootstrap/initialized`, 'i-old');
  assert.equal((kubeadmBoot(m.config, m.env, reachOf(objects, { id: 'vol-1', hasData: true }), cluster(false)) as { action: string }).action, 'restore');
  // The lock's machine is gone: this one takes the lock, then finds the cluster initialised and its own volume empty.
  assert.deepEqual(kubeadmBoot(m.config, m.env, reachOf(objects), cluster(false)), {
    kind: 'failed',
    reason: 'bootstrap/initialized exists but no API answers and this etcd volume is empty: refusing to start a new, empty cluster',
  });
});

test('a first control-plane machine that died holding the init lock is replaced: the next one takes the lock over and initialises', async () => {
  const { objects, hash } = await world();
  const m = machine(hash, 'ControlPlane');
  objects.set(`${BASE}/bootstrap/init-lock`, 'i-dead');
  // While the holder is alive the others wait.
  assert.equal(kubeadmBoot(m.config, m.env, reachOf(objects, undefined, 'i-next', ['i-dead']), cluster(false)).kind, 'waiting');
  const outcome = kubeadmBoot(m.config, m.env, reachOf(objects, undefined, 'i-next'), cluster(false));
  assert.equal((outcome as { action: string }).action, 'init');
  assert.equal(objects.get(`${BASE}/bootstrap/init-lock`), 'i-next');
});

test('a worker waits for the API, then joins with the token from the store', async () => {
  const { objects, hash } = await world();
  const w = machine(hash, 'Node');
  assert.deepEqual(kubeadmBoot(w.config, w.env, reachOf(objects), cluster(false)), { kind: 'waiting', reason: 'waiting for the API at api.c.k8s.local:443' });
  const joined = kubeadmBoot(w.config, w.env, reachOf(objects), cluster(true));
  assert.equal(joined.kind, 'boot');
  assert.equal((joined as { token: string }).token, TOKEN);
});

test("a machine whose kubeadm files disagree with its facts, or do not decode, does not join", async () => {
  const { objects, hash } = await world();
  const cases: [string, (text: string) => string, RegExp][] = [
    ['another version in kubeadm', (t) => t.replace('kubernetesVersion: v1.36.3', 'kubernetesVersion: v1.35.0'), /kubernetesVersion v1\.35\.0 is not the installed kubelet's v1\.36\.3/],
    ['another endpoint', (t) => t.replace('controlPlaneEndpoint: api.c.k8s.local:443', 'controlPlaneEndpoint: elsewhere:443'), /controlPlaneEndpoint elsewhere:443 is not api\.c\.k8s\.local:443/],
    ['an unknown field', (t) => t.replace('certificatesDir:', 'certificateDir:'), /kubeadm: \/etc\/kopsdeck\/kubeadm-init\.yaml: .*certificateDir/],
    ['no runcmd', (t) => t.replace(/runcmd:[\s\S]*$/, 'runcmd: []\n'), /nothing installs a kubelet/],
  ];
  for (const [what, edit, reason] of cases) {
    const m = machine(hash, 'ControlPlane', edit);
    const outcome = kubeadmBoot(m.config, m.env, reachOf(new Map(objects)), cluster(false));
    assert.equal(outcome.kind, 'failed', what);
    assert.match((outcome as { reason: string }).reason, reason, what);
  }
});

test("a control-plane machine keeps etcd's data in a folder of its etcd volume, where kubeadm keeps it, or does not start", async () => {
  const { objects, hash } = await world();
  const boots = (edit: (text: string) => string, apiAnswers = true) => {
    const m = machine(hash, 'ControlPlane', edit);
    return kubeadmBoot(m.config, m.env, reachOf(new Map(objects)), cluster(apiAnswers));
  };
  assert.match(machine(hash, 'ControlPlane').config.files.get('/etc/kopsdeck/bootstrap.env')!.content, /^ETCD_VOLUME_DIR=\/mnt\/etcd\nETCD_DATA_DIR=\/mnt\/etcd\/data$/m);
  assert.equal((boots((t) => t) as { action: string }).action, 'join-control-plane', 'as kopsdeck writes it: /mnt/etcd/data on the volume mounted at /mnt/etcd');
  // etcd's data at the volume's root, as kopsdeck had it: a join would fail kubeadm's preflight on lost+found, and the script refuses it first.
  const atRoot = (t: string) => t.replace('dataDir: /mnt/etcd/data', 'dataDir: /mnt/etcd').replace('ETCD_DATA_DIR=/mnt/etcd/data', 'ETCD_DATA_DIR=/mnt/etcd');
  const refused = { kind: 'failed', reason: "ETCD_DATA_DIR /mnt/etcd is not a folder inside the etcd volume's ETCD_VOLUME_DIR /mnt/etcd" };
  assert.deepEqual(boots(atRoot), refused);
  assert.deepEqual(boots(atRoot, false), refused, 'the first control-plane node too: the script checks before it initialises');
  const cases: [string, (text: string) => string, string][] = [
    [
      'kubeadm and the script disagree',
      (t) => t.replace('dataDir: /mnt/etcd/data', 'dataDir: /var/lib/etcd'),
      'kubeadm: /etc/kopsdeck/kubeadm-init.yaml: etcd.local.dataDir /var/lib/etcd is not the ETCD_DATA_DIR /mnt/etcd/data of /etc/kopsdeck/bootstrap.env',
    ],
    [
      'data off the volume',
      (t) => t.replace('dataDir: /mnt/etcd/data', 'dataDir: /var/lib/etcd').replace('ETCD_DATA_DIR=/mnt/etcd/data', 'ETCD_DATA_DIR=/var/lib/etcd'),
      "ETCD_DATA_DIR /var/lib/etcd is not a folder inside the etcd volume's ETCD_VOLUME_DIR /mnt/etcd",
    ],
    ['no volume folder', (t) => t.replace(/^ {6}ETCD_VOLUME_DIR=.*\n/m, ''), '/etc/kopsdeck/bootstrap.env names no ETCD_VOLUME_DIR and ETCD_DATA_DIR: there is nowhere to mount the etcd volume'],
  ];
  for (const [what, edit, reason] of cases) assert.deepEqual(boots(edit), { kind: 'failed', reason }, what);
});

test('a machine installs the containerd its bootstrap.env names, which its node reports; without one, or with a sum no download can match, it does not join', async () => {
  const { objects, hash } = await world();
  const w = machine(hash, 'Node');
  const joined = kubeadmBoot(w.config, w.env, reachOf(objects), cluster(true));
  assert.equal(joined.kind, 'boot');
  assert.equal((joined as { info: { containerdVersion?: string } }).info.containerdVersion, '2.2.4');
  const cases: [string, (text: string) => string, string][] = [
    ['no containerd named', (t) => t.replace(/^ {6}CONTAINERD_URL=.*\n/m, ''), '/etc/kopsdeck/bootstrap.env names no CONTAINERD_URL: this machine has no container runtime to install'],
    ['no runc named', (t) => t.replace(/^ {6}RUNC_SHA256=.*\n/m, ''), '/etc/kopsdeck/bootstrap.env names no RUNC_SHA256: this machine has no container runtime to install'],
    ['a sum that is no SHA-256', (t) => t.replace(/^( {6}CONTAINERD_SHA256=)\w+$/m, '$1deadbeef'), '/etc/kopsdeck/bootstrap.env: CONTAINERD_SHA256 is not a SHA-256 (64 hex digits): no download can match it'],
  ];
  for (const [what, edit, reason] of cases) {
    const m = machine(hash, 'Node', edit);
    assert.deepEqual(kubeadmBoot(m.config, m.env, reachOf(objects), cluster(true)), { kind: 'failed', reason }, what);
  }
});

test('a control-plane machine with no etcd volume attached claims a free one of its zone, or waits for one for 15 minutes, saying why', async () => {
  const { objects, hash } = await world();
  const m = machine(hash, 'ControlPlane');
  const withClaim = (claim: MachineReach['claimEtcdVolume']): MachineReach => ({ ...reachOf(new Map(objects)), etcdVolume: () => undefined, claimEtcdVolume: claim });
  assert.deepEqual(kubeadmBoot(m.config, m.env, withClaim(() => undefined), cluster(false)), {
    kind: 'waiting',
    reason: 'waiting for an etcd volume of c.k8s.local in us-east-1a to be free',
    limitMs: 900_000,
    gaveUp: "no etcd volume of c.k8s.local in us-east-1a came free in 900s: a control-plane node keeps etcd's data only there",
  });
  const refused = kubeadmBoot(m.config, m.env, withClaim(() => ({ volumeId: 'vol-9', error: 'AccessDenied (403): no statement allows ec2:AttachVolume' })), cluster(false));
  assert.equal(refused.kind, 'waiting');
  assert.equal((refused as { reason: string }).reason, 'could not attach etcd volume vol-9: AccessDenied (403): no statement allows ec2:AttachVolume');
  const claimed = kubeadmBoot(m.config, m.env, withClaim(() => ({ id: 'vol-2', hasData: false })), cluster(false));
  assert.equal(claimed.kind, 'boot');
  assert.equal((claimed as { etcdVolumeId?: string }).etcdVolumeId, 'vol-2');
});

test("a machine addresses the store's bucket in the bucket's region, which its bootstrap.env names when it is not the machine's", async () => {
  const { objects, hash } = await world();
  const inOtherRegion = (): MachineReach => ({ ...reachOf(objects), bucketRegion: () => 'eu-west-1' });
  assert.deepEqual(kubeadmBoot(machine(hash, 'Node').config, machine(hash, 'Node').env, inOtherRegion(), cluster(true)), {
    kind: 'failed',
    reason: `could not read pki/ca.crt from ${BASE} (HTTP 301)`,
  });
  const told = machine(hash, 'Node', (t) => t, 'eu-west-1');
  assert.equal(told.env.STORE_REGION, 'eu-west-1');
  assert.equal(kubeadmBoot(told.config, told.env, inOtherRegion(), cluster(true)).kind, 'boot');
  assert.equal(machine(hash, 'Node', (t) => t, 'us-east-1').env.STORE_REGION, undefined, 'the machine\'s own region is not written');
});
