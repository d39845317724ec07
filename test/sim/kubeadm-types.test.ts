// The simulator's strict kubeadm config decoder: the files kopsdeck's
// bootstrap writes decode cleanly, and each kind of bootstrap mistake yields a
// problem that names the field's path.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { STRUCTS, type FieldType } from '../../src/sim/kube/kubeadm-fields.js';
import { decodeKubeadmConfig, findDocument, kubeadmTokenProblems } from '../../src/sim/kube/kubeadm-types.js';

const HASH = `sha256:${'0123456789abcdef'.repeat(4)}`;

// A control plane's file. The token is the bootstrap's placeholder, which the
// decoder must accept as it is: the machine substitutes the real token.
const CONTROL_PLANE = `
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
clusterName: demo.example.com
kubernetesVersion: v1.36.3
controlPlaneEndpoint: api-demo-example-com-0123456789.elb.us-east-1.amazonaws.com:443
networking:
  podSubnet: 100.96.0.0/11
  serviceSubnet: 100.64.0.0/13
  dnsDomain: cluster.local
etcd:
  local:
    dataDir: /var/lib/etcd
apiServer:
  certSANs:
  - api.demo.example.com
  - 10.0.0.10
  extraArgs:
  - name: cloud-provider
    value: external
  - name: authorization-mode
    value: Node,RBAC
encryptionAlgorithm: ECDSA-P256
certificateValidityPeriod: 8760h0m0s
---
apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
bootstrapTokens:
- token: KOPSDECK_BOOTSTRAP_TOKEN_PLACEHOLDER
  description: "kopsdeck: joins worker nodes"
  expires: "2026-08-01T12:00:00.000Z"
  usages: [signing, authentication]
  groups: [system:bootstrappers:kubeadm:default-node-token]
nodeRegistration:
  name: ip-10-0-0-10.ec2.internal
  criSocket: unix:///run/containerd/containerd.sock
  kubeletExtraArgs:
  - name: node-ip
    value: 10.0.0.10
  taints:
  - key: node-role.kubernetes.io/control-plane
    effect: NoSchedule
localAPIEndpoint:
  advertiseAddress: 10.0.0.10
  bindPort: 6443
timeouts:
  controlPlaneComponentHealthCheck: 4m0s
---
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
cgroupDriver: systemd
providerID: aws:///us-east-1a/i-0123456789abcdef0
maxPods: 110
authentication:
  anonymous:
    enabled: false
---
`;

const WORKER = `
apiVersion: kubeadm.k8s.io/v1beta4
kind: JoinConfiguration
discovery:
  bootstrapToken:
    apiServerEndpoint: api.internal.demo.example.com:443
    token: KOPSDECK_BOOTSTRAP_TOKEN_PLACEHOLDER
    caCertHashes: ["${HASH}"]
nodeRegistration:
  taints: []
timeouts:
  discovery: 5m
`;

test('a control plane\'s realistic file decodes with no problems', () => {
  const decode = decodeKubeadmConfig(CONTROL_PLANE);
  assert.deepEqual(decode.problems, []);
  assert.deepEqual(decode.documents.map((d) => d.kind), ['ClusterConfiguration', 'InitConfiguration', 'KubeletConfiguration']);
  assert.equal(findDocument(decode, 'KubeletConfiguration')?.cgroupDriver, 'systemd');
  assert.equal(findDocument(decode, 'JoinConfiguration'), undefined);
});

test('a worker\'s join file decodes with no problems', () => {
  const decode = decodeKubeadmConfig(WORKER);
  assert.deepEqual(decode.problems, []);
  assert.equal((findDocument(decode, 'JoinConfiguration')?.discovery as { bootstrapToken: { token: string } }).bootstrapToken.token, 'KOPSDECK_BOOTSTRAP_TOKEN_PLACEHOLDER');
});

test('empty documents are skipped', () => {
  assert.deepEqual(decodeKubeadmConfig('---\n# nothing here\n---\n'), { documents: [], problems: [] });
});

