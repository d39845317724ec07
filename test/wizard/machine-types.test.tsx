// Machine types are checked against what EC2 offers in the region
// (DescribeInstanceTypeOfferings, through the engine's AWS clients): a type not
// offered is refused with the reason and close names that are. The simulator
// does not answer that action yet, so a proxy in front of it does; against the
// bare simulator the wizard says it could not check, and still refuses a size
// EC2 does not have.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup } from 'ink-testing-library';
import { checkMachineType, closeMachineTypes, completeMachineType, listMachineTypes } from '../../src/engine/create/index.js';
import { keys } from '../console/helpers.js';
import { pressEnterAndSettle, renderWizard } from './harness.js';
import { consoleServices } from '../helpers/console-services.js';
import { simConsoleAccess, startBench, type Bench } from '../helpers/sim-console.js';
import { startOfferingsProxy, type OfferingsProxy } from './offerings-proxy.js';

const OFFERED = ['c6i.large', 'm5.large', 't3.large', 't3.medium', 't3.micro', 't3.nano', 't3.small', 't3.xlarge'];
const ctrlU = '\x15';

let bench: Bench;
let proxy: OfferingsProxy;
let offeredBench: Bench;

before(async () => {
  bench = await startBench();
  proxy = await startOfferingsProxy(bench.sim.url, OFFERED);
  const access = simConsoleAccess({ ...bench.sim, url: proxy.url }, { speed: 50 });
  offeredBench = { ...bench, access, services: consoleServices(bench.store, { access }) };
});
after(async () => {
  cleanup();
  await proxy?.close();
  await bench?.close();
});

type App = ReturnType<typeof renderWizard>;

async function toControlPlaneSize(app: App): Promise<void> {
  for (let n = 1; n <= 4; n++) {
    await app.waitFor(`step ${n} of`);
    app.press(keys.enter);
  }
  await app.waitFor((f) => f.includes('step 5 of') && f.includes('Control-plane machine type'));
}

async function typeInto(app: App, label: string, text: string): Promise<string> {
  await app.waitFor((f) => f.includes(`${label}: `) && f.includes('█'));
  app.press(ctrlU);
  await app.waitFor(`${label}: █`);
  app.press(text);
  return app.waitFor(`${label}: ${text}█`);
}

test('the engine lists the region\'s offerings through the AWS clients, and says why when the cloud cannot answer', async () => {
  const offered = await listMachineTypes(offeredBench.access, 'us-east-1');
  assert.deepEqual(offered, { region: 'us-east-1', types: OFFERED });
  const call = proxy.calls.at(-1)!;
  assert.equal(call.get('LocationType'), 'region');
  assert.equal(call.get('Filter.1.Name'), 'location');
  assert.equal(call.get('Filter.1.Value.1'), 'us-east-1');
  // The simulator itself answers with its catalogue (every page: the SDK paginates).
  const simulated = await listMachineTypes(bench.access, 'us-east-1');
  assert.ok(simulated.types?.includes('t3.medium') && simulated.types.includes('m7g.2xlarge') && !simulated.types.includes('t3.huge'), JSON.stringify(simulated));
  assert.equal(simulated.types!.length, new Set(simulated.types).size);
  assert.deepEqual(await listMachineTypes(undefined, 'us-east-1'), { region: 'us-east-1', error: 'no cloud is configured' });
});

