// The container runtime a machine installs, run for real: the bootstrap
// script's install_containerd (bootstrap/kopsdeck-bootstrap.sh, as the
// user-data ships it) under bash with curl, sha256sum and tar, downloading
// from a server on 127.0.0.1 that stands in for the containerd and runc
// release pages. The release files are stand-ins too (a tar.gz with bin/,
// as containerd's releases have, and a runc file), with their real SHA-256
// in bootstrap.env, as the channel pins the real ones'. Everything is
// installed under a temp folder (SYSTEM_ROOT); systemctl is a stub that
// records its calls.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { bootstrapScript, renderUserData } from '../../src/engine/bootstrap/user-data.js';

const has = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
const missing = ['bash', 'curl', 'sha256sum', 'tar', 'python3'].filter((tool) => !has(tool));
const skip = missing.length ? `${missing.join(', ')} not installed` : false;

const dir = mkdtempSync(join(tmpdir(), 'kopsdeck-runtime-'));
const script = join(dir, 'kopsdeck-bootstrap');
writeFileSync(script, bootstrapScript(), { mode: 0o755 });

/** The release files the stand-in server serves, by path. */
const files = new Map<string, Buffer>();
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
let server: Server;
let base: string;

before(async () => {
  if (skip) return;
  const release = join(dir, 'release');
  mkdirSync(join(release, 'bin'), { recursive: true });
  for (const tool of ['containerd', 'containerd-shim-runc-v2', 'ctr']) writeFileSync(join(release, 'bin', tool), `#!/bin/sh\necho ${tool}\n`, { mode: 0o755 });
  const tarred = spawnSync('tar', ['-czf', join(dir, 'containerd.tar.gz'), '-C', release, 'bin']);
  assert.equal(tarred.status, 0, String(tarred.stderr));
  files.set('/containerd-2.2.4-linux-amd64.tar.gz', readFileSync(join(dir, 'containerd.tar.gz')));
  files.set('/runc.amd64', Buffer.from('#!/bin/sh\necho runc\n'));
  server = createServer((req, res) => {
    const body = files.get(req.url ?? '');
    if (!body) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  if (server) await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

/** A worker's /etc/kopsdeck, its runtime named as the channel would name it, at the stand-in server. */
function etcFor(sums: { containerd?: string; runc?: string } = {}, containerdVersion = '2.2.4'): string {
  const etc = mkdtempSync(join(dir, 'etc-'));
  const text = renderUserData({
    cluster: 'c.k8s.local',
    instanceGroup: 'nodes',
    kubernetesVersion: '1.36.3',
    role: 'Node',
    region: 'us-east-1',
    configBase: 's3://state/c.k8s.local',
    caCertHash: `sha256:${'ab'.repeat(32)}`,
    containerRuntime: {
      containerd: { version: containerdVersion, url: `${base}/containerd-2.2.4-linux-amd64.tar.gz`, sha256: sums.containerd ?? sha256(files.get('/containerd-2.2.4-linux-amd64.tar.gz')!) },
      runc: { version: '1.3.5', url: `${base}/runc.amd64`, sha256: sums.runc ?? sha256(files.get('/runc.amd64')!) },
    },
    kubeadm: { apiHost: 'api.c.k8s.local', certSANs: [], podSubnet: '100.96.0.0/11', serviceSubnet: '100.64.0.0/13', nodeLabels: {}, taints: [], skipKubeProxy: false },
  });
  for (const file of (parseYaml(text) as { write_files: { path: string; content: string; encoding?: string }[] }).write_files) {
    if (file.path.startsWith('/etc/kopsdeck/') && !file.encoding) writeFileSync(join(etc, basename(file.path)), file.content);
  }
  return etc;
}

interface Installed {
  status: number | null;
  stderr: string;
  root: string;
  work: string;
  systemctl: string;
}

/** install_containerd on a fresh machine root, asynchronously: the stand-in server answers from this process. */
function install(etc: string): Promise<Installed> {
  const root = mkdtempSync(join(dir, 'root-'));
  const work = join(root, 'run', 'kopsdeck');
  mkdirSync(work, { recursive: true, mode: 0o700 });
  const calls = join(root, 'systemctl.log');
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', `. "$SCRIPT" source-only\nsystemctl() { echo "systemctl $*" >>"$CALLS"; }\ninstall_containerd`], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, SCRIPT: script, KOPSDECK_ETC: etc, SYSTEM_ROOT: root, WORK_DIR: work, CALLS: calls },
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stderr, root, work, systemctl: existsSync(calls) ? readFileSync(calls, 'utf8') : '' }));
  });
}

