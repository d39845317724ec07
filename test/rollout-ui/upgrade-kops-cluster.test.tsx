// The console's upgrade flow (U on a cluster) on a cluster kops made: it says
// so and names the kops commands, and writes nothing to kops' state store.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup } from 'ink-testing-library';
import { awsClientsFor, type AwsClients } from '../../src/engine/cloud/aws/clients.js';
import { S3ObjectStore } from '../../src/engine/store/s3-store.js';
import { ClusterStore } from '../../src/engine/store/cluster-store.js';
import { seedKopsCluster } from '../../src/sim/seed/seed-kops.js';
import { renderApp } from '../console/helpers.js';
import { consoleServices } from '../helpers/console-services.js';
import { startBench, type Bench } from '../helpers/sim-console.js';
import { flat } from '../wizard/harness.js';

const CLUSTER = 'kopsmade.example.com';
let bench: Bench;
let clients: AwsClients;

before(async () => {
  bench = await startBench();
  await seedKopsCluster({ endpoint: bench.sim.url, region: 'us-east-1', credentials: bench.access.awsCredentials!, cluster: CLUSTER, layout: 'minimal', stateStore: 's3://kops-state/team' });
  clients = awsClientsFor(bench.access, 'us-east-1');
});
after(async () => {
  cleanup();
  clients?.destroy();
  await bench?.close();
});

test('U on a kops-made cluster names the kops commands and writes nothing to its spec', async () => {
  const objects = new S3ObjectStore(clients.s3, 'kops-state', 'team');
  const store = new ClusterStore(objects);
  const before = (await store.getCluster(CLUSTER))!;
  const keys = await objects.list(`${CLUSTER}/`);
  const app = renderApp({ services: consoleServices(store, { access: bench.access }), size: { columns: 120, rows: 30 }, initialRoute: { name: 'upgrade', cluster: CLUSTER } });
  // The panel's lines joined: its borders removed.
  const frame = flat((await app.waitFor((f) => flat(f).includes('is upgraded with kops'), 20_000)).replace(/ *│ */g, ' '));
  assert.match(frame, /was made by kops \(.+\), so kopsdeck changes nothing in its spec/);
  assert.match(frame, /kops upgrade cluster kopsmade\.example\.com --yes/);
  assert.doesNotMatch(frame, /Choose the Kubernetes version/i);
  app.unmount();
  const after = (await store.getCluster(CLUSTER))!;
  assert.equal(after.version, before.version, 'the spec is as it was');
  assert.deepEqual(await objects.list(`${CLUSTER}/`), keys, 'no object written');
});