test('checkMachineType: offered, not offered (with close names), still loading, unchecked', () => {
  const offerings = { region: 'us-east-1', types: OFFERED };
  assert.deepEqual(checkMachineType('t3.large', 'worker nodes', offerings, 'us-east-1'), { note: 'worker nodes run on t3.large instances (offered in us-east-1)' });
  assert.deepEqual(checkMachineType('t3.huge', 'worker nodes', offerings, 'us-east-1'), {
    error: 'EC2 does not offer t3.huge in us-east-1; close names it offers: t3.large, t3.nano, t3.xlarge',
  });
  assert.deepEqual(checkMachineType('m6i.large', 'worker nodes', offerings, 'us-east-1'), {
    error: 'EC2 does not offer m6i.large in us-east-1; close names it offers: c6i.large, m5.large, t3.large',
  });
  // Offerings of another region (the region was just changed) are not used: they are being listed again.
  assert.match(checkMachineType('t3.large', 'worker nodes', offerings, 'eu-west-1').error!, /still listing the instance types EC2 offers in eu-west-1/);
  assert.match(checkMachineType('t3.large', 'worker nodes', 'loading', 'us-east-1').error!, /still listing/);
  // Without the cloud's list: a size EC2 does not have is still refused; anything else is accepted with a warning saying why it was not checked.
  const unchecked = { region: 'us-east-1', error: 'AccessDenied' };
  assert.deepEqual(checkMachineType('t3.huge', 'worker nodes', unchecked, 'us-east-1'), {
    error: '"t3.huge" is not an EC2 instance type: EC2 has no size "huge" (sizes are nano, micro, small, medium, large, xlarge, 2xlarge, 4xlarge ... or metal); did you mean t3.large, t3.xlarge or t3.2xlarge?',
  });
  assert.deepEqual(checkMachineType('m7i.metal-24xl', 'worker nodes', unchecked, 'us-east-1'), {
    warning: 'could not check m7i.metal-24xl against the instance types EC2 offers in us-east-1 (AccessDenied); worker nodes run on m7i.metal-24xl instances if it is offered there',
  });
  assert.deepEqual(closeMachineTypes('t3.medum', OFFERED), ['t3.medium', 't3.micro', 't3.large']);
  assert.deepEqual(closeMachineTypes('m6.large', OFFERED), ['m5.large', 'c6i.large', 't3.large'], 'an unknown family: the nearest offered names');
  assert.deepEqual(closeMachineTypes('quux.wide', OFFERED), [], 'nothing far-fetched');
  // Tab completes from what the region offers.
  assert.deepEqual(completeMachineType('t3.x', offerings), { text: 't3.xlarge', candidates: [] });
  assert.deepEqual(completeMachineType('m6', offerings), { text: 'm6', candidates: [] });
});

test('the wizard refuses t3.huge, and a type the region does not offer, with the reason and close names', async () => {
  const app = renderWizard(offeredBench);
  await toControlPlaneSize(app);
  await app.waitFor('✓ control-plane nodes run on t3.medium instances (offered in us-east-1)');
  await typeInto(app, 'control-plane machine type', 't3.huge');
  let frame = await app.waitFor('✗ EC2 does not offer t3.huge in us-east-1; close names it offers: t3.large, t3.nano, t3.xlarge');
  frame = await pressEnterAndSettle(app, 5);
  assert.match(frame, /t3\.huge█/, 'still editing the refused value');
  assert.match(frame, /step 5 of 14/, 'Enter did not move on');
  await typeInto(app, 'control-plane machine type', 'm6i.large');
  await app.waitFor('✗ EC2 does not offer m6i.large in us-east-1; close names it offers: c6i.large, m5.large, t3.large');
  await typeInto(app, 'control-plane machine type', 't3.large');
  await app.waitFor('✓ control-plane nodes run on t3.large instances (offered in us-east-1)');
  app.press(keys.enter);
  await app.waitFor((f) => f.includes('step 6 of') && f.includes('Topology'));
  app.unmount();
});

test('against the simulator, which offers the common families, t3.medium passes the check and t3.huge is refused as not offered', async () => {
  const app = renderWizard(bench);
  await toControlPlaneSize(app);
  // The check has answered once its verdict on the default shows.
  const checked = await app.waitFor((f) => /✓ control-plane nodes run on t3\.medium|could not check/.test(f));
  assert.doesNotMatch(checked, /could not check/, 'the simulator answers DescribeInstanceTypeOfferings');
  await typeInto(app, 'control-plane machine type', 't3.huge');
  await app.waitFor('✗ EC2 does not offer t3.huge in us-east-1; close names it offers:');
  const after = await pressEnterAndSettle(app, 5);
  assert.match(after, /step 5 of 14/, 'Enter did not move on');
  app.unmount();
});