test('install_containerd installs the pinned containerd and runc, configures the systemd cgroup, and starts containerd', { skip }, async () => {
  const done = await install(etcFor());
  assert.equal(done.status, 0, done.stderr);
  assert.equal(done.stderr, 'kopsdeck-bootstrap: installing containerd 2.2.4 and runc 1.3.5\n');
  for (const tool of ['containerd', 'containerd-shim-runc-v2', 'ctr']) {
    assert.equal(readFileSync(join(done.root, 'usr/local/bin', tool), 'utf8'), `#!/bin/sh\necho ${tool}\n`, `the release's bin/${tool}`);
  }
  const runc = join(done.root, 'usr/local/sbin/runc');
  assert.equal(readFileSync(runc, 'utf8'), '#!/bin/sh\necho runc\n');
  assert.equal(statSync(runc).mode & 0o777, 0o755);
  assert.equal(done.systemctl, 'systemctl daemon-reload\nsystemctl enable --now containerd\n');

  // The configuration as containerd 2 reads it (TOML, version 3), parsed by Python's tomllib.
  const parsed = spawnSync('python3', ['-c', 'import json, sys, tomllib; print(json.dumps(tomllib.load(open(sys.argv[1], "rb"))))', join(done.root, 'etc/containerd/config.toml')], { encoding: 'utf8' });
  assert.equal(parsed.status, 0, parsed.stderr);
  const config = JSON.parse(parsed.stdout) as { version: number; plugins: Record<string, { containerd: { default_runtime_name: string; runtimes: { runc: { runtime_type: string; options: Record<string, unknown> } } } }> };
  assert.equal(config.version, 3);
  const cri = config.plugins['io.containerd.cri.v1.runtime'].containerd;
  assert.equal(cri.default_runtime_name, 'runc');
  assert.equal(cri.runtimes.runc.runtime_type, 'io.containerd.runc.v2');
  assert.deepEqual(cri.runtimes.runc.options, { BinaryName: '/usr/local/sbin/runc', SystemdCgroup: true });
  assert.ok(existsSync(join(done.root, String(cri.runtimes.runc.options.BinaryName))), 'the runc it names is the one installed');

  const unit = readFileSync(join(done.root, 'etc/systemd/system/containerd.service'), 'utf8');
  const execStart = /^ExecStart=(\S+)$/m.exec(unit)?.[1];
  assert.equal(execStart, '/usr/local/bin/containerd');
  assert.ok(existsSync(join(done.root, execStart!)), 'the unit starts the containerd installed');
  assert.match(unit, /^Type=notify$/m);
  assert.match(unit, /^Delegate=yes$/m);
  assert.equal(readFileSync(join(done.root, 'etc/crictl.yaml'), 'utf8'), 'runtime-endpoint: unix:///run/containerd/containerd.sock\n', 'crictl, which the upkeep runs etcdctl through, talks to this containerd');
});

test('containerd 1.7 (kops\' pin below Kubernetes 1.32) gets version 2 of the configuration, with the same runtime settings', { skip }, async () => {
  const done = await install(etcFor({}, '1.7.32'));
  assert.equal(done.status, 0, done.stderr);
  const parsed = spawnSync('python3', ['-c', 'import json, sys, tomllib; print(json.dumps(tomllib.load(open(sys.argv[1], "rb"))))', join(done.root, 'etc/containerd/config.toml')], { encoding: 'utf8' });
  assert.equal(parsed.status, 0, parsed.stderr);
  const config = JSON.parse(parsed.stdout) as { version: number; plugins: Record<string, { containerd: { default_runtime_name: string; runtimes: { runc: { runtime_type: string; options: Record<string, unknown> } } } }> };
  assert.equal(config.version, 2);
  assert.deepEqual(Object.keys(config.plugins), ['io.containerd.grpc.v1.cri']);
  const runc = config.plugins['io.containerd.grpc.v1.cri'].containerd.runtimes.runc;
  assert.equal(runc.runtime_type, 'io.containerd.runc.v2');
  assert.deepEqual(runc.options, { BinaryName: '/usr/local/sbin/runc', SystemdCgroup: true });
});

test('install_containerd refuses a release file whose SHA-256 is not the pinned one, and installs nothing', { skip }, async () => {
  const wrong = 'b'.repeat(64);
  const refused = await install(etcFor({ runc: wrong }));
  assert.equal(refused.status, 1);
  const found = sha256(files.get('/runc.amd64')!);
  assert.equal(
    refused.stderr,
    'kopsdeck-bootstrap: installing containerd 2.2.4 and runc 1.3.5\n' + `kopsdeck-bootstrap: ${base}/runc.amd64 has SHA-256 ${found}, not the ${wrong} kopsdeck's channel pins: refusing to install it\n`,
  );
  assert.ok(!existsSync(join(refused.root, 'usr/local')), 'nothing is installed');
  assert.ok(!existsSync(join(refused.work, 'runc')), 'the refused file is not kept');
  assert.equal(refused.systemctl, '');
});

test('install_containerd stops on a release file it cannot download', { skip }, async () => {
  const etc = etcFor();
  writeFileSync(join(etc, 'bootstrap.env'), readFileSync(join(etc, 'bootstrap.env'), 'utf8').replace(/containerd-2\.2\.4-linux-amd64/, 'containerd-9.9.9-linux-amd64'));
  const failed = await install(etc);
  assert.equal(failed.status, 1);
  assert.match(failed.stderr, /kopsdeck-bootstrap: could not download http:\/\/127\.0\.0\.1:\d+\/containerd-9\.9\.9-linux-amd64\.tar\.gz\n$/);
  assert.ok(!existsSync(join(failed.root, 'usr/local')));
});
