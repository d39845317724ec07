import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import {
  bootstrapScript,
  upkeepScript,
  decodeUserData,
  readBootstrapValues,
  readableUserData,
  renderUserData,
  renderUserDataBase64,
  USER_DATA_LIMIT_BYTES,
  type UserDataInput,
} from '../../src/engine/bootstrap/user-data.js';
import { bootstrapKindOfScript } from '../../src/engine/ownership/index.js';
import { decodeKubeadmConfig, findDocument } from '../../src/sim/kube/kubeadm-types.js';

const HASH = `sha256:${'ab'.repeat(32)}`;
const base = (over: Partial<UserDataInput> = {}): UserDataInput => ({
  cluster: 'demo.example.com',
  instanceGroup: 'nodes-a',
  kubernetesVersion: 'v1.36.3',
  role: 'Node',
  region: 'eu-west-1',
  configBase: 's3://state/team/demo.example.com',
  caCertHash: HASH,
  containerRuntime: {
    containerd: { version: '2.2.4', url: 'https://github.com/containerd/containerd/releases/download/v2.2.4/containerd-2.2.4-linux-amd64.tar.gz', sha256: 'c'.repeat(64) },
    runc: { version: '1.3.5', url: 'https://github.com/opencontainers/runc/releases/download/v1.3.5/runc.amd64', sha256: 'd'.repeat(64) },
  },
  kubeadm: { apiHost: 'api.demo.example.com', certSANs: ['api.demo.example.com'], podSubnet: '100.96.0.0/11', serviceSubnet: '100.64.0.0/13', nodeLabels: {}, taints: [], skipKubeProxy: false },
  ...over,
});

type WriteFile = { path: string; content: string; encoding?: string; permissions: string };
const filesOf = (text: string): Map<string, WriteFile> => new Map((parseYaml(text) as { write_files: WriteFile[] }).write_files.map((f) => [f.path, f]));

test('the user-data is a cloud-config that says who the machine is, where it reads its secrets and which CA to trust', () => {
  const text = renderUserData(base({ role: 'Master' }));
  assert.match(text, /^#cloud-config\n# kopsdeck bootstrap: ControlPlane nodes-a of demo.example.com\n/);
  assert.deepEqual(readBootstrapValues(text), {
    CLUSTER_NAME: 'demo.example.com',
    INSTANCE_GROUP: 'nodes-a',
    INSTANCE_GROUP_ROLE: 'ControlPlane',
    KUBERNETES_VERSION: '1.36.3',
    AWS_REGION: 'eu-west-1',
    CONFIG_BASE: 's3://state/team/demo.example.com',
    API_ENDPOINT: 'api.demo.example.com:443',
    CA_CERT_HASH: HASH,
    // The container runtime it installs: the channel's release files for its architecture, and their sums.
    CONTAINERD_VERSION: '2.2.4',
    CONTAINERD_URL: 'https://github.com/containerd/containerd/releases/download/v2.2.4/containerd-2.2.4-linux-amd64.tar.gz',
    CONTAINERD_SHA256: 'c'.repeat(64),
    RUNC_VERSION: '1.3.5',
    RUNC_URL: 'https://github.com/opencontainers/runc/releases/download/v1.3.5/runc.amd64',
    RUNC_SHA256: 'd'.repeat(64),
    // A control plane's etcd volume and etcd's data folder in it, the kubeadm configuration's dataDir.
    ETCD_VOLUME_DIR: '/mnt/etcd',
    ETCD_DATA_DIR: '/mnt/etcd/data',
  });
  const doc = parseYaml(text) as { runcmd: string[][] };
  assert.deepEqual(doc.runcmd, [['/usr/local/sbin/kopsdeck-bootstrap', 'boot']]);
  const files = filesOf(text);
  assert.deepEqual([...files.keys()].sort(), [
    '/etc/kopsdeck/bootstrap.env',
    '/etc/kopsdeck/kubeadm-init.yaml',
    '/etc/kopsdeck/kubeadm-join-control-plane.yaml',
    '/etc/systemd/system/kopsdeck-upkeep.service',
    '/etc/systemd/system/kopsdeck-upkeep.timer',
    '/usr/local/sbin/kopsdeck-bootstrap',
    '/usr/local/sbin/kopsdeck-upkeep',
  ]);
  const script = files.get('/usr/local/sbin/kopsdeck-bootstrap')!;
  assert.equal(script.encoding, undefined, 'as text: the whole user-data is gzipped');
  assert.equal(script.content, bootstrapScript(), 'the shipped script, byte for byte');
  assert.equal(script.permissions, '0755');
  assert.equal(files.get('/etc/kopsdeck/kubeadm-init.yaml')!.permissions, '0600');
});

test('a worker gets only its join configuration, and a bastion no kubeadm at all', () => {
  assert.deepEqual([...filesOf(renderUserData(base())).keys()].sort(), ['/etc/kopsdeck/bootstrap.env', '/etc/kopsdeck/kubeadm-join.yaml', '/usr/local/sbin/kopsdeck-bootstrap']);
  assert.deepEqual([...filesOf(renderUserData(base({ role: 'Bastion' }))).keys()].sort(), ['/etc/kopsdeck/bootstrap.env', '/usr/local/sbin/kopsdeck-bootstrap']);
  // A bastion runs no containers: it installs no container runtime.
  assert.equal(readBootstrapValues(renderUserData(base({ role: 'Bastion' })))!.CONTAINERD_URL, undefined);
  assert.equal(readBootstrapValues(renderUserData(base()))!.CONTAINERD_VERSION, '2.2.4');
});

test("the kubeadm configurations decode against kubeadm's v1beta4 types and carry the cluster's facts", () => {
  const files = filesOf(renderUserData(base({ role: 'ControlPlane', kubeadm: { ...base().kubeadm!, taints: [{ key: 'dedicated', value: 'infra', effect: 'NoSchedule' }], nodeLabels: { 'node.kubernetes.io/pool': 'infra' }, skipKubeProxy: true } })));
  const init = decodeKubeadmConfig(files.get('/etc/kopsdeck/kubeadm-init.yaml')!.content);
  assert.deepEqual(init.problems, []);
  assert.deepEqual(init.documents.map((d) => d.kind), ['ClusterConfiguration', 'InitConfiguration', 'KubeletConfiguration']);
  const cluster = findDocument(init, 'ClusterConfiguration')!;
  assert.equal(cluster.kubernetesVersion, 'v1.36.3');
  assert.equal(cluster.controlPlaneEndpoint, 'api.demo.example.com:443');
  assert.deepEqual(cluster.networking, { dnsDomain: 'cluster.local', podSubnet: '100.96.0.0/11', serviceSubnet: '100.64.0.0/13' });
  const initConfig = findDocument(init, 'InitConfiguration')! as { skipPhases: string[]; nodeRegistration: { taints: unknown[]; kubeletExtraArgs: unknown[] } };
  assert.deepEqual(initConfig.skipPhases, ['addon/kube-proxy']);
  assert.deepEqual(initConfig.nodeRegistration.taints, [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }, { key: 'dedicated', value: 'infra', effect: 'NoSchedule' }]);
  assert.deepEqual(initConfig.nodeRegistration.kubeletExtraArgs, [{ name: 'node-labels', value: 'node.kubernetes.io/pool=infra' }]);
  const join = decodeKubeadmConfig(files.get('/etc/kopsdeck/kubeadm-join-control-plane.yaml')!.content);
  assert.deepEqual(join.problems, []);
  const discovery = (findDocument(join, 'JoinConfiguration')!.discovery as { bootstrapToken: Record<string, unknown> }).bootstrapToken;
  assert.deepEqual(discovery, { apiServerEndpoint: 'api.demo.example.com:443', token: '@BOOTSTRAP_TOKEN@', caCertHashes: [HASH] });
});

