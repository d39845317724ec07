// A private cluster with a bastion on the simulator (`create cluster
// --topology private --bastion`, `update cluster --yes`): a bastion registers
// no node (kops: bastions are not nodes), so the instance groups view counts it
// ready once its instance is in service (never "below target" while the
// cluster validates), and the rolling update asks to replace it, not to drain
// a node it does not have, and replaces it without a drain.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { cleanup } from 'ink-testing-library';
import { openStateStore } from '../../src/engine/store/open-store.js';
import { liveSessionsFor } from '../../src/sessions/live-sessions.js';
import { rolloutSessionsFor } from '../../src/sessions/rollout-sessions.js';
import type { Services } from '../../src/hooks/services.js';
import { simulatorAccess } from '../../src/startup/cloud-session.js';
import { startRecordedSimulator, type SimulatorConnection } from '../../src/startup/simulator-connection.js';
import { keys, renderApp, waitUntil } from '../console/helpers.js';
import { cliHarness, type CliHarness } from '../helpers/cli-harness.js';

const NAME = 'bastion.k8s.local';
const SIZE = { columns: 200, rows: 50 };
let home: string;
let sim: SimulatorConnection;
let cli: CliHarness;
let services: Services;
const env = () => ({ KOPSDECK_HOME: home, KOPSDECK_CLOUD: 'sim' });

before(async () => {
  home = mkdtempSync(join(tmpdir(), 'kopsdeck-bastion-'));
  sim = await startRecordedSimulator({ dir: join(home, 'sim'), speed: 100, seed: 5 });
  cli = cliHarness();
  const zones = ['--zones', 'us-east-1a', '--control-plane-count', '1', '--node-count', '1'];
  for (const args of [['create', 'cluster', NAME, ...zones, '--topology', 'private', '--bastion'], ['update', 'cluster', NAME, '--yes'], ['validate', 'cluster', NAME, '--wait', '10m']]) {
    const result = await cli.run(args, env());
    assert.equal(result.code, 0, `${args.join(' ')}: ${result.stdout}${result.stderr}`);
  }
  const store = openStateStore(cli.stateUrl);
  services = { store, storeUrl: store.url, cloud: 'aws', simulated: true, region: 'us-east-1', access: simulatorAccess(sim) };
  liveSessionsFor(services, { graceMs: 0, retryMs: 500 });
});
after(async () => {
  cleanup();
  const session = services && rolloutSessionsFor(services).peek(NAME);
  if (session?.running) {
    session.abort();
    await waitUntil(() => !session.running, 'the leftover run to stop', 20_000).catch(() => undefined);
  }
  if (services) await liveSessionsFor(services).closeAll();
  await sim?.release();
  rmSync(home, { recursive: true, force: true });
  if (cli) rmSync(cli.home, { recursive: true, force: true });
});

const lineOf = (frame: string, text: string) => frame.split('\n').find((line) => line.includes(text)) ?? '';

test('the instance groups view counts the bastion ready once in service, with no group below target', async () => {
  const app = renderApp({ services, size: SIZE, initialRoute: { name: 'instance-groups', cluster: NAME } });
  const frame = await app.waitFor((f) => /bastions\s+Bastion\s+t3\.micro\s+1\s+1\s+1\s+1\s+0/.test(f) && /nodes-us-east-1a\s+Node\s+t3\.medium\s+1\s+1\s+1\s+1\s+0/.test(f), 20_000);
  assert.ok(!frame.includes('below target'), frame);
  assert.match(lineOf(frame, 'InstanceGroups('), /bastions register no node: their READY counts instances in service/);
  app.unmount();
});

test('the rolling update asks to replace the bastion (no drain, no node), then replaces it without a drain', { timeout: 90_000 }, async () => {
  const before = (await cli.run(['get', 'instances', NAME], env())).stdout;
  const bastion = /^(i-[0-9a-f]+)\s+<none>\s+UpToDate\s+bastion\s+InService/m.exec(before)?.[1];
  assert.ok(bastion, before);

  const app = renderApp({ services, size: SIZE, initialRoute: { name: 'rollout', cluster: NAME } });
  const session = () => rolloutSessionsFor(services).peek(NAME)!;
  await app.waitFor('No rolling-update required', 20_000);
  app.press('f');
  let frame = await app.waitFor('Estimated duration', 20_000);
  assert.match(frame, /Order: bastions -> control-plane-us-east-1a -> nodes-us-east-1a/);
  assert.match(lineOf(frame, `${bastion}  `), /bastion \(registers no node\)\s+wave 1\/1/);
  // Under its group's heading.
  const lines = frame.split('\n');
  const at = lines.findIndex((l) => l.includes(`${bastion}  `));
  assert.match(lines.slice(0, at).reverse().find((l) => /^ {2}\S+ \((Bastion|ControlPlane|Node)\)/.test(l)) ?? '', /^ {2}bastions \(Bastion\)/);
  app.press(keys.enter);

  // Bastions go first, as kops rolls them: the question is a replacement.
  frame = await app.waitFor(`Replace bastion instance ${bastion}?`, 20_000);
  assert.equal(session().getState().view.confirm?.noDrain, 'bastion');
  assert.match(frame, /A bastion registers no node, so nothing is drained: kops replaces bastions without a drain\./);
  assert.match(frame, /y replace it · s skip this instance \(not replaced\) · p replace it, then pause after it · x abort/);
  assert.ok(!frame.includes('Drain node'), frame);
  assert.ok(!frame.includes('The drain will evict'), frame);
  assert.ok(!frame.includes('(no node registered)'), frame);
  app.press('y');

  // Then the control plane's node, which is drained: stop there.
  frame = await app.waitFor('Drain node ip-', 60_000);
  const steps = session().getState().view.instances.find((i) => i.id === bastion)?.steps ?? {};
  assert.equal(steps.terminate?.state, 'done', JSON.stringify(steps));
  for (const step of ['cordon', 'drain'] as const) assert.equal(steps[step], undefined, `a bastion has no ${step} step`);
  app.press('x');
  await app.waitFor('abort, uncordon', 10_000);
  app.press('u');
  await waitUntil(() => !session().running, 'the run to stop', 30_000);
  app.unmount();

  const after = (await cli.run(['get', 'instances', NAME], env())).stdout;
  assert.ok(!after.includes(bastion), `${bastion} was replaced:\n${after}`);
  assert.match(after, /^i-[0-9a-f]+\s+<none>\s+UpToDate\s+bastion\s+/m);
});
