import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeUserData, parseUserDataExports, renderUserData, renderUserDataBase64 } from '../../src/engine/bootstrap/user-data.js';

const CONTRACT = /^export ([A-Z_]+)=["']?([^"'\n]*)["']?$/gm;

test('user-data carries the contract lines the simulator parses', () => {
  const script = renderUserData({ cluster: 'demo.example.com', instanceGroup: 'nodes-a', kubernetesVersion: 'v1.31.2', role: 'Master' });
  assert.ok(script.startsWith('#!/bin/bash\n'));
  const found = Object.fromEntries([...script.matchAll(CONTRACT)].map((m) => [m[1], m[2]]));
  assert.deepEqual(found, {
    CLUSTER_NAME: 'demo.example.com',
    INSTANCE_GROUP: 'nodes-a',
    INSTANCE_GROUP_ROLE: 'ControlPlane',
    KUBERNETES_VERSION: '1.31.2',
  });
  assert.match(script, /kubeadm\/nodeup bootstrap will replace/);
  assert.deepEqual(parseUserDataExports(script), found);
});

test('base64 form round-trips and differs when the version does', () => {
  const input = { cluster: 'c.k8s.local', instanceGroup: 'nodes', kubernetesVersion: '1.30.0', role: 'Node' as const };
  const encoded = renderUserDataBase64(input);
  assert.equal(decodeUserData(encoded), renderUserData(input));
  assert.notEqual(renderUserDataBase64({ ...input, kubernetesVersion: '1.31.0' }), encoded);
});

test('values that would need shell quoting are refused', () => {
  assert.throws(() => renderUserData({ cluster: 'a b', instanceGroup: 'x', kubernetesVersion: '1.30.0', role: 'Node' }), /CLUSTER_NAME/);
  assert.throws(() => renderUserData({ cluster: 'c', instanceGroup: 'x$(rm)', kubernetesVersion: '1.30.0', role: 'Node' }), /INSTANCE_GROUP/);
});
