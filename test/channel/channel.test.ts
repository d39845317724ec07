// The channel file in kops' format: the shipped one parses, its lookups give
// kops' answers (first matching range wins), ranges match as blang/semver's
// do, bad channels are refused with the place of the problem, and a channel
// named by path, file:// URL or http URL is read (or its failure explained).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ChannelError,
  architectureOfMachineType,
  findContainerd,
  findImage,
  loadChannel,
  newClusterKubernetesVersion,
  packageRoot,
  parseChannel,
  parseSemver,
  releaseFor,
  parseVersionRange,
  rangeIncludes,
  recommendedKubernetesVersion,
  requiredKubernetesVersion,
  resolveChannel,
  shippedChannel,
  shippedChannelPath,
  VersionRangeError,
  findNetworkAddon,
} from '../../src/engine/channel/index.js';
import { tempDir } from '../helpers/temp-dir.js';

const includes = (range: string, version: string) => rangeIncludes(parseVersionRange(range), parseSemver(version)!);

test('the shipped channel parses: AWS images, Kubernetes 1.31 to 1.36, the version for kops 1.36', () => {
  const channel = shippedChannel();
  assert.equal(channel.location, 'stable');
  assert.ok(channel.images.length >= 4);
  assert.ok(channel.images.every((i) => i.providerID === 'aws'));
  assert.deepEqual(
    channel.kubernetesVersions.map((k) => k.range?.text),
    ['>=1.36.0', '>=1.35.0', '>=1.34.0', '>=1.33.0', '>=1.32.0', '>=1.31.0'],
  );
  assert.equal(newClusterKubernetesVersion(channel), '1.36.3');
  assert.equal(newClusterKubernetesVersion(channel, '1.35.1'), null, 'the shipped file keeps only kops 1.36');
  assert.match(readFileSync(shippedChannelPath(), 'utf8'), /^kind: Channel$/m);
});

test('recommended and required versions: the first range holding the version applies', () => {
  const channel = shippedChannel();
  assert.equal(recommendedKubernetesVersion(channel, '1.31.4'), '1.31.14');
  assert.equal(requiredKubernetesVersion(channel, '1.31.4'), '1.31.0');
  assert.equal(recommendedKubernetesVersion(channel, 'v1.36.2'), '1.36.3');
  assert.equal(recommendedKubernetesVersion(channel, '1.33.0'), '1.33.13');
  assert.equal(recommendedKubernetesVersion(channel, '1.30.5'), null, 'no entry below 1.31');
  assert.equal(recommendedKubernetesVersion(channel, 'latest'), null);
});

test('ranges: spaces mean and, || means or, pre-releases sort before their release', () => {
  assert.ok(includes('>=1.32.0 <1.33.0', '1.32.13'));
  assert.ok(!includes('>=1.32.0 <1.33.0', '1.33.0'));
  assert.ok(!includes('>=1.32.0 <1.33.0', '1.31.14'));
  assert.ok(includes('>=1.36.0-alpha.1', '1.36.2'));
  assert.ok(includes('>=1.36.0-alpha.1', '1.36.0-beta.1'));
  assert.ok(!includes('>=1.36.0-alpha.1', '1.36.0-alpha.0'));
  assert.ok(!includes('>=1.36.0-alpha.1', '1.35.9'));
  assert.ok(includes('<1.16.0-alpha.1', '1.15.12'));
  assert.ok(includes('<1.32.0', '1.32.0-rc.1'), 'a pre-release is below its release');
  assert.ok(includes('>=1.30.0 <1.31.0 || >=1.33.0', '1.34.1'));
  assert.ok(!includes('>=1.30.0 <1.31.0 || >=1.33.0', '1.32.1'));
  assert.ok(includes('1.31.4', '1.31.4') && includes('=1.31.4', '1.31.4') && includes('!=1.31.4', '1.31.5'));
  assert.ok(includes('>= 1.32.0', '1.32.0'), 'a space after the operator is allowed');
  assert.throws(() => parseVersionRange('>=1.32'), (e: unknown) => e instanceof VersionRangeError && /">=1\.32" in range ">=1\.32" is not a comparison/.test(e.message));
  assert.throws(() => parseVersionRange(''), /the range is empty/);
  assert.throws(() => parseVersionRange('>=1.30.0 ||'), /empty alternative/);
});

