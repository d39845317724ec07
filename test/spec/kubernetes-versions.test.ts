// Kubernetes versions as kops 1.36 takes them: any parsable version from 1.31.0
// to 1.36.x; warnings (not errors) below the channel's recommended patch or on
// a deprecated minor; a stored cluster's version never an error; new clusters
// on the channel's version with the image of each group's architecture; the
// upgrade path one minor at a time to the recommended patch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shippedChannel } from '../../src/engine/channel/load-channel.js';
import { checkUpgrade, proposedUpgrade } from '../../src/engine/rollout/upgrade.js';
import {
  buildClusterSpec,
  checkCluster,
  defaultKubernetesVersion,
  kubernetesVersionError,
  kubernetesVersionWarnings,
  recommendedVersions,
  storedContext,
  checkClusterSpec,
} from '../../src/engine/spec/index.js';

const channel = shippedChannel();
const bundleOn = (kubernetesVersion: string) => buildClusterSpec({ name: 'v.example.com', zones: ['us-east-1a'], topology: 'public', kubernetesVersion });

test('the supported range is 1.31.0 to 1.36.x; outside it, or unparsable, is refused with the range named', () => {
  for (const ok of ['1.31.0', '1.31.4', 'v1.33.1', '1.36.2', '1.36.99']) assert.equal(kubernetesVersionError(ok), null, ok);
  assert.equal(kubernetesVersionError('1.30.14'), 'Kubernetes 1.30.14 is no longer supported; kopsdeck supports 1.31.0 to 1.36.x, as kops 1.36 does');
  assert.equal(kubernetesVersionError('1.37.0'), 'Kubernetes 1.37.0 is not supported yet; kopsdeck supports 1.31.0 to 1.36.x, as kops 1.36 does');
  assert.equal(kubernetesVersionError('2.0.0'), 'Kubernetes 2.0.0 is not supported yet; kopsdeck supports 1.31.0 to 1.36.x, as kops 1.36 does');
  assert.match(kubernetesVersionError('latest')!, /"latest" is not a Kubernetes version like 1\.36\.3/);
  for (const bad of ['1.30.2', '1.37.0']) {
    const errors = checkClusterSpec(bundleOn(bad).cluster, bundleOn(bad).instanceGroups);
    assert.ok(errors.some((e) => e.path === 'spec.kubernetesVersion' && /supports 1\.31\.0 to 1\.36\.x/.test(e.message)), `${bad}: ${JSON.stringify(errors)}`);
  }
});

test('below the recommended patch, or on a deprecated minor, it warns; it does not refuse', () => {
  assert.deepEqual(kubernetesVersionWarnings('1.36.3', channel), []);
  assert.deepEqual(kubernetesVersionWarnings('1.36.2', channel, 'c.example.com'), [
    'Kubernetes 1.36.3 is available and recommended by the stable channel (the cluster asks for 1.36.2); upgrading is recommended (kopsdeck upgrade cluster c.example.com)',
  ]);
  const old = kubernetesVersionWarnings('1.31.4', channel);
  assert.equal(old.length, 2);
  assert.match(old[0], /support for Kubernetes 1\.31 is deprecated \(kops 1\.36 recommends 1\.33\.0 or newer\)/);
  assert.match(old[1], /Kubernetes 1\.31\.14 is available and recommended by the stable channel/);
  assert.deepEqual(kubernetesVersionWarnings('1.34.10', channel), []);
  assert.deepEqual(kubernetesVersionWarnings('1.37.0', channel), [], 'a refused version has its error, not warnings');

  const b = bundleOn('1.31.4');
  const checked = checkCluster(b.cluster, b.instanceGroups, { channel });
  assert.deepEqual(checked.errors, []);
  assert.deepEqual(checked.warnings.map((w) => w.path), ['spec.kubernetesVersion', 'spec.kubernetesVersion']);
  assert.deepEqual(checkClusterSpec(b.cluster, b.instanceGroups), [], 'checkClusterSpec returns the errors only');
});

test("a stored cluster's version is a warning even outside the range; a version being set is checked in full", () => {
  const b = bundleOn('1.30.2');
  const stored = checkCluster(b.cluster, b.instanceGroups, { channel, storedKubernetesVersion: '1.30.2' });
  assert.deepEqual(stored.errors, []);
  assert.match(stored.warnings[0].message, /Kubernetes 1\.30\.2 is no longer supported; kopsdeck supports 1\.31\.0 to 1\.36\.x, as kops 1\.36 does; kopsdeck still reads, validates and rolls the stored cluster/);
  const changed = checkCluster(b.cluster, b.instanceGroups, { channel, storedKubernetesVersion: '1.31.4' });
  assert.equal(changed.errors[0].path, 'spec.kubernetesVersion');
});

