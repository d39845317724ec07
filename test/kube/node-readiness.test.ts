// The one node-readiness rule (kops' pkg/validation IsNodeReady) and the one
// reading of a node's providerID, which the console, validation and the
// rollout all use.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isNodeReady, readinessWord, readyStatus } from '../../src/engine/kube/node-readiness.js';
import { instanceIdOf } from '../../src/engine/kube/provider-id.js';
import type { KubeNode, NodeCondition } from '../../src/engine/kube/types.js';

function nodeWith(conditions: NodeCondition[] | undefined, providerID?: string): KubeNode {
  return { metadata: { name: 'n1' }, spec: { providerID }, status: { conditions } };
}

test('kops readiness: Ready True and NetworkUnavailable absent, False or Unknown; anything else is not ready', () => {
  const cases: [string | undefined, string | undefined, boolean][] = [
    ['True', undefined, true],
    ['True', 'False', true],
    ['True', 'Unknown', true],
    ['True', 'True', false],
    // A status kops cannot read holds the node back, as in kops.
    ['True', '', false],
    ['False', 'False', false],
    ['Unknown', undefined, false],
    [undefined, 'False', false],
  ];
  for (const [ready, network, expected] of cases) {
    const conditions = [
      ...(ready === undefined ? [] : [{ type: 'Ready', status: ready }]),
      ...(network === undefined ? [] : [{ type: 'NetworkUnavailable', status: network }]),
    ];
    assert.equal(isNodeReady(nodeWith(conditions)), expected, `Ready=${ready} NetworkUnavailable=${network}`);
  }
  assert.equal(isNodeReady(nodeWith(undefined)), false, 'no conditions at all');
});

test('the STATUS word: NotReady for a Ready node whose network is unavailable, Unknown only when Ready is unknown', () => {
  assert.equal(readinessWord(nodeWith([{ type: 'Ready', status: 'True' }])), 'Ready');
  assert.equal(readinessWord(nodeWith([{ type: 'Ready', status: 'True' }, { type: 'NetworkUnavailable', status: 'True' }])), 'NotReady');
  assert.equal(readinessWord(nodeWith([{ type: 'Ready', status: 'False' }])), 'NotReady');
  assert.equal(readinessWord(nodeWith([{ type: 'Ready', status: 'Unknown' }])), 'Unknown');
  assert.equal(readinessWord(nodeWith([])), 'Unknown');
  assert.equal(readyStatus(nodeWith([{ type: 'Ready', status: 'True' }, { type: 'NetworkUnavailable', status: 'True' }])), 'True', 'the condition itself, as validation reports it');
});

test('the instance id from a providerID; undefined when it names no EC2 instance', () => {
  assert.equal(instanceIdOf(nodeWith([], 'aws:///us-east-1a/i-0abc123')), 'i-0abc123');
  assert.equal(instanceIdOf(nodeWith([], 'i-0abc123')), 'i-0abc123');
  assert.equal(instanceIdOf(nodeWith([], 'kind://docker/kind/kind-control-plane')), undefined);
  assert.equal(instanceIdOf(nodeWith([], 'aws:///us-east-1a/')), undefined);
  assert.equal(instanceIdOf(nodeWith([])), undefined);
});