test('images by architecture and Kubernetes version; the architecture follows the machine type', () => {
  const channel = shippedChannel();
  assert.equal(findImage(channel, 'aws', 'arm64', '1.36.3')?.name, '099720109477/ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-arm64-server-20260714');
  assert.equal(findImage(channel, 'aws', 'amd64', '1.36.3')?.name, '099720109477/ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20260714');
  assert.equal(findImage(channel, 'aws', 'amd64', '1.31.9')?.name, '099720109477/ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20260714');
  assert.equal(findImage(channel, 'gce', 'amd64', '1.36.3'), null);
  for (const arm of ['t4g.medium', 'm6g.large', 'm6gd.xlarge', 'm7g.large', 'c7gn.2xlarge', 'r8g.large', 'x2gd.large', 'im4gn.large', 'is4gen.large', 'g5g.xlarge', 'hpc7g.4xlarge', 'a1.large']) {
    assert.equal(architectureOfMachineType(arm), 'arm64', arm);
  }
  for (const x86 of ['t3.medium', 'm6i.large', 'c7i-flex.large', 'g4dn.xlarge', 'p4d.24xlarge', 'r5dn.large', 'z1d.large', 'inf2.xlarge', 'm5zn.large', 'g6e.xlarge', 'mac1.metal']) {
    assert.equal(architectureOfMachineType(x86), 'amd64', x86);
  }
});

test('a bad channel is refused, naming the channel and where the problem is', () => {
  assert.throws(() => parseChannel('spec: [unclosed', 'mine'), (e: unknown) => e instanceof ChannelError && /channel "mine" could not be read: it is not valid YAML/.test(e.message));
  assert.throws(() => parseChannel('kind: Cluster\nspec: {}\n', 'mine'), /kind: is "Cluster", expected Channel/);
  assert.throws(() => parseChannel('kind: Channel\n', 'mine'), /it has no spec mapping/);
  const bad = 'spec:\n  kubernetesVersions:\n  - range: ">=1.36.0"\n    recommendedVersion: 1.36.3\n  - range: "around 1.35"\n    recommendedVersion: soon\n  images:\n  - providerID: aws\n';
  assert.throws(
    () => parseChannel(bad, 'mine'),
    (e: unknown) =>
      e instanceof ChannelError &&
      /spec\.images\[0\]\.name: is required/.test(e.message) &&
      /spec\.kubernetesVersions\[1\]\.range: "around" in range "around 1\.35" is not a comparison/.test(e.message) &&
      /spec\.kubernetesVersions\[1\]\.recommendedVersion: "soon" is not a version/.test(e.message),
  );
  // kops' own channel files have no kind; they are channels all the same.
  assert.equal(parseChannel('spec:\n  kopsVersions:\n  - range: ">=1.36.0-alpha.1"\n    kubernetesVersion: 1.36.3\n', 'kops').kopsVersions.length, 1);
});

test('spec.channel names: stable is shipped, paths and file:// URLs are files, other names are kops\' GitHub channels', () => {
  assert.deepEqual(resolveChannel(undefined), { kind: 'shipped' });
  assert.deepEqual(resolveChannel('stable'), { kind: 'shipped' });
  assert.deepEqual(resolveChannel('none'), { kind: 'none' });
  assert.deepEqual(resolveChannel('/etc/kops/channel'), { kind: 'file', path: '/etc/kops/channel' });
  assert.deepEqual(resolveChannel('file:///etc/kops/channel'), { kind: 'file', path: '/etc/kops/channel' });
  assert.deepEqual(resolveChannel('https://example.com/c'), { kind: 'url', url: 'https://example.com/c' });
  assert.deepEqual(resolveChannel('alpha'), { kind: 'url', url: 'https://raw.githubusercontent.com/kubernetes/kops/master/channels/alpha' });
});

