// `kopsdeck update cluster NAME --target terraform [--out DIR]` through the
// command line, against the simulator each command starts: the module is
// written, nothing is created in the cloud (a preview afterwards still has
// everything to create), a re-run writes the same bytes, and bad input is
// refused with nothing written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliHarness } from '../helpers/cli-harness.js';
import { testSshKey } from '../helpers/sim-reconcile.js';
import { parseModule, unresolved } from './terraform-helpers.js';

const env = { KOPSDECK_SIM_SPEED: '100', KOPSDECK_CLOUD: 'sim' };

function readTree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  files.set('kubernetes.tf', readFileSync(join(dir, 'kubernetes.tf'), 'utf8'));
  for (const name of readdirSync(join(dir, 'data')).sort()) files.set(`data/${name}`, readFileSync(join(dir, 'data', name), 'utf8'));
  return files;
}

test('writes kubernetes.tf and data/, creates nothing in the cloud, and re-runs byte-identical', async () => {
  const cli = cliHarness();
  const name = 'tf.example.com';
  assert.equal((await cli.run(['create', 'cluster', name, '--zones', 'us-east-1a'], env)).code, 0);
  const out = join(cli.home, 'module');

  const written = await cli.run(['update', 'cluster', name, '--target', 'terraform', '--out', out], env);
  assert.equal(written.code, 0, written.stderr);
  assert.match(written.stdout, new RegExp(`Terraform for cluster "tf\\.example\\.com" written to ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: kubernetes\\.tf \\(\\d+ resources\\)`));
  // A new cluster's CA is made in the state store (its hash is in the user-data), never in the module.
  assert.match(written.stdout, /Secrets generated and stored in .*: .*ca/);
  const files = readTree(out);
  const module = await parseModule(files.get('kubernetes.tf')!);
  assert.deepEqual(unresolved(module, files), []);
  assert.ok(module.resource?.aws_vpc?.['tf-example-com'], 'the VPC is in the module');
  for (const [path, content] of files) assert.doesNotMatch(content, /-----BEGIN [A-Z ]*PRIVATE KEY-----/, `${path} holds no private key`);
  const userData = files.get('data/aws_launch_template_nodes-us-east-1a.tf.example.com_user_data')!;
  assert.match(userData, /CA_CERT_HASH=sha256:[0-9a-f]{64}/, 'the machines are told which CA to trust');

  // The preview's exit code says whether changes are pending (update-cluster.ts); its plan is what matters here.
  const preview = await cli.run(['update', 'cluster', name], env);
  assert.match(preview.stdout, /^Will create resources:/m);
  assert.match(preview.stdout, /VPC\/tf\.example\.com/, 'the VPC was not created');

  const again = await cli.run(['update', 'cluster', name, '--target', 'terraform', '--out', out], env);
  assert.equal(again.code, 0, again.stderr);
  assert.doesNotMatch(again.stdout, /Secrets generated/, 'the secrets exist now');
  const rewritten = readTree(out);
  assert.deepEqual([...rewritten.keys()], [...files.keys()]);
  for (const [path, content] of files) assert.equal(rewritten.get(path), content, `${path} is byte-identical`);

  // Once the cluster was made directly, its resources exist: Terraform must import them first, and is told so.
  assert.equal((await cli.run(['update', 'cluster', name, '--yes'], env)).code, 0);
  const afterApply = await cli.run(['update', 'cluster', name, '--target', 'terraform', '--out', out], env);
  assert.equal(afterApply.code, 0, afterApply.stderr);
  assert.match(afterApply.stderr, /Note: \d+ of these resources exist in the cloud already\. .* must be imported into it \(`terraform import`\) before `terraform apply`/);
});

/** The terraform binary, where installed: `terraform fmt -check` reads the files with HashiCorp's own parser and formatter. */
const terraform = spawnSync('terraform', ['version'], { encoding: 'utf8' });
const noTerraform = terraform.status === 0 ? false : 'terraform is not installed here';

test('terraform fmt finds nothing to change: the files are canonical HCL', { skip: noTerraform }, async () => {
  const cli = cliHarness();
  assert.equal((await cli.run(['create', 'cluster', 'fmt.example.com', '--zones', 'us-east-1a,us-east-1b', '--topology', 'private', '--bastion'], env)).code, 0);
  const out = join(cli.home, 'module');
  const written = await cli.run(['update', 'cluster', 'fmt.example.com', '--target', 'terraform', '--out', out], env);
  assert.equal(written.code, 0, written.stderr);
  const fmt = spawnSync('terraform', ['fmt', '-check', '-diff', '-recursive', out], { encoding: 'utf8' });
  assert.equal(fmt.status, 0, `${fmt.stdout}${fmt.stderr}`);
  assert.equal(fmt.stdout, '');
});

/**
 * The AWS provider, from a local plugin folder (no registry is reached): `terraform validate` then
 * checks every resource type, argument and block against the provider's own schema.
 */