test('nothing secret travels in the user-data: the token is a placeholder the machine fills in, no key is carried', () => {
  const text = renderUserData(base({ role: 'ControlPlane' }));
  const all = text + bootstrapScript() + upkeepScript();
  assert.doesNotMatch(all, /[a-z0-9]{6}\.[a-z0-9]{16}/, 'no bootstrap token');
  assert.doesNotMatch(all, /BEGIN [A-Z ]*PRIVATE KEY/);
  assert.match(text, /token: "@BOOTSTRAP_TOKEN@"/);
});

test('the same spec renders the same bytes; a changed version changes them and reads as changed lines', () => {
  assert.equal(renderUserDataBase64(base()), renderUserDataBase64(base()));
  const before = readableUserData(renderUserData(base()));
  const after = readableUserData(renderUserData(base({ kubernetesVersion: '1.36.4' })));
  // A worker's join configuration names no version: only the kubelet package the script installs changes.
  assert.deepEqual(after.filter((line) => !before.includes(line)), ['/etc/kopsdeck/bootstrap.env: KUBERNETES_VERSION=1.36.4']);
  assert.equal(decodeUserData(renderUserDataBase64(base())), renderUserData(base()));
});

test("the user-data goes to EC2 gzipped, well under its 16 KB with long names; past 16 KB it is refused, saying why", () => {
  // A long cluster name, a load balancer's DNS name for the API, a store in another region and cilium's chart: the largest user-data kopsdeck writes.
  const cluster = 'platform-team-staging-cluster.eu-central.example.com';
  const large = (over: Partial<UserDataInput> = {}) =>
    base({
      cluster,
      instanceGroup: 'control-plane-eu-central-1a',
      configBase: `s3://platform-team-kops-state-store/clusters/${cluster}`,
      storeRegion: 'us-east-1',
      networkAddon: { name: 'cilium', version: '1.18.12', chart: 'https://helm.cilium.io/cilium-1.18.12.tgz', helm: 'https://get.helm.sh/helm-v3.19.0-linux-@ARCH@.tar.gz' },
      kubeadm: { ...base().kubeadm!, apiHost: 'api-platform-team-staging-cl-tp4f2j-f816b569529850e2.elb.eu-central-1.amazonaws.com', certSANs: [`api.${cluster}`] },
      ...over,
    });
  for (const role of ['ControlPlane', 'Node', 'Bastion'] as const) {
    const sent = Buffer.from(renderUserDataBase64(large({ role })), 'base64');
    assert.deepEqual([...sent.subarray(0, 2)], [0x1f, 0x8b], `${role}: gzip, which cloud-init decompresses`);
    // 4 KB to spare: room for the scripts to grow.
    assert.ok(sent.length <= USER_DATA_LIMIT_BYTES - 4096, `${role}: ${sent.length} bytes`);
    assert.equal(decodeUserData(sent.toString('base64')), renderUserData(large({ role })));
  }
  // A state store path no gzip can shrink (random letters) past the limit.
  const noise = randomBytes(12_000).toString('base64url').replace(/[^A-Za-z0-9]/g, 'x');
  assert.throws(
    () => renderUserDataBase64(large({ role: 'ControlPlane', configBase: `s3://platform-team-kops-state-store/${noise}/${cluster}` })),
    /^Error: user-data: instance group control-plane-eu-central-1a's user-data is \d+ bytes gzipped, above EC2's 16384: a shorter cluster name or state store path would fit it$/,
  );
});

