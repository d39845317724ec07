import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildClusterSpec,
  checkClusterSpec,
  validateInstanceGroup,
  type ClusterBundle,
} from '../../src/engine/spec/index.js';

/** A valid 3-zone HA private cluster to break one way at a time. */
function valid(): ClusterBundle {
  return buildClusterSpec({
    name: 'demo.example.com',
    zones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
    controlPlaneCount: 3,
    topology: 'private',
    bastion: true,
  });
}

const ig = (b: ClusterBundle, name: string) => b.instanceGroups.find((g) => g.metadata.name === name)!;

interface Case {
  name: string;
  mutate: (b: ClusterBundle) => void;
  path: string;
  message: RegExp;
  region?: string;
}

const cases: Case[] = [
  { name: 'name without a dot', mutate: (b) => (b.cluster.metadata.name = 'demo'), path: 'metadata.name', message: /needs at least one dot.*demo\.example\.com/ },
  { name: 'name with capitals', mutate: (b) => (b.cluster.metadata.name = 'Demo.Example.com'), path: 'metadata.name', message: /capital letters.*"demo\.example\.com"/ },
  { name: 'name with an underscore', mutate: (b) => (b.cluster.metadata.name = 'my_cluster.example.com'), path: 'metadata.name', message: /not a DNS name: "my_cluster"/ },
  { name: 'name with an empty label', mutate: (b) => (b.cluster.metadata.name = 'demo..example.com'), path: 'metadata.name', message: /empty part between dots/ },
  { name: 'unparsable network CIDR', mutate: (b) => (b.cluster.spec.networkCIDR = '172.20.0.0/33'), path: 'spec.networkCIDR', message: /"172\.20\.0\.0\/33" is not a valid IPv4 CIDR/ },
  { name: 'network CIDR with host bits', mutate: (b) => (b.cluster.spec.networkCIDR = '172.20.1.0/16'), path: 'spec.networkCIDR', message: /did you mean 172\.20\.0\.0\/16\?/ },
  { name: 'subnet outside the network', mutate: (b) => (b.cluster.spec.subnets[1].cidr = '10.1.0.0/19'), path: 'spec.subnets[1].cidr', message: /subnet us-east-1b \(10\.1\.0\.0\/19\) is not inside the network 172\.20\.0\.0\/16/ },
  { name: 'overlapping subnets', mutate: (b) => (b.cluster.spec.subnets[2].cidr = '172.20.64.0/20'), path: 'spec.subnets[2].cidr', message: /subnet us-east-1c \(172\.20\.64\.0\/20\) overlaps subnet us-east-1b \(172\.20\.64\.0\/19\)/ },
  { name: 'subnet CIDR garbage', mutate: (b) => (b.cluster.spec.subnets[0].cidr = 'ten-dot-something'), path: 'spec.subnets[0].cidr', message: /subnet us-east-1a CIDR "ten-dot-something" is not a valid IPv4 CIDR/ },
  { name: 'duplicate subnet names', mutate: (b) => (b.cluster.spec.subnets[1].name = 'us-east-1a'), path: 'spec.subnets[1].name', message: /already used by spec\.subnets\[0\]/ },
  { name: 'unknown zone', mutate: (b) => (b.cluster.spec.subnets[2].zone = 'us-east-1q'), path: 'spec.subnets[2].zone', message: /zone us-east-1q does not exist; us-east-1 has us-east-1a, .*us-east-1f/ },
  { name: 'zone in another region', mutate: (b) => (b.cluster.spec.subnets[1].zone = 'eu-west-1b'), path: 'spec.subnets[1].zone', message: /zone eu-west-1b is in eu-west-1, but the cluster is in us-east-1/ },
  { name: 'zone not in the region the caller asked for', region: 'us-west-2', mutate: () => {}, path: 'spec.subnets[0].zone', message: /zone us-east-1a is in us-east-1, but the cluster is in us-west-2/ },
  { name: 'not a zone at all', mutate: (b) => (b.cluster.spec.subnets[0].zone = 'mars'), path: 'spec.subnets[0].zone', message: /"mars" is not an availability zone name/ },
  { name: 'private subnet without a utility subnet', mutate: (b) => b.cluster.spec.subnets.splice(5, 1), path: 'spec.subnets[2].type', message: /no Utility subnet in us-east-1c/ },
  { name: 'even control-plane count', mutate: (b) => (ig(b, 'control-plane-us-east-1c').spec.minSize = 2, ig(b, 'control-plane-us-east-1c').spec.maxSize = 2), path: 'instanceGroups', message: /4 control-plane instances; use an odd number/ },
  { name: 'no control plane', mutate: (b) => (b.instanceGroups = b.instanceGroups.filter((g) => g.spec.role !== 'ControlPlane')), path: 'instanceGroups', message: /no control plane/ },
  { name: 'minSize above maxSize', mutate: (b) => (ig(b, 'nodes-us-east-1b').spec.minSize = 4), path: 'instanceGroups[nodes-us-east-1b].spec.minSize', message: /is 4, more than maxSize 1/ },
  { name: 'negative maxSize', mutate: (b) => (ig(b, 'nodes-us-east-1b').spec.maxSize = -1), path: 'instanceGroups[nodes-us-east-1b].spec.maxSize', message: /cannot be negative/ },
  { name: 'instance group names a missing subnet', mutate: (b) => (ig(b, 'nodes-us-east-1a').spec.subnets = ['us-east-1d']), path: 'instanceGroups[nodes-us-east-1a].spec.subnets[0]', message: /subnet "us-east-1d" does not exist in the cluster; the cluster has us-east-1a/ },
  { name: 'Kubernetes version too old', mutate: (b) => (b.cluster.spec.kubernetesVersion = '1.24.0'), path: 'spec.kubernetesVersion', message: /Kubernetes 1\.24\.0 is no longer supported; kopsdeck supports 1\.31\.0 to 1\.36\.x/ },
  { name: 'Kubernetes version not semantic', mutate: (b) => (b.cluster.spec.kubernetesVersion = '1.31'), path: 'spec.kubernetesVersion', message: /"1\.31" is not a Kubernetes version like \d+\.\d+\.\d+/ },
  { name: 'a region name not of AWS\'s shape', region: 'mars-1', mutate: () => {}, path: '', message: /"mars-1" is not an AWS region name/ },
  { name: 'cilium NodePort with kube-proxy on', mutate: (b) => (b.cluster.spec.kubeProxy = { enabled: true }), path: 'spec.kubeProxy.enabled', message: /must be false when Cilium NodePort is enabled/ },
  { name: 'Kubernetes version as a number', mutate: (b) => ((b.cluster.spec as any).kubernetesVersion = 1.31), path: 'spec.kubernetesVersion', message: /must be text, got the number 1\.31/ },
  { name: 'etcd member on a node group', mutate: (b) => (b.cluster.spec.etcdClusters[0].etcdMembers[0].instanceGroup = 'nodes-us-east-1a'), path: 'spec.etcdClusters[0].etcdMembers[0].instanceGroup', message: /"nodes-us-east-1a" is not a control-plane group/ },
  { name: 'etcd member for a missing group', mutate: (b) => (b.cluster.spec.etcdClusters[1].etcdMembers[2].instanceGroup = 'control-plane-us-east-1d'), path: 'spec.etcdClusters[1].etcdMembers[2].instanceGroup', message: /"control-plane-us-east-1d" does not exist/ },
  { name: 'missing events etcd cluster', mutate: (b) => b.cluster.spec.etcdClusters.pop(), path: 'spec.etcdClusters', message: /no "events" etcd cluster/ },
  { name: 'bad machine type', mutate: (b) => (ig(b, 'nodes-us-east-1c').spec.machineType = 't3medium'), path: 'instanceGroups[nodes-us-east-1c].spec.machineType', message: /"t3medium" is not an EC2 instance type/ },
  { name: 'unknown role', mutate: (b) => ((ig(b, 'nodes-us-east-1c').spec as any).role = 'Worker'), path: 'instanceGroups[nodes-us-east-1c].spec.role', message: /must be one of Master, ControlPlane, APIServer, Node, Bastion, got "Worker"/ },
  { name: 'group labelled for another cluster', mutate: (b) => (ig(b, 'nodes-us-east-1c').metadata.labels['kops.k8s.io/cluster'] = 'other.example.com'), path: 'instanceGroups[nodes-us-east-1c].metadata.labels.kops.k8s.io/cluster', message: /must name the cluster, "demo\.example\.com"/ },
  { name: 'bad access CIDR', mutate: (b) => (b.cluster.spec.sshAccess = ['0.0.0.0/0', 'anywhere']), path: 'spec.sshAccess[1]', message: /access range "anywhere" is not a valid CIDR/ },
  { name: 'a cloud other than aws', mutate: (b) => (b.cluster.spec.cloudProvider = 'gce'), path: 'spec.cloudProvider', message: /aws only/ },
  { name: 'surge and unavailable both zero', mutate: (b) => (ig(b, 'nodes-us-east-1a').spec.rollingUpdate = { maxSurge: 0, maxUnavailable: 0 }), path: 'instanceGroups[nodes-us-east-1a].spec.rollingUpdate', message: /both 0/ },
  { name: 'bad maxSurge', mutate: (b) => (ig(b, 'nodes-us-east-1a').spec.rollingUpdate = { maxSurge: '150%' }), path: 'instanceGroups[nodes-us-east-1a].spec.rollingUpdate.maxSurge', message: /percentage/ },
  { name: 'duplicate group names', mutate: (b) => b.instanceGroups.push(structuredClone(ig(b, 'bastions'))), path: 'instanceGroups[bastions].metadata.name', message: /appears twice/ },
  { name: 'bastion in a public cluster', mutate: (b) => { b.cluster.spec.subnets = b.cluster.spec.subnets.filter((s) => s.type !== 'Utility').map((s) => ({ ...s, type: 'Public' })); ig(b, 'bastions').spec.subnets = ['us-east-1a']; }, path: 'instanceGroups[bastions].spec.role', message: /needs a private topology/ },
  { name: 'missing spec field', mutate: (b) => delete (b.cluster.spec as any).networkCIDR, path: 'spec.networkCIDR', message: /is required: the VPC range/ },
  { name: 'two CNIs', mutate: (b) => (b.cluster.spec.networking = { cilium: {}, calico: {} }), path: 'spec.networking', message: /names 2 CNIs \(cilium, calico\); keep exactly one/ },
];

