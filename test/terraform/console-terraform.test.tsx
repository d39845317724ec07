// The create-cluster review offers "write as Terraform" beside "create":
// driven by keys against the simulator, it asks first, then writes the spec
// and secrets to the state store and kubernetes.tf and data/ to out/terraform,
// leaves the wizard saying where, and changes nothing in the cloud.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CreateHostedZoneCommand } from '@aws-sdk/client-route-53';
import { cleanup } from 'ink-testing-library';
import { awsClientsFor } from '../../src/engine/cloud/aws/clients.js';
import { keys } from '../console/helpers.js';
import { renderWizard } from '../wizard/harness.js';
import { startBench, type Bench } from '../helpers/sim-console.js';
import { parseModule, unresolved } from './terraform-helpers.js';

let bench: Bench;
before(async () => {
  bench = await startBench();
  const clients = awsClientsFor(bench.access, 'us-east-1');
  await clients.route53.send(new CreateHostedZoneCommand({ Name: 'example.com', CallerReference: 'terraform-console-test' }));
  clients.destroy();
  // The review writes to out/terraform under the working folder, as the command line does.
  process.chdir(bench.home);
});
after(async () => {
  cleanup();
  await bench?.close();
});

test('t on the review writes the cluster as Terraform, after a question, and creates nothing in the cloud', async () => {
  const calls = await bench.mutatingCalls();
  const app = renderWizard(bench);
  for (let n = 1; n <= 14; n++) {
    await app.waitFor(`step ${n} of 14`);
    app.press(keys.enter);
  }
  const review = await app.waitFor((f) => f.includes('Review: demo.example.com') && f.includes('Cloud plan: '));
  assert.match(review, /<enter> create <t> write as Terraform/, 'the footer offers it beside create');
  const out = join(bench.home, 'out', 'terraform');

  app.press('t');
  // The dialog's lines joined: its borders removed.
  const question = (await app.waitFor('Write demo.example.com as Terraform?')).replace(/ ║ ║ /g, ' ');
  assert.match(question, new RegExp(`kubernetes\\.tf and data/ to ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  assert.match(question, /Nothing is created in the cloud/);
  app.press('n');
  await app.waitFor((f) => !f.includes('Write demo.example.com as Terraform?') && f.includes('Review: demo.example.com'));
  assert.equal(existsSync(out), false, 'no answer, nothing written');
  assert.deepEqual(await bench.store.listClusters(), []);

  app.press('t');
  await app.waitFor('Write demo.example.com as Terraform?');
  app.press('y');
  // Named from the working folder, so that the flash line shows it whole.
  const left = await app.waitFor('Terraform for demo.example.com written to out/terraform (', 30_000);
  assert.doesNotMatch(left, /Review: demo\.example\.com/, 'the wizard is left');

  const files = new Map<string, string>([['kubernetes.tf', readFileSync(join(out, 'kubernetes.tf'), 'utf8')]]);
  for (const name of readdirSync(join(out, 'data'))) files.set(`data/${name}`, readFileSync(join(out, 'data', name), 'utf8'));
  const module = await parseModule(files.get('kubernetes.tf')!);
  assert.deepEqual(unresolved(module, files), []);
  assert.equal(Object.keys(module.resource!.aws_autoscaling_group).length, 6, 'three control-plane groups and three node groups');
  assert.deepEqual(await bench.store.listClusters(), ['demo.example.com'], 'the spec is in the store');
  assert.ok(existsSync(join(bench.home, 'state', 'demo.example.com', 'pki', 'ca.crt')), 'and the CA the user-data names');
  assert.deepEqual(await bench.mutatingCalls(), calls, 'no AWS call that changes anything');
  app.unmount();
});
