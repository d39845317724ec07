import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cliHarness, type CliHarness } from '../helpers/cli-harness.js';

async function withCluster(): Promise<CliHarness> {
  const cli = cliHarness();
  const created = await cli.run(['create', 'cluster', 'edit.example.com', '--zones', 'us-east-1a,us-east-1b,us-east-1c']);
  assert.equal(created.code, 0, created.stderr);
  return cli;
}

function storedCluster(cli: CliHarness): string {
  return readFileSync(join(cli.home, 'state', 'edit.example.com', 'config'), 'utf8');
}

/**
 * A scripted $EDITOR: each run applies the next step's (from -> to) replacement
 * to the file and records what it was shown, so a test can check the reopened text.
 */
function scriptedEditor(cli: CliHarness, steps: Array<[string, string]>): { env: NodeJS.ProcessEnv; shown: () => string[]; files: () => string[] } {
  const dir = cli.home;
  const script = join(dir, 'editor.mjs');
  writeFileSync(join(dir, 'steps.json'), JSON.stringify(steps));
  writeFileSync(join(dir, 'shown.json'), '[]');
  writeFileSync(join(dir, 'files.json'), '[]');
  writeFileSync(
    script,
    `import { readFileSync, writeFileSync } from 'node:fs';
const file = process.argv[2];
const steps = JSON.parse(readFileSync(${JSON.stringify(join(dir, 'steps.json'))}, 'utf8'));
const shownPath = ${JSON.stringify(join(dir, 'shown.json'))};
const shown = JSON.parse(readFileSync(shownPath, 'utf8'));
const filesPath = ${JSON.stringify(join(dir, 'files.json'))};
writeFileSync(filesPath, JSON.stringify([...JSON.parse(readFileSync(filesPath, 'utf8')), file]));
const text = readFileSync(file, 'utf8');
shown.push(text);
writeFileSync(shownPath, JSON.stringify(shown));
const step = steps[shown.length - 1];
if (step) writeFileSync(file, text.replace(step[0], step[1]));
`,
  );
  return {
    env: { EDITOR: `${process.execPath} ${script}`, KUBE_EDITOR: '' },
    shown: () => JSON.parse(readFileSync(join(dir, 'shown.json'), 'utf8')),
    files: () => JSON.parse(readFileSync(join(dir, 'files.json'), 'utf8')),
  };
}

/** Like kubectl edit: the file the editor was given, and its directory, are gone once the command ends. */
function assertEditFilesRemoved(files: string[]): void {
  assert.ok(files.length > 0, 'the editor ran');
  for (const file of files) assert.equal(existsSync(dirname(file)), false, `${dirname(file)} is left behind`);
}

test('edit cluster --set changes a field and saves it', async () => {
  const cli = await withCluster();
  const result = await cli.run(['edit', 'cluster', 'edit.example.com', '--set', 'spec.kubernetesVersion=1.31.8']);
  assert.equal(result.code, 0, result.stderr);
  assert.match(storedCluster(cli), /kubernetesVersion: 1\.31\.8/);
});

test('edit --set with an overlapping subnet CIDR exits 2 and saves nothing', async () => {
  const cli = await withCluster();
  const before = storedCluster(cli);
  const firstCidr = /cidr: (\S+)/.exec(before.split('subnets:')[1])![1];
  const result = await cli.run(['edit', 'cluster', 'edit.example.com', '--set', `spec.subnets[1].cidr=${firstCidr}`]);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /overlap/);
  assert.equal(storedCluster(cli), before);
});

test('edit ig --set maxSize below minSize exits 2', async () => {
  const cli = await withCluster();
  const result = await cli.run(['edit', 'ig', 'nodes-us-east-1a', '--name', 'edit.example.com', '--set', 'spec.maxSize=0', '--set', 'spec.minSize=2']);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /minSize|maxSize/);
});