test('the unbroken spec is valid', () => {
  const b = valid();
  assert.deepEqual(checkClusterSpec(b.cluster, b.instanceGroups), []);
});

for (const c of cases) {
  test(`invalid: ${c.name}`, () => {
    const b = valid();
    c.mutate(b);
    const errors = checkClusterSpec(b.cluster, b.instanceGroups, c.region ? { region: c.region } : {});
    const match = errors.find((e) => e.path === c.path && c.message.test(e.message));
    assert.ok(match, `expected ${c.path} ~ ${c.message}; got ${JSON.stringify(errors, null, 1)}`);
  });
}

test('every problem is reported at once', () => {
  const b = valid();
  b.cluster.metadata.name = 'demo';
  b.cluster.spec.subnets[2].cidr = '172.20.64.0/20';
  b.cluster.spec.subnets[1].zone = 'us-east-1q';
  ig(b, 'nodes-us-east-1a').spec.minSize = 9;
  b.cluster.spec.kubernetesVersion = '2.0.0';
  const paths = checkClusterSpec(b.cluster, b.instanceGroups).map((e) => e.path);
  for (const expected of ['metadata.name', 'spec.subnets[2].cidr', 'spec.subnets[1].zone', 'instanceGroups[nodes-us-east-1a].spec.minSize', 'spec.kubernetesVersion']) {
    assert.ok(paths.includes(expected), `missing ${expected} in ${paths.join(', ')}`);
  }
});

