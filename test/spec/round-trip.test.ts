import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  applySetting,
  parseCluster,
  parseClusterFile,
  parseInstanceGroup,
  serialiseCluster,
  serialiseClusterFile,
  serialiseInstanceGroup,
  checkClusterSpec,
} from '../../src/engine/spec/index.js';

const fixture = readFileSync(fileURLToPath(new URL('./fixtures/kops-cluster.yaml', import.meta.url)), 'utf8');

function parsedFixture() {
  const result = parseClusterFile(fixture);
  assert.ok(result.ok, `fixture should parse: ${JSON.stringify(!result.ok && result.errors)}`);
  return result.value;
}

test('a kops-style file written back is byte-for-byte the same', () => {
  assert.equal(serialiseClusterFile(parsedFixture()), fixture);
});

test('fields kopsdeck does not model survive a read-modify-write', () => {
  const bundle = parsedFixture();
  const changed = applySetting(bundle.cluster, 'spec.kubernetesVersion=1.32.5');
  assert.ok(changed.ok);
  const again = parseCluster(serialiseCluster(changed.value));
  assert.ok(again.ok);
  const spec = again.value.spec as Record<string, any>;
  assert.equal(spec.kubernetesVersion, '1.32.5');
  assert.equal(again.value.metadata.creationTimestamp, '2025-03-14T09:26:53Z');
  assert.equal(again.value.metadata.generation, 3);
  assert.deepEqual(spec.kubeAPIServer, {
    auditLogMaxAge: 10,
    auditLogPath: '/var/log/kube-apiserver-audit.log',
    featureGates: { InPlacePodVerticalScaling: 'true' },
    oidcClientID: 'kubernetes',
    oidcIssuerURL: 'https://sso.example.com',
  });
  assert.deepEqual(spec.iam, { allowContainerRegistry: true, legacy: false, useServiceAccountExternalPermissions: true });
  assert.match(spec.additionalPolicies.node, /"Resource": \["arn:aws:s3:::acme-artifacts\/\*"\]\n/);
  assert.equal(spec.etcdClusters[0].etcdMembers[0].volumeType, 'gp3');
  assert.equal(spec.etcdClusters[0].manager.env[0].value, 'http://0.0.0.0:8081');
  assert.equal(spec.api.loadBalancer.crossZoneLoadBalancing, true);
  // Everything except the edited field is exactly as it was.
  const before = structuredClone(bundle.cluster) as Record<string, any>;
  before.spec.kubernetesVersion = '1.32.5';
  assert.deepEqual(again.value, before);
});

test('instance group extras (mixedInstancesPolicy, taints, user data) survive', () => {
  const nodes = parsedFixture().instanceGroups.find((ig) => ig.metadata.name === 'nodes-eu-west-1a')!;
  const again = parseInstanceGroup(serialiseInstanceGroup(nodes));
  assert.ok(again.ok);
  assert.deepEqual(again.value, nodes);
  const spec = again.value.spec as Record<string, any>;
  assert.deepEqual(spec.mixedInstancesPolicy.instances, ['m6i.xlarge', 'm5.xlarge']);
  assert.deepEqual(spec.taints, ['dedicated=general:NoSchedule']);
  assert.equal(spec.cloudLabels['k8s.io/cluster-autoscaler/enabled'], '');
  assert.equal(spec.additionalUserData[0].content, '#!/bin/sh\necho "hello from user data"\n');
});

test('the realistic fixture validates clean (Master is accepted as a control-plane role)', () => {
  const { cluster, instanceGroups } = parsedFixture();
  assert.deepEqual(checkClusterSpec(cluster, instanceGroups), []);
  assert.equal(instanceGroups.length, 5);
});

test('strings that YAML 1.1 would misread are quoted on output', () => {
  const bundle = parsedFixture();
  const withYes = applySetting(bundle.cluster, 'spec.cloudLabels.team=yes');
  assert.ok(withYes.ok);
  const text = serialiseCluster(withYes.value);
  assert.match(text, /team: "yes"/);
  assert.match(text, /creationTimestamp: "2025-03-14T09:26:53Z"/);
});

test('the file parser reports which document is wrong', () => {
  const broken = fixture.replace('  maxSize: 6\n', '  maxSize: lots\n');
  const result = parseClusterFile(broken);
  assert.ok(!result.ok);
  assert.deepEqual(result.errors.map((e) => e.path), ['documents[5].spec.maxSize']);
  assert.match(result.errors[0].message, /whole number/);
});

test('the file parser wants exactly one Cluster and only known kinds', () => {
  const igOnly = fixture.slice(fixture.indexOf('---\n') + 4);
  const noCluster = parseClusterFile(igOnly);
  assert.ok(!noCluster.ok);
  assert.match(noCluster.errors[0].message, /exactly one Cluster/);
  const other = parseClusterFile('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n');
  assert.ok(!other.ok);
  assert.equal(other.errors[0].path, 'documents[0]');
  assert.match(other.errors[0].message, /expected Cluster or InstanceGroup/);
});

test('YAML syntax errors come back as errors with a line number', () => {
  const result = parseCluster('apiVersion: kops.k8s.io/v1alpha2\nkind: Cluster\nspec: [unclosed\n');
  assert.ok(!result.ok);
  assert.match(result.errors[0].message, /YAML syntax error: .*line \d+/);
  const dup = parseCluster('kind: Cluster\nkind: Cluster\n');
  assert.ok(!dup.ok);
  assert.match(dup.errors[0].message, /unique/);
});
