// A malformed kubeconfig is reported by file and position, never by quoting
// it: its lines hold tokens, passwords and keys (YAML parsers quote the line
// they stop at).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfigError, loadKubeConfig } from '../../src/engine/kube/client.js';
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

test('the Kubernetes client names the file, not what is in it', () => {
  const { path, cleanup } = badKubeconfig();
  try {
    assert.throws(
      () => loadKubeConfig({ cluster: 'x.k8s.local', kubeconfigPath: path }),
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
