import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildClusterSpec,
  defaultKubernetesVersion,
  isControlPlaneRole,
  topologyOf,
  checkClusterSpec,
} from '../../src/engine/spec/index.js';

const NOBLE_AMD64 = '099720109477/ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20260714';

const zones = ['us-east-1a', 'us-east-1b', 'us-east-1c'];

test('a 3-zone HA public cluster has the groups a kops user expects and validates clean', () => {
  const { cluster, instanceGroups } = buildClusterSpec({ name: 'demo.example.com', zones, controlPlaneCount: 3, topology: 'public' });
  assert.deepEqual(
    instanceGroups.map((ig) => [ig.metadata.name, ig.spec.role, ig.spec.minSize, ig.spec.maxSize, ig.spec.subnets.join(',')]),
    [
      ['control-plane-us-east-1a', 'ControlPlane', 1, 1, 'us-east-1a'],
      ['control-plane-us-east-1b', 'ControlPlane', 1, 1, 'us-east-1b'],
      ['control-plane-us-east-1c', 'ControlPlane', 1, 1, 'us-east-1c'],
      ['nodes-us-east-1a', 'Node', 1, 1, 'us-east-1a'],
      ['nodes-us-east-1b', 'Node', 1, 1, 'us-east-1b'],
      ['nodes-us-east-1c', 'Node', 1, 1, 'us-east-1c'],
    ],
  );
  assert.deepEqual(checkClusterSpec(cluster, instanceGroups), []);
  assert.deepEqual(
    cluster.spec.subnets.map((s) => [s.name, s.type, s.cidr]),
    [
      ['us-east-1a', 'Public', '172.20.32.0/19'],
      ['us-east-1b', 'Public', '172.20.64.0/19'],
      ['us-east-1c', 'Public', '172.20.96.0/19'],
    ],
  );
  assert.equal(cluster.spec.networkCIDR, '172.20.0.0/16');
  assert.equal(cluster.spec.kubernetesVersion, defaultKubernetesVersion());
  assert.equal(cluster.spec.kubernetesVersion, '1.36.3', "the shipped stable channel's version for kops 1.36");
  assert.equal(cluster.spec.cloudProvider, 'aws');
  // As kops 1.36 without --dns-zone: no DNS, the API behind a Network Load Balancer.
  assert.equal(cluster.spec.dnsZone, undefined);
  assert.deepEqual(cluster.spec.topology.dns, { type: 'None' });
  assert.deepEqual(cluster.spec.api, { loadBalancer: { class: 'Network', type: 'Public' } });
  assert.deepEqual(cluster.spec.sshAccess, ['0.0.0.0/0', '::/0']);
  assert.deepEqual(cluster.spec.kubernetesApiAccess, ['0.0.0.0/0', '::/0']);
  assert.deepEqual(cluster.spec.networking, { cilium: { enableNodePort: true } });
  assert.deepEqual(cluster.spec.kubeProxy, { enabled: false }, 'Cilium NodePort replaces kube-proxy, as kops writes it');
  assert.deepEqual(cluster.spec.etcdClusters.map((e) => e.name), ['main', 'events']);
  for (const etcd of cluster.spec.etcdClusters) {
    assert.deepEqual(etcd.etcdMembers.map((m) => [m.name, m.instanceGroup]), [
      ['a', 'control-plane-us-east-1a'],
      ['b', 'control-plane-us-east-1b'],
      ['c', 'control-plane-us-east-1c'],
    ]);
  }
  for (const ig of instanceGroups) {
    assert.equal(ig.metadata.labels['kops.k8s.io/cluster'], 'demo.example.com');
    assert.equal(ig.spec.image, NOBLE_AMD64);
    assert.equal(ig.spec.machineType, 't3.medium');
    assert.deepEqual(ig.spec.rollingUpdate, isControlPlaneRole(ig.spec.role) ? undefined : { maxSurge: 1 });
  }
  assert.equal(topologyOf(cluster), 'public');
});

test('private topology adds utility /22s and a bastion group in them', () => {
  const { cluster, instanceGroups } = buildClusterSpec({ name: 'priv.example.com', zones, topology: 'private', bastion: true, networking: 'calico' });
  assert.deepEqual(checkClusterSpec(cluster, instanceGroups), []);
  assert.deepEqual(
    cluster.spec.subnets.map((s) => `${s.name}:${s.type}:${s.cidr}`),
    [
      'us-east-1a:Private:172.20.32.0/19',
      'us-east-1b:Private:172.20.64.0/19',
      'us-east-1c:Private:172.20.96.0/19',
      'utility-us-east-1a:Utility:172.20.0.0/22',
      'utility-us-east-1b:Utility:172.20.4.0/22',
      'utility-us-east-1c:Utility:172.20.8.0/22',
    ],
  );
  const bastion = instanceGroups.find((ig) => ig.metadata.name === 'bastions')!;
  assert.equal(bastion.spec.role, 'Bastion');
  assert.equal(bastion.spec.machineType, 't3.micro');
  assert.deepEqual(bastion.spec.subnets, ['utility-us-east-1a', 'utility-us-east-1b', 'utility-us-east-1c']);
  assert.deepEqual(cluster.spec.api.loadBalancer, { class: 'Network', type: 'Public' });
  assert.deepEqual(cluster.spec.networking, { calico: {} });
  assert.equal(cluster.spec.kubeProxy, undefined, 'only Cilium NodePort turns kube-proxy off');
  assert.equal(topologyOf(cluster), 'private');
  // Default control plane: one, in the first zone.
  assert.deepEqual(instanceGroups.filter((ig) => isControlPlaneRole(ig.spec.role)).map((ig) => ig.metadata.name), ['control-plane-us-east-1a']);
});

