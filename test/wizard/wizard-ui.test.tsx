// The wizard driven by keys, as a person would, against the simulator:
// defaults accepted through every step, a bad value refused at each step with
// its reason, back and forward keeping every answer, and Esc leaving with
// nothing created (state store and simulator unchanged).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateHostedZoneCommand } from '@aws-sdk/client-route-53';
import { cleanup } from 'ink-testing-library';
import { awsClientsFor } from '../../src/engine/cloud/aws/clients.js';
import { defaultKubernetesVersion } from '../../src/engine/spec/kubernetes-version.js';
import { keys, renderApp, seedCluster } from '../console/helpers.js';
import { SIZE, folded, pressEnterAndSettle, renderWizard } from './harness.js';
import { startBench, type Bench } from '../helpers/sim-console.js';
import { simAdminFetch } from '../../src/sim/admin-client.js';
import { tempDir } from '../helpers/temp-dir.js';

let bench: Bench;
const ctrlU = '\x15';
const shiftTab = '\x1b[Z';
const left = '\x1b[D';

before(async () => {
  bench = await startBench();
  // One hosted zone in the account, so the DNS step has a zone to list (and to refuse).
  const clients = awsClientsFor(bench.access, 'us-east-1');
  await clients.route53.send(new CreateHostedZoneCommand({ Name: 'example.com', CallerReference: 'wizard-test' }));
  clients.destroy();
  await seedCluster(bench.store, 'taken.k8s.local', ['us-east-1a']);
});
after(async () => {
  cleanup();
  await bench?.close();
});

type App = ReturnType<typeof renderWizard>;

/** The frame with the command line's continuation backslashes removed. */
const unwrapped = (frame: string) => frame.replace(/ \\ /g, ' ');

async function atStep(app: App, n: number, title: string): Promise<string> {
  return app.waitFor((f) => f.includes(`step ${n} of`) && f.includes(title));
}

/** Replaces the text of the open field (the prompt line shows `label: text█`). */
async function typeInto(app: App, label: string, text: string): Promise<string> {
  await app.waitFor(`${label}: `);
  await app.waitFor((f) => f.includes('█'));
  app.press(ctrlU);
  await app.waitFor(`${label}: █`);
  app.press(text);
  return app.waitFor(`${label}: ${text}█`);
}

/** Enter on a step whose value is refused: the reason shows, the step stays. */
async function refused(app: App, n: number, reason: RegExp): Promise<void> {
  const frame = await app.waitFor((f) => reason.test(f));
  assert.match(frame, /✗/);
  const after = await pressEnterAndSettle(app, n);
  assert.match(after, new RegExp(`step ${n} of`), 'Enter did not move on');
}

test('defaults accepted at every step lead to a review of the spec, the plan and the command line', async () => {
  const app = renderWizard(bench);
  const titles = [
    'Cluster name', 'Region', 'Availability zones', 'Control plane', 'Control-plane machine type', 'Topology',
    'Networking (CNI)', 'DNS', 'Node machine type', 'Nodes per zone', 'Maximum nodes per zone', 'Kubernetes version',
    'SSH public key', 'Admin access',
  ];
  let frame = await atStep(app, 1, 'Cluster name');
  assert.match(frame, /name: demo\.example\.com/, 'a free name under the account\'s hosted zone is proposed');
  for (const [i, title] of titles.entries()) {
    frame = await atStep(app, i + 1, title);
    assert.match(frame, new RegExp(`step ${i + 1} of ${titles.length}`));
    if (title === 'Availability zones') assert.match(frame, /\[x\] us-east-1a[\s\S]*\[x\] us-east-1b[\s\S]*\[x\] us-east-1c[\s\S]*\[ \] us-east-1d/);
    if (title === 'Control plane') assert.match(frame, /● 3 instances[\s\S]*highly available/);
    if (title === 'Kubernetes version') assert.match(frame, new RegExp(`● ${defaultKubernetesVersion().replace(/\./g, '\\.')}\\s+newest stable`));
    if (title === 'Admin access') assert.match(frame, /open to the world/);
    if (title === 'Nodes per zone') assert.match(frame, /3 groups \(one per zone\) × 1 = 3 nodes in total/);
    app.press(keys.enter);
  }
  frame = await app.waitFor('Review: demo.example.com');
  assert.match(unwrapped(frame), /kopsdeck create cluster demo\.example\.com --zones us-east-1a,us-east-1b,us-east-1c --control-plane-count 3 /);
  assert.match(unwrapped(frame), /--dns-zone example\.com/);
  assert.match(frame, /kind: Cluster/);
  app.press(keys.tab);
  frame = await app.waitFor('Will create resources:');
  assert.match(frame, /VPC\/demo\.example\.com/);
  assert.match(frame, /Cloud plan: \d+ to create, 0 to modify, 0 to delete/);
  app.press('G');
  await app.waitFor((f) => /lines \d+-\d+ of \d+ \(100%\)/.test(f));
  app.unmount();
});

