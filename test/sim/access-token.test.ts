// The simulator answers only its own world's clients: every AWS request is
// signed with the world's token as the access key id, every Kubernetes and
// /sim/ request carries it as a bearer token, and a request addressed to
// another host name (a DNS-rebinding web page) is refused. What a web page in
// the user's browser can send (a simple GET, a text/plain POST) changes nothing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { startRecordedSimulator, type SimulatorConnection } from '../../src/startup/simulator-connection.js';
import { simAdminFetch } from '../../src/sim/admin-client.js';
import { TOKEN_FILE } from '../../src/sim/access-token.js';
import { tempDir } from '../helpers/sim-aws.js';

let sim: SimulatorConnection;
let dir: string;
before(async () => {
  dir = tempDir();
  sim = await startRecordedSimulator({ dir, speed: 10 });
});
after(async () => sim?.release());

const wrongKey = { accessKeyId: 'AKIAWRONGWRONGWRONG0', secretAccessKey: 'kopsdeck-simulator' };
const clientOptions = (credentials: { accessKeyId: string; secretAccessKey: string }) => ({ endpoint: sim.url, region: 'us-east-1', credentials, maxAttempts: 1 });

test('AWS requests signed with another key are refused with each service’s own error', async () => {
  const ec2 = new EC2Client(clientOptions(wrongKey));
  const autoscaling = new AutoScalingClient(clientOptions(wrongKey));
  const s3 = new S3Client({ ...clientOptions(wrongKey), forcePathStyle: true });
  try {
    await assert.rejects(ec2.send(new DescribeVpcsCommand({})), (error: Error) => error.name === 'AuthFailure');
    await assert.rejects(autoscaling.send(new DescribeAutoScalingGroupsCommand({})), (error: Error) => error.name === 'InvalidClientTokenId');
    await assert.rejects(s3.send(new ListBucketsCommand({})), (error: Error) => error.name === 'InvalidAccessKeyId');
  } finally {
    ec2.destroy();
    autoscaling.destroy();
    s3.destroy();
  }
  const ours = new EC2Client(clientOptions({ accessKeyId: sim.token, secretAccessKey: 'kopsdeck-simulator' }));
  try {
    assert.ok(Array.isArray((await ours.send(new DescribeVpcsCommand({}))).Vpcs), 'the world’s own key is accepted');
  } finally {
    ours.destroy();
  }
});

test('Kubernetes and /sim/ requests without the bearer token are 401; a browser’s text/plain POST switches no fault on', async () => {
  assert.equal((await fetch(`${sim.url}/k8s/any.example.com/api/v1/nodes`)).status, 401);
  assert.equal((await fetch(`${sim.url}/k8s/any.example.com/api/v1/nodes`, { headers: { authorization: 'Bearer simulated' } })).status, 401);
  assert.equal((await fetch(`${sim.url}/sim/health`)).status, 401);
  const forged = await fetch(`${sim.url}/sim/faults`, { method: 'PUT', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ serverErrorRate: 1 }) });
  assert.equal(forged.status, 401);
  const faults = (await (await simAdminFetch(sim, '/sim/faults')).json()) as { serverErrorRate: number };
  assert.equal(faults.serverErrorRate, 0, 'the fault was not switched on');
});

test('a request addressed to another host name is refused, even with the token (DNS rebinding)', async () => {
  const port = new URL(sim.url).port;
  const status = await new Promise<number>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/sim/health', headers: { host: `rebind.attacker.example:${port}`, authorization: `Bearer ${sim.token}` } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
  assert.equal(status, 403);
  assert.equal((await simAdminFetch(sim, '/sim/health')).status, 200, 'its own address is served');
});

test('the token lives in 0600 files only: its own, endpoint.json and the kubeconfig', () => {
  const token = readFileSync(join(dir, TOKEN_FILE), 'utf8').trim();
  assert.equal(token, sim.token);
  assert.match(token, /^[A-Za-z0-9_-]{43}$/, '256 random bits');
  for (const file of [TOKEN_FILE, 'endpoint.json', 'kubeconfig']) assert.equal(statSync(join(dir, file)).mode & 0o777, 0o600, file);
  assert.equal(JSON.parse(readFileSync(join(dir, 'endpoint.json'), 'utf8')).token, token);
  const kubeconfig = parse(readFileSync(sim.kubeconfigPath, 'utf8')) as { users: { user: { token: string } }[] };
  assert.ok(kubeconfig.users.every((entry) => entry.user.token === token));
});