test('node count is spread across zones, earlier zones taking the remainder', () => {
  const { instanceGroups } = buildClusterSpec({ name: 'demo.example.com', zones, nodeCount: 5, nodeSize: 'm6i.large', topology: 'public' });
  const nodes = instanceGroups.filter((ig) => ig.spec.role === 'Node');
  assert.deepEqual(nodes.map((ig) => [ig.metadata.name, ig.spec.minSize, ig.spec.machineType]), [
    ['nodes-us-east-1a', 2, 'm6i.large'],
    ['nodes-us-east-1b', 2, 'm6i.large'],
    ['nodes-us-east-1c', 1, 'm6i.large'],
  ]);
});

test('an even control-plane count is built as asked and refused by validation', () => {
  const { cluster, instanceGroups } = buildClusterSpec({ name: 'demo.example.com', zones, controlPlaneCount: 2, topology: 'public' });
  const errors = checkClusterSpec(cluster, instanceGroups);
  assert.ok(errors.some((e) => e.path === 'instanceGroups' && /2 control-plane instances/.test(e.message)), JSON.stringify(errors));
});

test('three control planes in one zone get numbered groups and distinct etcd members', () => {
  const { cluster, instanceGroups } = buildClusterSpec({ name: 'one.example.com', zones: ['eu-west-1a'], controlPlaneCount: 3, topology: 'public' });
  assert.deepEqual(
    instanceGroups.filter((ig) => isControlPlaneRole(ig.spec.role)).map((ig) => ig.metadata.name),
    ['control-plane-eu-west-1a-1', 'control-plane-eu-west-1a-2', 'control-plane-eu-west-1a-3'],
  );
  assert.deepEqual(cluster.spec.etcdClusters[0].etcdMembers.map((m) => m.name), ['a-1', 'a-2', 'a-3']);
  assert.deepEqual(checkClusterSpec(cluster, instanceGroups), []);
});

test('explicit control-plane zones, sizes, version, access and image are honoured', () => {
  const { cluster, instanceGroups } = buildClusterSpec({
    name: 'demo.example.com',
    zones: ['us-west-2a', 'us-west-2b', 'us-west-2c', 'us-west-2d'],
    controlPlaneZones: ['us-west-2b', 'us-west-2c', 'us-west-2d'],
    controlPlaneSize: 'm6i.large',
    kubernetesVersion: '1.31.9',
    adminAccess: ['203.0.113.0/24'],
    image: 'ami-0123456789abcdef0',
    dnsZone: 'dev.example.com',
    topology: 'public',
  });
  assert.deepEqual(checkClusterSpec(cluster, instanceGroups), []);
  const cps = instanceGroups.filter((ig) => isControlPlaneRole(ig.spec.role));
  assert.deepEqual(cps.map((ig) => [ig.metadata.name, ig.spec.machineType]), [
    ['control-plane-us-west-2b', 'm6i.large'],
    ['control-plane-us-west-2c', 'm6i.large'],
    ['control-plane-us-west-2d', 'm6i.large'],
  ]);
  assert.equal(instanceGroups.filter((ig) => ig.spec.role === 'Node').length, 4);
  assert.equal(cluster.spec.kubernetesVersion, '1.31.9');
  assert.deepEqual(cluster.spec.sshAccess, ['203.0.113.0/24']);
  assert.equal(cluster.spec.dnsZone, 'dev.example.com');
  assert.deepEqual(cluster.spec.topology.dns, { type: 'Public' });
  assert.deepEqual(cluster.spec.api, { loadBalancer: { class: 'Network', type: 'Public' } }, 'with a DNS zone, a public cluster publishes api.<name> in it, as an alias to its load balancer');
  assert.ok(instanceGroups.every((ig) => ig.spec.image === 'ami-0123456789abcdef0'));
});

test('more zones than eighths of the network are carved finer, still inside and disjoint', () => {
  const many = ['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d', 'us-east-1e', 'us-east-1f'];
  const { cluster, instanceGroups } = buildClusterSpec({ name: 'wide.example.com', zones: many, topology: 'private', networkCIDR: '10.0.0.0/16' });
  assert.deepEqual(checkClusterSpec(cluster, instanceGroups), []);
  const { cluster: eight } = buildClusterSpec({ name: 'x.example.com', zones: [...many, 'us-east-1a', 'us-east-1b'], topology: 'public' });
  assert.equal(eight.spec.subnets[0].cidr, '172.20.16.0/20');
});

test("with a DNS zone the API is behind a load balancer unless kops' DNS layout is asked for: nothing of kopsdeck's keeps an A record on the machines current", () => {
  const withZone = (apiDns?: boolean) => buildClusterSpec({ name: 'zone.example.com', zones: ['us-east-1a'], topology: 'public', dnsZone: 'example.com', apiDns }).cluster;
  assert.deepEqual(withZone().spec.api, { loadBalancer: { class: 'Network', type: 'Public' } });
  assert.equal(withZone().spec.dnsZone, 'example.com', 'api.<cluster> is then an alias to the load balancer in that zone');
  assert.deepEqual(withZone(true).spec.api, { dns: {} });
});