test("new clusters get the channel's version for kops 1.36, and the image of each group's architecture", () => {
  assert.equal(defaultKubernetesVersion(), '1.36.3');
  const { cluster, instanceGroups } = buildClusterSpec({ name: 'arm.example.com', zones: ['us-east-1a'], topology: 'public', nodeSize: 'm7g.large' });
  assert.equal(cluster.spec.kubernetesVersion, '1.36.3');
  assert.equal(cluster.spec.channel, 'stable');
  const image = (role: string) => instanceGroups.find((ig) => ig.spec.role === role)!.spec.image;
  assert.equal(image('Node'), '099720109477/ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-arm64-server-20260714', 'm7g is Graviton: arm64');
  assert.equal(image('ControlPlane'), '099720109477/ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20260714', 't3 is amd64');
  const older = buildClusterSpec({ name: 'old.example.com', zones: ['us-east-1a'], topology: 'public', kubernetesVersion: '1.31.14', nodeSize: 't4g.small' });
  assert.equal(older.instanceGroups.find((ig) => ig.spec.role === 'Node')!.spec.image, '099720109477/ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-arm64-server-20260714', 'the channel gives jammy below 1.32');
  assert.deepEqual(checkClusterSpec(older.cluster, older.instanceGroups), []);
  assert.deepEqual(
    recommendedVersions().map((r) => `${r.version}${r.newest ? ' newest' : ''}${r.deprecated ? ' deprecated' : ''}`),
    ['1.36.3 newest', '1.35.7', '1.34.10', '1.33.13', '1.32.13 deprecated', '1.31.14 deprecated'],
  );
});

test('upgrade cluster moves one minor at a time to the recommended patch, never down', () => {
  assert.equal(proposedUpgrade('1.31.4', channel), '1.32.13');
  assert.equal(proposedUpgrade('1.35.7', channel), '1.36.3');
  assert.equal(proposedUpgrade('1.36.2', channel), '1.36.3', 'no minor after 1.36: the recommended patch of this one');
  assert.equal(proposedUpgrade('1.36.3', channel), null);
  assert.equal(proposedUpgrade('1.36.9', channel), null, 'never a downgrade to the recommended patch');
  assert.equal(proposedUpgrade('1.30.5', channel), '1.31.14', 'a stored cluster below the range has a way up');
  assert.deepEqual(checkUpgrade('1.31.4', '1.32.13', channel), { from: '1.31.4', to: '1.32.13', changes: true });
  assert.deepEqual(checkUpgrade('1.32.5', '1.32.99'), { from: '1.32.5', to: '1.32.99', changes: true }, 'any parsable patch in range');
  assert.throws(() => checkUpgrade('1.31.4', '1.33.13', channel), /1\.31 -> 1\.33 skips a minor version; upgrade to 1\.32\.13 first/);
  assert.throws(() => checkUpgrade('1.36.3', '1.36.2', channel), /cannot be downgraded/);
  assert.throws(() => checkUpgrade('1.30.5', '1.30.14', channel), /no longer supported; kopsdeck supports 1\.31\.0 to 1\.36\.x/);
});

test('networking, access lists and regions as kops 1.36 takes them', () => {
  const b = buildClusterSpec({ name: 'net.example.com', zones: ['ap-east-2a', 'ap-east-2b'], topology: 'public', adminAccess: ['pl-0123456789abcdef0', '203.0.113.0/24'] });
  const checked = checkCluster(b.cluster, b.instanceGroups, { region: 'ap-east-2' });
  assert.deepEqual(checked.errors, [], 'a region the built-in table does not list, and a prefix list, are accepted');
  assert.deepEqual(b.cluster.spec.kubernetesApiAccess, ['pl-0123456789abcdef0', '203.0.113.0/24']);
  // Cilium NodePort with kube-proxy left unset is what kops accepts too; explicitly on is refused.
  delete b.cluster.spec.kubeProxy;
  assert.deepEqual(checkClusterSpec(b.cluster, b.instanceGroups), []);
  b.cluster.spec.kubeProxy = {};
  assert.equal(checkClusterSpec(b.cluster, b.instanceGroups)[0].path, 'spec.kubeProxy.enabled');
  // A zone the table does not list in a region it knows: refused when set, a warning when already stored (accounts differ).
  const z = buildClusterSpec({ name: 'z.example.com', zones: ['us-west-1a'], topology: 'public' });
  assert.match(checkClusterSpec(z.cluster, z.instanceGroups)[0].message, /zone us-west-1a does not exist; us-west-1 has us-west-1b, us-west-1c/);
  const zoned = checkCluster(z.cluster, z.instanceGroups, storedContext(z.cluster));
  assert.deepEqual(zoned.errors, []);
  assert.match(zoned.warnings[0].message, /zone us-west-1a is not one kopsdeck knows \(us-west-1 has us-west-1b, us-west-1c\)/);
  z.cluster.spec.sshAccess = ['pl-x', 'somewhere'];
  assert.deepEqual(checkCluster(z.cluster, z.instanceGroups, storedContext(z.cluster)).errors.map((e) => e.path), ['spec.sshAccess[1]'], 'pl- ids pass, other text is still no CIDR');
});