const pluginDir = process.env.KOPSDECK_TERRAFORM_PLUGIN_DIR ?? '/opt/tf-plugins';
const noProvider = noTerraform || (existsSync(join(pluginDir, 'registry.terraform.io', 'hashicorp', 'aws')) ? false : `no hashicorp/aws provider in ${pluginDir} (KOPSDECK_TERRAFORM_PLUGIN_DIR)`);

test("terraform validate accepts the module against the AWS provider's schema", { skip: noProvider }, async () => {
  const cli = cliHarness();
  const name = 'valid.example.com';
  const sshKey = join(cli.home, 'id.pub');
  writeFileSync(sshKey, `${testSshKey().text}\n`);
  const created = await cli.run(['create', 'cluster', name, '--zones', 'us-east-1a,us-east-1b', '--topology', 'private', '--bastion', '--dns-zone', 'example.com', '--ssh-public-key', sshKey], env);
  assert.equal(created.code, 0, created.stderr);
  const out = join(cli.home, 'module');
  const written = await cli.run(['update', 'cluster', name, '--target', 'terraform', '--out', out], env);
  assert.equal(written.code, 0, written.stderr);
  const module = await parseModule(readFileSync(join(out, 'kubernetes.tf'), 'utf8'));
  for (const type of ['aws_nat_gateway', 'aws_lb', 'aws_route53_zone', 'aws_route53_record', 'aws_key_pair', 'aws_ebs_volume']) assert.ok(module.resource?.[type], `the module has ${type}`);
  const tf = (args: string[]) => spawnSync('terraform', args, { cwd: out, encoding: 'utf8', env: { ...process.env, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' } });
  const init = tf(['init', '-backend=false', '-input=false', '-no-color', `-plugin-dir=${pluginDir}`]);
  assert.equal(init.status, 0, `${init.stdout}${init.stderr}`);
  const validate = tf(['validate', '-no-color', '-json']);
  const result = JSON.parse(validate.stdout) as { valid: boolean; diagnostics: { severity: string; summary: string; detail?: string }[] };
  assert.deepEqual(result.diagnostics.map((d) => `${d.severity}: ${d.summary} ${d.detail ?? ''}`), [], 'no error and no warning');
  assert.equal(result.valid, true);
});

test('bad input is refused with a reason, and nothing is written', async () => {
  const cli = cliHarness();
  const out = join(cli.home, 'nothing');

  const unknown = await cli.run(['update', 'cluster', 'absent.example.com', '--target', 'terraform', '--out', out], env);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /Cluster "absent\.example\.com" was not found/);
  assert.equal(existsSync(out), false);

  assert.equal((await cli.run(['create', 'cluster', 'bad.example.com', '--zones', 'us-east-1a'], env)).code, 0);
  const yes = await cli.run(['update', 'cluster', 'bad.example.com', '--target', 'terraform', '--out', out, '--yes'], env);
  assert.equal(yes.code, 1);
  assert.match(yes.stderr, /nothing is applied: leave out --yes and run `terraform apply`/);
  assert.equal(existsSync(out), false);

  const target = await cli.run(['update', 'cluster', 'bad.example.com', '--target', 'pulumi', '--out', out], env);
  assert.notEqual(target.code, 0);
  assert.match(target.stderr, /pulumi/);
  assert.equal(existsSync(out), false);

  const outWithoutTarget = await cli.run(['update', 'cluster', 'bad.example.com', '--out', out], env);
  assert.equal(outWithoutTarget.code, 1);
  assert.match(outWithoutTarget.stderr, /--out is for --target terraform/);
  assert.equal(existsSync(out), false);

  // A cluster kops made (its state store holds kops-version.txt) is kops' to render.
  assert.equal((await cli.run(['create', 'cluster', 'kops.example.com', '--zones', 'us-east-1a'], env)).code, 0);
  writeFileSync(join(cli.home, 'state', 'kops.example.com', 'kops-version.txt'), '1.36.2');
  const kops = await cli.run(['update', 'cluster', 'kops.example.com', '--target', 'terraform', '--out', out], env);
  assert.equal(kops.code, 1);
  assert.match(kops.stderr, /was made by kops .* kopsdeck changes nothing in it: run `kops update cluster kops\.example\.com --yes` instead\. Nothing was written\./);
  assert.equal(existsSync(out), false);

  const file = join(cli.home, 'a-file');
  writeFileSync(file, 'mine\n');
  const onFile = await cli.run(['update', 'cluster', 'bad.example.com', '--target', 'terraform', '--out', file], env);
  assert.equal(onFile.code, 1);
  assert.match(onFile.stderr, /is a file, not a folder: choose another --out; nothing was written/);
  assert.equal(readFileSync(file, 'utf8'), 'mine\n');
  // Refused before planning: not even the state store's secrets were made.
  assert.ok(existsSync(join(cli.home, 'state', 'bad.example.com', 'config')), 'the cluster is in the store');
  assert.equal(existsSync(join(cli.home, 'state', 'bad.example.com', 'pki')), false);
});