test('edit ig --set raises maxSize', async () => {
  const cli = await withCluster();
  const result = await cli.run(['edit', 'ig', 'nodes-us-east-1a', '--name', 'edit.example.com', '--set', 'spec.maxSize=5']);
  assert.equal(result.code, 0, result.stderr);
  const groups = await cli.run(['get', 'ig', '--name', 'edit.example.com', '-o', 'json']);
  const nodes = JSON.parse(groups.stdout).find((ig: { metadata: { name: string } }) => ig.metadata.name === 'nodes-us-east-1a');
  assert.equal(nodes.spec.maxSize, 5);
});

test('edit in $EDITOR: an invalid edit reopens with the errors as comments, the fix is saved', async () => {
  const cli = await withCluster();
  const editor = scriptedEditor(cli, [
    ['networkCIDR: 172.20.0.0/16', 'networkCIDR: 172.20.0.0/99'],
    ['networkCIDR: 172.20.0.0/99', 'networkCIDR: 172.20.0.0/16\n  unmodelledField: kept'],
  ]);
  const result = await cli.run(['edit', 'cluster', 'edit.example.com'], editor.env);
  assert.equal(result.code, 0, result.stderr);
  const shown = editor.shown();
  assert.equal(shown.length, 2);
  assert.match(shown[1], /^# kopsdeck: this document is not valid/m);
  assert.match(shown[1], /# kopsdeck: {3}spec\.networkCIDR: .*172\.20\.0\.0\/99/);
  const saved = storedCluster(cli);
  assert.match(saved, /unmodelledField: kept/);
  assert.doesNotMatch(saved, /# kopsdeck/);
  assertEditFilesRemoved(editor.files());
});

test('edit in $EDITOR saved unchanged is an abort: nothing saved', async () => {
  const cli = await withCluster();
  const before = storedCluster(cli);
  const editor = scriptedEditor(cli, []);
  const result = await cli.run(['edit', 'cluster', 'edit.example.com'], editor.env);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /Edit cancelled/);
  assert.equal(storedCluster(cli), before);
  assertEditFilesRemoved(editor.files());
});

test('giving up on an invalid edit exits 2 and saves nothing', async () => {
  const cli = await withCluster();
  const before = storedCluster(cli);
  const editor = scriptedEditor(cli, [['minSize: 1', 'minSize: 9']]);
  const result = await cli.run(['edit', 'ig', 'nodes-us-east-1a', '--name', 'edit.example.com'], editor.env);
  assert.equal(result.code, 2, result.stderr);
  assert.equal(editor.shown().length, 2);
  assert.equal(storedCluster(cli), before);
  assertEditFilesRemoved(editor.files());
});

test('a save over a newer version is refused and the edit is kept aside', async () => {
  const cli = await withCluster();
  // The editor itself stands in for a second person: while "editing" it changes the stored file.
  const configPath = join(cli.home, 'state', 'edit.example.com', 'config');
  const script = join(cli.home, 'racing-editor.mjs');
  writeFileSync(
    script,
    `import { readFileSync, writeFileSync } from 'node:fs';
const file = process.argv[2];
const stored = readFileSync(${JSON.stringify(configPath)}, 'utf8');
writeFileSync(${JSON.stringify(configPath)}, stored.replace(/kubernetesVersion: \\S+/, 'kubernetesVersion: 1.31.9'));
writeFileSync(file, readFileSync(file, 'utf8').replace(/kubernetesVersion: \\S+/, 'kubernetesVersion: 1.31.8'));
`,
  );
  const result = await cli.run(['edit', 'cluster', 'edit.example.com'], { EDITOR: `${process.execPath} ${script}` });
  assert.equal(result.code, 1);
  assert.match(result.stderr, /changed by someone else/);
  const aside = /kept in (\S+)\./.exec(result.stderr)?.[1];
  assert.ok(aside, result.stderr);
  assert.match(readFileSync(aside!, 'utf8'), /kubernetesVersion: 1\.31\.8/);
  assert.match(storedCluster(cli), /kubernetesVersion: 1\.31\.9/);
  rmSync(dirname(aside!), { recursive: true }); // kept for the user; this test's copy goes
});
