// Where a control-plane machine keeps etcd's data, run for real: the
// bootstrap script's own functions (bootstrap/kopsdeck-bootstrap.sh, as the
// user-data ships it) under bash, on a temp folder standing in for the
// mounted etcd volume, with the machine's real bootstrap.env and kubeadm
// files.
//
// kubeadm stands in as a script that runs the one preflight check this is
// about, as kubeadm does it (cmd/kubeadm/app/preflight/checks.go,
// DirAvailableCheck, run by `kubeadm init` and by a control-plane
// `kubeadm join`): the etcd data directory must be missing or empty, unless
// the check is named in --ignore-preflight-errors. It looks where the
// kubeadm configuration's etcd.local.dataDir says, under the test's root, so
// a script that prepared another folder would fail it.
//
// A new ext4 file system is not empty: it holds lost+found. Before this
// test, etcd's data was the volume's root, and every control-plane join
// failed that check on a real machine (the script now refuses that layout,
// and the simulator too: test/sim/kubeadm-boot.test.ts).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { bootstrapScript, parseEnvFile, renderUserData } from '../../src/engine/bootstrap/user-data.js';

const skip = spawnSync('sh', ['-c', 'command -v bash']).status === 0 ? false : 'bash is not installed';
const dir = mkdtempSync(join(tmpdir(), 'kopsdeck-etcd-dir-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const script = join(dir, 'kopsdeck-bootstrap');
writeFileSync(script, bootstrapScript(), { mode: 0o755 });

/** kubeadm's DirAvailableCheck of the etcd data directory, for init and control-plane joins; nothing else. */
const fakeKubeadm = join(dir, 'bin', 'kubeadm');
mkdirSync(join(dir, 'bin'));
writeFileSync(
  fakeKubeadm,
  `#!/bin/bash
set -o errexit -o nounset
sub=$1
shift
config='' ignore=''
while [ $# -gt 0 ]; do
  case "$1" in
    --config) config=$2; shift 2 ;;
    --ignore-preflight-errors=*) ignore=\${1#*=}; shift ;;
    *) shift ;;
  esac
done
if [ "$sub" = init ] || grep -q '^controlPlane:' "$config"; then
  data=$FAKE_ETCD_DATA_DIR
  name="DirAvailable-\${data//\\//-}"
  if [ -d "$data" ] && [ -n "$(ls -A "$data")" ] && ! tr ',' '\\n' <<<"$ignore" | grep -qix -e "$name" -e all; then
    echo "[ERROR $name]: $data is not empty" >&2
    exit 1
  fi
  # etcd starts and writes its data.
  mkdir -p "$data/member"
  echo "written by this member" >"$data/member/wal"
fi
echo "kubeadm $sub: preflight passed"
`,
);
chmodSync(fakeKubeadm, 0o755);

/** A control-plane machine's user-data, as kopsdeck writes it. */
const userData = renderUserData({
  cluster: 'c.k8s.local',
  instanceGroup: 'control-plane-a',
  kubernetesVersion: '1.36.3',
  role: 'ControlPlane',
  region: 'us-east-1',
  configBase: 's3://state/c.k8s.local',
  caCertHash: `sha256:${'ab'.repeat(32)}`,
  kubeadm: { apiHost: 'api.c.k8s.local', certSANs: [], podSubnet: '100.96.0.0/11', serviceSubnet: '100.64.0.0/13', nodeLabels: {}, taints: [], skipKubeProxy: false },
});
const files = new Map(
  (parseYaml(userData) as { write_files: { path: string; content: string; encoding?: string }[] }).write_files
    .filter((f) => f.path.startsWith('/etc/kopsdeck/') && !f.encoding)
    .map((f) => [basename(f.path), f.content]),
);
const env = parseEnvFile(files.get('bootstrap.env')!);
/** etcd.local.dataDir of the ClusterConfiguration kubeadm init writes to the cluster (a joining node reads the same). */
const kubeadmDataDir = (parseAllDocuments(files.get('kubeadm-init.yaml')!).map((d) => d.toJS()).find((d) => d.kind === 'ClusterConfiguration') as { etcd: { local: { dataDir: string } } }).etcd.local.dataDir;

interface Machine {
  root: string;
  etc: string;
  /** The mounted etcd volume, under the test's root. */
  volume: string;
}

/** A machine whose / is a temp folder: /etc/kopsdeck from the user-data (etcd paths under the root), and a new etcd volume holding lost+found. */
function newMachine(editEnv: (text: string) => string = (text) => text): Machine {
  const root = mkdtempSync(join(dir, 'machine-'));
  const etc = join(root, 'etc', 'kopsdeck');
  mkdirSync(etc, { recursive: true });
  for (const [name, content] of files) {
    const text = name === 'bootstrap.env' ? editEnv(content).replace(/^(ETCD_[A-Z_]+)=\//gm, `$1=${root}/`) : content;
    writeFileSync(join(etc, name), text, { mode: 0o600 });
  }
  const volume = join(root, env.ETCD_VOLUME_DIR);
  mkdirSync(join(volume, 'lost+found'), { recursive: true });
  return { root, etc, volume };
}

function holdsData(folder: string, text: string): void {
  mkdirSync(join(folder, 'member'), { recursive: true });
  writeFileSync(join(folder, 'member', 'wal'), text);
}

/** Runs `calls` after sourcing the script, with kubeadm's stand-in on PATH; the configuration is the template (no token or address is needed here). */
function run(machine: Machine, calls: string, dataDir = join(machine.root, kubeadmDataDir)) {
  const result = spawnSync('bash', ['-c', `. "$SCRIPT" source-only\nrender_kubeadm_config() { echo "$1"; }\nupgrade_cluster_if_older() { :; }\n${calls}`], {
    encoding: 'utf8',
    env: { PATH: `${join(dir, 'bin')}:${process.env.PATH ?? '/usr/bin:/bin'}`, HOME: dir, SCRIPT: script, KOPSDECK_ETC: machine.etc, FAKE_ETCD_DATA_DIR: dataDir },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

test("kubeadm keeps etcd's data where bootstrap.env says, in a folder of the mounted etcd volume", () => {
  assert.equal(env.ETCD_VOLUME_DIR, '/mnt/etcd');
  assert.equal(env.ETCD_DATA_DIR, '/mnt/etcd/data');
  assert.equal(kubeadmDataDir, env.ETCD_DATA_DIR);
});

/** The former members' data folders the volume keeps, oldest first. */
const formerFolders = (machine: Machine) => readdirSync(machine.volume).filter((name) => name.startsWith('former-member-')).sort();

test("a control-plane join sets a former member's data aside and gives kubeadm an empty data directory; once it has joined, only the newest former copy stays", { skip }, () => {
  const machine = newMachine();
  holdsData(join(machine.volume, 'data'), 'the replaced machine wrote this');
  const joined = run(machine, 'join_control_plane');
  assert.equal(joined.status, 0, joined.stderr);
  assert.equal(joined.stdout, 'kubeadm join: preflight passed\n');
  const [first, ...others] = formerFolders(machine);
  assert.deepEqual(others, []);
  assert.match(first, /^former-member-\d{8}T\d{6}\.\d{9}Z$/);
  assert.equal(joined.stderr, `kopsdeck-bootstrap: the etcd volume holds a former member's data: moving it to ${join(machine.volume, first)} before joining\n`);
  assert.equal(readFileSync(join(machine.volume, first, 'member', 'wal'), 'utf8'), 'the replaced machine wrote this');
  assert.equal(readFileSync(join(machine.volume, 'data', 'member', 'wal'), 'utf8'), 'written by this member\n');
  assert.ok(existsSync(join(machine.volume, 'lost+found')), 'lost+found stays at the root, which kubeadm does not check');

  // A join that fails keeps every copy: the replaced machine's data is not lost to a half-made one.
  const failed = run(machine, 'kubeadm() { echo "kubeadm: the join failed" >&2; return 1; }\njoin_control_plane');
  assert.equal(failed.status, 1);
  assert.equal(formerFolders(machine).length, 2);
  assert.equal(readFileSync(join(machine.volume, first, 'member', 'wal'), 'utf8'), 'the replaced machine wrote this');

  // The next replacement joins: the newest former copy stays, the older ones go.
  holdsData(join(machine.volume, 'data'), 'the second machine wrote this');
  const again = run(machine, 'join_control_plane');
  assert.equal(again.status, 0, again.stderr);
  const kept = formerFolders(machine);
  assert.equal(kept.length, 1);
  assert.equal(readFileSync(join(machine.volume, kept[0], 'member', 'wal'), 'utf8'), 'the second machine wrote this');
});

test("a new volume: nothing to set aside, and the join passes kubeadm's preflight", { skip }, () => {
  const machine = newMachine();
  const joined = run(machine, 'join_control_plane');
  assert.equal(joined.status, 0, joined.stderr);
  assert.equal(joined.stderr, '');
  assert.deepEqual(formerFolders(machine), []);
});

test("kubeadm's stand-in refuses a control-plane join over a former member's data (what the script now avoids)", { skip }, () => {
  const machine = newMachine();
  holdsData(join(machine.volume, 'data'), 'the replaced machine wrote this');
  const refused = run(machine, 'set_aside_former_etcd_data() { :; }\njoin_control_plane');
  const data = join(machine.root, '/mnt/etcd/data');
  assert.equal(refused.status, 1);
  assert.equal(refused.stderr, `[ERROR DirAvailable-${data.replaceAll('/', '-')}]: ${data} is not empty\n`);
});

test('a one-node control plane comes back on the data of its volume: kubeadm init is told to skip the check of that folder', { skip }, () => {
  const machine = newMachine();
  holdsData(join(machine.volume, 'data'), 'the cluster');
  const restored = run(machine, 'init_control_plane');
  assert.equal(restored.status, 0, restored.stderr);
  assert.equal(restored.stdout, 'kubeadm init: preflight passed\n');
  // The first control-plane node, on a new volume: no data folder yet.
  const fresh = run(newMachine(), 'init_control_plane');
  assert.equal(fresh.status, 0, fresh.stderr);
});
