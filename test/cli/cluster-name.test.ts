// How every command finds its cluster, as kops does (cmd/kops/root.go): the
// argument, --name, KOPS_CLUSTER_NAME, else the cluster of the kubeconfig's
// current context; --name overrides the variable; an argument that differs from
// either is refused before anything is done; create and delete never guess.
// Two clusters in different zones tell which one a command worked on.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { before, describe, test } from 'node:test';
import { stringify } from 'yaml';
import { cliHarness, type CliResult } from '../helpers/cli-harness.js';
import { tempDir } from '../helpers/temp-dir.js';

const A = 'a.example.com'; // in us-east-1a
const B = 'b.example.com'; // in us-east-1b
/** Looks like a credential; must never be printed. */
const TOKEN = 'kopsdeck-test-token-do-not-print';

const cli = cliHarness();
const files = tempDir('kopsdeck-kubeconfig-');
const noKubeconfig = join(files, 'absent');

/** Runs with nothing inherited: no KOPS_CLUSTER_NAME, no kubeconfig unless given. */
function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return cli.run(args, { HOME: files, KUBECONFIG: noKubeconfig, KOPS_CLUSTER_NAME: '', ...env });
}

function kubeconfig(file: string, config: Record<string, unknown>): string {
  const path = join(files, file);
  writeFileSync(path, stringify(config), { mode: 0o600 });
  return path;
}

/** A kubeconfig as kops or EKS writes one: the current context's cluster field names the cluster. */
function currentContextFile(file: string, context: string, cluster: string): string {
  return kubeconfig(file, {
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': context,
    clusters: [{ name: cluster, cluster: { server: 'https://127.0.0.1:1' } }],
    users: [{ name: 'admin', user: { token: TOKEN } }],
    contexts: [{ name: context, context: { cluster, user: 'admin' } }],
  });
}

function zonesListed(result: CliResult): string[] {
  assert.equal(result.code, 0, result.stderr);
  return [...new Set(result.stdout.trim().split('\n').slice(1).map((line) => line.split(/\s+/)[5]))];
}

before(async () => {
  for (const [name, zone] of [[A, 'us-east-1a'], [B, 'us-east-1b']]) {
    const created = await run(['create', 'cluster', name, '--zones', zone]);
    assert.equal(created.code, 0, created.stderr);
  }
});

describe('where the name comes from', () => {
  test('the argument alone', async () => {
    assert.deepEqual(zonesListed(await run(['get', 'ig', A])), ['us-east-1a']);
  });

  test('--name alone', async () => {
    assert.deepEqual(zonesListed(await run(['get', 'ig', '--name', B])), ['us-east-1b']);
  });

  test('KOPS_CLUSTER_NAME alone', async () => {
    assert.deepEqual(zonesListed(await run(['get', 'ig'], { KOPS_CLUSTER_NAME: B })), ['us-east-1b']);
  });

  test("the kubeconfig's current context alone: its cluster, said on stderr, no credential printed", async () => {
    const path = currentContextFile('eks-style', 'admin@b', B);
    const result = await run(['get', 'ig'], { KUBECONFIG: path });
    assert.deepEqual(zonesListed(result), ['us-east-1b']);
    assert.equal(result.stderr, `Using cluster from kubectl context: ${B}\n`);
    assert.ok(!(result.stdout + result.stderr).includes(TOKEN));
  });

  test('KUBECONFIG with several paths merges as kubectl: missing and empty files skipped, the first current-context and the first definition of a context win', async () => {
    const empty = join(files, 'empty');
    writeFileSync(empty, '');
    const first = kubeconfig('first', { 'current-context': 'team', contexts: [{ name: 'team', context: { cluster: B } }] });
    const second = kubeconfig('second', {
      'current-context': 'other',
      contexts: [
        { name: 'team', context: { cluster: A } },
        { name: 'other', context: { cluster: A } },
      ],
    });
    const result = await run(['get', 'ig'], { KUBECONFIG: [join(files, 'missing'), empty, first, second].join(delimiter) });
    assert.deepEqual(zonesListed(result), ['us-east-1b']);
  });

  test('edit ig takes its cluster from the kubeconfig too (its argument is the group)', async () => {
    const path = currentContextFile('edit', B, B);
    const edited = await run(['edit', 'ig', 'nodes-us-east-1b', '--set', 'spec.maxSize=5'], { KUBECONFIG: path });
    assert.equal(edited.code, 0, edited.stderr);
    const groups = await run(['get', 'ig', B, '-o', 'json']);
    const nodes = (JSON.parse(groups.stdout) as { metadata: { name: string }; spec: { maxSize: number } }[]).find((g) => g.metadata.name === 'nodes-us-east-1b');
    assert.equal(nodes?.spec.maxSize, 5);
  });
});

