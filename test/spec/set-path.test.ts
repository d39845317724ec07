import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applySetting, applySettings, buildClusterSpec } from '../../src/engine/spec/index.js';

const base = () => buildClusterSpec({ name: 'demo.example.com', zones: ['us-east-1a', 'us-east-1b'], topology: 'public' });

test('sets a dotted path, keeping text as text', () => {
  const { cluster } = base();
  const result = applySetting(cluster, 'spec.kubernetesVersion=1.31.9');
  assert.ok(result.ok);
  assert.equal(result.value.spec.kubernetesVersion, '1.31.9');
  assert.notEqual(cluster.spec.kubernetesVersion, '1.31.9', 'the input is not modified');
});

test('array indexes, numbers and booleans', () => {
  const { cluster, instanceGroups } = base();
  const cidr = applySetting(cluster, 'spec.subnets[1].cidr=172.20.128.0/19');
  assert.ok(cidr.ok);
  assert.equal(cidr.value.spec.subnets[1].cidr, '172.20.128.0/19');
  const sized = applySettings(instanceGroups[1], ['spec.minSize=3', 'spec.maxSize=5', 'spec.rollingUpdate.drainAndTerminate=false']);
  assert.ok(sized.ok);
  assert.equal(sized.value.spec.minSize, 3);
  assert.equal(sized.value.spec.maxSize, 5);
  assert.equal(sized.value.spec.rollingUpdate?.drainAndTerminate, false);
});

test('a list field takes comma-separated values', () => {
  const result = applySetting(base().cluster, 'spec.sshAccess=10.0.0.0/8, 192.168.0.0/16');
  assert.ok(result.ok);
  assert.deepEqual(result.value.spec.sshAccess, ['10.0.0.0/8', '192.168.0.0/16']);
});

test('missing parents are created; appending at the end of a list is allowed', () => {
  const result = applySetting(base().cluster, 'spec.kubeAPIServer.featureGates.Foo=true');
  assert.ok(result.ok);
  assert.deepEqual((result.value.spec as any).kubeAPIServer, { featureGates: { Foo: true } });
  const appended = applySetting(base().cluster, 'spec.sshAccess[2]=10.0.0.0/8');
  assert.ok(appended.ok);
  assert.equal(appended.value.spec.sshAccess[2], '10.0.0.0/8');
});

test('bad settings come back as errors', () => {
  const { cluster } = base();
  const cases: [string, RegExp][] = [
    ['spec.kubernetesVersion', /write path=value/],
    ['=1', /write path=value/],
    ['spec..x=1', /not a field path/],
    ['spec.subnets[9].cidr=x', /index 9 is out of range; the list has 2 items/],
    ['spec.kubernetesVersion.major=1', /holds string/],
    ['spec.__proto__.x=1', /cannot be set/],
    ['[0]=1', /not a field path/],
  ];
  for (const [setting, message] of cases) {
    const result = applySetting(cluster, setting);
    assert.ok(!result.ok, setting);
    assert.match(result.errors[0].message, message, setting);
  }
  assert.equal(({} as any).x, undefined);
});
