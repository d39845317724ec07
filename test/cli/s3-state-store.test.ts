// The s3:// state store on the simulator's S3, through the real SDK: the CLI
// reads and writes it, and two editors of one cluster never silently overwrite
// each other.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { simulatorAccess } from '../../src/startup/cloud-session.js';
import { startRecordedSimulator, type SimulatorConnection } from '../../src/startup/simulator-connection.js';
import { awsClientsFor } from '../../src/engine/cloud/aws/clients.js';
import { openStateStore } from '../../src/engine/store/open-store.js';
import { ConflictError } from '../../src/engine/store/object-store.js';
import { cliHarness } from '../helpers/cli-harness.js';
import { tempDir } from '../helpers/temp-dir.js';

const home = tempDir('kopsdeck-s3-');
let sim: SimulatorConnection;
const access = () => simulatorAccess(sim);

before(async () => {
  // Served from KOPSDECK_HOME/sim, so the CLI runs below connect to this one.
  sim = await startRecordedSimulator({ dir: join(home, 'sim'), speed: 50 });
  const clients = awsClientsFor(access(), 'us-east-1');
  await clients.s3.send(new CreateBucketCommand({ Bucket: 'kops-state' }));
  clients.destroy();
});
after(async () => sim.release());

test('the CLI creates and lists a cluster in an s3:// state store', async () => {
  const cli = cliHarness();
  const env = { KOPSDECK_HOME: home, KOPS_STATE_STORE: 's3://kops-state/team-a' };
  const created = await cli.run(['--state', 's3://kops-state/team-a', 'create', 'cluster', 's3.example.com', '--zones', 'us-east-1a'], env);
  assert.equal(created.code, 0, created.stderr);
  assert.match(created.stdout, /written to s3:\/\/kops-state\/team-a/);
  const groups = await cli.run(['--state', 's3://kops-state/team-a', 'get', 'ig', '--name', 's3.example.com'], env);
  assert.equal(groups.code, 0, groups.stderr);
  assert.match(groups.stdout, /nodes-us-east-1a\s+Node/);
});

test('two concurrent edits through the S3 store: one wins, the other is refused with the message', async () => {
  const clients = awsClientsFor(access(), 'us-east-1');
  try {
    const alice = openStateStore('s3://kops-state/team-b', { s3Client: clients.s3 });
    const bob = openStateStore('s3://kops-state/team-b', { s3Client: clients.s3 });
    const cli = cliHarness();
    await cli.run(['--state', 's3://kops-state/team-b', 'create', 'cluster', 'race.example.com', '--zones', 'us-east-1a'], { KOPSDECK_HOME: home });

    const readByAlice = (await alice.getCluster('race.example.com'))!;
    const readByBob = (await bob.getCluster('race.example.com'))!;
    assert.equal(readByAlice.version, readByBob.version);
    const edit = (version: string) => ({ ...readByAlice.value, spec: { ...readByAlice.value.spec, kubernetesVersion: version } });

    await alice.updateCluster(edit('1.31.9'), readByAlice.version);
    await assert.rejects(bob.updateCluster(edit('1.31.8'), readByBob.version), (error: unknown) => {
      assert.ok(error instanceof ConflictError);
      assert.match(error.message, /changed by someone else since you read it; your edit was not saved/);
      return true;
    });
    assert.equal((await bob.getCluster('race.example.com'))!.value.spec.kubernetesVersion, '1.31.9', "Alice's edit stands");
  } finally {
    clients.destroy();
  }
});

test('a state store bucket that does not exist is reported, not created', async () => {
  const cli = cliHarness();
  const result = await cli.run(['--state', 's3://no-such-bucket/x', 'get', 'clusters'], { KOPSDECK_HOME: home });
  assert.equal(result.code, 1);
  assert.match(result.stderr, /no-such-bucket/);
});
