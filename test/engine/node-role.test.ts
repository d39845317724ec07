// A node's ROLES column, as kubectl prints it: every node-role.kubernetes.io/<role>
// label's role, sorted and joined; else the older kubernetes.io/role label.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nodeRoleFromLabels } from '../../src/engine/live-model/node-row.js';
import type { KubeNode } from '../../src/engine/kube/types.js';

const nodeWith = (labels?: Record<string, string>): KubeNode => ({ metadata: { name: 'n', labels } });

test("a node's roles are its node-role labels, sorted and joined, else its kubernetes.io/role label", () => {
  assert.equal(nodeRoleFromLabels(nodeWith({ 'node-role.kubernetes.io/control-plane': '' })), 'control-plane');
  assert.equal(nodeRoleFromLabels(nodeWith({ 'node-role.kubernetes.io/worker': '', 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/role': 'master' })), 'control-plane,worker');
  // A label with no role after the prefix names none.
  assert.equal(nodeRoleFromLabels(nodeWith({ 'node-role.kubernetes.io/': '', 'kubernetes.io/role': 'node' })), 'node');
  assert.equal(nodeRoleFromLabels(nodeWith({ 'kubernetes.io/role': 'master' })), 'master');
  assert.equal(nodeRoleFromLabels(nodeWith({ 'other.io/node-role.kubernetes.io/x': '' })), '');
  assert.equal(nodeRoleFromLabels(nodeWith()), '');
});
