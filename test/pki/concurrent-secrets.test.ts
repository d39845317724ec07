// Two writers ensuring one cluster's secrets at the same time, on a file://
// store (two processes) and on the simulator's S3 (two clients): both succeed
// and the store ends with one CA per kind whose key and certificate belong
// together; what each writer signs afterwards chains to that CA. On S3 the
// private objects were written with server-side encryption requested.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { simulatorAccess } from '../../src/startup/cloud-session.js';
import { startRecordedSimulator, type SimulatorConnection } from '../../src/startup/simulator-connection.js';
import { awsClientsFor, type AwsClients } from '../../src/engine/cloud/aws/clients.js';
import { FileObjectStore } from '../../src/engine/store/file-store.js';
import { S3ObjectStore } from '../../src/engine/store/s3-store.js';
import type { ObjectStore } from '../../src/engine/store/object-store.js';
import { ensureSecrets, SECRETS, secretKey } from '../../src/engine/pki/index.js';

const NAME = 'race.example.com';
const home = mkdtempSync(join(tmpdir(), 'kopsdeck-pki-race-'));
let sim: SimulatorConnection;
const clients: AwsClients[] = [];

before(async () => {
  sim = await startRecordedSimulator({ dir: join(home, 'sim'), speed: 50 });
});
after(async () => {
  clients.forEach((c) => c.destroy());
  await sim?.release();
  rmSync(home, { recursive: true, force: true });
});

/** Every key pair in the store belongs together: one CA per kind, whoever wrote which half. */
async function assertOneConsistentSet(store: ObjectStore): Promise<void> {
  const keys = await store.list(`${NAME}/`);
  for (const entry of SECRETS) {
    assert.ok(keys.includes(secretKey(NAME, entry.privatePath)), `${entry.privatePath} stored`);
    if (!entry.publicPath) continue;
    const privatePem = (await store.get(secretKey(NAME, entry.privatePath)))!.body;
    const publicPem = (await store.get(secretKey(NAME, entry.publicPath)))!.body;
    if (entry.type === 'CertificateAuthority') {
      assert.ok(new X509Certificate(publicPem).checkPrivateKey(createPrivateKey(privatePem)), `${entry.publicPath} belongs to ${entry.privatePath}`);
    }
  }
}

function runProcess(dir: string): Promise<{ generated: string[]; adminCert: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/pki/ensure-secrets-process.ts', dir, NAME], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`exit ${code}: ${err}`))));
  });
}

test('two processes on one file:// store make one CA of each kind; each signs with it', async () => {
  const dir = join(home, 'file-store');
  const [a, b] = await Promise.all([runProcess(dir), runProcess(dir)]);
  const store = new FileObjectStore(dir);
  await assertOneConsistentSet(store);
  const ca = new X509Certificate((await store.get(`${NAME}/pki/ca.crt`))!.body);
  for (const signed of [a.adminCert, b.adminCert]) assert.ok(new X509Certificate(signed).verify(ca.publicKey), 'signed by the one stored CA');
  const everyone = new Set([...a.generated, ...b.generated]);
  assert.deepEqual([...everyone].sort(), SECRETS.map((e) => e.name).sort(), 'between them, everything was made');
});

test("two writers on the simulator's S3 make one CA of each kind; keys and the token are stored with SSE requested", async () => {
  const makeStore = () => {
    const c = awsClientsFor(simulatorAccess(sim), 'us-east-1');
    clients.push(c);
    return { store: new S3ObjectStore(c.s3, 'race-state', 'team'), s3: c.s3 };
  };
  const first = makeStore();
  const second = makeStore();
  await first.s3.send(new CreateBucketCommand({ Bucket: 'race-state' }));
  const [a, b] = await Promise.all([ensureSecrets(first.store, NAME), ensureSecrets(second.store, NAME)]);
  await assertOneConsistentSet(first.store);
  assert.deepEqual([...new Set([...a.generated, ...b.generated])].sort(), SECRETS.map((e) => e.name).sort());
  for (const entry of SECRETS) {
    const head = (path: string) => first.s3.send(new HeadObjectCommand({ Bucket: 'race-state', Key: `team/${secretKey(NAME, path)}` }));
    assert.equal((await head(entry.privatePath)).ServerSideEncryption, 'AES256', `${entry.privatePath} encrypted at rest`);
    if (entry.publicPath) assert.equal((await head(entry.publicPath)).ServerSideEncryption, undefined, `${entry.publicPath} is public material`);
  }
  const again = await ensureSecrets(second.store, NAME);
  assert.deepEqual(again.generated, [], 'the loser of any race now finds everything');
});
