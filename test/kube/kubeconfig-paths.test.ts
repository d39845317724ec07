// Where kubeconfigs are read from and the one file written to, one lookup for
// the client, the cluster-name guess and `export kubeconfig`.
import assert from 'node:assert/strict';
import { delimiter, join } from 'node:path';
import { test } from 'node:test';
import { kubeconfigPaths, kubeconfigWritePath } from '../../src/engine/kube/kubeconfig-paths.js';

const HOME = join('/', 'home', 'alice');

test('KUBECONFIG is split on the path delimiter, empty entries dropped; the first path is written', () => {
  const env = { HOME, KUBECONFIG: ['', '/a/config', '', '/b/config'].join(delimiter) };
  assert.deepEqual(kubeconfigPaths({ env }), ['/a/config', '/b/config']);
  assert.equal(kubeconfigWritePath({ env }), '/a/config');
});

test('without KUBECONFIG, or with nothing but delimiters in it, ~/.kube/config of the given HOME', () => {
  const fallback = join(HOME, '.kube', 'config');
  for (const env of [{ HOME }, { HOME, KUBECONFIG: '' }, { HOME, KUBECONFIG: `${delimiter}${delimiter}` }]) {
    assert.deepEqual(kubeconfigPaths({ env }), [fallback], JSON.stringify(env));
    assert.equal(kubeconfigWritePath({ env }), fallback, JSON.stringify(env));
  }
});

test('an explicit path wins over KUBECONFIG', () => {
  assert.deepEqual(kubeconfigPaths({ kubeconfigPath: '/x/config', env: { HOME, KUBECONFIG: '/a/config' } }), ['/x/config']);
});