test('a bad value at each step is refused with its reason', async () => {
  const keyDir = tempDir('kopsdeck-wizard-keys-');
  writeFileSync(join(keyDir, 'id_rsa'), '-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n');
  const app = renderWizard(bench);
  await atStep(app, 1, 'Cluster name');
  await typeInto(app, 'name', 'Bad_Name');
  await refused(app, 1, /capital letters/);
  await typeInto(app, 'name', 'taken.k8s.local');
  await refused(app, 1, /already in the state store/);
  // As kops 1.36: a name under no hosted zone of the account is accepted and uses no DNS.
  await typeInto(app, 'name', 'web.example.org');
  await app.waitFor('no Route 53 hosted zone of this account holds web.example.org');
  await typeInto(app, 'name', 'web.k8s.local');
  await app.waitFor('needs no DNS');
  app.press(keys.enter);

  await atStep(app, 2, 'Region'); // every region listed is valid
  app.press(keys.enter);
  await atStep(app, 3, 'Availability zones');
  app.press(' '); // us-east-1a off
  app.press(keys.down);
  app.press(' ');
  app.press(keys.down);
  app.press(' ');
  await refused(app, 3, /choose at least one zone/);
  app.press(' ');
  await app.waitFor('one zone: if it goes down');
  app.press(keys.enter);

  await atStep(app, 4, 'Control plane');
  app.press(keys.up);
  const single = await app.waitFor('● 1 instance');
  assert.match(single, /⚠ no high availability: one control-plane instance/);
  app.press(keys.enter);
  await atStep(app, 5, 'Control-plane machine type');
  await typeInto(app, 'control-plane machine type', 'huge');
  await refused(app, 5, /"huge" is not an EC2 instance type/);
  await typeInto(app, 'control-plane machine type', 't3.large');
  app.press(keys.enter);

  await atStep(app, 6, 'Topology'); // both topologies are valid
  app.press(keys.enter);
  await atStep(app, 7, 'Networking'); // every CNI listed is valid
  app.press(keys.enter);
  await atStep(app, 8, 'DNS');
  app.press(keys.down);
  await refused(app, 8, /ends in \.k8s\.local and uses no DNS; choose none/);
  app.press(keys.up);
  await app.waitFor('no DNS: web.k8s.local');
  app.press(keys.enter);

  await atStep(app, 9, 'Node machine type');
  await typeInto(app, 'node machine type', 'X');
  await refused(app, 9, /"X" is not an EC2 instance type/);
  await typeInto(app, 'node machine type', 't3.small');
  app.press(keys.enter);
  await atStep(app, 10, 'Nodes per zone');
  await typeInto(app, 'nodes per zone', 'two');
  await refused(app, 10, /"two" is not a whole number/);
  await typeInto(app, 'nodes per zone', '2');
  await app.waitFor('1 group (one per zone) × 2 = 2 nodes in total');
  app.press(keys.enter);
  await atStep(app, 11, 'Maximum nodes per zone');
  await typeInto(app, 'maximum nodes per zone', '1');
  await refused(app, 11, /the maximum \(1\) is below the 2 nodes each zone starts with/);
  await typeInto(app, 'maximum nodes per zone', '3');
  await app.waitFor('growing to 3 at most');
  app.press(keys.enter);

  await atStep(app, 12, 'Kubernetes version'); // only supported versions are listed
  app.press(keys.enter);
  await atStep(app, 13, 'SSH public key');
  await typeInto(app, 'SSH public key path', join(keyDir, 'nope.pub'));
  await refused(app, 13, /nope\.pub does not exist/);
  await typeInto(app, 'SSH public key path', join(keyDir, 'id_rsa'));
  await refused(app, 13, /is a private key; give the public one/);
  await typeInto(app, 'SSH public key path', '');
  app.press(keys.enter);
  await atStep(app, 14, 'Admin access');
  await typeInto(app, 'admin CIDRs', '10.1.2.3/8');
  await refused(app, 14, /host bits set; did you mean 10\.0\.0\.0\/8\?/);
  await typeInto(app, 'admin CIDRs', 'office');
  await refused(app, 14, /"office" is not a CIDR/);
  await typeInto(app, 'admin CIDRs', '203.0.113.0/24');
  await app.waitFor('only 203.0.113.0/24 can reach the API and SSH');
  app.press(keys.enter);
  const review = await app.waitFor('Review: web.k8s.local');
  assert.match(unwrapped(review), /--control-plane-count 1 --control-plane-size t3\.large --node-count 2 --node-size t3\.small/);
  assert.match(review, /--node-max-size 3/);
  assert.match(review, /--admin-access 203\.0\.113\.0\/24/);
  app.unmount();
});