describe('two names', () => {
  test('the argument and --name the same: fine', async () => {
    assert.deepEqual(zonesListed(await run(['get', 'ig', A, '--name', A])), ['us-east-1a']);
  });

  test('the argument and KOPS_CLUSTER_NAME the same: fine', async () => {
    assert.deepEqual(zonesListed(await run(['get', 'ig', A], { KOPS_CLUSTER_NAME: A })), ['us-east-1a']);
  });

  test('--name overrides KOPS_CLUSTER_NAME, as in kops', async () => {
    assert.deepEqual(zonesListed(await run(['get', 'ig', '--name', B], { KOPS_CLUSTER_NAME: A })), ['us-east-1b']);
  });

  test('the argument and --name different: exit 1, and nothing is changed', async () => {
    const before = await run(['get', 'clusters', '-o', 'yaml']);
    const edit = await run(['edit', 'cluster', A, '--name', B, '--set', 'spec.kubernetesVersion=1.99.0']);
    assert.equal(edit.code, 1);
    assert.equal(edit.stderr, `Error: Two different cluster names were given: "${A}" as the argument and "${B}" from --name; give one name (or the same name in both).\n`);
    const remove = await run(['delete', 'cluster', A, '--name', B, '--yes']);
    assert.equal(remove.code, 1);
    assert.match(remove.stderr, /Two different cluster names/);
    assert.equal((await run(['get', 'clusters', '-o', 'yaml'])).stdout, before.stdout);
  });

  test('the argument and KOPS_CLUSTER_NAME different: exit 1 (kops refuses an argument when the variable names another cluster)', async () => {
    const result = await run(['get', 'ig', A], { KOPS_CLUSTER_NAME: B });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /"a\.example\.com" as the argument and "b\.example\.com" from KOPS_CLUSTER_NAME/);
    assert.equal(result.stdout, '');
  });

  test('the current context never contradicts a given name: the given one is used', async () => {
    const path = currentContextFile('contradicts', A, A);
    const result = await run(['get', 'ig', B], { KUBECONFIG: path });
    assert.deepEqual(zonesListed(result), ['us-east-1b']);
    assert.equal(result.stderr, '');
  });
});

describe('when nothing names a cluster', () => {
  test('the error says every way to name one and why the kubeconfig gave none', async () => {
    const none = await run(['get', 'ig']);
    assert.equal(none.code, 1);
    assert.equal(
      none.stderr,
      `Error: Name the cluster: kopsdeck get instancegroups NAME, or with --name NAME, or with KOPS_CLUSTER_NAME; no cluster came from the kubeconfig: there is no kubeconfig at ${noKubeconfig}.\n`,
    );
    const empty = join(files, 'empty-alone');
    writeFileSync(empty, '');
    assert.match((await run(['get', 'ig'], { KUBECONFIG: empty })).stderr, /the kubeconfig \S+empty-alone has no current context\.\n$/);
    const dangling = kubeconfig('dangling', { 'current-context': 'gone', contexts: [] });
    assert.match((await run(['get', 'ig'], { KUBECONFIG: dangling })).stderr, /the current context "gone" is not defined in \S+dangling\.\n$/);
  });

  test('an unreadable kubeconfig is named, its content never shown', async () => {
    const path = join(files, 'broken');
    writeFileSync(path, `current-context: x\nusers: [ {name: a, user: {token: ${TOKEN}}\n`, { mode: 0o600 });
    const result = await run(['get', 'ig'], { KUBECONFIG: path });
    assert.equal(result.code, 1);
    assert.match(result.stderr, new RegExp(`${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is not a valid kubeconfig`));
    assert.ok(!result.stderr.includes(TOKEN));
    assert.ok(!result.stderr.includes('users'));
  });

  test('delete and create never take the cluster from the kubeconfig', async () => {
    const path = currentContextFile('delete', B, B);
    const remove = await run(['delete', 'cluster', '--yes'], { KUBECONFIG: path });
    assert.equal(remove.code, 1);
    assert.equal(remove.stderr, 'Error: Name the cluster: kopsdeck delete cluster NAME [--yes], or with --name NAME, or with KOPS_CLUSTER_NAME (this command never takes it from the kubeconfig).\n');
    assert.deepEqual(zonesListed(await run(['get', 'ig', B])), ['us-east-1b']);
    const create = await run(['create', 'cluster', '--zones', 'us-east-1c'], { KUBECONFIG: path });
    assert.notEqual(create.code, 0);
    assert.match(create.stderr, /Name the cluster/);
  });
});

describe('every command that takes a cluster', () => {
  const commands: string[][] = [
    ['update', 'cluster'],
    ['rolling-update', 'cluster'],
    ['upgrade', 'cluster'],
    ['export', 'kubeconfig'],
    ['delete', 'cluster'],
    ['validate', 'cluster'],
    ['edit', 'cluster'],
    ['create', 'cluster'],
    ['get', 'ig'],
    ['get', 'nodes'],
    ['get', 'instances'],
    ['get', 'secrets'],
    ['rotate', 'bootstrap-token'],
  ];

  test('refuses two different names before doing anything', async () => {
    for (const command of commands) {
      const result = await run([...command, A, '--name', B]);
      assert.equal(result.code, 1, command.join(' '));
      assert.match(result.stderr, /^Error: Two different cluster names were given/, command.join(' '));
    }
  });

  test('asks for a name when none is given (edit ig included)', async () => {
    for (const command of [...commands.filter((c) => c[0] !== 'create'), ['edit', 'ig', 'nodes-us-east-1a']]) {
      const result = await run(command);
      assert.equal(result.code, 1, command.join(' '));
      assert.match(result.stderr, /^Error: Name the cluster: kopsdeck /, command.join(' '));
    }
  });

  test('help says where the name comes from', async () => {
    const oneLine = (result: CliResult) => result.stdout.replace(/\s+/g, ' '); // help wraps at the terminal's width
    const update = oneLine(await run(['update', 'cluster', '--help']));
    assert.ok(update.includes("the cluster (else --name, KOPS_CLUSTER_NAME, or the cluster of the kubeconfig's current context)"), update);
    assert.ok(update.includes('--name <cluster> the cluster (overrides KOPS_CLUSTER_NAME)'), update);
    const remove = oneLine(await run(['delete', 'cluster', '--help']));
    assert.ok(remove.includes('the cluster (else --name or KOPS_CLUSTER_NAME; never taken from the kubeconfig)'), remove);
  });
});