test('a channel is read from a file, a file:// URL or over HTTP; a failure says which channel and why', async () => {
  const dir = tempDir('kopsdeck-channel-');
  const text = readFileSync(shippedChannelPath(), 'utf8').replace('recommendedVersion: 1.36.3', 'recommendedVersion: 1.36.4');
  const file = join(dir, 'custom');
  writeFileSync(file, text);
  assert.equal(recommendedKubernetesVersion(await loadChannel(file), '1.36.2'), '1.36.4');
  assert.equal(recommendedKubernetesVersion(await loadChannel(pathToFileURL(file).toString()), '1.36.2'), '1.36.4');
  await assert.rejects(loadChannel(join(dir, 'missing')), (e: unknown) => e instanceof ChannelError && /channel ".*missing" could not be read: cannot read .*missing \(ENOENT/.test(e.message));
  assert.equal((await loadChannel('none')).kubernetesVersions.length, 0);

  const server = createServer((req, res) => {
    if (req.url === '/channels/custom') res.end(text);
    else res.writeHead(404, 'Not Found').end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    assert.equal(recommendedKubernetesVersion(await loadChannel(`${base}/channels/custom`), '1.36.2'), '1.36.4');
    await assert.rejects(loadChannel(`${base}/channels/gone`), (e: unknown) => e instanceof ChannelError && e.message === `channel "${base}/channels/gone" could not be read: GET ${base}/channels/gone answered 404 Not Found`);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
  await assert.rejects(loadChannel(`${base}/channels/custom`), (e: unknown) => e instanceof ChannelError && /GET .* failed/.test(e.message), 'a server that is gone');
});

test('the channel file is found from src (tsx) and from a compiled dist/ alike: both sit under the package root', () => {
  const root = packageRoot();
  assert.ok(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).name === 'kopsdeck');
  assert.equal(packageRoot(join(root, 'dist', 'engine', 'channel', 'load-channel.js')), root);
  assert.equal(packageRoot(join(root, 'src', 'engine', 'channel', 'load-channel.ts')), root);
  assert.equal(shippedChannelPath(), join(root, 'channels', 'stable'));
});

test("the shipped channel pins each networking's add-on (kops 1.36's versions); a kops channel without pins falls back to them", () => {
  const shipped = shippedChannel();
  const pinned = Object.fromEntries(['cilium', 'calico', 'flannel', 'amazonvpc', 'kindnet'].map((name) => [name, findNetworkAddon(shipped, shipped, name, '1.36.3')?.version]));
  assert.deepEqual(pinned, { cilium: '1.18.12', calico: 'v3.31.6', flannel: 'v0.28.9', amazonvpc: 'v1.23.0', kindnet: 'v1.0.1' });
  assert.equal(findNetworkAddon(shipped, shipped, 'cilium', '1.36.3')?.chart, 'https://helm.cilium.io/cilium-1.18.12.tgz');
  assert.equal(findNetworkAddon(shipped, shipped, 'weave', '1.36.3'), null);
  const kops = parseChannel('apiVersion: kops.k8s.io/v1alpha2\nkind: Channel\nspec:\n  images: []\n', 'kops');
  assert.equal(kops.networking, undefined);
  assert.equal(findNetworkAddon(kops, shipped, 'calico', '1.35.0')?.version, 'v3.31.6');
});

test('a network add-on must name exactly one of a manifest and a chart, by https URL, and a chart needs helm', () => {
  const channel = (entry: string) => () => parseChannel(`kind: Channel\nspec:\n  networking:\n    - ${entry}\n`, 'mine');
  assert.throws(channel('{ name: calico, version: v1, manifest: "https://x/a.yaml", chart: "https://x/c.tgz", helm: "https://x/h" }'), /spec\.networking\[0\]: set exactly one of manifest and chart/);
  assert.throws(channel('{ name: calico, version: v1 }'), /set exactly one of manifest and chart/);
  assert.throws(channel('{ name: cilium, version: v1, chart: "https://x/c.tgz" }'), /spec\.networking\[0\]\.helm: is required with a chart/);
  assert.throws(channel('{ name: calico, version: v1, manifest: "http://x/a.yaml" }'), /spec\.networking\[0\]\.manifest: must be an https URL/);
  assert.equal(parseChannel('kind: Channel\nspec:\n  networking:\n    - { name: calico, version: v9, manifest: "https://x/a.yaml" }\n', 'mine').networking![0].version, 'v9');
});

test("the shipped channel pins kops 1.36.2's containerd and runc per Kubernetes version, with a SHA-256 per architecture; a kops channel without pins falls back to them", () => {
  const shipped = shippedChannel();
  const pin = findContainerd(shipped, shipped, '1.36.3')!;
  assert.deepEqual(releaseFor(pin, 'arm64'), {
    version: '2.2.4',
    url: 'https://github.com/containerd/containerd/releases/download/v2.2.4/containerd-2.2.4-linux-arm64.tar.gz',
    sha256: 'd0897c8e27c96a7b7d4c73e9b278ea9f559dda619d497d88b323a528bd1412c3',
  });
  assert.deepEqual(releaseFor(pin.runc, 'amd64'), {
    version: '1.3.5',
    url: 'https://github.com/opencontainers/runc/releases/download/v1.3.5/runc.amd64',
    sha256: '66fa8390be8fb3b23dfbb60c767368bb5b51f1acfa88692bbff1a82953d4d9e9',
  });
  assert.equal(findContainerd(shipped, shipped, '1.32.0')?.version, '2.2.4');
  assert.equal(findContainerd(shipped, shipped, '1.31.14')?.version, '1.7.32', 'containerd 1.7 below Kubernetes 1.32, as kops');
  assert.equal(findContainerd(shipped, shipped, '1.30.0'), null, 'no pin below the channel\'s Kubernetes versions');
  const kops = parseChannel('apiVersion: kops.k8s.io/v1alpha2\nkind: Channel\nspec:\n  images: []\n', 'kops');
  assert.equal(findContainerd(kops, shipped, '1.35.0')?.version, '2.2.4');
});

test('a containerd pin needs a version, an https URL with @ARCH@ and a 64-digit SHA-256 per architecture, and its runc the same', () => {
  const sum = 'a'.repeat(64);
  const runc = `runc: { version: "1.3.5", url: "https://x/runc.@ARCH@", sha256: { amd64: "${sum}" } }`;
  const channel = (entry: string) => () => parseChannel(`kind: Channel\nspec:\n  containerd:\n    - ${entry}\n`, 'mine');
  assert.throws(channel(`{ version: "2.2.4", url: "https://x/containerd.tar.gz", sha256: { amd64: "${sum}" }, ${runc} }`), /spec\.containerd\[0\]\.url: must hold @ARCH@/);
  assert.throws(channel(`{ version: "2.2.4", url: "https://x/c-@ARCH@.tgz", sha256: { amd64: "ABC" }, ${runc} }`), /spec\.containerd\[0\]\.sha256\.amd64: must be 64 lowercase hex digits/);
  assert.throws(channel(`{ version: "2.2.4", url: "https://x/c-@ARCH@.tgz", sha256: { riscv64: "${sum}" }, ${runc} }`), /spec\.containerd\[0\]\.sha256\.riscv64: is not an architecture/);
  assert.throws(channel(`{ version: "2.2.4", url: "https://x/c-@ARCH@.tgz", sha256: { amd64: "${sum}" } }`), /spec\.containerd\[0\]\.runc: is required/);
  assert.throws(channel(`{ url: "https://x/c-@ARCH@.tgz", sha256: { amd64: "${sum}" }, runc: { version: "1", url: "http://x/runc.@ARCH@", sha256: { amd64: "${sum}" } } }`), /spec\.containerd\[0\]\.version: is required; spec\.containerd\[0\]\.runc\.url: must be an https URL/);
  const pin = parseChannel(`kind: Channel\nspec:\n  containerd:\n    - { version: "2.9.0", url: "https://x/c-@ARCH@.tgz", sha256: { amd64: "${sum}" }, ${runc} }\n`, 'mine').containerd![0];
  assert.equal(releaseFor(pin, 'amd64')?.url, 'https://x/c-amd64.tgz');
  assert.equal(releaseFor(pin, 'arm64'), null, 'no sum for arm64: nothing to install there');
});