test('back and forward keep every answer', async () => {
  const app = renderWizard(bench);
  await atStep(app, 1, 'Cluster name');
  await typeInto(app, 'name', 'keep.k8s.local');
  app.press(keys.enter);
  await atStep(app, 2, 'Region');
  app.press(keys.enter);
  await atStep(app, 3, 'Availability zones');
  app.press(keys.down + keys.down + keys.down);
  app.press(' '); // add us-east-1d
  await app.waitFor('[x] us-east-1d');
  app.press(keys.enter);
  await atStep(app, 4, 'Control plane');
  app.press(keys.down);
  await app.waitFor('● 5 instances');
  app.press(keys.enter);
  await atStep(app, 5, 'Control-plane machine type');
  await typeInto(app, 'control-plane machine type', 'm6i.large');
  app.press(keys.enter);
  await atStep(app, 6, 'Topology');
  app.press(keys.down);
  await app.waitFor('● private');
  app.press(keys.enter);
  let frame = await atStep(app, 7, 'Bastion');
  assert.match(frame, /step 7 of 15/, 'a private topology adds the bastion step');
  app.press(keys.down);
  await app.waitFor('● add a bastion');
  app.press(keys.enter);
  await atStep(app, 8, 'Networking');
  app.press(keys.down);
  await app.waitFor('● calico');

  // All the way back to the name, by ← (and shift-tab) ...
  for (const [n, title] of [[7, 'Bastion'], [6, 'Topology'], [5, 'Control-plane machine type']] as const) {
    app.press(n % 2 ? left : shiftTab);
    await atStep(app, n, title);
  }
  await app.waitFor('control-plane machine type: m6i.large█');
  app.press(keys.escape); // stop editing; ← then goes back
  await app.waitFor('e edits it');
  app.press(left);
  frame = await atStep(app, 4, 'Control plane');
  assert.match(frame, /● 5 instances/);
  app.press(left);
  frame = await atStep(app, 3, 'Availability zones');
  assert.match(frame, /\[x\] us-east-1d/);
  app.press(left);
  await atStep(app, 2, 'Region');
  app.press(left);
  frame = await atStep(app, 1, 'Cluster name');
  assert.match(frame, /name: keep\.k8s\.local/);

  // ... and forward again with Enter: every answer is still there.
  const expectations: [number, string, RegExp][] = [
    [1, 'Cluster name', /name: keep\.k8s\.local/],
    [2, 'Region', /● us-east-1/],
    [3, 'Availability zones', /\[x\] us-east-1d/],
    [4, 'Control plane', /● 5 instances/],
    [5, 'Control-plane machine type', /machine type: m6i\.large/],
    [6, 'Topology', /● private/],
    [7, 'Bastion', /● add a bastion/],
    [8, 'Networking', /● calico/],
  ];
  for (const [n, title, shown] of expectations) {
    frame = await atStep(app, n, title);
    assert.match(frame, shown, title);
    app.press(keys.enter);
  }
  for (let n = 9; n <= 15; n++) {
    await app.waitFor(`step ${n} of 15`);
    app.press(keys.enter);
  }
  frame = await app.waitFor('Review: keep.k8s.local');
  assert.match(unwrapped(frame), /--zones us-east-1a,us-east-1b,us-east-1c,us-east-1d --control-plane-count 5 --control-plane-size m6i\.large/);
  assert.match(unwrapped(frame), /--topology private --bastion --networking calico/);
  // Back from the review returns to the last step with its answer.
  app.press(left);
  await atStep(app, 15, 'Admin access');
  app.unmount();
});