test('values that would need shell quoting are refused', () => {
  assert.throws(() => renderUserData(base({ cluster: 'a b' })), /CLUSTER_NAME/);
  assert.throws(() => renderUserData(base({ instanceGroup: 'x$(rm)' })), /INSTANCE_GROUP/);
});

test("kopsdeck's earlier shell user-data is still recognised as kopsdeck's, a cloud-config without its marker is not", () => {
  const earlier = '#!/bin/bash\n# kopsdeck bootstrap. A real kubeadm/nodeup bootstrap will replace the body\nexport CLUSTER_NAME=c\nexport INSTANCE_GROUP=n\nexport INSTANCE_GROUP_ROLE=Node\nexport KUBERNETES_VERSION=1.31.0\n';
  assert.equal(bootstrapKindOfScript(earlier), 'kopsdeck');
  assert.equal(bootstrapKindOfScript(renderUserData(base())), 'kopsdeck');
  assert.equal(bootstrapKindOfScript(renderUserData(base()).replace('# kopsdeck bootstrap', '# someone else')), 'other');
});

const has = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;

test('every role\'s user-data passes `cloud-init schema`', { skip: has('cloud-init') ? false : 'cloud-init is not installed (.ci/run installs it)' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'kopsdeck-cloud-init-'));
  try {
    for (const role of ['ControlPlane', 'Node', 'Bastion'] as const) {
      const file = join(dir, `${role}.yaml`);
      writeFileSync(file, renderUserData(base({ role })));
      const run = spawnSync('cloud-init', ['schema', '-c', file], { encoding: 'utf8' });
      assert.equal(run.status, 0, `${role}: ${run.stdout}${run.stderr}`);
      assert.match(run.stdout, /Valid cloud-config/);
    }
    // The check is real: a wrong type is rejected.
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, '#cloud-config\nruncmd: 42\n');
    assert.notEqual(spawnSync('cloud-init', ['schema', '-c', bad]).status, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the bootstrap and upkeep scripts, as shipped, pass shellcheck', { skip: has('shellcheck') ? false : 'shellcheck is not installed (.ci/run installs it)' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'kopsdeck-shellcheck-'));
  try {
    const file = join(dir, 'kopsdeck-bootstrap.sh');
    writeFileSync(file, bootstrapScript());
    writeFileSync(join(dir, 'kopsdeck-upkeep.sh'), upkeepScript());
    // -x -P: the upkeep script's `source` of the bootstrap script is followed and checked with it.
    const out = spawnSync('shellcheck', ['--shell=bash', '--severity=style', '-x', '-P', dir, file, join(dir, 'kopsdeck-upkeep.sh')], { encoding: 'utf8' });
    assert.equal(out.status, 0, out.stdout);
    writeFileSync(file, '#!/bin/bash\necho $1\n');
    assert.notEqual(spawnSync('shellcheck', [file]).status, 0, 'shellcheck does flag an unquoted expansion');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a control plane's user-data names the network add-on it installs; a worker's does not", () => {
  const networkAddon = { name: 'calico', version: 'v3.31.6', manifest: 'https://raw.githubusercontent.com/projectcalico/calico/v3.31.6/manifests/calico.yaml' };
  const values = readBootstrapValues(renderUserData(base({ role: 'ControlPlane', networkAddon })))!;
  assert.deepEqual(
    { NETWORKING: values.NETWORKING, CNI_VERSION: values.CNI_VERSION, CNI_MANIFEST: values.CNI_MANIFEST, POD_CIDR: values.POD_CIDR, CNI_CHART: values.CNI_CHART },
    { NETWORKING: 'calico', CNI_VERSION: 'v3.31.6', CNI_MANIFEST: networkAddon.manifest, POD_CIDR: '100.96.0.0/11', CNI_CHART: undefined },
  );
  assert.equal(readBootstrapValues(renderUserData(base({ role: 'Node', networkAddon })))!.NETWORKING, undefined);
});
