// Kubeconfigs hold credentials. A malformed one is reported by file and
// position, never by quoting it (YAML parsers quote the line they stop at),
// and its credentials go to another machine only over TLS.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKubeClient, KubeConfigError, loadKubeConfig, requireTlsOffThisMachine } from '../../src/engine/kube/client.js';
import { readKubeconfig } from '../../src/commands/kubeconfig-file.js';

const TOKEN = 'sekret-token-0123456789';
const PASSWORD = 'hunter2-password';

function badKubeconfig(): { path: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'kopsdeck-kubeconfig-'));
  const path = join(dir, 'config');
  // The error is on the token's own line (bad indentation), and the next line is unterminated.
  const text = ['apiVersion: v1', 'kind: Config', 'users:', '- name: admin', '  user:', `    password: ${PASSWORD}`, `   token: ${TOKEN} [`, ''].join('\n');
  writeFileSync(path, text, { mode: 0o600 });
  return { path, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

test('the Kubernetes client names the file, not what is in it', async () => {
  const { path, cleanup } = badKubeconfig();
  try {
    await assert.rejects(
      loadKubeConfig({ cluster: 'x.k8s.local', kubeconfigPath: path }),
      (error: Error) => error instanceof KubeConfigError && error.message.includes(path) && !error.message.includes(TOKEN) && !error.message.includes(PASSWORD),
    );
  } finally {
    cleanup();
  }
});

test('export kubeconfig reading a malformed file says where it failed, quoting nothing', () => {
  const { path, cleanup } = badKubeconfig();
  try {
    assert.throws(
      () => readKubeconfig(path),
      (error: Error) => {
        assert.match(error.message, new RegExp(`${path} is not a readable kubeconfig \\(not valid YAML at line \\d+, column \\d+\\); nothing was written\\.`));
        assert.ok(!error.message.includes(TOKEN) && !error.message.includes(PASSWORD), error.message);
        return true;
      },
    );
  } finally {
    cleanup();
  }
});

test('plain http with a token to another machine is refused; this machine and https are not', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kopsdeck-kubeconfig-'));
  try {
    const path = join(dir, 'config');
    const config = (server: string) => JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster: { server, 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'u', user: { token: TOKEN } }],
      contexts: [{ name: 'remote', context: { cluster: 'c', user: 'u' } }],
      'current-context': 'remote',
    });
    for (const server of ['http://10.0.0.5:8080', 'http://api.example.com', 'http://[fd00::1]:6443']) {
      writeFileSync(path, config(server), { mode: 0o600 });
      await assert.rejects(createKubeClient({ context: 'remote', kubeconfigPath: path }), (error: Error) => {
        assert.ok(error instanceof KubeConfigError, String(error));
        assert.match(error.message, /which is not https: kopsdeck sends credentials to an API server on another machine only over TLS/);
        assert.ok(!error.message.includes(TOKEN));
        return true;
      });
    }
    for (const server of ['http://127.0.0.1:4000/k8s/x', 'http://localhost:8080', 'http://[::1]:8080', 'https://api.example.com']) {
      assert.doesNotThrow(() => requireTlsOffThisMachine(server, 'remote'), server);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