test('Esc before confirming creates nothing: the store and the simulator are unchanged', async () => {
  const before = { clusters: await bench.store.listClusters(), calls: await bench.mutatingCalls() };
  const app = folded(renderApp({ services: bench.services, size: SIZE }));
  await app.waitFor('taken.k8s.local');
  app.press('n'); // the clusters screen opens the wizard
  await atStep(app, 1, 'Cluster name');
  // In the field Esc stops editing (the footer says so); a second Esc would cancel.
  await app.waitFor('<esc> stop editing');
  for (let n = 1; n <= 14; n++) {
    await app.waitFor(`step ${n} of 14`);
    app.press(keys.enter);
  }
  await app.waitFor('Review: demo.example.com');
  await app.waitFor('Cloud plan: ');
  app.press(keys.enter); // create? ...
  const question = await app.waitFor('Create cluster demo.example.com?');
  assert.match(question, /Until you answer y, nothing has been created yet/);
  app.press('n'); // ... no
  await app.waitFor((f) => !f.includes('Create cluster demo.example.com?') && f.includes('Review: demo.example.com'));
  app.press(keys.escape); // every answer is given by now: leaving asks first
  const discard = (await app.waitFor('Discard the answers so far?')).replace(/ ║ ║ /g, ' ');
  assert.match(discard, /Leaving the wizard loses all 14 answers for demo\.example\.com\./);
  app.press('y');
  const frame = await app.waitFor('Cluster creation cancelled: nothing was created.');
  assert.match(frame, /Clusters \[1\]/);
  assert.deepEqual(await bench.store.listClusters(), before.clusters);
  assert.deepEqual(await bench.mutatingCalls(), before.calls, 'no AWS call that changes anything');

  // :create opens it too, and Esc from an untouched field (twice: stop editing, then cancel) leaves at once: no answer is lost.
  app.press(':');
  app.press('create');
  app.press(keys.enter);
  await atStep(app, 1, 'Cluster name');
  await app.waitFor('name: demo.example.com█');
  app.press(keys.escape);
  await app.waitFor('e edits it');
  app.press(keys.escape);
  await app.waitFor('Cluster creation cancelled: nothing was created.');
  assert.deepEqual(await bench.store.listClusters(), before.clusters);
  assert.deepEqual(await bench.mutatingCalls(), before.calls);
  app.unmount();
});

test('confirming creates and watches: a failure says what failed, r retries safely, and the cluster comes up and validates', async () => {
  const app = renderWizard(bench, { settings: { awsMaxAttempts: 1 } });
  await atStep(app, 1, 'Cluster name');
  await typeInto(app, 'name', 'small.k8s.local');
  app.press(keys.enter);
  await atStep(app, 2, 'Region');
  app.press(keys.enter);
  await atStep(app, 3, 'Availability zones');
  app.press(keys.down + ' ' + keys.down + ' '); // keep us-east-1a only
  await app.waitFor('one zone: if it goes down');
  app.press(keys.enter);
  await atStep(app, 4, 'Control plane');
  app.press(keys.up);
  await app.waitFor('● 1 instance');
  for (let n = 4; n <= 14; n++) {
    await app.waitFor(`step ${n} of 14`);
    app.press(keys.enter);
  }
  await app.waitFor('Review: small.k8s.local');
  await app.waitFor('Cloud plan: ');
  await putFaults({ serverErrorRate: 1 });
  app.press(keys.enter);
  await app.waitFor('Create cluster small.k8s.local?');
  app.press('y');
  const failed = await app.waitFor('Failed while', 20_000);
  assert.match(failed, /Spec written to file:\/\//);
  assert.match(failed, /r retries \(safe: what exists is kept, only the rest is made\)/);
  assert.deepEqual(await bench.store.listClusters(), ['small.k8s.local', 'taken.k8s.local'], 'the spec was written before the cloud failed');

  await putFaults({ serverErrorRate: 0 });
  app.press('r');
  await app.waitFor('Spec already in file://');
  await app.waitFor((f) => /Cloud resources: (\d+) of \1 done ✓/.test(f), 30_000);
  await app.waitFor('INSTANCE GROUP', 30_000);
  const ready = await app.waitFor('Cluster small.k8s.local is ready', 60_000);
  assert.match(ready, /control-plane-us-east-1a 1 1 1 1\/1/);
  assert.match(ready, /nodes-us-east-1a 1 1 1 1\/1/);
  assert.match(ready, /Validation passed/);
  assert.ok(ready.includes(`Kubeconfig: ${bench.sim.kubeconfigPath} (context small.k8s.local)`));
  assert.match(ready, /elapsed \d+:\d\d/);
  assert.match(ready, /attempt 2/);
  app.press(keys.enter); // open the cluster view
  await app.waitFor('Overview of small.k8s.local');
  app.unmount();
});

async function putFaults(faults: Record<string, unknown>): Promise<void> {
  const res = await simAdminFetch(bench.sim, '/sim/faults', { method: 'PUT', body: JSON.stringify(faults), headers: { 'content-type': 'application/json' } });
  assert.equal(res.status, 200);
}