test('gossip names ending in .k8s.local are accepted', () => {
  const b = buildClusterSpec({ name: 'lab.k8s.local', zones: ['eu-west-1a'], topology: 'public' });
  assert.deepEqual(checkClusterSpec(b.cluster, b.instanceGroups), []);
  assert.equal(b.cluster.spec.topology.dns.type, 'None');
  assert.ok(b.cluster.spec.api.loadBalancer);
});

test('validateInstanceGroup alone uses paths relative to the group', () => {
  const group = structuredClone(ig(valid(), 'nodes-us-east-1a'));
  group.spec.minSize = 3;
  group.spec.maxSize = 2;
  group.spec.subnets = [];
  const errors = validateInstanceGroup(group);
  assert.deepEqual(errors.map((e) => e.path).sort(), ['spec.minSize', 'spec.subnets']);
  assert.deepEqual(validateInstanceGroup(ig(valid(), 'nodes-us-east-1a'), valid().cluster), []);
});

test('odd values in odd places (null-prototype objects, shared references) are reported, not thrown', () => {
  const b = valid();
  const weird = Object.create(null);
  const spec = b.cluster.spec as any;
  spec.etcdClusters[0].etcdMembers[0].name = weird;
  spec.etcdClusters[0].etcdMembers[1].name = weird;
  spec.subnets[0].name = weird;
  (ig(b, 'nodes-us-east-1a').spec as any).subnets = [weird, weird];
  const errors = checkClusterSpec(b.cluster, b.instanceGroups);
  assert.ok(errors.some((e) => e.path === 'spec.etcdClusters[0].etcdMembers[1].name' && /a mapping is used twice/.test(e.message)), JSON.stringify(errors));
  assert.ok(errors.some((e) => e.path === 'instanceGroups[nodes-us-east-1a].spec.subnets[1]' && /listed twice/.test(e.message)));
});