const cluster = (body: string) => `apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n${body}`;
const init = (body: string) => `apiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\n${body}`;
const join = (body: string) => `apiVersion: kubeadm.k8s.io/v1beta4\nkind: JoinConfiguration\n${body}`;
const tokenDiscovery = (extra: string) => join(`discovery:\n  bootstrapToken:\n    apiServerEndpoint: 10.0.0.10:6443\n    token: t\n${extra}`);

const FAILURES: Array<{ name: string; yaml: string; problem: string }> = [
  { name: 'unknown field', yaml: cluster('networking:\n  podCIDR: 10.0.0.0/16\n'), problem: 'ClusterConfiguration.networking.podCIDR: unknown field' },
  { name: 'v1beta3 field, named as moved', yaml: cluster('apiServer:\n  timeoutForControlPlane: 4m0s\n'), problem: 'ClusterConfiguration.apiServer.timeoutForControlPlane: unknown field (a v1beta3 field; v1beta4 has' },
  { name: 'v1beta3 apiVersion', yaml: 'apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\n', problem: 'document 1: kubeadm.k8s.io/v1beta3 ClusterConfiguration is not supported: kubeadm 1.31+ still reads older kubeadm APIs, but kopsdeck must write kubeadm.k8s.io/v1beta4' },
  { name: 'unsupported kind', yaml: 'apiVersion: v1\nkind: ConfigMap\n', problem: 'document 1: unsupported apiVersion/kind v1 ConfigMap; supported: kubeadm.k8s.io/v1beta4 InitConfiguration' },
  { name: 'reset is not for bootstrap', yaml: 'apiVersion: kubeadm.k8s.io/v1beta4\nkind: ResetConfiguration\n', problem: 'ResetConfiguration is not supported by kopsdeck\'s bootstrap' },
  { name: 'map-shaped extraArgs', yaml: cluster('apiServer:\n  extraArgs:\n    cloud-provider: external\n'), problem: 'ClusterConfiguration.apiServer.extraArgs: expected a list of {name, value}; a map here is the v1beta3 shape' },
  { name: 'map-shaped kubeletExtraArgs', yaml: init('nodeRegistration:\n  kubeletExtraArgs:\n    node-ip: 10.0.0.1\n'), problem: 'InitConfiguration.nodeRegistration.kubeletExtraArgs: expected a list of {name, value}; a map here is the v1beta3 shape' },
  { name: 'extraArgs value not a string', yaml: cluster('apiServer:\n  extraArgs:\n  - name: v\n    value: 5\n'), problem: 'ClusterConfiguration.apiServer.extraArgs[0].value: expected a string' },
  { name: 'bad duration', yaml: init('timeouts:\n  kubeletHealthCheck: 4 minutes\n'), problem: 'InitConfiguration.timeouts.kubeletHealthCheck: expected a Go duration string' },
  { name: 'duration given as a number', yaml: init('bootstrapTokens:\n- token: t\n  ttl: 24\n'), problem: 'InitConfiguration.bootstrapTokens[0].ttl: expected a Go duration string' },
  { name: 'bad RFC 3339 time', yaml: init('bootstrapTokens:\n- token: t\n  expires: 2026-02-30T00:00:00Z\n'), problem: 'InitConfiguration.bootstrapTokens[0].expires: expected an RFC 3339 time' },
  { name: 'bad caCertHash', yaml: tokenDiscovery('    caCertHashes: ["sha256:ABC"]\n'), problem: 'JoinConfiguration.discovery.bootstrapToken.caCertHashes[0]: expected sha256:<64 lowercase hex digits>' },
  { name: 'caCertHash not a string', yaml: tokenDiscovery('    caCertHashes: [42]\n'), problem: 'JoinConfiguration.discovery.bootstrapToken.caCertHashes[0]: expected a string' },
  { name: 'unpinned token discovery', yaml: tokenDiscovery(''), problem: 'JoinConfiguration.discovery.bootstrapToken.caCertHashes: required unless unsafeSkipCAVerification is true' },
  { name: 'discovery endpoint without port', yaml: tokenDiscovery(`    caCertHashes: ["${HASH}"]\n`).replace('10.0.0.10:6443', '10.0.0.10'), problem: 'JoinConfiguration.discovery.bootstrapToken.apiServerEndpoint: expected host:port' },
  { name: 'join with both discovery kinds', yaml: tokenDiscovery(`    caCertHashes: ["${HASH}"]\n  file:\n    kubeConfigPath: /etc/kubernetes/discovery.conf\n`), problem: 'JoinConfiguration.discovery: exactly one of bootstrapToken or file must be set (both are)' },
  { name: 'join without discovery', yaml: join('caCertPath: /etc/kubernetes/pki/ca.crt\n'), problem: 'JoinConfiguration.discovery: required, with exactly one of bootstrapToken or file' },
  { name: 'non-CIDR podSubnet', yaml: cluster('networking:\n  podSubnet: 10.244.0.0\n'), problem: 'ClusterConfiguration.networking.podSubnet: "10.244.0.0" is not a CIDR' },
  { name: 'dual stack of one family', yaml: cluster('networking:\n  serviceSubnet: 10.96.0.0/12,10.97.0.0/16\n'), problem: 'ClusterConfiguration.networking.serviceSubnet: expected one CIDR, or two (one IPv4, one IPv6) for dual stack' },
  { name: 'bad controlPlaneEndpoint', yaml: cluster('controlPlaneEndpoint: https://api.example.com:443\n'), problem: 'ClusterConfiguration.controlPlaneEndpoint: host "https://api.example.com:443" must be an IP address or an RFC 1123 DNS subdomain' },
  { name: 'duplicate kind', yaml: `${cluster('clusterName: a\n')}---\n${cluster('clusterName: b\n')}`, problem: 'ClusterConfiguration: appears in documents 1 and 2; each kind may appear once' },
  { name: 'int given as a string', yaml: init('localAPIEndpoint:\n  bindPort: "6443"\n'), problem: 'InitConfiguration.localAPIEndpoint.bindPort: expected an integer' },
  { name: 'kubelet int given as a string', yaml: 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nmaxPods: "110"\n', problem: 'KubeletConfiguration.maxPods: expected an integer' },
  { name: 'unknown encryption algorithm', yaml: cluster('encryptionAlgorithm: RSA-1024\n'), problem: 'ClusterConfiguration.encryptionAlgorithm: unsupported value "RSA-1024"; expected one of "RSA-2048"' },
  { name: 'taint without effect', yaml: init('nodeRegistration:\n  taints:\n  - key: dedicated\n'), problem: 'InitConfiguration.nodeRegistration.taints[0].effect: required' },
  { name: 'YAML syntax error', yaml: cluster('networking: [10.0.0.0/8\n'), problem: 'document 1: YAML: ' },
];

for (const { name, yaml, problem } of FAILURES) {
  test(`failure: ${name}`, () => {
    const { problems } = decodeKubeadmConfig(yaml);
    assert.ok(problems.some((p) => p.includes(problem)), `expected a problem containing ${JSON.stringify(problem)}; got ${JSON.stringify(problems, null, 2)}`);
  });
}

test('the token format is checked only when asked, and never quoted back', () => {
  assert.deepEqual(kubeadmTokenProblems('abcdef.0123456789abcdef'), []);
  const problems = kubeadmTokenProblems('ABCDEF.secretsecretsecr');
  assert.equal(problems.length, 1);
  assert.match(problems[0], /\[a-z0-9\]\{6\}\.\[a-z0-9\]\{16\}/);
  assert.ok(!problems[0].includes('secretsecretsecr'));
});

test('every struct the schema names is defined', () => {
  const names = (type: FieldType): string[] => {
    if (typeof type === 'string' || 'enum' in type) return [];
    if ('list' in type) return names(type.list);
    if ('map' in type) return names(type.map);
    return [type.struct];
  };
  const referenced = Object.values(STRUCTS).flatMap((s) => Object.values(s).flatMap(names));
  assert.deepEqual(referenced.filter((n) => !(n in STRUCTS)), []);
});
